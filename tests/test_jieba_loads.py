"""jieba's dictionary is loaded once per process (issue 19): the unit tokenizer loads it, and spaCy's
Chinese tokenizer finds the global jieba already primed with a copy instead of loading it again."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

_COUNT = """
import json, jieba
loads = []
original = jieba.Tokenizer.initialize
def counting(self, dictionary=None):
    if not self.initialized:
        loads.append(1)
    return original(self, dictionary)
jieba.Tokenizer.initialize = counting
from normalize.nlp import find_unit_mentions, tokenizer, unit_ruler_nlp
unit_ruler_nlp()
tokenizer()
found = [s.text for s in find_unit_mentions("请县发展改革和科技局牵头，县财政局配合。", "佳县")]
import jieba
print(json.dumps({"loads": len(loads), "global_ready": jieba.dt.initialized, "found": found}, ensure_ascii=False))
"""


def test_one_dictionary_load_per_process() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _COUNT], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["loads"] == 1
    assert result["global_ready"]  # spaCy's tokenizer found it ready: primed from the one load
    assert result["found"] == ["县发展改革和科技局", "县财政局"]
