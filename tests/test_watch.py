"""kaohe watch with a real watcher in a temporary folder: in a thread for most cases, as a
subprocess (the ``kaohe watch`` command) for signals, restarts and concurrent queries.

Nothing waits a fixed time for the watcher: every wait polls a condition (the store, the log's ready
line) with a deadline generous enough for a loaded 2-core machine (``wait_until``). Threads are daemons
and joined in ``finally``; every subprocess is killed in ``finally`` (``WatchProcess``). Faults (kill -9,
poison files, read-only folders, signal handlers) are in test_watch_faults.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from cli import cli
from ingest.pipeline import ingest_file, ingest_paths
from ingest.watch import Watcher, WatchOptions
from normalize.departments import default_registry
from store import Store
from store.queries import frameworks, owners

JIAXIAN = "佳县2020年度目标责任考核指标"
ZHASHUI = "柞水县2022年度考核指标申报通知"
HAVE_SOFFICE = shutil.which("soffice") is not None


DEADLINE = 120  # seconds: generous for a loaded 2-core machine; a pass takes a second or two


def wait_until(predicate: Callable[[], object], timeout: float = DEADLINE, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def query(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Read the store from another connection, as a query command would; empty before it exists."""
    try:
        with sqlite3.connect(db, timeout=10) as conn:
            return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # the watcher has not created its tables yet
        return []


def outcomes(db: Path) -> dict[str, list[str]]:
    """Each file's fates in order (the journal's ``started`` rows left out)."""
    found: dict[str, list[str]] = {}
    for name, outcome in query(db, "select name, outcome from watch_events where outcome != 'started' order by id"):
        found.setdefault(str(name), []).append(str(outcome))
    return found


def handled(db: Path, *names: str) -> Callable[[], bool]:
    return lambda: all(name in outcomes(db) for name in names)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _closing:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Store:
        return self.store

    def __exit__(self, *_: object) -> None:
        self.store.close()


@pytest.fixture(scope="module")
def registry() -> object:
    return default_registry()


@pytest.fixture
def watch(tmp_path: Path, registry: object) -> Iterator[Callable[..., tuple[Path, Path]]]:
    """Start an in-thread watcher on tmp_path/in: ``folder, db = watch(settle=0.3)`` (other WatchOptions
    as keywords); it is stopped, and its worker's failure raised, at teardown."""
    watchers: list[Watcher] = []

    def start(settle: float = 0.3, poll: bool = False, **options: object) -> tuple[Path, Path]:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        db = tmp_path / "watch.db"
        chosen = WatchOptions(settle=settle, poll=poll, poll_interval=0.2, registry=registry, **options)  # type: ignore[arg-type]
        watcher = Watcher(folder, db, chosen)
        watcher.start()
        watchers.append(watcher)
        return folder, db

    try:
        yield start
    finally:
        for watcher in watchers:
            watcher.join()
    for watcher in watchers:
        assert watcher.failure is None, f"the watcher's worker stopped: {watcher.failure!r}"


# -- in a thread -------------------------------------------------------------------


def test_a_copied_file_is_ingested_moved_and_cited_where_it_now_is(watch: Callable[..., tuple[Path, Path]]) -> None:
    folder, db = watch()
    shutil.copy(SAMPLES / f"{JIAXIAN}.docx", folder)
    wait_until(handled(db, f"{JIAXIAN}.docx"), what="the docx")
    moved = folder / "processed" / f"{JIAXIAN}.docx"
    assert outcomes(db) == {f"{JIAXIAN}.docx": ["added"]}
    assert moved.is_file() and not (folder / f"{JIAXIAN}.docx").exists()
    assert query(db, "select path from documents") == [(str(moved),)]
    assert query(db, "select distinct file from indicators") == [(str(moved),)]
    with _closing(Store(db)) as store:
        answer = owners(store.db, "营造林面积").answers[0]
    assert (answer.lead, answer.source.file) == ("县林业局", str(moved))


def test_a_photographed_page_is_read_by_ocr(watch: Callable[..., tuple[Path, Path]]) -> None:
    folder, db = watch()
    name = "佳县2020-第3页-手机拍摄.jpg"
    shutil.copy(SAMPLES.parent / "tests" / "data" / "scans" / name, folder)
    wait_until(handled(db, name), what="the photo")
    assert outcomes(db) == {name: ["added"]}
    assert query(db, "select format, ocr_pages from documents") == [("image", "[1]")]
    with _closing(Store(db)) as store:
        answer = owners(store.db, "生产总值增长7%").answers[0]
    assert (answer.lead, answer.points, answer.source.page) == ("县发展改革和科技局", 2, 1)


