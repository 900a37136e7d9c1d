"""Hostile inputs (issue 13): nothing hangs, nothing eats the machine, every failure says so.

Each hostile file is built in ``tmp_path``: small on disk, huge once inflated or walked. A file
over a limit raises ``LimitExceeded`` whose Chinese message names the limit and the environment
variable that raises it; the parse runs in a fresh interpreter whose peak RSS is read back; and a
batch holding such files stores nothing from them, records each as failed and goes on. Larger
and random cases run in ``benchmarks/fuzz.py``.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from hostile import MAIN, OVER_LIMITS, billion_laughs, deep_tables, grid_bomb, many_pages

from ingest.isolation import Worker, WorkerBug
from ingest.pipeline import ingest_paths
from parsers import parse
from parsers.errors import EncodingError, IngestError, LimitExceeded
from store import Store
from store.queries import counts

PEAK_RSS_GOAL_MB = 500

_MEASURE = """
import json, sys
from parsers import parse
from parsers.errors import IngestError
try:
    parse(sys.argv[1])
    outcome = "parsed"
except IngestError as e:
    outcome = type(e).__name__ + ": " + str(e)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child of a large pytest process
# (OCR's models loaded by earlier tests) would report its parent's peak.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
print(json.dumps({"outcome": outcome, "peak_mb": peak}, ensure_ascii=False))
"""


def parse_in_child(path: Path) -> dict[str, object]:
    """Parse ``path`` in a fresh interpreter: its outcome and its own peak RSS (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", list(OVER_LIMITS))
def test_over_a_limit_is_refused_in_bounded_memory_naming_the_limit(tmp_path: Path, name: str) -> None:
    make, variable = OVER_LIMITS[name]
    path = make(tmp_path, 1)
    measured = parse_in_child(path)
    outcome = str(measured["outcome"])
    assert outcome.startswith(f"LimitExceeded: {path}：超出限制："), outcome
    assert variable in outcome and "\n" not in outcome
    assert float(measured["peak_mb"]) < PEAK_RSS_GOAL_MB  # measured 40–120 MB


# fmt: off
# every limit, lowered below what a sample needs: (value, sample format)
LOWERED: dict[str, tuple[str, str]] = {
    "KAOHE_MAX_FILE_MB":          ("0.01", ".docx"),
    "KAOHE_MAX_TEXT_MB":          ("0.01", ".txt"),
    "KAOHE_MAX_XML_MB":           ("0.1", ".docx"),
    "KAOHE_MAX_UNZIPPED_MB":      ("0.5", ".docx"),
    "KAOHE_MAX_PARAGRAPHS":       ("5", ".txt"),
    "KAOHE_MAX_CELLS":            ("100", ".html"),
    "KAOHE_MAX_TABLES":           ("2", ".docx"),
    "KAOHE_MAX_HTML_DEPTH":       ("3", ".html"),
    "KAOHE_MAX_PDF_PAGES":        ("1", ".pdf"),
    "KAOHE_MAX_PAGE_CONTENT_MB":  ("0.001", ".pdf"),
}
# fmt: on


@pytest.mark.parametrize("variable", list(LOWERED))
def test_every_limit_applies_and_names_its_variable(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    value, suffix = LOWERED[variable]
    path = SAMPLES / f"{MAIN}{suffix}"
    parse(path)  # within the defaults
    monkeypatch.setenv(variable, value)
    with pytest.raises(LimitExceeded) as caught:
        parse(path)
    assert str(caught.value).startswith(f"{path}：超出限制：") and variable in str(caught.value)
    assert caught.value.limit == variable.removeprefix("KAOHE_").lower()


def test_billion_laughs_are_refused_before_the_xml_is_parsed(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="DTD"):
        parse(billion_laughs(tmp_path))


def test_a_raised_limit_lets_the_file_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<table><tr><td>" * 40 + "深" + "</td></tr></table>" * 40 + "</body></html>")
    with pytest.raises(LimitExceeded, match="KAOHE_MAX_HTML_DEPTH") as caught:
        parse(path)  # 122 levels
    assert caught.value.limit == "max_html_depth"
    monkeypatch.setenv("KAOHE_MAX_HTML_DEPTH", "not a number")  # ignored with a warning: the default stays
    with pytest.raises(LimitExceeded):
        parse(path)
    monkeypatch.setenv("KAOHE_MAX_HTML_DEPTH", "150")
    assert [p.text for p in parse(path).paragraphs] == ["深"]
    tables = tmp_path / "tables.html"
    tables.write_text(
        "<html><body>" + "<table><tr><td>单位</td><td>分值</td></tr><tr><td>县林业局</td><td>5</td></tr></table>" * 20
    )
    assert len(parse(tables).tables) == 20
    monkeypatch.setenv("KAOHE_MAX_TABLES", "10")
    with pytest.raises(LimitExceeded, match="KAOHE_MAX_TABLES"):
        parse(tables)


def test_a_short_row_in_a_wide_table_does_not_hang(tmp_path: Path) -> None:
    """40 header cells, one per line, then a row of 20: 7·10¹⁰ ways to place it were tried."""
    header = "\n".join(f"\t列{i}" for i in range(40))
    full = "\n".join("\t甲" for _ in range(40))
    short = "\n".join("\t乙" for _ in range(20))
    path = tmp_path / "wide.txt"
    path.write_text(f"标题\n\n{header}\n\n{full}\n\n{full}\n\n{short}\n", encoding="utf-8")
    (table,) = parse(path).tables
    assert table.n_cols == 40 and [c.text for c in table.rows[3][:2]] == ["乙", "乙"]


# --- text encodings -------------------------------------------------------------------------------

NOTICE = "佳县考核委员会办公室\n关于印发考核指标的通知\n各镇党委、政府：\n　　现将考核指标印发给你们。\n"


# fmt: off
ENCODED: dict[str, tuple[bytes, str]] = {
    "utf-16-le, BOM":    (b"\xff\xfe" + NOTICE.replace("\n", "\r\n").encode("utf-16-le"), "utf-16-le"),
    "utf-16-be, BOM":    (b"\xfe\xff" + NOTICE.encode("utf-16-be"), "utf-16-be"),
    "utf-16-le, no BOM": (NOTICE.encode("utf-16-le"), "utf-16-le"),
    "utf-16-be, no BOM": (NOTICE.encode("utf-16-be"), "utf-16-be"),
    "NUL-padded UTF-8":  (NOTICE.encode() + bytes(4096), "utf-8"),
    "NULs inside GBK":   (NOTICE.encode("gbk").replace(b"\n", b"\n\x00\x00"), "gb18030"),
}
# fmt: on


@pytest.mark.parametrize("name", list(ENCODED))
def test_wide_and_nul_padded_text_is_read_with_its_encoding(tmp_path: Path, name: str) -> None:
    data, encoding = ENCODED[name]
    path = tmp_path / "notice.txt"
    path.write_bytes(data)
    document = parse(path)
    assert document.source.encoding == encoding
    assert [p.text for p in document.paragraphs][:2] == ["佳县考核委员会办公室", "关于印发考核指标的通知"]
    assert document.metadata.title == "关于印发考核指标的通知"
    assert [w.code for w in document.warnings] == (["nul_bytes"] if "NUL" in name else [])


def test_damaged_utf16_is_refused_naming_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "damaged.txt"
    path.write_bytes(b"\xff\xfe" + NOTICE.encode("utf-16-le") + b"\x00\xd8\x41\x00" + "尾".encode("utf-16-le"))
    with pytest.raises(EncodingError, match="UTF-16 LE") as caught:
        parse(path)
    assert "另存为 UTF-8" in str(caught.value)


# --- random bytes and truncations -----------------------------------------------------------------

SUFFIXES = (".docx", ".pdf", ".txt", ".html", ".doc", ".wps")
CUTS = (0.05, 0.3, 0.6, 0.95)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_random_bytes_give_a_typed_one_line_error(tmp_path: Path, suffix: str) -> None:
    for seed in range(5):
        path = tmp_path / f"random-{seed}{suffix}"
        path.write_bytes(random.Random(seed).randbytes(random.Random(seed).randint(1, 20_000)))
        with pytest.raises(IngestError) as caught:
            parse(path)
        assert str(caught.value).startswith(f"{path}：") and "\n" not in str(caught.value)


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".txt", ".html"])
def test_truncated_files_parse_or_give_a_typed_error(tmp_path: Path, suffix: str) -> None:
    data = (SAMPLES / f"{MAIN}{suffix}").read_bytes()
    for cut in CUTS:
        path = tmp_path / f"cut-{cut}{suffix}"
        path.write_bytes(data[: int(len(data) * cut)])
        try:
            document = parse(path)
        except IngestError as e:
            assert str(e).startswith(f"{path}：") and "\n" not in str(e)
        else:
            assert suffix in (".txt", ".html", ".pdf") and document.blocks  # text that is cut is still text


