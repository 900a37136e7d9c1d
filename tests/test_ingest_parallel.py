"""Parallel ingest (issue 19): several parse workers, one writer, the results and the store of a serial run.

Files are read by ``jobs`` worker processes and stored by the parent in the order given; whatever
happens to one file in a worker (a corrupt file, the worker killed, a hang) costs that file only, and
the files queued behind it on the same worker come back from a fresh one.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

import ingest.isolation as isolation
import ingest.pipeline as pipeline
from cli import ingest_command
from ingest.pipeline import FileResult, RunSummary, ingest_paths
from normalize.departments import default_registry
from store import Store

SMALL = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".html"))  # no scan, no LibreOffice
NOTICE = SAMPLES / "佳县2020年度目标责任考核指标.txt"
VARYING = {"_sqlite_migrations"}  # applied_at: the moment the store was made
UNSCANNABLE = {"search_bigrams", "search_trigrams"}  # contentless FTS5: compared through their shadow tables


def ingest(db: Path, files: list[Path], **options: object) -> tuple[RunSummary, list[FileResult]]:
    """``ingest_paths`` into a fresh store at ``db``: the summary and the results in the order ``on_file`` saw them."""
    seen: list[FileResult] = []
    store = Store(db)
    try:
        summary = ingest_paths(files, store, on_file=seen.append, **options)  # type: ignore[arg-type]
    finally:
        store.close()
    return summary, seen


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, but the moments of writing (``ingested_at``, ``started_at``…, the migrations)."""
    conn = sqlite3.connect(db)
    tables = [name for (name,) in conn.execute("select name from sqlite_master where type = 'table' order by name")]
    rows = {}
    for table in tables:
        if table in VARYING or table in UNSCANNABLE:
            continue
        columns = [c[1] for c in conn.execute(f'pragma table_info("{table}")') if not c[1].endswith("_at")]
        selected = ", ".join(f'"{c}"' for c in columns)
        every = ", ".join(str(n) for n in range(1, len(columns) + 1))  # some FTS5 shadow tables have no rowid
        rows[table] = conn.execute(f'select {selected} from "{table}" order by {every}').fetchall()
    conn.close()
    return rows


def outcome(summary: RunSummary) -> list[dict[str, object]]:
    """What a run reports, but the time each file took."""
    return [f.model_dump(exclude={"seconds"}) for f in summary.files]