def test_a_filled_progress_form_is_stored_and_other_spreadsheets_are_refused(
    watch: Callable[..., tuple[Path, Path]], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from cli import cli

    folder, db = watch()
    shutil.copy(SAMPLES / f"{JIAXIAN}.docx", folder)
    wait_until(handled(db, f"{JIAXIAN}.docx"), what="the notice")
    form = tmp_path / "2020-06-县林业局.csv"  # a .csv has no title: its name says the month
    made = CliRunner().invoke(cli, ["progress", "template", "--period", "2020-06", "--region", "佳县", "--year",
                                    "2020", "--dept", "县林业局", "-o", str(form), "--db", str(db)])  # fmt: skip
    assert made.exit_code == 0, made.output
    lines = form.read_text(encoding="utf-8-sig").splitlines()
    filled = [line.replace(",,,,,", ",1.2,,春季造林完成,,") if ",营造林面积4万亩," in line else line for line in lines]
    (folder / form.name).write_text("\r\n".join(filled) + "\r\n", encoding="utf-8-sig")
    (folder / "通讯录.csv").write_text("姓名,电话\r\n张三,123\r\n", encoding="utf-8")
    wait_until(handled(db, form.name, "通讯录.csv"), what="the two spreadsheets")
    assert outcomes(db)[form.name] == ["progress"] and outcomes(db)["通讯录.csv"] == ["failed"]
    assert (folder / "processed" / form.name).is_file() and (folder / "failed" / "通讯录.csv").is_file()
    assert query(db, "select unit, actual, progress from progress_reports where actual is not null") == [
        ("县林业局", 1.2, "春季造林完成")
    ]


def test_chinese_names_and_ignored_files(watch: Callable[..., tuple[Path, Path]]) -> None:
    folder, db = watch()
    ignored = ["~$通知.docx", ".隐藏.txt", "通知.pdf.crdownload", "通知.docx.part", "~WRL0001.tmp", "通知.txt~"]
    for name in ignored:
        (folder / name).write_bytes(b"not a notice")
    name = "关于印发《考核办法》的通知（2024年 修订）.txt"
    shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder / name)
    wait_until(handled(db, name), what="the Chinese-named file")
    assert (folder / "processed" / name).is_file()
    assert list(outcomes(db)) == [name]
    assert sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != ".kaohe-watch.lock") == sorted(ignored)


def test_a_slowly_written_file_is_ingested_once_and_whole(watch: Callable[..., tuple[Path, Path]]) -> None:
    folder, db = watch(settle=1.0)
    data = (SAMPLES / f"{JIAXIAN}.txt").read_bytes()
    chunks = [data[i : i + len(data) // 30 + 1] for i in range(0, len(data), len(data) // 30 + 1)]
    with (folder / "slow.txt").open("wb") as out:  # pauses 10x shorter than the settle interval
        for chunk in chunks:
            out.write(chunk)
            out.flush()
            time.sleep(0.1)
    wait_until(handled(db, "slow.txt"), what="the slow file")
    assert outcomes(db) == {"slow.txt": ["added"]}
    assert sha(folder / "processed" / "slow.txt") == hashlib.sha256(data).hexdigest()
    assert query(db, "select count(*) from indicators") == [(263,)]


def test_a_file_locked_by_its_writer_waits_for_the_lock(watch: Callable[..., tuple[Path, Path]]) -> None:
    folder, db = watch(settle=0.2)
    data = (SAMPLES / f"{JIAXIAN}.docx").read_bytes()
    with (folder / "locked.docx").open("wb") as out:
        fcntl.flock(out.fileno(), fcntl.LOCK_EX)
        out.write(data)
        out.flush()  # complete by its content too: only the lock holds the watcher back
        time.sleep(1.0)  # five settle intervals without a change (a pause by the writer, not a wait on the watcher)
        assert "locked.docx" not in outcomes(db)
    wait_until(handled(db, "locked.docx"), what="the locked file")
    assert outcomes(db) == {"locked.docx": ["added"]}


def test_a_corrupt_file_is_quarantined_with_a_note(watch: Callable[..., tuple[Path, Path]]) -> None:
    """A zip whose central directory never reads looks like a copy in progress: read once it stayed
    unchanged for ``patience``, then quarantined with its reason."""
    folder, db = watch(patience=1.0)
    (folder / "坏文件.docx").write_bytes(b"PK\x03\x04 truncated zip")
    wait_until(handled(db, "坏文件.docx"), what="the corrupt file")
    assert (folder / "failed" / "坏文件.docx").read_bytes() == b"PK\x03\x04 truncated zip"
    note = (folder / "failed" / "坏文件.docx.error.txt").read_text(encoding="utf-8")
    assert "文件：坏文件.docx" in note and "代码：ingest_failed" in note and "再放回上面的收件夹" in note
    assert "原因：" in note and "不是有效的 .docx 文件（ZIP 容器无法读取）" in note
    assert query(db, "select count(*) from documents") == [(0,)]
    assert outcomes(db) == {"坏文件.docx": ["failed"]}
    assert query(db, "select outcome from watch_events") == [("started",), ("failed",)]


def test_a_duplicate_is_recorded_and_moved_without_a_second_ingest(watch: Callable[..., tuple[Path, Path]]) -> None:
    folder, db = watch()
    shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder / "a.txt")
    wait_until(handled(db, "a.txt"), what="the first copy")
    shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder / "b.txt")
    wait_until(handled(db, "b.txt"), what="the second copy")
    assert outcomes(db) == {"a.txt": ["added"], "b.txt": ["duplicate"]}
    assert (folder / "processed" / "b.txt").is_file()
    assert query(db, "select path from documents") == [(str(folder / "processed" / "a.txt"),)]
    detail = query(db, "select detail from watch_events where name = 'b.txt' and outcome = 'duplicate'")
    assert detail == [(str(folder / "processed" / "a.txt"),)]