def test_owner_password_only_pdfs_are_read() -> None:
    """Permissions restricted with an owner password, no password to open: RC4 (R3) and AES-256 (R6)."""
    for name in ("issue-13-owner-password-r3.pdf", "issue-13-owner-password-r6.pdf"):
        document = parse(ROOT / "tests" / "data" / "pdf" / name)
        assert [p.text for p in document.paragraphs] == ["Kaohe assessment notice"]


# --- isolation: memory, time, death, bugs ---------------------------------------------------------


def _allocate(path: Path) -> object:
    return bytearray(2 << 30)


def _block(path: Path) -> object:
    signal.pause()  # never returns: the parent's deadline must end it
    return None


def _segfault(path: Path) -> object:
    signal.raise_signal(signal.SIGSEGV)
    return None


def _bug(path: Path) -> object:
    return {"ratio": 1 / 0}


def test_the_worker_turns_memory_time_and_death_into_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAOHE_WORKER_MEMORY_MB", "64")
    monkeypatch.setenv("KAOHE_WORKER_TIMEOUT_S", "1")
    expected = {_allocate: "内存超限", _block: "超时", _segfault: "SIGSEGV"}
    for job, words in expected.items():
        with Worker(job) as worker, pytest.raises(LimitExceeded, match=words) as caught:
            worker.run(Path("/x/通知.docx"))
        assert str(caught.value).startswith("/x/通知.docx：") and "KAOHE_WORKER_" in str(caught.value)
    with Worker(_bug) as worker, pytest.raises(WorkerBug, match="ZeroDivisionError") as bug:
        worker.run(Path("/x/通知.docx"))
    assert "1 / 0" in bug.value.trace
    with Worker(lambda path: path.name) as worker:  # a worker serves file after file
        assert [worker.run(Path(f"/x/{n}.txt")) for n in "ab"] == ["a.txt", "b.txt"] and worker.started == 1


