"""jieba's dictionary is loaded at most once per process, and only when a text names a unit (issue 19).

Each case runs in a fresh interpreter, counting ``jieba.Tokenizer.initialize`` calls that load a dictionary."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

_COUNT = """
import json, sys, jieba
loads = []
original = jieba.Tokenizer.initialize
def counting(self, dictionary=None):
    if not self.initialized:
        loads.append(1)
    return original(self, dictionary)
jieba.Tokenizer.initialize = counting
from normalize.nlp import find_unit_mentions, tokenizer
found = []
for text in sys.argv[1:]:
    found += [s.text for s in find_unit_mentions(text, "佳县")]
print(json.dumps({"loads": len(loads), "global_loaded": jieba.dt.initialized, "found": found}, ensure_ascii=False))
"""


def _count(*texts: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _COUNT, *texts], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_one_dictionary_load_per_process() -> None:
    result = _count("请县发展改革和科技局牵头，县财政局配合。", "县卫健局负责", "县发改局、县民政局")
    assert result["loads"] == 1
    assert not result["global_loaded"]  # only our own tokenizer: the module-level jieba stays unloaded
    assert result["found"] == ["县发展改革和科技局", "县财政局", "县卫健局", "县发改局", "县民政局"]


@pytest.mark.parametrize("text", ["", "全年地区生产总值增长7%。", "各乡镇、各部门要高度重视。"])
def test_no_load_for_text_naming_no_unit(text: str) -> None:
    """A paragraph without any unit's name never reaches jieba: a notice of tables alone costs no dictionary."""
    assert _count(text) == {"loads": 0, "global_loaded": False, "found": []}