def test_the_same_name_with_new_content_replaces_the_earlier_version(watch: Callable[..., tuple[Path, Path]]) -> None:
    """A revised notice saved under the same name: new version stored, old file kept, no overwrite."""
    folder, db = watch()
    original = (SAMPLES / f"{JIAXIAN}.txt").read_text(encoding="utf-8")
    assert "营造林面积4万亩" in original
    (folder / "通知.txt").write_text(original, encoding="utf-8")
    wait_until(handled(db, "通知.txt"), what="the first version")
    (folder / "通知.txt").write_text(original.replace("营造林面积4万亩", "营造林面积5万亩"), encoding="utf-8")
    wait_until(lambda: len(outcomes(db).get("通知.txt", [])) == 2, what="the second version")
    assert outcomes(db) == {"通知.txt": ["added", "replaced"]}
    assert (folder / "processed" / "通知.txt").read_text(encoding="utf-8") == original  # never overwritten
    newer = folder / "processed" / "通知 (2).txt"
    assert query(db, "select path from documents") == [(str(newer),)]
    assert query(db, "select count(*) from indicators where text like '%营造林面积4万亩%'") == [(0,)]
    assert query(db, "select count(*) from indicators where text like '%营造林面积5万亩%'") != [(0,)]


def test_the_same_name_for_another_notice_keeps_both(watch: Callable[..., tuple[Path, Path]]) -> None:
    """附件1.txt from two notices with different 发文字号 are two documents, not versions."""
    folder, db = watch()
    shutil.copy(SAMPLES / f"{JIAXIAN}.txt", folder / "附件1.txt")
    wait_until(handled(db, "附件1.txt"), what="the first notice")
    shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder / "附件1.txt")
    wait_until(lambda: len(outcomes(db).get("附件1.txt", [])) == 2, what="the second notice")
    assert outcomes(db) == {"附件1.txt": ["added", "added"]}
    assert query(db, "select count(*) from documents") == [(2,)]


def test_the_polling_observer_sees_new_files(watch: Callable[..., tuple[Path, Path]]) -> None:
    folder, db = watch(poll=True)
    shutil.copy(SAMPLES / f"{ZHASHUI}.html", folder)
    wait_until(handled(db, f"{ZHASHUI}.html"), what="the polled file")
    assert outcomes(db) == {f"{ZHASHUI}.html": ["added"]}


