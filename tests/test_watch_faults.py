"""kaohe watch when things go wrong (issue 13): copies that pause, files that kill or hang the watcher,
kill -9 in the middle of a file or of its move, folders that cannot be written, signal handlers.

Faults are injected into a watcher subprocess by ``FAULTY`` (a small script: KAOHE_FAULT=kind:target).
Every wait polls a condition with a deadline (``wait_until``); a process is killed in ``finally``
(``WatchProcess``); signal handlers are restored by the test that sets them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from test_watch import DEADLINE, JIAXIAN, ZHASHUI, WatchProcess, handled, outcomes, query, wait_until

import ingest.watch
import ingest.watch_files
from cli import cli
from ingest.watch import Watcher, WatchOptions
from ingest.watch_os import COMPLETE, DOUBTFUL, QUIET, judge_complete
from normalize.departments import default_registry

# A watcher subprocess with one fault: die (the process is killed by the file it reads, as a segfault or
# the OOM killer would), hang (reading never ends), hang_before_move / hang_after_move (in the move into
# processed/ or failed/), hang_settle (moved, the store not yet told). ``fault.reached`` marks the moment.
FAULTY = """
import logging, os, signal, sys, time
from pathlib import Path
import ingest.watch_files as files
from ingest.watch import Watcher, WatchOptions

kind, target = os.environ.get("KAOHE_FAULT", ":").split(":", 1)
_, _, folder, _, db, _, settle, _, log = sys.argv

def reached():
    Path("fault.reached").write_text(kind)
    if kind == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    while True:
        time.sleep(0.1)

read, move, settle_document = files.ingest_file, files.move_aside, files.settle_document

def ingest_file(path, store, registry):
    if path.name == target and kind in ("die", "hang"):
        reached()
    return read(path, store, registry)

def move_aside(path, into):
    if into.name == target and kind == "hang_before_move":
        reached()
    moved = move(path, into)
    if into.name == target and kind == "hang_after_move":
        reached()
    return moved

def settle_then_record(*args):
    if kind == "hang_settle":
        reached()
    return settle_document(*args)

files.ingest_file, files.move_aside, files.settle_document = ingest_file, move_aside, settle_then_record
line = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
logger = logging.getLogger("ingest.watch")
logger.setLevel(logging.INFO)
for handler in (logging.StreamHandler(sys.stderr), logging.FileHandler(log, encoding="utf-8")):
    handler.setFormatter(line)
    logger.addHandler(handler)
timeout = float(os.environ.get("KAOHE_FILE_TIMEOUT", "900"))
Watcher(Path(folder), Path(db), WatchOptions(settle=float(settle), file_timeout=timeout)).run()
"""


def faulty(folder: Path, db: Path, log: Path, fault: str, **env: str) -> WatchProcess:
    return WatchProcess(folder, db, log, code=FAULTY, env={"KAOHE_FAULT": fault, **env})


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fates(db: Path, name: str) -> list[tuple[str, str]]:
    """``(outcome, detail)`` of every row for ``name``, the journal's included."""
    rows = query(db, "select outcome, coalesce(detail, '') from watch_events where name = ? order by id", (name,))
    return [(str(o), str(d)) for o, d in rows]


@pytest.fixture(scope="module")
def registry() -> object:
    return default_registry()


