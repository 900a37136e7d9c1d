"""Typed errors of the store: the SQLite file cannot be opened, created or written, or is locked.

Raised by ``Store.__init__`` and every write; only the CLI formats them. ``str(err)`` is one Chinese
line that starts with the store's path. Each class also stays the ``sqlite3`` error it translates
(``StoreLocked`` is a ``sqlite3.OperationalError``, ``NotAStore`` a ``sqlite3.DatabaseError``), so code
that already waited on a busy store (the watch folder) keeps working. An SQLite error that is not
about the file (bad SQL, a constraint) is not translated: it is a bug and should crash.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

# SQLite primary result codes (sqlite.org/rescode.html) that describe the file or its neighbours.
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26

OS_REASONS = {
    errno.ENOENT: "路径不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
}


@dataclass(frozen=True)
class LockWait:
    """How long a write waits for another writer: SQLite's busy timeout per attempt, ``retries`` more attempts
    after pauses of ``backoff``, 2×``backoff``…; once a write gave up, later ones try once for ``after_give_up``
    seconds until one succeeds (a batch against a store locked for good fails each file quickly)."""

    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    after_give_up: float = 1.0

    def budget(self, attempts: int) -> float:
        return self.timeout * attempts + sum(self.backoff * 2**n for n in range(attempts - 1))


LOCK_WAIT = LockWait()  # what a Store waits unless told otherwise, read when it is made: tests shorten it


class StoreError(Exception):
    """The store cannot be used. ``str(err)`` is ``PATH：problem``, one line."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}：{problem}")

    def not_stored(self, file: str | Path) -> str:
        """The line for a notice this error kept out of the store (a failed file of kaohe-ingest)."""
        return f"{file}：未入库——{self}"


class NotAStore(StoreError, sqlite3.DatabaseError):
    """The file is not an SQLite database (or is damaged)."""


class StoreUnavailable(StoreError, sqlite3.OperationalError):
    """The store cannot be opened, created or written: folder missing, no permission, read-only, disk full."""


class StoreLocked(StoreError, sqlite3.OperationalError):
    """Another process kept the write lock through every retry."""

    def __init__(self, path: str | Path, waited: float, holders: list[str]) -> None:
        self.waited, self.holders = waited, holders
        who = f"（{'、'.join(holders)}）" if holders else ""
        super().__init__(path, f"数据库正被其他程序锁定{who}，等待 {waited:g} 秒后放弃；请等它结束后再试")


def is_busy(error: sqlite3.Error) -> bool:
    return _code(error) in (_BUSY, _LOCKED)


def store_error(path: str | Path, error: sqlite3.Error, action: str) -> StoreError | None:
    """The typed error for an SQLite error about the file itself, or None (a bug: let it crash).

    ``action`` says what was attempted: 打开, 创建 or 写入."""
    code = _code(error)
    if code in (_NOTADB, _CORRUPT):
        return NotAStore(path, "不是 SQLite 数据库（或已损坏）；请指向 kaohe 的库，或换一个新文件名")
    if code == _FULL:
        return StoreUnavailable(path, f"无法{action}数据库，磁盘已满")
    if code in (_CANTOPEN, _READONLY, _PERM, _IOERR):
        reason = _store_problem(Path(path), action) or f"SQLite 报告：{error}"
        return StoreUnavailable(path, f"无法{action}数据库，{reason}")
    return None


def write_problem(path: Path) -> str | None:
    """Why no file can be created or written at ``path``, or None when nothing stands in the way."""
    if path.is_dir():
        return "这是一个文件夹"
    folder = path.parent
    if not folder.exists():
        return f"文件夹 {folder} 不存在"
    if not folder.is_dir():
        return f"{folder} 不是文件夹"
    if path.exists():
        return None if os.access(path, os.W_OK) else "文件只读（没有写权限）"
    return None if os.access(folder, os.W_OK | os.X_OK) else f"文件夹 {folder} 没有写权限"


def _store_problem(path: Path, action: str) -> str | None:
    if action == "打开" and not path.exists():
        return "文件不存在"
    problem = write_problem(path)
    if problem or not path.exists():
        return problem
    if not os.access(path, os.R_OK):
        return "没有读取权限"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"文件夹 {path.parent} 没有写权限（SQLite 要在库旁建 -wal、-shm 文件）"
    return None


def _code(error: sqlite3.Error) -> int:
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


def lock_holders(path: str | Path) -> list[str]:
    """Best effort (Linux): the other processes holding a write lock on the store or its WAL index, read from
    ``/proc/locks`` (opening the files ourselves would drop this process's own SQLite locks on close)."""
    inodes = set()
    for name in (str(path), f"{path}-shm"):
        try:
            st = os.stat(name)
        except OSError:
            continue
        inodes.add(f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}")
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    pids = []
    for fields in (line.split() for line in lines):  # "4: POSIX  ADVISORY  WRITE 12469 fe:00:2147869 120 120"
        if len(fields) >= 6 and "->" not in fields and fields[3] == "WRITE" and fields[5] in inodes:
            pid = int(fields[4])
            if pid != os.getpid() and pid not in pids:
                pids.append(pid)
    return [f"{_process_name(pid)}，pid {pid}" for pid in pids]


def _process_name(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return "未知程序"
    words = [Path(w).name if "/" in w else w for w in argv[:3] if w] or ["未知程序"]
    text = " ".join(words)
    return text if len(text) <= 60 else text[:59] + "…"