def test_a_crash_between_ingest_and_move_is_repaired_at_start(
    watch: Callable[..., tuple[Path, Path]], tmp_path: Path, registry: object
) -> None:
    """Stored but not moved: moved at start; moved but the store not told: the store follows the file."""
    folder, db = tmp_path / "in", tmp_path / "watch.db"
    (folder / "processed").mkdir(parents=True)
    not_moved, moved = folder / "a.txt", folder / "b.html"
    shutil.copy(SAMPLES / f"{ZHASHUI}.txt", not_moved)
    shutil.copy(SAMPLES / f"{JIAXIAN}.html", moved)
    with _closing(Store(db)) as store:
        for path in (not_moved, moved):
            assert ingest_file(path, store, registry).status == "added"  # type: ignore[arg-type]
    moved.rename(folder / "processed" / moved.name)
    watch()
    wait_until(handled(db, "a.txt"), what="the file left behind")
    assert outcomes(db) == {"a.txt": ["added"]}
    expected = sorted([(str(folder / "processed" / "a.txt"),), (str(folder / "processed" / "b.html"),)])
    assert sorted(query(db, "select path from documents")) == expected
    assert sorted(query(db, "select distinct file from indicators")) == expected


def test_a_second_watcher_on_the_same_folder_refuses_to_start(
    watch: Callable[..., tuple[Path, Path]], tmp_path: Path, watch_logger: logging.Logger
) -> None:
    folder, _ = watch()
    result = CliRunner().invoke(cli, ["watch", str(folder), "--db", str(tmp_path / "other.db")])
    assert result.exit_code == 1
    assert (
        f"CRITICAL kaohe watch 退出（退出码 1）：{folder} 已由另一个 kaohe watch 监视（pid {os.getpid()}"
        in result.stderr
    )
    assert "请先停止那一个" in result.stderr
    assert len(result.stderr.splitlines()) == 1


# -- as a subprocess: `kaohe watch` --------------------------------------------------


CLI = "import sys; from cli import cli; sys.exit(cli(sys.argv[1:], prog_name='kaohe'))"
# Linux: a watcher subprocess is killed when the test process dies, even by kill -9 or CI's timeout.
DIE_WITH_PARENT = "import ctypes, signal, sys\nif sys.platform == 'linux': ctypes.CDLL(None).prctl(1, signal.SIGKILL)\n"
READY = "INFO 开始监视"


