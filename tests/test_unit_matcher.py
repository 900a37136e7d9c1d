"""UnitMatcher: the registry's unit names at jieba's word boundaries (issue 19).

The matcher replaced a spaCy ``EntityRuler`` over the same jieba tokens; the last test keeps that
pipeline as the reference and checks that both find exactly the same spans in every paragraph and
table cell of the samples (and the seeds, where present).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from normalize import nlp
from normalize.nlp import UnitMatcher
from parsers import parse
from parsers.document import Paragraph, Table


def _segmenter(*words: str):
    """A stand-in for jieba: splits a text into the given words (in order) and single characters."""
    calls: list[str] = []

    def segment(text: str):
        calls.append(text)
        position = 0
        while position < len(text):
            word = next((w for w in words if text.startswith(w, position)), text[position])
            yield word, position, position + len(word)
            position += len(word)

    return segment, calls


def test_longest_name_wins_over_the_names_inside_it() -> None:
    segment, _ = _segmenter("县纪委监委", "县纪委", "监委")
    matcher = UnitMatcher(["县纪委监委", "县纪委", "监委"], segment)
    assert matcher.spans("由县纪委监委牵头") == [(1, 6)]


def test_a_name_inside_a_longer_word_is_not_a_mention() -> None:
    segment, _ = _segmenter("人民政府", "办公室")
    matcher = UnitMatcher(["政府办"], segment)
    assert matcher.candidates("县人民政府办公室") == [(3, 6)]
    assert matcher.spans("县人民政府办公室") == []


def test_text_naming_no_unit_is_never_segmented() -> None:
    segment, calls = _segmenter()
    matcher = UnitMatcher(["县财政局"], segment)
    assert matcher.spans("全县财政收入增长7%") == []
    assert calls == []
    assert matcher.spans("县财政局牵头") == [(0, 4)]
    assert calls == ["县财政局牵头"]


def test_name_at_the_very_end_and_names_side_by_side() -> None:
    segment, _ = _segmenter("县委办", "县政府办")
    matcher = UnitMatcher(["县委办", "县政府办"], segment)
    assert matcher.spans("县委办县政府办") == [(0, 3), (3, 7)]
    assert matcher.spans("县委") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大竹县人民政府办公室关于印发通知", []),  # 政府办 is in the registry; here it is part of 人民政府办公室
        ("安徽省人民政府办公厅", []),
        ("县政府办牵头，县财政局配合", ["县政府办", "县财政局"]),
    ],
)
def test_real_segmentation_keeps_words_whole(text: str, expected: list[str]) -> None:
    assert [span.text for span in nlp.find_unit_mentions(text)] == expected


def _texts(path: Path) -> list[str]:
    document = parse(path)
    texts = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    for table in (block for block in document.blocks if isinstance(block, Table)):
        texts += [cell.text for row in table.rows for cell in row]
    return texts


def _reference_spans():
    """The former pipeline: spaCy's blank Chinese model segmenting with our jieba tokenizer, an EntityRuler
    with one phrase pattern per unit name."""
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = nlp._private_cache_dir()  # spaCy loads the global jieba: not into the shared temp dir
    reference = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    reference.tokenizer.jieba_seg = nlp.tokenizer()
    ruler = reference.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG_UNIT", "pattern": word} for word in nlp.unit_vocabulary()])
    return lambda text: [(entity.start_char, entity.end_char) for entity in reference(text).ents]


def test_matcher_agrees_with_the_spacy_entity_ruler() -> None:
    files = sorted(
        path
        for path in (ROOT / "samples").iterdir()
        if path.suffix in (".docx", ".txt", ".html") or (path.suffix == ".pdf" and "扫描件" not in path.name)
    )
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    texts = [text for path in files for text in _texts(path)]
    reference, matcher = _reference_spans(), nlp.unit_matcher()
    disagreements = [(text, reference(text), matcher.spans(text)) for text in texts]
    disagreements = [case for case in disagreements if case[1] != case[2]]
    assert len(texts) > 2000
    assert sum(len(matcher.spans(text)) for text in texts) > 300
    assert disagreements == []
