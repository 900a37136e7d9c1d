"""The watch folder: notices saved into a folder are ingested once complete, then moved aside.

Threads: the watchdog observer only queues paths; one worker thread owns the store (SQLite
writes are serialised anyway), waits until each file is complete, ingests it and moves it to
``processed/`` or ``failed/``. Files are never deleted and never overwritten.

Provenance: a file is ingested where it was dropped, moved to ``processed/``, then the stored
path and every citation follow it in one transaction (``store.watch_log.settle_document``). A
crash between the move and that transaction is repaired at the next start (``_reconcile``).
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import sqlite3
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ingest.discover import is_candidate
from ingest.pipeline import FileResult, ingest_file
from normalize.departments import DepartmentRegistry, default_registry
from parsers.detect import file_sha256
from store import Store
from store.watch_log import WatchEvent, documents_in, previous_version, record_event, settle_document

try:
    import fcntl
except ImportError:  # not on Windows: the lock checks are skipped there
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

LOCK_NAME = ".kaohe-watch.lock"
PROCESSED, FAILED = "processed", "failed"
EMPTY_FILE_PATIENCE = 5  # an empty file may be a copy that has not started: wait this many settle intervals


class FolderLocked(Exception):
    """Another ``kaohe watch`` already watches this folder."""


@dataclass
class _Seen:
    signature: tuple[int, int]
    since: float


@dataclass
class WatchOptions:
    settle: float = 2.0  # seconds a file's size and mtime must stay unchanged
    poll: bool = False  # polling observer (network shares where inotify sees nothing)
    poll_interval: float = 1.0
    rescan: float = 30.0  # a full look at the folder now and then, in case an event was missed
    registry: DepartmentRegistry | None = field(default=None, repr=False)


class _Queueing(FileSystemEventHandler):
    def __init__(self, paths: queue.Queue[Path]) -> None:
        self.paths = paths

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        self.paths.put(Path(os.fsdecode(event.src_path)))
        if getattr(event, "dest_path", ""):
            self.paths.put(Path(os.fsdecode(event.dest_path)))


class Watcher:
    """Watch ``folder`` and ingest into the store at ``db``: ``start()``, later ``stop()`` and ``join()``."""

    def __init__(self, folder: Path, db: Path, options: WatchOptions | None = None) -> None:
        self.folder = folder.resolve()
        self.db = db
        self.options = options or WatchOptions()
        self._paths: queue.Queue[Path] = queue.Queue()
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._lock_file: IO[str] | None = None
        self._observer: Any = None
        self._worker = threading.Thread(target=self._work, name="kaohe-watch", daemon=True)

    # -- life cycle ----------------------------------------------------------

    def start(self) -> None:
        """Lock the folder, start observing, and catch up on the files already there (in the worker)."""
        if not self.folder.is_dir():
            raise FileNotFoundError(f"{self.folder}: no such folder")
        self._lock_file = _lock_folder(self.folder)
        for sub in (PROCESSED, FAILED):
            (self.folder / sub).mkdir(exist_ok=True)
        self._observer = self._start_observer()
        self._worker.start()
        self._ready.wait()
        if self._startup_error is not None:
            self.join()
            raise self._startup_error
        log.info("watching %s (store %s, settle %.1fs%s)", self.folder, self.db, self.options.settle,
                 ", polling" if self.options.poll else "")  # fmt: skip

    def stop(self) -> None:
        """Ask the worker to finish the file in progress and stop."""
        self._stopping.set()

    def join(self) -> None:
        self._stopping.set()
        if self._observer is not None:  # no more events, then the file in progress is finished
            self._observer.stop()
            self._observer.join()
        if self._worker.is_alive():
            self._worker.join()
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock; the file stays (deleting it would race a new watcher)
            self._lock_file = None

    def run(self) -> None:
        """Start, then block until SIGINT or SIGTERM; the file in progress is finished first."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stop())
        self.start()
        while not self._stopping.wait(0.5):
            if not self._worker.is_alive():
                break
        self.join()
        log.info("stopped watching %s", self.folder)

    def _start_observer(self) -> Any:
        handler = _Queueing(self._paths)
        if not self.options.poll:
            try:
                observer = Observer()
                observer.schedule(handler, str(self.folder), recursive=False)
                observer.start()
                return observer
            except OSError as e:  # e.g. the inotify watch limit: polling still works
                log.warning("file system events unavailable (%s); polling instead", e)
        observer = PollingObserver(timeout=self.options.poll_interval)
        observer.schedule(handler, str(self.folder), recursive=False)
        observer.start()
        return observer

    # -- the worker ------------------------------------------------------------

    def _work(self) -> None:
        try:
            store = Store(self.db)
            registry = self.options.registry or default_registry()
            _reconcile(store, self.folder)
        except BaseException as e:  # handed to start(), which raises it in the caller's thread
            self._startup_error = e
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop(store, registry)
        finally:
            store.close()

    def _loop(self, store: Store, registry: DepartmentRegistry) -> None:
        pending: dict[Path, _Seen] = {}
        tick = min(max(self.options.settle / 4, 0.05), 0.5)
        next_rescan = 0.0
        while not self._stopping.is_set():
            if time.monotonic() >= next_rescan:
                for path in self.folder.iterdir():
                    if path.is_file():
                        self._paths.put(path)
                next_rescan = time.monotonic() + self.options.rescan
            self._drain(pending, tick)
            for path in sorted(pending):
                if self._stopping.is_set():
                    break
                if self._complete(path, pending):
                    del pending[path]
                    if not self._handle(path, store, registry):
                        pending[path] = _Seen((-1, -1), time.monotonic())  # the store was busy: try again

    def _drain(self, pending: dict[Path, _Seen], tick: float) -> None:
        try:
            path = self._paths.get(timeout=tick)
            while True:
                if path.parent == self.folder and is_candidate(path) and path not in pending:
                    pending[path] = _Seen((-1, -1), time.monotonic())
                path = self._paths.get_nowait()
        except queue.Empty:
            pass

    def _complete(self, path: Path, pending: dict[Path, _Seen]) -> bool:
        """True once the file's size and mtime stayed unchanged for the settle interval and no writer
        holds a lock on it. A file that vanished (renamed, moved away) is dropped from ``pending``."""
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
        settle = self.options.settle * (EMPTY_FILE_PATIENCE if st.st_size == 0 else 1)
        if now - seen.since < settle:
            return False
        if _locked_by_writer(path):
            seen.since = now
            return False
        return True

    def _handle(self, path: Path, store: Store, registry: DepartmentRegistry) -> bool:
        """Ingest one complete file and move it aside; False when the store was busy (retry later)."""
        started = time.perf_counter()
        trace = ""
        try:
            result = ingest_file(path, store, registry)
        except sqlite3.OperationalError as e:
            log.warning("%s: store busy (%s); will retry", path.name, e)
            return False
        except FileNotFoundError:
            log.info("%s: gone before it could be read", path.name)
            return True
        except Exception as e:  # a bug in kaohe: quarantine the file rather than stop the service
            log.exception("%s: unexpected error", path.name)
            result = FileResult(file=str(path), status="failed", error=f"unexpected error, a bug in kaohe: {e!r}")
            trace = traceback.format_exc()
        if result.status == "failed":
            event = self._quarantine(path, result, store, trace)
        else:
            event = self._file_away(path, result, store)
        event.seconds = time.perf_counter() - started
        level = logging.WARNING if event.outcome == "failed" else logging.INFO
        where = Path(event.path).relative_to(self.folder)
        log.log(level, "%s %s%s %.2fs → %s", path.name, event.outcome, _details(event, result), event.seconds, where)
        return True

    def _file_away(self, path: Path, result: FileResult, store: Store) -> WatchEvent:
        """Move an ingested (or duplicate) file to processed/; the stored path follows it."""
        sha = _sha_or_none(path)
        destination = _move_free(path, self.folder / PROCESSED)
        event = WatchEvent(folder=str(self.folder), name=path.name, outcome=result.status, path=str(destination),
                           sha256=sha, indicators=result.indicators)  # fmt: skip
        if result.status == "duplicate":
            event.detail = result.duplicate_of
            record_event(store, event)
            return event
        ingested_at = result.file
        supersedes = previous_version(store, event.folder, event.name, ingested_at)
        event.outcome = "replaced" if supersedes else "added"
        event.detail = supersedes
        settle_document(store, ingested_at, event, supersedes)
        return event

    def _quarantine(self, path: Path, result: FileResult, store: Store, trace: str) -> WatchEvent:
        sha = _sha_or_none(path)
        destination = _move_free(path, self.folder / FAILED)
        note = destination.with_name(destination.name + ".error.txt")
        note.write_text(_failure_note(path, self.folder, result) + trace, encoding="utf-8")
        event = WatchEvent(folder=str(self.folder), name=path.name, outcome="failed", path=str(destination),
                           sha256=sha, detail=result.error)  # fmt: skip
        record_event(store, event)
        return event


