"""What ``kaohe watch`` asks of the operating system: is the folder usable (exists, writable, not watched
by another watcher), does a file look complete from its content, does a writer hold a lock on it; and
the process around it: file system events, SIGINT/SIGTERM handlers, systemd's notification socket.
Nothing is logged here."""

from __future__ import annotations

import errno
import logging
import os
import queue
import signal
import socket
import tempfile
import threading
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

try:
    import fcntl
except ImportError:  # not on Windows: the lock checks are skipped there
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".kaohe-watch.lock"
PROCESSED, FAILED = "processed", "failed"
# How complete a file looks from its content (judge_complete): a container whose end reads (zip central
# directory, PDF %%EOF, PNG IEND, JPEG EOI), a format with no end marker (text ending in a line break, html
# with </html>, OLE, TIFF),
# or doubtful (empty, or no end yet: a copy that paused, or a damaged file).
COMPLETE, QUIET, DOUBTFUL = "complete", "quiet", "doubtful"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TAIL = 4096
_REASONS = {errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "只读文件系统", errno.ENOSPC: "磁盘已满",
            errno.ENOENT: "不存在", errno.ENOTDIR: "不是文件夹", errno.EEXIST: "同名文件已存在"}  # fmt: skip
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_HELD: dict[Path, str] = {}  # folders locked by this process, and by whom (lock_folder)
_HELD_LOCK = threading.Lock()


class WatchError(Exception):
    """kaohe watch cannot start or go on; the message says why and what to do."""


class FolderLocked(WatchError):
    """Another ``kaohe watch`` already watches this folder."""


# -- the folder ------------------------------------------------------------------


def check_folder(folder: Path) -> None:
    """The inbox exists, is a folder and can be written (files are moved out of it)."""
    if not folder.exists():
        raise WatchError(f"收件夹不存在：{folder}（检查路径，或网络共享是否已挂载）")
    if not folder.is_dir():
        raise WatchError(f"收件夹不是文件夹：{folder}")
    _probe(folder, "收件夹")


def prepare_subfolders(folder: Path) -> None:
    for sub in (PROCESSED, FAILED):
        try:
            (folder / sub).mkdir(exist_ok=True)
        except OSError as e:
            raise WatchError(f"无法创建 {folder / sub}（{reason(e)}）：kaohe watch 把读过的文件移到这里") from e
        _probe(folder / sub, f"{sub}/")


def _probe(folder: Path, label: str) -> None:
    try:
        handle, name = tempfile.mkstemp(prefix=".kaohe-watch-probe-", dir=folder)
        os.close(handle)
        os.unlink(name)
    except OSError as e:
        raise WatchError(
            f"{label} {folder} 不可写（{reason(e)}）：kaohe watch 要把读过的文件移出收件夹，需要写权限"
        ) from e


def lock_folder(folder: Path) -> IO[str]:
    """Hold an exclusive lock on ``folder/.kaohe-watch.lock`` until ``unlock_folder``.

    A POSIX record lock (``lockf``), not ``flock``: a process the watcher forks (the parse worker of
    ``ingest.isolation``) does not inherit it, so a watcher killed with -9 leaves no lock behind even while
    such a child lives on. POSIX locks belong to a process, so the folders locked in this process are also
    kept in ``_HELD`` (and the lock file is never opened twice here: closing it would drop the lock)."""
    with _HELD_LOCK:
        if folder in _HELD:
            raise FolderLocked(_locked_message(folder, _HELD[folder]))
        try:
            handle = (folder / LOCK_NAME).open("a+", encoding="utf-8")
        except OSError as e:
            raise WatchError(f"无法创建锁文件 {folder / LOCK_NAME}（{reason(e)}）") from e
        if fcntl is not None:
            try:
                fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                if e.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                handle.close()
                raise FolderLocked(_locked_message(folder, holder)) from None
        holder = f"pid {os.getpid()} since {datetime.now().astimezone().isoformat(timespec='seconds')}"
        handle.seek(0)
        handle.truncate()
        handle.write(holder + "\n")
        handle.flush()
        _HELD[folder] = holder
    return handle


def unlock_folder(folder: Path, handle: IO[str]) -> None:
    """Release the lock; the file stays (deleting it would race a new watcher)."""
    with _HELD_LOCK:
        handle.close()
        _HELD.pop(folder, None)


