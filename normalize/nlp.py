"""Chinese segmentation and unit-name spotting in prose: the registry's names, at jieba's word boundaries.

* :func:`tokenizer` is our own ``jieba.Tokenizer`` (never the module-level one), quiet, caching its
  dictionary in a private directory, with every unit name of the registry as a user word so that
  ``县发展改革和科技局`` stays one token.
* :class:`UnitMatcher` finds the registry's names in a text: a plain lookup of every name that occurs
  as a substring (no dictionary needed), kept only where it starts and ends on a boundary of jieba's
  segmentation, so that 政府办 is not read out of 人民政府办公室 nor 通镇 out of a longer place name.
  jieba is loaded only when a text holds some name at all: most paragraphs never need it.

The names were once spotted by a spaCy ``EntityRuler`` over the same jieba tokens. For a list of
names, spaCy added nothing to jieba's boundaries but ~55 MB and 0.6 s to every ingest worker (issue
19); ``tests/test_unit_matcher.py`` keeps it as the reference the matcher must agree with.

Only names the registry knows are found: no regex scraping of prose (DOMAIN §4.1), so a title
such as 《柞水县年度目标责任考核工作办法》 yields no unit.
"""

from __future__ import annotations

import functools
import logging
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
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

logger = logging.getLogger(__name__)

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


@functools.cache
def tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer, built on first use, with every unit name as a user word."""
    import jieba

    _quiet_jieba()
    segmenter = jieba.Tokenizer()
    segmenter.tmp_dir = _private_cache_dir()
    segmenter.initialize()
    for word in unit_vocabulary():
        if _segmentable(word):
            segmenter.add_word(word, freq=UNIT_WORD_FREQ)
    return segmenter


class UnitMatcher:
    """The registry's unit names found in a text on jieba's word boundaries, longest first.

    Candidates come from a plain lookup (first character → the lengths of the names starting with it), so
    a text naming no unit costs one pass over its characters and never loads jieba. A candidate counts
    only if jieba's segmentation of the whole text starts a word where it starts and ends one where it
    ends; of overlapping names the longest wins, then the earlier (as a spaCy ``EntityRuler`` would).
    """

    def __init__(self, names: list[str], segment: Callable[[str], Iterable[tuple[str, int, int]]]) -> None:
        self.names = frozenset(names)
        self.segment = segment  # text → (word, start, end), as ``jieba.Tokenizer.tokenize``
        self._lengths: dict[str, list[int]] = {}
        for name in self.names:
            self._lengths.setdefault(name[0], []).append(len(name))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """Every (start, end) where a name occurs in ``text``, boundaries not yet checked."""
        found = []
        for start, char in enumerate(text):
            for length in self._lengths.get(char, ()):
                if start + length <= len(text) and text[start : start + length] in self.names:
                    found.append((start, start + length))
        return found

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The names in ``text`` as (start, end), in text order, none overlapping."""
        candidates = self.candidates(text)
        if not candidates:
            return []
        boundaries = {0, len(text)}
        for _, start, end in self.segment(text):
            boundaries.update((start, end))
        aligned = [(s, e) for s, e in candidates if s in boundaries and e in boundaries]
        taken: list[tuple[int, int]] = []
        for start, end in sorted(aligned, key=lambda span: (span[0] - span[1], span[0])):
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
        return sorted(taken)


@functools.cache
def unit_matcher() -> UnitMatcher:
    """The process-wide matcher over :func:`unit_vocabulary`; jieba is built on its first real use."""
    return UnitMatcher(unit_vocabulary(), lambda text: tokenizer().tokenize(text))


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
    for found_start, end in unit_matcher().spans(text):
        start = _place_before(text, found_start, text[found_start:end])
        name = text[start:end]
        spans.append(UnitSpan(text=name, start=start, end=end, resolution=registry.resolve(name, region)))
    return spans