# -- helpers -------------------------------------------------------------------


def _lock_folder(folder: Path) -> IO[str]:
    """Hold an exclusive lock on ``folder/.kaohe-watch.lock`` for as long as the watcher runs."""
    handle = (folder / LOCK_NAME).open("a+", encoding="utf-8")
    if fcntl is not None:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise FolderLocked(
                f"{folder}: already watched by another kaohe watch ({holder}); stop that one first "
                f"(one watcher per folder, so that no file is ingested twice)"
            ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} since {datetime.now().astimezone().isoformat(timespec='seconds')}\n")
    handle.flush()
    return handle


def _locked_by_writer(path: Path) -> bool:
    """Advisory: True when another process holds a flock or POSIX lock on the file (writers that take
    none are caught by the settle interval alone)."""
    if fcntl is None:
        return False
    try:
        with path.open("rb") as handle:
            for lock in (fcntl.flock, fcntl.lockf):
                try:
                    lock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                    lock(handle.fileno(), fcntl.LOCK_UN)
                except OSError:
                    return True
    except OSError:
        return True  # cannot even be opened yet
    return False


def _move_free(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` under its name, or ``name (2).ext``… when taken; never overwrite.
    Only this watcher writes there (the folder lock), so checking then renaming is safe."""
    destination = folder / path.name
    number = 2
    while destination.exists():
        destination = folder / f"{path.stem} ({number}){path.suffix}"
        number += 1
    os.rename(path, destination)
    return destination


def _sha_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def _reconcile(store: Store, folder: Path) -> None:
    """Repair a crash between moving a file to processed/ and recording its new path."""
    stale = [(p, sha) for p, sha in documents_in(store, folder) if not Path(p).exists()]
    if not stale:
        return
    by_sha = {file_sha256(p): p for p in (folder / PROCESSED).glob("*") if p.is_file()}
    for path, sha in stale:
        if sha in by_sha:
            store.move_document(path, str(by_sha[sha]))
            log.info("%s: found in processed/ as %s; store updated", Path(path).name, by_sha[sha].name)


def _details(event: WatchEvent, result: FileResult) -> str:
    if event.outcome == "failed":
        return f": {result.error}"
    if event.outcome == "duplicate":
        return f" of {Path(event.detail or '').name}"
    parts = f" {result.frameworks} frameworks, {result.indicators} indicators, {len(result.warnings)} warnings"
    if event.outcome == "replaced":
        parts += f" (replaces {Path(event.detail or '').name})"
    return parts


def _failure_note(path: Path, folder: Path, result: FileResult) -> str:
    lines = [
        "kaohe watch could not ingest this file (导入失败); nothing from it was written to the store.",
        f"file:    {path.name}",
        f"folder:  {folder}",
        f"when:    {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"problem: {result.error}",
        "",
        "What to do: fix what the problem names (a corrupt or encrypted file: save it again from the",
        "original; a missing converter: install it), then move the file back into the folder above.",
        "kaohe watch reads it again as soon as it is complete.",
    ]
    return "\n".join(lines) + "\n"