def _locked_message(folder: Path, holder: str) -> str:
    return (f"{folder} 已由另一个 kaohe watch 监视（{holder}）：请先停止那一个"
            "（每个文件夹只能有一个监视进程，以免同一文件被导入两次）")  # fmt: skip


def reason(e: OSError) -> str:
    return _REASONS.get(e.errno or 0, e.strerror or str(e))


# -- is it complete? -------------------------------------------------------------


def judge_complete(path: Path) -> tuple[str, str]:
    """``(COMPLETE | QUIET | DOUBTFUL, why)`` from the file's content (see the constants)."""
    with path.open("rb") as handle:
        head = handle.read(_TAIL)
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - _TAIL))
        tail = handle.read()
    if not head:
        return DOUBTFUL, "空文件（复制可能还没开始）"
    if b"%PDF-" in head[:1024]:
        return (COMPLETE, "") if b"%%EOF" in tail[-1024:] else (DOUBTFUL, "PDF 末尾没有 %%EOF")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return DOUBTFUL, "ZIP 中央目录读不出"
        return COMPLETE, ""
    if head.startswith(_OLE2):
        return QUIET, ""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return (COMPLETE, "") if b"IEND" in tail[-16:] else (DOUBTFUL, "PNG 末尾没有 IEND")
    if head.startswith(b"\xff\xd8\xff"):
        return (COMPLETE, "") if tail.rstrip(b"\x00").endswith(b"\xff\xd9") else (DOUBTFUL, "JPEG 末尾没有结束标记")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return QUIET, ""  # TIFF has no end marker: its directories may sit anywhere
    if b"<html" in head.lower():
        return (QUIET, "") if b"</html>" in tail.lower() else (DOUBTFUL, "没有以 </html> 结尾")
    if tail.rstrip(b" \t\x00").endswith((b"\n", b"\r")):
        return QUIET, ""
    return DOUBTFUL, "末行不完整，不以换行结尾"


def locked_by_writer(path: Path) -> bool:
    """Advisory: True when another process holds a flock or POSIX lock on the file (writers that take
    none are caught by the quiet intervals and the content checks)."""
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


# -- the process -------------------------------------------------------------------


class Queueing(FileSystemEventHandler):
    """Puts the path of every file system event in the folder into a queue (the worker sorts them out)."""

    def __init__(self, paths: queue.Queue[Path]) -> None:
        self.paths = paths

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        self.paths.put(Path(os.fsdecode(event.src_path)))
        if getattr(event, "dest_path", ""):
            self.paths.put(Path(os.fsdecode(event.dest_path)))


class _InotifyStopRace(logging.Filter):
    """watchdog 7 logs an ERROR when its inotify thread is stopped in the middle of a read (harmless)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "called when the thread is inactive" not in record.getMessage()


logging.getLogger("watchdog.observers.inotify").addFilter(_InotifyStopRace())


def take_signals(stop: Callable[[], None]) -> dict[int, Any]:
    """SIGINT/SIGTERM call ``stop`` once, then act as before; returns the handlers to restore."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # signals are the main thread's; a watcher run elsewhere is stopped with stop()
    previous = {signum: signal.getsignal(signum) for signum in _STOP_SIGNALS}

    def handler(signum: int, frame: object) -> None:
        stop()
        restore_signals(previous)

    for signum in previous:
        signal.signal(signum, handler)
    return previous


def restore_signals(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def notify(message: str) -> None:
    """Tell systemd (Type=notify, WatchdogSec=) READY=1, WATCHDOG=1 or STOPPING=1; nothing elsewhere."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError:
        pass  # a service manager that went away is no reason to stop ingesting


def fatal_line(error: BaseException) -> str:
    """The one log line before ``kaohe watch`` exits 1: what stopped it (and where, for a bug)."""
    if isinstance(error, WatchError):
        return f"kaohe watch 退出（退出码 1）：{error}"
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f"，{Path(frame.tb_frame.f_code.co_filename).name}:{frame.tb_lineno}" if frame else ""
    return f"kaohe watch 意外出错而退出（退出码 1，服务管理器会重启它）：{type(error).__name__}: {error}{where}"