@pytest.fixture
def watch(tmp_path: Path, registry: object) -> Iterator[Callable[..., tuple[Path, Path, Watcher]]]:
    """An in-thread watcher on tmp_path/in, stopped at teardown: ``folder, db, watcher = watch(settle=0.2)``."""
    watchers: list[Watcher] = []

    def start(settle: float = 0.2, **options: object) -> tuple[Path, Path, Watcher]:
        folder, db = tmp_path / "in", tmp_path / "watch.db"
        folder.mkdir(exist_ok=True)
        watcher = Watcher(folder, db, WatchOptions(settle=settle, registry=registry, **options))  # type: ignore[arg-type]
        watcher.start()
        watchers.append(watcher)
        return folder, db, watcher

    try:
        yield start
    finally:
        for watcher in watchers:
            watcher.join()


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """No file can be created in, renamed into or out of ``folder``: chmod 555, or for root (who ignores
    modes) the immutable attribute; skipped where neither works."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, timeout=30, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot make a folder read-only as root here (chattr: {made.stderr.decode().strip()})")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, timeout=30, check=True)


# -- is the file complete? ------------------------------------------------------------


def _cut(name: str, keep: float) -> bytes:
    data = (SAMPLES / name).read_bytes()
    return data[: int(len(data) * keep)]


def _scan(name: str, keep: float) -> bytes:
    data = (SAMPLES.parent / "tests" / "data" / "scans" / name).read_bytes()
    return data[: int(len(data) * keep)]


# fmt: off
JUDGED = (
    ("docx whole",              lambda: _cut(f"{JIAXIAN}.docx", 1),       COMPLETE),
    ("docx cut",                lambda: _cut(f"{JIAXIAN}.docx", 0.6),     DOUBTFUL),
    ("pdf whole",               lambda: _cut(f"{JIAXIAN}.pdf", 1),        COMPLETE),
    ("pdf cut",                 lambda: _cut(f"{JIAXIAN}.pdf", 0.6),      DOUBTFUL),
    ("doc (OLE, no end mark)",  lambda: _cut(f"{JIAXIAN}.doc", 1),        QUIET),
    ("html whole",              lambda: _cut(f"{ZHASHUI}.html", 1),       QUIET),
    ("html cut",                lambda: _cut(f"{ZHASHUI}.html", 0.6),     DOUBTFUL),
    ("txt ending in a newline", lambda: "第一行\n第二行\n".encode(),        QUIET),
    ("txt cut mid-line",        lambda: "第一行\n第二".encode(),            DOUBTFUL),
    ("gb18030 txt cut mid-char", lambda: "第一行\n第二".encode("gb18030")[:-1], DOUBTFUL),
    ("empty",                   lambda: b"",                                DOUBTFUL),
    ("png whole",               lambda: _scan("佳县2020-第3页.png", 1),      COMPLETE),
    ("png cut",                 lambda: _scan("佳县2020-第3页.png", 0.6),    DOUBTFUL),
    ("jpg whole",               lambda: _scan("佳县2020-第3页-手机拍摄.jpg", 1), COMPLETE),
    ("jpg cut",                 lambda: _scan("佳县2020-第3页-手机拍摄.jpg", 0.6), DOUBTFUL),
    ("tif (no end mark)",       lambda: _scan("佳县2020-第3至4页.tif", 1),   QUIET),
)
# fmt: on


@pytest.mark.parametrize(("case", "make", "expected"), JUDGED, ids=[c[0] for c in JUDGED])
def test_judge_complete(case: str, make: Callable[[], bytes], expected: str, tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(make())
    assert judge_complete(path)[0] == expected


def _line_cuts(data: bytes, pieces: int) -> list[int]:
    """``pieces`` cut points spread over ``data``, each in the middle of a line."""
    cuts = []
    for i in range(1, pieces):
        cut = len(data) * i // pieces
        while data[cut - 1 : cut] in (b"\n", b"\r") or data[cut : cut + 1] in (b"\n", b"\r"):
            cut += 1
        cuts.append(cut)
    return cuts


def test_a_copy_that_pauses_without_a_lock_is_never_stored_partially(
    watch: Callable[..., tuple[Path, Path, Watcher]],
) -> None:
    """The bug: a copy pausing longer than the settle time was read half-written (73 of 263 indicators).
    Pauses of 4 settle intervals mid-line (no complete last line: waits for ``patience``) and at a line's
    end (a complete last line: waits for the longer ``confirm`` window)."""
    folder, db, _ = watch(settle=0.2, confirm=3.0, patience=60.0)
    data = (SAMPLES / f"{JIAXIAN}.txt").read_bytes()
    at_line_end = data.index(b"\n", len(data) // 2) + 1
    cuts = sorted([*_line_cuts(data, 5), at_line_end])
    with (folder / "slow.txt").open("wb") as out:
        for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True):
            out.write(data[start:end])
            out.flush()
            if end < len(data):
                time.sleep(0.8)  # the writer pauses (4 settle intervals); nothing waits on the watcher here
                assert outcomes(db) == {}, f"read after {end} of {len(data)} bytes"
    wait_until(handled(db, "slow.txt"), what="the slow copy")
    assert outcomes(db) == {"slow.txt": ["added"]}
    assert query(db, "select sha256, path from documents") == [(sha(data), str(folder / "processed" / "slow.txt"))]
    assert query(db, "select count(*) from indicators") == [(263,)]


def test_a_copy_that_pauses_past_every_window_is_read_again_when_it_goes_on(
    watch: Callable[..., tuple[Path, Path, Watcher]],
) -> None:
    """A writer that pauses longer than any window at a line's end: its first part is read and moved, and
    when the writer goes on (into processed/, its open file), the whole file replaces that version."""
    folder, db, _ = watch(settle=0.2, confirm=0.4)
    data = (SAMPLES / f"{JIAXIAN}.txt").read_bytes()
    half = data.index(b"\n", len(data) // 2) + 1
    with (folder / "slow.txt").open("wb") as out:
        out.write(data[:half])
        out.flush()
        wait_until(handled(db, "slow.txt"), what="the first part")  # the pause outlasts every window
        out.write(data[half:])
    wait_until(lambda: len(outcomes(db).get("slow.txt", [])) == 2, what="the whole file, read again")
    moved = folder / "processed" / "slow.txt"
    assert outcomes(db) == {"slow.txt": ["added", "replaced"]}
    assert query(db, "select sha256, path from documents") == [(sha(data), str(moved))]
    assert query(db, "select count(*) from indicators") == [(263,)]
    assert query(db, "select distinct file from indicators") == [(str(moved),)]


def test_cut_docx_and_pdf_wait_for_their_end(watch: Callable[..., tuple[Path, Path, Watcher]]) -> None:
    folder, db, _ = watch(settle=0.2, patience=60.0)
    whole = {"a.docx": (SAMPLES / f"{JIAXIAN}.docx").read_bytes(), "b.pdf": (SAMPLES / f"{JIAXIAN}.pdf").read_bytes()}
    handles = {}
    try:
        for name, data in whole.items():
            handles[name] = out = (folder / name).open("wb")
            out.write(data[: len(data) // 2])
            out.flush()
        time.sleep(1.0)  # the writers pause for 5 settle intervals
        assert outcomes(db) == {}
        for name, out in handles.items():
            out.write(whole[name][len(whole[name]) // 2 :])
    finally:
        for out in handles.values():
            out.close()
    wait_until(handled(db, *whole), what="both files")
    assert outcomes(db) == {"a.docx": ["added"], "b.pdf": ["added"]}


# -- poison files --------------------------------------------------------------------


def test_a_file_that_raises_is_quarantined_and_the_rest_go_on(
    watch: Callable[..., tuple[Path, Path, Watcher]], monkeypatch: pytest.MonkeyPatch
) -> None:
    read = ingest.watch_files.ingest_file

    def ingest_file(path: Path, *args: object) -> object:
        if path.name == "0-毒.txt":
            raise RuntimeError("the parser blew up")
        return read(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest.watch_files, "ingest_file", ingest_file)
    folder, db, watcher = watch()
    shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder / "0-毒.txt")
    shutil.copy(SAMPLES / f"{JIAXIAN}.txt", folder)
    wait_until(handled(db, "0-毒.txt", f"{JIAXIAN}.txt"), what="both files")
    assert outcomes(db) == {"0-毒.txt": ["failed"], f"{JIAXIAN}.txt": ["added"]}
    assert fates(db, "0-毒.txt")[-1][1] == "crashed: kaohe 内部错误：RuntimeError('the parser blew up')"
    note = (folder / "failed" / "0-毒.txt.error.txt").read_text(encoding="utf-8")
    assert "代码：crashed" in note and "RuntimeError: the parser blew up" in note  # the traceback follows
    assert watcher.failure is None


def test_a_store_locked_by_another_program_is_tried_again_not_failed(
    watch: Callable[..., tuple[Path, Path, Watcher]], monkeypatch: pytest.MonkeyPatch
) -> None:
    read, calls = ingest.watch_files.ingest_file, []

    def ingest_file(path: Path, *args: object) -> object:
        calls.append(path.name)
        if len(calls) == 1:  # what SQLite says when the lock outlasts the busy timeout (the cause of StoreLocked)
            raise sqlite3.OperationalError("database is locked")
        return read(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest.watch_files, "ingest_file", ingest_file)
    folder, db, watcher = watch()
    shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder)
    wait_until(lambda: outcomes(db).get(f"{ZHASHUI}.txt") == ["retry", "added"], what="the second attempt")
    assert [o for o, _ in fates(db, f"{ZHASHUI}.txt")] == ["started", "retry", "started", "added"]
    assert watcher.failure is None


def test_a_file_that_kills_the_watcher_goes_to_failed_at_restart_and_is_never_read_again(tmp_path: Path) -> None:
    """The poison kills the process whenever it is read (as a segfault would): the restart (still
    poisoned) must move it to failed/ first and go on with the file behind it; the same content dropped
    again is moved to failed/ without being read."""
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    poison = (SAMPLES / f"{ZHASHUI}.txt").read_bytes()
    with faulty(folder, db, log, "die:0-毒.txt") as watcher:
        (folder / "0-毒.txt").write_bytes(poison)
        shutil.copy(SAMPLES / f"{JIAXIAN}.txt", folder)
        assert watcher.wait() == -signal.SIGKILL
    assert fates(db, "0-毒.txt") == [("started", "")]
    with faulty(folder, db, log, "die:0-毒.txt") as watcher:
        wait_until(handled(db, "0-毒.txt", f"{JIAXIAN}.txt"), what="the poison and the file behind it")
        (folder / "again.txt").write_bytes(poison)
        wait_until(handled(db, "again.txt"), what="the same content again")
        assert watcher.terminate() == 0
    assert outcomes(db) == {"0-毒.txt": ["failed"], f"{JIAXIAN}.txt": ["added"], "again.txt": ["failed"]}
    assert fates(db, "0-毒.txt")[-1][1].startswith("interrupted: kaohe watch 在读取此文件时中断")
    (again,) = fates(db, "again.txt")  # no started row: never read
    assert again[0] == "failed" and again[1].startswith("failed_before: 内容与 ")
    assert query(db, "select count(*) from documents where sha256 = ?", (sha(poison),)) == [(0,)]
    assert "代码：interrupted" in (folder / "failed" / "0-毒.txt.error.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in (folder / "failed").iterdir()) == [
        "0-毒.txt", "0-毒.txt.error.txt", "again.txt", "again.txt.error.txt"]  # fmt: skip
    assert any("0-毒.txt failed：interrupted" in line and "（上次中断后补记）" in line for line in watcher.lines())


# -- kill -9 and hangs ---------------------------------------------------------------------


def test_kill_9_while_reading_a_file(tmp_path: Path) -> None:
    """Killed in the middle of a file that hangs: the restart (where it would hang again) moves it to
    failed/ instead of reading it, and the file behind it is read."""
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    with faulty(folder, db, log, "hang:0-卡.txt") as watcher:
        shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder / "0-卡.txt")
        wait_until((tmp_path / "fault.reached").exists, what="the hang")
        watcher.proc.kill()
        assert watcher.wait() == -signal.SIGKILL
    shutil.copy(SAMPLES / f"{JIAXIAN}.txt", folder)
    with faulty(folder, db, log, "hang:0-卡.txt") as watcher:
        wait_until(handled(db, "0-卡.txt", f"{JIAXIAN}.txt"), what="the interrupted file and the next")
        assert watcher.terminate() == 0
    assert outcomes(db) == {"0-卡.txt": ["failed"], f"{JIAXIAN}.txt": ["added"]}
    assert (folder / "failed" / "0-卡.txt").is_file() and (folder / "failed" / "0-卡.txt.error.txt").is_file()


def test_a_file_read_for_too_long_stops_the_watcher_with_exit_1(tmp_path: Path) -> None:
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    with faulty(folder, db, log, "hang:0-卡.txt", KAOHE_FILE_TIMEOUT="2") as watcher:
        shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder / "0-卡.txt")
        assert watcher.wait() == 1  # by itself: nobody signals it
    critical = [line for line in log.read_text(encoding="utf-8").splitlines() if " CRITICAL " in line]
    assert len(critical) == 1
    assert "kaohe watch 退出（退出码 1）：0-卡.txt 读取超过 2 秒仍未结束" in critical[0]
    with faulty(folder, db, log, "hang:0-卡.txt") as watcher:
        wait_until(handled(db, "0-卡.txt"), what="the quarantine at restart")
        assert watcher.terminate() == 0
    assert outcomes(db) == {"0-卡.txt": ["failed"]}


# fmt: off
MOVES = (
    # fault,                       file,                      outcome,  where it ends
    ("hang_before_move:processed", f"{ZHASHUI}.txt",          "added",  "processed"),
    ("hang_settle:",               f"{ZHASHUI}.txt",          "added",  "processed"),
    ("hang_after_move:failed",     "坏文件.docx",              "failed", "failed"),
)
# fmt: on


@pytest.mark.parametrize(("fault", "name", "outcome", "where"), MOVES, ids=[m[0] for m in MOVES])
def test_kill_9_during_the_move(fault: str, name: str, outcome: str, where: str, tmp_path: Path) -> None:
    """Killed before the move, after it (the store not yet told), or after the move to failed/ (no note,
    no fate yet): the restart finishes the job without reading the file again."""
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    data = (SAMPLES / name).read_bytes() if (SAMPLES / name).exists() else b"PK\x03\x04 not a zip\n"
    with faulty(folder, db, log, fault) as watcher:
        (folder / name).write_bytes(data)
        wait_until((tmp_path / "fault.reached").exists, timeout=DEADLINE, what="the move")
        watcher.proc.kill()
        assert watcher.wait() == -signal.SIGKILL
    assert fates(db, name)[-1][0] == "started"
    with WatchProcess(folder, db, log) as watcher:
        wait_until(handled(db, name), what="the interrupted move")
        assert watcher.terminate() == 0
    assert outcomes(db) == {name: [outcome]}
    assert sorted(p.name for p in (folder / where).iterdir() if not p.name.endswith(".error.txt")) == [name]
    assert [p.name for p in folder.iterdir() if p.is_file()] == [".kaohe-watch.lock"]
    if outcome == "added":
        moved = str(folder / "processed" / name)
        assert query(db, "select path from documents") == [(moved,)]
        assert query(db, "select distinct file from indicators") == [(moved,)]
    else:
        assert (folder / "failed" / f"{name}.error.txt").is_file()
        assert query(db, "select count(*) from documents") == [(0,)]


# -- folders that cannot be used -------------------------------------------------------------


def test_a_read_only_inbox_is_a_clear_error_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, watch_logger: logging.Logger
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    caplog.set_level(logging.INFO, logger="ingest.watch")
    with read_only(folder):
        result = CliRunner().invoke(cli, ["watch", str(folder), "--db", str(tmp_path / "w.db")])
        caplog.clear()
        with pytest.raises(SystemExit) as stopped:
            Watcher(folder, tmp_path / "w.db").run()
    assert result.exit_code == 1, result.output
    assert "无法写入" in result.stderr or "不可写" in result.stderr
    assert stopped.value.code == 1
    assert [r.levelname for r in caplog.records] == ["CRITICAL"]
    assert caplog.records[0].getMessage().startswith(f"kaohe watch 退出（退出码 1）：收件夹 {folder} 不可写（")
    assert list(folder.iterdir()) == []


# fmt: off
UNUSABLE = (
    ("missing",           lambda f: None,                                       "收件夹不存在"),
    ("a file",            lambda f: f.write_text("x"),                          "收件夹不是文件夹"),
    ("processed/ a file", lambda f: (f.mkdir(), (f / "processed").write_text("x")), "无法创建"),
)
# fmt: on


@pytest.mark.parametrize(("case", "make", "said"), UNUSABLE, ids=[u[0] for u in UNUSABLE])
def test_an_unusable_folder_exits_1_with_one_line(
    case: str, make: Callable[[Path], object], said: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "in"
    make(folder)
    caplog.set_level(logging.INFO, logger="ingest.watch")
    with pytest.raises(SystemExit) as stopped:
        Watcher(folder, tmp_path / "w.db").run()
    assert stopped.value.code == 1
    assert [r.levelname for r in caplog.records] == ["CRITICAL"]
    assert said in caplog.records[0].getMessage()


def test_a_file_that_cannot_be_moved_stops_the_watcher_with_exit_1(tmp_path: Path) -> None:
    """It used to log a traceback and exit 0 (systemd never restarted it). Now: one line, exit 1; once
    the folder is fixed, the restart files it away without reading it again."""
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    name = f"{ZHASHUI}.txt"
    with WatchProcess(folder, db, log) as watcher:
        with read_only(folder / "processed"):
            shutil.copy(SAMPLES / name, folder)
            code = watcher.wait()
        assert code == 1
    critical = [line for line in log.read_text(encoding="utf-8").splitlines() if " CRITICAL " in line]
    assert len(critical) == 1 and f"无法把 {name} 移到 processed/" in critical[0]
    assert "Traceback" not in watcher.errors()
    with WatchProcess(folder, db, log) as watcher:
        wait_until(handled(db, name), what="the file, filed away")
        assert watcher.terminate() == 0
    assert outcomes(db) == {name: ["added"]}
    assert (folder / "processed" / name).is_file()
    assert query(db, "select path from documents") == [(str(folder / "processed" / name),)]


# -- signals -----------------------------------------------------------------------------


@pytest.fixture
def sentinels() -> Iterator[list[int]]:
    """SIGINT and SIGTERM handlers that only record; the test's own handlers are back afterwards."""
    received: list[int] = []
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for signum in before:
        signal.signal(signum, lambda signum, frame: received.append(signum))
    try:
        yield received
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _current_handlers() -> tuple[object, object]:
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


