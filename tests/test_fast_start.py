"""Fast to start (issue 14, point 7): query commands load no heavy library; the watcher loads them first.

A query runs in a fresh interpreter that prints, after the command, which heavy modules it loaded; no
timing is asserted (benchmarks/bench_start.py measures it). The watcher's warm-up is checked in order: it
has run, and the models are built, when the ready line is logged.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import pipeline
from ingest.isolation import isolation_enabled
from normalize.departments import default_registry
from store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "佳县2020年度目标责任考核指标.txt"
TIMEOUT = 120

# What a query never needs. Packages: NLP, the parsers and their libraries, spreadsheets and documents, numpy
# (sqlite-utils would import it), the web app, scoring, the watch folder. Modules: the table reader (frameworks.yearly,
# which picks a notice's copies, is light and allowed).
HEAVY = {
    "spacy", "thinc", "jieba", "pdfplumber", "pdfminer", "docx", "lxml", "bs4", "openpyxl", "numpy", "pandas",
    "flask", "werkzeug", "parsers", "scoring", "export", "web", "watchdog",
    "frameworks.build", "frameworks.model", "frameworks.columns", "frameworks.evidence", "normalize.nlp",
}  # fmt: skip

RUNNER = """
import json, sys
from cli import cli
try:
    cli(sys.argv[2:], prog_name="kaohe")
except SystemExit as e:
    code = e.code
heavy = set(json.loads(sys.argv[1]))
loaded = {m.split(".")[0] for m in sys.modules} | set(sys.modules)
print(json.dumps({"code": code, "loaded": sorted(loaded & heavy)}))
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fast") / "kaohe.db"
    store = Store(path)
    try:
        assert pipeline.ingest_file(SAMPLE, store, default_registry()).status == "added"
    finally:
        store.close()
    return path


def run_kaohe(*args: str) -> dict:
    """``kaohe ARGS`` in a fresh interpreter: its exit code and the heavy packages it loaded."""
    command = [sys.executable, "-c", RUNNER, json.dumps(sorted(HEAVY)), *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# fmt: off
QUERIES = (
    ("owner", "营造林面积"),                # an answer
    ("owner", "禁毒"),                      # two characters: the bigram index
    ("owner", "營造林面積"),                # traditional input, folded
    ("owner", "营造林面积检查验收考核办法"),  # nothing contains it: the fuzzy fallback
    ("owner", "营造林面积", "--json"),
    ("search", "河長制"),
    ("frameworks",),
    ("warnings",),
    ("dept", "林业局"),
)
# fmt: on


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: " ".join(a))
def test_query_commands_load_no_heavy_library(db: Path, args: tuple[str, ...]) -> None:
    ran = run_kaohe(*args, "--db", str(db))
    assert ran["code"] in (0, 1, None)  # answered, or said there is nothing (exit 1): not a usage error
    assert ran["loaded"] == []


def test_help_loads_no_heavy_library() -> None:
    assert run_kaohe("--help") == {"code": 0, "loaded": []}


def test_sqlite_utils_never_sees_numpy_and_numpy_still_works() -> None:
    """Even with numpy imported first, the store's sqlite-utils has no numpy types; numpy is left as it was."""
    code = (
        "import numpy, store, sqlite_utils.db, sys\n"
        "assert sqlite_utils.db.np is None, 'sqlite-utils saw numpy'\n"
        "assert sys.modules['numpy'] is numpy and float(numpy.float32(1.5)) == 1.5\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=TIMEOUT, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr


WATCH = """
import json, logging, sys, tempfile
from pathlib import Path
from ingest import pipeline
from ingest.watch import Watcher, WatchOptions
from normalize import nlp

def loaded():
    return {"models": nlp.tokenizer.cache_info().currsize,
            "parsers": sorted(m for m in ("parsers.docx_parser", "parsers.pdf_parser", "parsers.html_parser")
                              if m in sys.modules),
            "workers": sum(worker.started for _, worker in pipeline._shared)}

class Ready(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("开始监视"):
            seen["ready"] = loaded()

seen = {"before": loaded()}
logger = logging.getLogger("ingest.watch")
logger.setLevel(logging.INFO)
logger.addHandler(Ready())
with tempfile.TemporaryDirectory() as tmp:
    (Path(tmp) / "in").mkdir()
    watcher = Watcher(Path(tmp) / "in", Path(tmp) / "w.db", WatchOptions(settle=0.2))
    try:
        watcher.start()
    finally:
        watcher.stop()
        watcher.join()
print(json.dumps(seen))
"""


def test_watch_loads_models_and_parsers_before_it_says_watching() -> None:
    """In a fresh interpreter: nothing loaded when the watcher is made; jieba built, the parsers
    imported and the parse worker forked (unless isolation is off) when it logs that it is watching."""
    result = subprocess.run([sys.executable, "-c", WATCH], cwd=ROOT, capture_output=True, text=True,
                            timeout=TIMEOUT, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    parsers = ["parsers.docx_parser", "parsers.html_parser", "parsers.pdf_parser"]
    assert seen["before"] == {"models": 0, "parsers": [], "workers": 0}
    assert seen["ready"] == {"models": 1, "parsers": parsers, "workers": 1 if isolation_enabled() else 0}