class WatchProcess:
    """``kaohe watch FOLDER`` (or other ``code``) in a subprocess, started once its log says it is ready.
    Use it in ``with``: whatever happens, the process is killed and reaped on the way out."""

    def __init__(self, folder: Path, db: Path, log: Path, settle: float = 0.3, code: str = CLI,
                 env: Mapping[str, str] | None = None) -> None:  # fmt: skip
        self.log = log
        self.stderr_path = log.parent / f"{log.stem}.stderr"
        self.stderr = self.stderr_path.open("ab")
        self.ready_before = self._count(READY)
        args = ["watch", str(folder), "--db", str(db), "--settle", str(settle), "--log", str(log)]
        # its own process group: close() also ends what it forked (the parse worker outlives a kill -9)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DIE_WITH_PARENT + code, *args],
            stderr=self.stderr, cwd=log.parent, env={**os.environ, **(env or {})}, start_new_session=True,
        )  # fmt: skip
        self.wait_ready()

    def _count(self, text: str) -> int:
        return sum(text in line for line in self.lines())

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def wait_ready(self) -> None:
        def ready() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"kaohe watch exited {self.proc.returncode} before it was ready: {self.errors()}")
            return self._count(READY) > self.ready_before

        wait_until(ready, what="the watcher's ready line")

    def errors(self) -> str:
        if not self.stderr.closed:
            self.stderr.flush()
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.wait()

    def wait(self, timeout: float = DEADLINE) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.close()

    def close(self) -> None:
        """Kill the watcher and everything left in its process group, and reap it."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=DEADLINE)
        self.stderr.close()

    def __enter__(self) -> WatchProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def test_sigterm_exits_0_and_a_restart_catches_up(tmp_path: Path) -> None:
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    with WatchProcess(folder, db, log) as watcher:
        shutil.copy(SAMPLES / f"{ZHASHUI}.txt", folder)
        wait_until(handled(db, f"{ZHASHUI}.txt"), what="the first file")
        assert watcher.terminate() == 0
    shutil.copy(SAMPLES / f"{ZHASHUI}.html", folder)  # dropped while nobody watches
    shutil.copy(SAMPLES / f"{JIAXIAN}.txt", folder)
    with WatchProcess(folder, db, log) as watcher:
        wait_until(handled(db, f"{ZHASHUI}.html", f"{JIAXIAN}.txt"), what="the catch-up")
        assert watcher.terminate() == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    assert sum("INFO 柞水县2022年度考核指标申报通知.html added：4 个考核框架" in line for line in lines) == 1
    assert sum("INFO 已停止监视" in line for line in lines) == 2
    assert sorted(p.name for p in (folder / "processed").iterdir()) == sorted(
        [f"{ZHASHUI}.txt", f"{ZHASHUI}.html", f"{JIAXIAN}.txt"]
    )


def test_queries_run_while_files_are_ingested(tmp_path: Path) -> None:
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    names = [f"{JIAXIAN}.docx", f"{JIAXIAN}.html", f"{JIAXIAN}.txt", f"{ZHASHUI}.html", f"{ZHASHUI}.txt"]
    seen_counts: set[int] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def ask() -> None:  # a query command's view: never locked out, never half a document
        try:
            while not done.is_set():
                store = Store(db)
                try:
                    rows = store.db.execute(
                        "select d.id, count(i.id) from documents d left join indicators i on i.document_id = d.id"
                        " group by d.id"
                    ).fetchall()
                    seen_counts.update(n for _, n in rows)
                    owners(store.db, "营造林面积")
                finally:
                    store.close()
        except BaseException as e:
            errors.append(e)

    asker = threading.Thread(target=ask, daemon=True)
    with WatchProcess(folder, db, log) as watcher:
        asker.start()
        try:
            for name in names:
                shutil.copy(SAMPLES / name, folder)
            wait_until(handled(db, *names), what="all files")
        finally:
            done.set()
            asker.join(timeout=DEADLINE)
        assert watcher.terminate() == 0
    assert not asker.is_alive()
    assert errors == []
    assert seen_counts <= {263, 62}  # each document appears whole (one transaction) or not at all
    assert len(query(db, "select id from documents")) == 5


def _comparable(db: Path) -> tuple[object, ...]:
    """The store's answers with file paths reduced to file names."""
    with _closing(Store(db)) as store:
        per_file = sorted(
            (Path(str(p)).name, n)
            for p, n in store.db.execute(
                "select d.path, count(i.id) from documents d left join indicators i on i.document_id = d.id"
                " group by d.id"
            ).fetchall()
        )
        fws = sorted(
            (Path(f.document).name, f.title or "", f.kind, f.indicators, f.points or 0) for f in frameworks(store.db)
        )
        answers = sorted(
            (a.indicator, a.lead or "", a.points or 0, Path(a.source.file).name, a.source.row)
            for q in ("营造林面积", "全社会固定资产投资", "隐性债务")
            for a in owners(store.db, q).answers
        )
    return per_file, fws, answers


def test_samples_dropped_one_by_one_give_the_same_store_as_kaohe_ingest(tmp_path: Path) -> None:
    """The done-when check (.doc/.wps left out where LibreOffice is missing: they need soffice)."""
    samples = [p for p in sorted(SAMPLES.iterdir()) if p.suffix != ".md"]
    if not HAVE_SOFFICE:
        samples = [p for p in samples if p.suffix not in (".doc", ".wps")]
    reference_dir, reference_db = tmp_path / "ref", tmp_path / "ref.db"
    reference_dir.mkdir()
    for path in samples:
        shutil.copy(path, reference_dir)

    def reference() -> None:  # `kaohe-ingest ref/`, meanwhile (it converts .doc/.wps too)
        with _closing(Store(reference_db)) as store:
            ingest_paths([reference_dir], store)

    kaohe_ingest = threading.Thread(target=reference, daemon=True)
    kaohe_ingest.start()
    folder, db, log = tmp_path / "in", tmp_path / "w.db", tmp_path / "watch.log"
    folder.mkdir()
    try:
        with WatchProcess(folder, db, log) as watcher:
            for path in samples:
                shutil.copy(path, folder)
                wait_until(handled(db, path.name), what=path.name)
            assert watcher.terminate() == 0
    finally:
        kaohe_ingest.join(timeout=DEADLINE)
    assert not kaohe_ingest.is_alive()
    accounted = sorted(p.name for sub in ("processed", "failed") for p in (folder / sub).iterdir())
    assert accounted == sorted(p.name for p in samples)
    assert [p.name for p in folder.iterdir() if p.is_file()] == [".kaohe-watch.lock"]
    assert _comparable(db) == _comparable(reference_db)
