"""jieba segmentation with the unit dictionary, and the unit names it lets us spot in prose."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import seed_path

from normalize import nlp as unit_nlp

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def jieba_tokenizer():
    return unit_nlp.tokenizer()


# fmt: off
WHOLE_WORDS = (
    ("佳县县发展改革和科技局负责", "县发展改革和科技局"),
    ("由县纪委监委牵头",           "县纪委监委"),
    ("市生态环境局宁陕分局、县应急管理局", "市生态环境局宁陕分局"),
    ("县委政法委和县信访局",       "县委政法委"),
    ("区委组织部负责",             "区委组织部"),   # 区 variant of a registry name
)
# fmt: on


@pytest.mark.parametrize(("text", "word"), WHOLE_WORDS)
def test_segmentation_keeps_unit_names_whole(jieba_tokenizer, text, word):
    assert word in jieba_tokenizer.lcut(text)


def test_global_jieba_is_left_alone(jieba_tokenizer):
    """Our words go into our own tokenizer, not the module-level jieba (tests/test_jieba_loads.py: nor is it loaded)."""
    import jieba

    unit_nlp.find_unit_mentions("县发展改革和科技局负责")
    assert "县发展改革和科技局" not in jieba.dt.user_word_tag_tab


SEED_001_OWNERS = ("县纪委监委", "县委政法委", "市生态环境局宁陕分局")


def test_ruler_finds_veto_owners_in_seed_001():
    text = seed_path("001").read_text(encoding="utf-8")
    found = {span.text for span in unit_nlp.find_unit_mentions(text, "宁陕县")}
    assert set(SEED_001_OWNERS) <= found


def test_ruler_finds_units_in_a_sentence():
    text = "县纪委监委、县委政法委、市生态环境局宁陕分局、县应急管理局等承担“一票否决”任务的责任部门"
    spans = unit_nlp.find_unit_mentions(text, "宁陕县")
    assert [span.text for span in spans] == [*SEED_001_OWNERS, "县应急管理局"]
    assert all(span.resolution.resolved for span in spans)
    assert [text[span.start : span.end] for span in spans] == [span.text for span in spans]


# fmt: off
PROSE_CASES = (
    # text, region, [(found text, canonical)]
    ("县发改局、县卫健局、县民政局负责", "佳县",
     [("县发改局", "县发展改革和科技局"), ("县卫健局", "县卫生健康局"), ("县民政局", "县民政局")]),
    ("县发改局负责", "柞水县",
     [("县发改局", "县发展和改革局")]),
    ("中共宁陕县委办公室 宁陕县人民政府办公室", None,
     [("中共宁陕县委办公室", "县委办公室"), ("宁陕县人民政府办公室", "县政府办公室")]),
    ("由县委办（督查室）、县政府办（督查室）抽调", "宁陕县",
     [("县委办（督查室）", "县委办公室"), ("县政府办（督查室）", "县政府办公室")]),
    ("区纪委监委、区委组织部分别提出建议", "南郑区",
     [("区纪委监委", "区纪委监委"), ("区委组织部", "区委组织部")]),
)
# fmt: on


@pytest.mark.parametrize(("text", "region", "expected"), PROSE_CASES)
def test_find_unit_mentions_resolves_per_region(text, region, expected):
    spans = unit_nlp.find_unit_mentions(text, region)
    assert [(span.text, span.resolution.canonical) for span in spans] == expected


def test_document_title_is_not_a_unit():
    """DOMAIN §4.1: a regex yields 县年度目标责任考核工作办 from this title; the registry does not."""
    text = "《柞水县年度目标责任考核工作办法》已经县委、县政府同意，现印发你们。"
    spans = unit_nlp.find_unit_mentions(text, "柞水县")
    assert not any("年度" in span.text or span.text.endswith("工作办") for span in spans)
    assert spans == []


def test_jieba_is_silent_and_caches_privately(tmp_path):
    """A fresh process builds the tokenizer; nothing reaches stderr, and no jieba.cache lands in the shared temp dir."""
    script = textwrap.dedent(
        """
        import time
        start = time.perf_counter()
        from normalize.nlp import find_unit_mentions
        print(find_unit_mentions("县纪委监委负责")[0].text)
        """
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stderr == ""
    assert result.stdout.strip() == "县纪委监委"
    assert not (tmp_path / "jieba.cache").exists()
    (cache_dir,) = tmp_path.iterdir()
    assert cache_dir.name.startswith("kaohe-jieba-")
    assert (cache_dir / "jieba.cache").exists()
    assert cache_dir.stat().st_mode & 0o077 == 0


def test_using_the_tokenizer_prints_nothing(jieba_tokenizer, capfd):
    jieba_tokenizer.lcut("县发展改革和科技局")
    unit_nlp.find_unit_mentions("县纪委监委")
    assert capfd.readouterr() == ("", "")