def copies(folder: Path, count: int, crash: int | None = None) -> list[Path]:
    """``count`` different notices (the sample with a line of their own), file ``crash`` named ``crash``."""
    folder.mkdir(exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{n:02d}-{'crash' if n == crash else 'notice'}.txt"
        path.write_bytes(NOTICE.read_bytes() + f"\n（副本 {n}）\n".encode())
        paths.append(path)
    return paths


def corrupt_docx(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)  # a ZIP's first bytes, then nothing a ZIP holds
    return path


def test_one_two_or_three_workers_give_the_same_results_and_store(tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    twin = shutil.copy(SMALL[0], folder / "同一份通知.txt")  # a duplicate of the first, stored as one
    files = [*SMALL, corrupt_docx(folder / "损坏.docx"), Path(twin), SMALL[1]]  # and a file named twice
    runs = {jobs: ingest(tmp_path / f"{jobs}.db", files, jobs=jobs) for jobs in (1, 2, 3)}
    serial, serial_seen = runs[1]
    statuses = [f.status for f in serial.files]
    assert statuses == ["added"] * len(SMALL) + ["failed", "duplicate", "unchanged"]
    assert sum(len(f.warnings) for f in serial.files) > 0  # warnings are compared too
    for jobs, (summary, seen) in runs.items():
        assert outcome(summary) == outcome(serial), f"jobs={jobs}"
        assert seen == summary.files, f"jobs={jobs}: on_file is called in the order of the files"
        assert dump(tmp_path / f"{jobs}.db") == dump(tmp_path / "1.db"), f"jobs={jobs}"
    assert serial_seen == serial.files


def test_a_corrupt_file_in_the_middle_fails_alone(tmp_path: Path) -> None:
    files = copies(tmp_path / "notices", 6)
    files[2] = corrupt_docx(files[2].with_suffix(".docx"))
    summary, _ = ingest(tmp_path / "k.db", files, jobs=2)
    assert [f.status for f in summary.files] == ["added", "added", "failed", "added", "added", "added"]
    assert summary.files[2].error_code and (summary.files[2].error or "").startswith(str(files[2]))
    assert [f.indicators for f in summary.files] == [263, 263, 0, 263, 263, 263]


def _record_then(log: Path, real_parse: object, misbehave: str) -> object:
    """A parse that writes which process read each file, and kills or hangs its worker on a file named crash."""

    def parse(path: Path) -> object:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {path.name}\n")
        if path.stem.endswith("crash"):
            if misbehave == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            signal.pause()  # never returns: the time limit must end it
        return real_parse(path)  # type: ignore[operator]

    return parse


@pytest.mark.parametrize(("misbehave", "words"), [("kill", "SIGKILL"), ("hang", "超时")])
def test_a_worker_killed_or_hung_midway_costs_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, misbehave: str, words: str
) -> None:
    log = tmp_path / "read-by.log"
    monkeypatch.setattr(pipeline, "parse", _record_then(log, pipeline.parse, misbehave))  # inherited at fork
    monkeypatch.setenv("KAOHE_WORKER_TIMEOUT_S", "5")
    files = copies(tmp_path / "notices", 7, crash=1)
    summary, _ = ingest(tmp_path / "k.db", files, jobs=2)
    assert [f.status for f in summary.files] == ["added", "failed", "added", "added", "added", "added", "added"]
    assert words in (summary.files[1].error or "")
    reads = [line.split() for line in log.read_text().splitlines()]
    read_by = {name: pid for pid, name in reads}
    assert set(read_by) == {p.name for p in files}
    # Files go to the least busy worker: 00 → A, 01 (crash) → B, 02 → A, 03 → B, behind the crash. B is
    # replaced, and 03 comes back from a fresh worker (B may have died before 03 was even submitted: then
    # 01 is given to a fresh worker with 03 behind it, and fails there, as in a serial run).
    crashed = {pid for pid, name in reads if name == "01-crash.txt"}
    assert read_by["03-notice.txt"] not in {read_by["00-notice.txt"], *crashed}
    with sqlite3.connect(tmp_path / "k.db") as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (6,)


def test_copies_read_at_the_same_time_are_stored_once(tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    files = [Path(shutil.copy(NOTICE, folder / f"{n}.txt")) for n in "abc"]
    summary, _ = ingest(tmp_path / "k.db", files, jobs=3)  # all three read before the first is stored
    assert [(f.status, f.duplicate_of) for f in summary.files] == [
        ("added", None), ("duplicate", str(files[0])), ("duplicate", str(files[0]))
    ]  # fmt: skip
    with sqlite3.connect(tmp_path / "k.db") as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (1,)


def test_fail_fast_stops_at_the_first_failure_and_closes_every_worker(tmp_path: Path) -> None:
    files = copies(tmp_path / "notices", 6)
    files[1] = corrupt_docx(files[1].with_suffix(".docx"))
    before = set(multiprocessing.active_children())  # workers other tests keep for ingest_file
    summary, seen = ingest(tmp_path / "k.db", files, jobs=2, fail_fast=True)
    assert [f.status for f in summary.files] == ["added", "failed"] and seen == summary.files
    assert set(multiprocessing.active_children()) <= before
    with sqlite3.connect(tmp_path / "k.db") as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (1,)


def test_workers_are_forked_as_needed_and_hold_a_bounded_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked: list[isolation.Worker[object]] = []
    queued: list[int] = []  # files given to the workers and not yet answered, after each submit
    begun: list[int] = [0]  # files begun and not yet stored, after each begin
    real_new_worker, real_submit, real_begin = pipeline.new_worker, isolation.Worker.submit, pipeline._begin

    def new_worker(registry: object, sharing: int = 1) -> isolation.Worker[object]:
        forked.append(real_new_worker(registry, sharing))  # type: ignore[arg-type]
        return forked[-1]

    def submit(self: isolation.Worker[object], path: Path) -> None:
        real_submit(self, path)
        queued.append(sum(w.waiting for w in forked))

    def begin(*args: object) -> object:
        begun.append(begun[-1] + 1)
        return real_begin(*args)  # type: ignore[arg-type]

    def stored(result: FileResult) -> None:
        begun.append(begun[-1] - 1)

    monkeypatch.setattr(pipeline, "new_worker", new_worker)
    monkeypatch.setattr(isolation.Worker, "submit", submit)
    monkeypatch.setattr(pipeline, "_begin", begin)
    ingest(tmp_path / "one.db", [NOTICE], jobs=3)
    assert len(forked) == 1  # one file to read: one worker, whatever jobs says
    forked.clear()
    monkeypatch.setattr(pipeline, "READ_AHEAD_PER_WORKER", 3)
    store = Store(tmp_path / "many.db")
    ingest_paths(copies(tmp_path / "notices", 12), store, on_file=stored, jobs=2)
    store.close()
    assert len(forked) == 2
    assert max(queued) == 2 * pipeline.QUEUED_PER_WORKER  # two files given to each worker at a time, no more
    assert max(begun) <= 3 * 2  # and at most READ_AHEAD_PER_WORKER per worker begun and not yet stored


def test_a_slow_file_holds_up_only_the_files_behind_it_on_its_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first file is read only once the last one has been: the other worker must read all the rest meanwhile."""
    files = copies(tmp_path / "notices", 8)
    last_read = tmp_path / "last-read"
    real_parse = pipeline.parse

    def parse(path: Path) -> object:
        if path == files[0]:
            deadline = time.monotonic() + 20
            while not last_read.exists() and time.monotonic() < deadline:
                time.sleep(0.02)  # waits for a condition, not for a time: the deadline only ends a failing test
        if path == files[-1]:
            last_read.touch()
        return real_parse(path)

    monkeypatch.setattr(pipeline, "parse", parse)
    summary, _ = ingest(tmp_path / "k.db", files, jobs=2)
    assert [f.status for f in summary.files] == ["added"] * 8
    assert last_read.exists() and summary.seconds < 20


def test_without_isolation_files_are_read_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readers: set[int] = set()
    real_parse = pipeline.parse

    def parse(path: Path) -> object:
        readers.add(os.getpid())
        return real_parse(path)

    monkeypatch.setattr(pipeline, "parse", parse)
    monkeypatch.setenv("KAOHE_ISOLATE", "0")
    summary, _ = ingest(tmp_path / "k.db", SMALL[:3], jobs=3)
    assert [f.status for f in summary.files] == ["added"] * 3 and readers == {os.getpid()}


def test_kaohe_ingest_jobs_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in SMALL[:4]:
        shutil.copy(path, folder / path.name)
    runner = CliRunner()
    parallel = runner.invoke(ingest_command, [str(folder), "--db", str(tmp_path / "a.db"), "-j", "2", "--json"])
    serial = runner.invoke(ingest_command, [str(folder), "--db", str(tmp_path / "b.db"), "--jobs", "1", "--json"])
    assert parallel.exit_code == serial.exit_code == 0, parallel.output + serial.output
    assert outcome(RunSummary.model_validate_json(parallel.stdout)) == outcome(
        RunSummary.model_validate_json(serial.stdout)
    )
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")
    for bad in ("0", "-1", "两个"):
        refused = runner.invoke(ingest_command, [str(folder), "--db", str(tmp_path / "c.db"), "-j", bad])
        assert refused.exit_code == 2
        assert f"错误：--jobs：并行解析的进程数应为 1–256 之间的整数，收到 {bad}" in refused.output
    monkeypatch.setenv("KAOHE_JOBS", "0")
    refused = runner.invoke(ingest_command, [str(folder), "--db", str(tmp_path / "c.db")])
    assert refused.exit_code == 2 and "--jobs" in refused.output and not (tmp_path / "c.db").exists()
    monkeypatch.setenv("KAOHE_JOBS", "2")
    taken = runner.invoke(ingest_command, [str(folder), "--db", str(tmp_path / "c.db"), "-s"])
    assert taken.exit_code == 0 and "导入 4 个" in taken.stdout


def _ocr_threads(path: Path) -> int:
    from parsers.ocr_page import ocr_threads

    return ocr_threads()


@pytest.mark.skipif(not isolation.isolation_enabled(), reason="needs fork: the share is set in each worker")
def test_workers_side_by_side_share_the_cores_for_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers side by side read a scan's pages with their share of the cores; what the user sets still wins."""
    monkeypatch.delenv("KAOHE_OCR_THREADS", raising=False)
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 4)

    def threads_in_worker(sharing: int) -> int:
        worker = pipeline.new_worker(default_registry(), sharing)
        worker.job = _ocr_threads  # type: ignore[assignment]
        with worker:
            return worker.run(Path("x"))

    assert [threads_in_worker(n) for n in (2, 3, 8)] == [2, 1, 1]
    assert threads_in_worker(1) == os.cpu_count()  # alone: every core, as before
    assert "KAOHE_OCR_THREADS" not in os.environ  # set in the workers only
    monkeypatch.setenv("KAOHE_OCR_THREADS", "3")
    assert threads_in_worker(2) == 3
