"""Chinese segmentation and unit-name spotting in prose: jieba + a blank spaCy pipeline.

* :func:`tokenizer` is our own ``jieba.Tokenizer`` (never the module-level one), quiet, caching its
  dictionary in a private directory, with every unit name of the registry as a user word so that
  ``县发展改革和科技局`` stays one token.
* :func:`unit_ruler_nlp` is ``spacy.blank("zh")`` with the jieba segmenter plus an ``EntityRuler``
  (label ``ORG_UNIT``) holding a phrase pattern for every unit name.

spaCy's ``ChineseTokenizer`` imports the *global* jieba module and segments with ``jieba.cut``.
Rather than adding our words to that shared dictionary, :func:`unit_ruler_nlp` points the
tokenizer's ``jieba_seg`` at :func:`tokenizer`, so spaCy and jieba split text identically and the
global jieba keeps its plain dictionary (spaCy initialises it anyway; we hand it a copy of the
dictionary already loaded, which halves the build time). Such an ``nlp`` must not be saved with
``to_disk``: a reloaded one would segment with the plain global jieba.

Only names the registry knows are found: no regex scraping of prose (DOMAIN §4.1), so a title
such as 《柞水县年度目标责任考核工作办法》 yields no unit.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import regex
from pydantic import BaseModel

from normalize.departments import (
    DepartmentRegistry,
    Resolution,
    default_registry,
    known_regions,
    split_colocation,
)

if TYPE_CHECKING:
    import jieba
    from spacy.language import Language

logger = logging.getLogger(__name__)

UNIT_LABEL = "ORG_UNIT"
# Far above any ordinary word (的 ≈ 3e5 in jieba's dictionary is the top), so a unit name is never split.
UNIT_WORD_FREQ = 1_000_000
_LEVEL_VARIANTS = "区"  # district documents write 区财政局 for the registry's 县财政局


class UnitSpan(BaseModel):
    """A unit name found in prose, with character offsets into the text and its resolution."""

    text: str
    start: int
    end: int
    resolution: Resolution


def _quiet_jieba() -> None:
    """Silence jieba: importing it attaches a DEBUG stderr handler to its logger."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.default_logger.removeHandler(jieba.log_console)


def _private_cache_dir() -> str:
    """A per-user 0700 directory for jieba's dictionary cache (it is loaded with ``marshal``)."""
    path = Path(tempfile.gettempdir()) / f"kaohe-jieba-{os.getuid()}"
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
        if info.st_uid == os.getuid() and stat.S_ISDIR(info.st_mode) and not info.st_mode & 0o077:
            return str(path)
    except OSError as error:
        logger.debug("jieba cache dir %s unusable: %s", path, error)
    return tempfile.mkdtemp(prefix="kaohe-jieba-")


def unit_vocabulary(registry: DepartmentRegistry | None = None) -> list[str]:
    """Every unit surface form, plus its 区 variant, sorted; co-located pairs give both parts."""
    words: set[str] = set()
    for name in (registry or default_registry()).names():
        main, inner = split_colocation(name)
        for word in (name, main, inner):
            if word:
                words.add(word)
                words.update(_level_variants(word))
    return sorted(words)


def _level_variants(name: str) -> list[str]:
    match = regex.match(r"^(团|共青团)?县", name)
    if not match:
        return []
    return [f"{match[1] or ''}{level}{name[match.end() :]}" for level in _LEVEL_VARIANTS]


def _segmentable(word: str) -> bool:
    """jieba cuts text into runs of Han/Latin first: a word with brackets can never be matched."""
    return bool(regex.fullmatch(r"[\p{Han}A-Za-z0-9]+", word))


def _prime_global_jieba(loaded: jieba.Tokenizer) -> None:
    """Give the global jieba a copy of the plain dictionary we just loaded (before our words).

    spaCy initialises the global jieba when it builds its tokenizer; loading the same 9 MB cache a
    second time costs ~0.9 s, a dict copy ~10 ms. The global ends up exactly as ``jieba.initialize()``
    would leave it.
    """
    import jieba

    target = jieba.dt
    if target.initialized or target.dictionary != loaded.dictionary:
        return
    with target.lock:
        target.FREQ, target.total = dict(loaded.FREQ), loaded.total
        target.initialized = True


@functools.cache
def tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer, built on first use, with every unit name as a user word."""
    import jieba

    _quiet_jieba()
    segmenter = jieba.Tokenizer()
    segmenter.tmp_dir = _private_cache_dir()
    segmenter.initialize()
    _prime_global_jieba(segmenter)
    for word in unit_vocabulary():
        if _segmentable(word):
            segmenter.add_word(word, freq=UNIT_WORD_FREQ)
    return segmenter


@functools.cache
def unit_ruler_nlp() -> Language:
    """``spacy.blank("zh")`` segmenting with :func:`tokenizer`, plus an ``ORG_UNIT`` EntityRuler."""
    import jieba
    import spacy

    _quiet_jieba()
    jieba.dt.tmp_dir = _private_cache_dir()  # spaCy initialises the global jieba on construction
    # Our tokenizer first: it loads the dictionary once and primes the global jieba with a copy, so that
    # spaCy's construction finds it initialised instead of loading the same dictionary again (~0.9 s).
    segmenter = tokenizer()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    if hasattr(nlp.tokenizer, "jieba_seg"):
        nlp.tokenizer.jieba_seg = segmenter
    else:  # a spaCy without the attribute: fall back to teaching the global jieba our words
        logger.warning("此版本 spaCy 的中文分词器没有 jieba_seg：单位名称改为加入全局 jieba 词典")
        for word in filter(_segmentable, unit_vocabulary()):
            jieba.add_word(word, freq=UNIT_WORD_FREQ)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns([{"label": UNIT_LABEL, "pattern": word} for word in unit_vocabulary()])  # type: ignore[attr-defined]
    # spaCy, jieba and the registry stay for the whole process: moved out of the collector's reach, they are
    # no longer re-walked at every full collection (≈ 11 % of the ingest time of a batch of .docx/.txt notices).
    gc.collect()
    gc.freeze()
    return nlp


def _place_before(text: str, start: int, name: str) -> int:
    """Extend a match left over a spelled-out place: 柞水 + 县财政局, 中共 + 宁陕 + 县委办公室."""
    for place in known_regions():
        stem = place[:-1]
        if name.startswith(place[-1]) and text.endswith(stem, 0, start):
            start -= len(stem)
            return start - 2 if text.endswith("中共", 0, start) else start
    return start


def find_unit_mentions(text: str, region: str | None = None) -> list[UnitSpan]:
    """Unit names the registry knows, found in prose and resolved for ``region``, in text order.

    The text is matched as given (offsets stay valid); squeeze PDF spaces between CJK characters
    first (``normalize.text.squeeze_cjk_spaces``) if a name may be broken by them.
    """
    registry = default_registry()
    spans = []
    for entity in unit_ruler_nlp()(text).ents:
        if entity.label_ != UNIT_LABEL:
            continue
        start = _place_before(text, entity.start_char, entity.text)
        name = text[start : entity.end_char]
        resolution = registry.resolve(name, region)
        spans.append(UnitSpan(text=name, start=start, end=entity.end_char, resolution=resolution))
    return spans