def _crash_on_request(path: Path) -> object:
    if path.stem == "crash":
        signal.raise_signal(signal.SIGSEGV)
    return path.name


def test_files_queued_behind_a_crash_go_to_a_fresh_worker() -> None:
    with Worker(_crash_on_request) as worker:
        paths = [Path(f"/x/{name}.txt") for name in ("a", "crash", "b", "c")]
        for path in paths:
            worker.submit(path)  # read ahead: all four wait in the first worker's pipe
        assert worker.result(paths[0]) == "a.txt"
        with pytest.raises(LimitExceeded, match="SIGSEGV"):
            worker.result(paths[1])
        assert [worker.result(p) for p in paths[2:]] == ["b.txt", "c.txt"] and worker.started == 2


def _terminated_midway(path: Path) -> object:
    signal.raise_signal(signal.SIGTERM)  # as `systemctl stop` signals every process of the service
    return path.name


def test_sigterm_lets_the_worker_finish_its_file_first() -> None:
    with Worker(_terminated_midway) as worker:
        assert worker.run(Path("/x/a.txt")) == "a.txt"
        assert worker.run(Path("/x/b.txt")) == "b.txt" and worker.started == 2  # the first one left after answering


def test_a_batch_of_hostile_files_stores_none_of_them_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.pipeline as pipeline

    folder = tmp_path / "收件"
    folder.mkdir()
    for make in (grid_bomb, deep_tables, billion_laughs, many_pages):
        make(folder)
    (folder / "utf16.txt").write_bytes(b"\xff\xfe" + (SAMPLES / f"{MAIN}.txt").read_text().encode("utf-16-le"))
    (folder / "bug.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "slow.txt").write_text(NOTICE + "慢\n", encoding="utf-8")
    real_parse = pipeline.parse

    def hostile_parse(path: Path) -> object:
        if path.name == "slow.txt":
            signal.pause()
        if path.name == "bug.txt":
            raise KeyError("a bug")
        return real_parse(path)

    monkeypatch.setattr(pipeline, "parse", hostile_parse)  # before the worker is forked: it inherits this
    monkeypatch.setenv("KAOHE_WORKER_TIMEOUT_S", "3")
    store = Store(tmp_path / "k.db")
    summary = ingest_paths([folder], store)
    results = {Path(f.file).name: f for f in summary.files}
    assert {name: f.status for name, f in results.items()} == {
        "bug.txt": "failed", "deep-tables.html": "failed", "grid-bomb.docx": "failed",
        "laughs.docx": "failed", "many-pages.pdf": "failed", "slow.txt": "failed", "utf16.txt": "added",
    }  # fmt: skip
    assert "KeyError" in (results["bug.txt"].error or "") and "内部错误" in (results["bug.txt"].error or "")
    assert "超时" in (results["slow.txt"].error or "")
    assert results["utf16.txt"].indicators == 263
    assert counts(store.db)["documents"] == 1
    store.close()


def test_kill_9_during_kaohe_ingest_leaves_only_whole_documents(tmp_path: Path) -> None:
    """One transaction per document: whatever moment the process dies, each stored notice is complete."""
    import shutil
    import sqlite3
    import time

    folder = tmp_path / "notices"
    folder.mkdir()
    sample = SAMPLES / "佳县2020年度目标责任考核指标.txt"
    for n in range(40):  # copies with a line of their own, so none is a duplicate of another
        (folder / f"{n:02d}.txt").write_bytes(sample.read_bytes() + f"\n（副本 {n}）\n".encode())
    db = tmp_path / "k.db"
    ingest = shutil.which("kaohe-ingest", path=str(Path(sys.executable).parent))
    assert ingest is not None
    process = subprocess.Popen([ingest, str(folder), "--db", str(db), "-s"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while stored < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("select count(*) from documents").fetchone()[0]
                except sqlite3.Error:
                    stored = 0
        assert process.poll() is None, "kaohe-ingest ended before it could be killed: give it more files"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    with sqlite3.connect(db) as conn:
        per_document = conn.execute(
            "select d.id, count(i.id) from documents d left join indicators i on i.document_id = d.id group by d.id"
        ).fetchall()
    assert per_document and {n for _, n in per_document} == {263}
