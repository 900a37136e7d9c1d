"""The watch folder: notices saved into a folder are ingested once complete, then moved aside.

Threads: the watchdog observer only queues paths; one worker thread owns the store (SQLite writes are
serialised anyway), waits until each file is complete, and hands it to ``ingest.watch_files.Fates``,
which ingests it, moves it to ``processed/`` or ``failed/`` and records its fate. Files are never
deleted and never overwritten. ``run()`` is the process: it supervises the worker and exits non-zero
(one log line) when the watcher cannot go on, so that a service manager restarts it.

Complete means: size and mtime unchanged for ``settle`` seconds, no writer's lock, and the content ends
as its format ends (``judge_complete``); a text file (no end marker) must stay unchanged longer
(``confirm``). A file in processed/ that still changes afterwards is read again as a new version.

Provenance: a file is ingested where it was dropped, moved to ``processed/``, then the stored path and
every citation follow it in one transaction (``store.watch_log.settle_document``). A crash in between,
or in the middle of a file, is settled at the next start (``Fates.recover``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, NoReturn

from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ingest.discover import is_candidate
from ingest.pipeline import warm_up
from ingest.watch_files import Fates, Outcome, describe, sha_or_none
from ingest.watch_os import (
    COMPLETE,
    DOUBTFUL,
    FAILED,
    LOCK_NAME,
    PROCESSED,
    QUIET,
    FolderLocked,
    Queueing,
    WatchError,
    check_folder,
    fatal_line,
    judge_complete,
    lock_folder,
    locked_by_writer,
    notify,
    prepare_subfolders,
    reason,
    restore_signals,
    take_signals,
    unlock_folder,
)
from normalize.departments import DepartmentRegistry, default_registry
from store import Store
from store.watch_log import recently_stored

__all__ = ["FAILED", "LOCK_NAME", "PROCESSED", "FolderLocked", "WatchError", "WatchOptions", "Watcher"]

log = logging.getLogger(__name__)


@dataclass
class _Seen:
    signature: tuple[int, int]
    since: float
    verdict: tuple[str, str] | None = None  # judge_complete, once quiet for the settle interval


@dataclass
class _Recent:
    signature: tuple[int, int]
    until: float  # monotonic


@dataclass
class WatchOptions:
    settle: float = 2.0  # seconds a file's size and mtime must stay unchanged (a .docx/.pdf whose end reads)
    poll: bool = False  # polling observer (network shares where inotify sees nothing)
    poll_interval: float = 1.0
    rescan: float = 30.0  # a full look at the folder now and then, in case an event was missed
    confirm: float | None = None  # no end marker (.txt, .html, .doc): unchanged this long; default 5 × settle
    patience: float | None = None  # still looks incomplete: read anyway after this long; default 30 × settle
    recheck: float = 3600.0  # a file in processed/ that changes within this long after its move is read again
    file_timeout: float = 900.0  # run(): a file still being read after this long stops the watcher (exit 1)
    registry: DepartmentRegistry | None = field(default=None, repr=False)

    def quiet(self, verdict: str) -> float:
        """Seconds a file judged ``verdict`` must stay unchanged before it is read."""
        confirm = max(self.confirm if self.confirm is not None else 5 * self.settle, self.settle)
        if verdict == COMPLETE:
            return self.settle
        if verdict == QUIET:
            return confirm
        return max(self.patience if self.patience is not None else 30 * self.settle, confirm)


class Watcher:
    """Watch ``folder`` and ingest into the store at ``db``: ``run()`` as a process, or ``start()``, later
    ``stop()`` and ``join()`` in a thread (then ``failure`` says why the worker stopped, if it did)."""

    def __init__(self, folder: Path, db: Path, options: WatchOptions | None = None) -> None:
        self.folder = folder.resolve()
        self.db = db
        self.options = options or WatchOptions()
        self._paths: queue.Queue[Path] = queue.Queue()
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._fatal: BaseException | None = None
        self._hung = False
        self._current: tuple[Path, float] | None = None  # the file being read, since (monotonic)
        self._recent: dict[Path, _Recent] = {}  # files moved to processed/ lately: read again if they change
        self._next_recheck = 0.0
        self._lock_file: IO[str] | None = None
        self._observer: Any = None
        self._worker = threading.Thread(target=self._work, name="kaohe-watch", daemon=True)

    # -- life cycle ----------------------------------------------------------

    def start(self) -> None:
        """Check and lock the folder, start observing, settle an interrupted file and catch up (in the
        worker). Raises WatchError (FolderLocked) when the folder or the store cannot be used."""
        self._acquire()
        self._launch()

    @property
    def failure(self) -> BaseException | None:
        return self._fatal

    def stop(self) -> None:
        """Ask the worker to finish the file in progress and stop."""
        self._stopping.set()

    def join(self, wait_for_worker: bool = True) -> None:
        self._stopping.set()
        if self._observer is not None:  # no more events, then the file in progress is finished
            self._observer.stop()
            self._observer.join()
            self._observer = None
        if wait_for_worker and self._worker.is_alive():
            self._worker.join()
        if self._lock_file is not None:
            unlock_folder(self.folder, self._lock_file)
            self._lock_file = None

    def run(self) -> None:
        """The ``kaohe watch`` process: start, then block until SIGINT or SIGTERM (the file in progress is
        finished first; a second signal acts as it did before). Returns after a clean stop; raises
        SystemExit(1) after one log line when the watcher cannot start or go on (a bug, the store or the
        folder failing, a file read for longer than ``file_timeout``), so that systemd restarts it."""
        try:
            self._acquire()
        except WatchError as e:
            _die(fatal_line(e))
        previous = take_signals(self.stop)  # only now: the lock is held
        try:
            self._launch()
            notify("READY=1")
            self._supervise()
        except Exception as e:
            self._fatal = self._fatal or e
        finally:
            notify("STOPPING=1")
            try:
                self.join(wait_for_worker=not self._hung)  # a hung worker is left behind (a daemon thread)
            finally:
                restore_signals(previous)
        if self._fatal is not None:
            _die(fatal_line(self._fatal))
        log.info("已停止监视 %s", self.folder)

    def _acquire(self) -> None:
        check_folder(self.folder)
        self._lock_file = lock_folder(self.folder)
        try:
            prepare_subfolders(self.folder)
        except WatchError:
            self.join()
            raise

    def _launch(self) -> None:
        self._observer = self._start_observer()
        self._worker.start()
        self._ready.wait()
        if self._startup_error is not None:
            self.join()
            raise self._startup_error
        log.info("开始监视 %s（存储 %s，静置 %.1f 秒%s）", self.folder, self.db, self.options.settle,
                 "，轮询" if self.options.poll else "")  # fmt: skip

    def _supervise(self) -> None:
        timeout = self.options.file_timeout
        while not self._stopping.wait(0.5):
            notify("WATCHDOG=1")
            current = self._current
            if current is not None and time.monotonic() - current[1] > timeout:
                self._hung = True
                self._fatal = WatchError(f"{current[0].name} 读取超过 {timeout:.0f} 秒仍未结束：kaohe watch 退出，"
                                         "重启后此文件移入 failed/，不再自动重试")  # fmt: skip
                return
            if not self._worker.is_alive():
                return

    def _start_observer(self) -> Any:
        handler = Queueing(self._paths)
        if not self.options.poll:
            try:
                observer = Observer()
                observer.schedule(handler, str(self.folder), recursive=False)
                observer.start()
                return observer
            except OSError as e:  # e.g. the inotify watch limit: polling still works
                log.warning("文件系统事件不可用（%s），改为轮询", e)
        observer = PollingObserver(timeout=self.options.poll_interval)
        observer.schedule(handler, str(self.folder), recursive=False)
        observer.start()
        return observer

    # -- the worker ------------------------------------------------------------

    def _work(self) -> None:
        try:
            store, fates = self._open()
        except BaseException as e:  # handed to start(), which raises it in the caller's thread
            self._startup_error = e
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop(fates)
        except BaseException as e:  # run() logs it and exits 1
            self._fatal = e
        finally:
            self._stopping.set()
            store.close()

    def _open(self) -> tuple[Store, Fates]:
        """Open the store and load what reading a file needs (``warm_up``: before the watcher says it is watching,
        so the first file is as fast as the next), then, before anything else, settle the file a crash
        interrupted."""
        try:
            store = Store(self.db)
        except Exception as e:
            raise WatchError(f"无法打开存储：{e}") from e
        try:
            fates = Fates(store, self.folder, self.options.registry or default_registry())
            started = time.perf_counter()
            warm_up(fates.registry)
            log.debug("models, parsers and the parse worker ready in %.1f s", time.perf_counter() - started)
            if (recovered := fates.recover()) is not None:
                self._log(recovered, "（上次中断后补记）")
            for name in fates.reconcile():
                log.info("%s 已在 processed/ 中找到，存储已更新", name)
            self._seed_recent(store)
        except BaseException:
            store.close()
            raise
        return store, fates

    def _loop(self, fates: Fates) -> None:
        pending: dict[Path, _Seen] = {}
        tick = min(max(self.options.settle / 4, 0.05), 0.5)
        next_rescan = 0.0
        while not self._stopping.is_set():
            if time.monotonic() >= next_rescan:
                self._rescan()
                next_rescan = time.monotonic() + self.options.rescan
            self._drain(pending, tick)
            self._check_recent(pending)
            for path in sorted(pending):
                if self._stopping.is_set():
                    break
                if self._complete(path, pending):
                    judged = pending.pop(path).signature
                    if not self._handle(path, fates, judged):
                        pending[path] = _Seen((-1, -1), time.monotonic())  # the store was busy: try again

    def _rescan(self) -> None:
        try:
            paths = [p for p in self.folder.iterdir() if p.is_file()]
        except OSError as e:
            raise WatchError(f"收件夹 {self.folder} 无法读取（{reason(e)}）") from e
        for path in paths:
            self._paths.put(path)

    def _drain(self, pending: dict[Path, _Seen], tick: float) -> None:
        try:
            path = self._paths.get(timeout=tick)
            while True:
                if path.parent == self.folder and is_candidate(path, forms=True) and path not in pending:
                    pending[path] = _Seen((-1, -1), time.monotonic())
                path = self._paths.get_nowait()
        except queue.Empty:
            pass

    def _complete(self, path: Path, pending: dict[Path, _Seen]) -> bool:
        """True once the file's size and mtime stayed unchanged long enough for what its content looks like
        (``WatchOptions.quiet``) and no writer holds a lock on it. A file that vanished is dropped."""
        try:
            st = path.stat()
        except FileNotFoundError:
            del pending[path]
            return False
        seen, now = pending[path], time.monotonic()
        signature = (st.st_size, st.st_mtime_ns)
        if signature != seen.signature:
            pending[path] = _Seen(signature, now)
            return False
        if now - seen.since < self.options.settle:
            return False
        if seen.verdict is None:
            try:
                seen.verdict = judge_complete(path)
            except OSError as e:
                seen.verdict = (DOUBTFUL, f"读不出（{reason(e)}）")
        verdict, why = seen.verdict
        if now - seen.since < self.options.quiet(verdict):
            return False
        if locked_by_writer(path):
            seen.since = now
            return False
        if verdict == DOUBTFUL:
            log.warning("%s 看起来不完整：%s，但已 %.1f 秒未变化，仍读取它", path.name, why, now - seen.since)
        return True

    def _handle(self, path: Path, fates: Fates, judged: tuple[int, int]) -> bool:
        """Read one complete file (``judged``: the size and mtime found complete); False when the store was
        busy (try again later)."""
        self._current = (path, time.monotonic())
        try:
            outcome = fates.handle(path)
        finally:
            self._current = None
        if outcome is None:
            self._remember(path, judged)
            return True
        self._log(outcome)
        if outcome.event.outcome in ("added", "replaced", "duplicate"):  # a move keeps size and mtime
            self._remember(Path(outcome.event.path), judged)
        return outcome.event.outcome != "retry"

    # -- files in processed/ that change after their move ---------------------------

    def _remember(self, path: Path, signature: tuple[int, int]) -> None:
        """Watch ``path`` in processed/ for ``recheck`` seconds: read again if it is no longer ``signature``
        (the size and mtime it was read with: a writer that goes on at once is not missed)."""
        self._recent[path] = _Recent(signature, time.monotonic() + self.options.recheck)

    def _seed_recent(self, store: Store) -> None:
        """After a restart: files stored within ``recheck``; one whose content changed meanwhile is read again."""
        since = datetime.now().astimezone() - timedelta(seconds=self.options.recheck)
        for event in recently_stored(store, str(self.folder), since):
            path = Path(event.path)
            if path.parent != self.folder / PROCESSED or path in self._recent or not path.is_file():
                continue
            st = path.stat()
            changed = sha_or_none(path) != event.sha256  # while nobody watched: read again at once
            self._remember(path, (-1, -1) if changed else (st.st_size, st.st_mtime_ns))
            self._recent[path].until -= time.time() - datetime.fromisoformat(event.at or "").timestamp()

    def _check_recent(self, pending: dict[Path, _Seen]) -> None:
        now = time.monotonic()
        if now < self._next_recheck:
            return
        self._next_recheck = now + min(self.options.settle, 1.0)
        for path, recent in list(self._recent.items()):
            try:
                st = path.stat()
            except OSError:
                st = None
            if st is None or now > recent.until:
                del self._recent[path]
            elif (st.st_size, st.st_mtime_ns) != recent.signature:
                del self._recent[path]
                log.info("%s 移入 processed/ 后仍在变化：写完后作为新版本重新读取", path.name)
                pending.setdefault(path, _Seen((-1, -1), now))

    def _log(self, outcome: Outcome, note: str = "") -> None:
        level, line = describe(outcome, self.folder)
        log.log(level, "%s%s", line, note)


def _die(line: str) -> NoReturn:
    log.critical("%s", line)
    raise SystemExit(1)