def test_run_handles_sigterm_then_restores_the_handlers_it_found(tmp_path: Path, sentinels: list[int]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    mine = _current_handlers()
    watcher = Watcher(folder, tmp_path / "w.db", WatchOptions(settle=0.2))

    def send_sigterm_once_installed() -> None:
        wait_until(lambda: signal.getsignal(signal.SIGTERM) is not mine[1], what="the watcher's SIGTERM handler")
        os.kill(os.getpid(), signal.SIGTERM)

    helper = threading.Thread(target=send_sigterm_once_installed, daemon=True)
    backstop = threading.Timer(DEADLINE, watcher.stop)  # should the signal go astray, run() still returns
    backstop.daemon = True
    helper.start()
    backstop.start()
    try:
        watcher.run()
    finally:
        backstop.cancel()
        helper.join(timeout=DEADLINE)
    assert backstop.finished.is_set() and not helper.is_alive()
    assert _current_handlers() == mine
    assert sentinels == []  # the SIGTERM went to the watcher, not to the handlers it replaced


def test_no_handler_is_installed_when_the_folder_is_locked(
    tmp_path: Path, sentinels: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    holder = Watcher(folder, tmp_path / "w.db", WatchOptions(settle=0.2))
    holder.start()
    taken: list[object] = []
    monkeypatch.setattr(ingest.watch, "take_signals", lambda stop: taken.append(stop) or {})
    mine = _current_handlers()
    try:
        with pytest.raises(SystemExit) as stopped:
            Watcher(folder, tmp_path / "other.db").run()
    finally:
        holder.join()
    assert stopped.value.code == 1
    assert taken == []
    assert _current_handlers() == mine


def test_an_unexpected_error_in_the_loop_exits_1_with_one_line_and_restores_the_handlers(
    tmp_path: Path, sentinels: list[int], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: Watcher, pending: object) -> None:
        raise RuntimeError("a bug in the loop")

    monkeypatch.setattr(Watcher, "_check_recent", broken)
    folder = tmp_path / "in"
    folder.mkdir()
    caplog.set_level(logging.INFO, logger="ingest.watch")
    mine = _current_handlers()
    with pytest.raises(SystemExit) as stopped:
        Watcher(folder, tmp_path / "w.db", WatchOptions(settle=0.2)).run()
    assert stopped.value.code == 1
    assert _current_handlers() == mine
    critical = [r.getMessage() for r in caplog.records if r.levelname == "CRITICAL"]
    assert len(critical) == 1
    assert critical[0].startswith(
        "kaohe watch 意外出错而退出（退出码 1，服务管理器会重启它）：RuntimeError: a bug in the loop"
    )


def test_systemd_is_told_ready_and_stopping(tmp_path: Path) -> None:
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(address)
        sock.settimeout(DEADLINE)
        with WatchProcess(folder, db, log, env={"NOTIFY_SOCKET": address}) as watcher:
            assert sock.recv(100) == b"READY=1"
            assert sock.recv(100) == b"WATCHDOG=1"
            assert watcher.terminate() == 0
        messages = set()
        sock.settimeout(1)
        with contextlib.suppress(TimeoutError):
            while True:
                messages.add(sock.recv(100))
    assert b"STOPPING=1" in messages
