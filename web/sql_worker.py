"""The ``/sql`` page's statement, run in a worker process with hard limits (``kaohe serve --allow-sql``).

A progress handler cannot stop SQLite inside one expensive function call (``printf('%.*c',
900000000, 'x')`` ran 39 s and took 1 GB), so every statement runs in its own short-lived process that
the server can kill: :class:`SqlRunner` starts it, waits at most :data:`SECONDS` and kills it then,
and lets at most :data:`WORKERS` run at once (one more gets :class:`SqlBusy` at once), so the server's
threads stay free for the other pages. The worker (:func:`main`, this file run as a script with
``python -I``) caps its address space (``RLIMIT_AS``) and CPU time, lowers its priority, and opens
the store read-only with an authorizer (reading only, no denied function), SQLite's length limit,
an in-memory temp store, ``printf``/``format`` that refuse huge widths, and a progress handler.

This module imports nothing but the standard library: the worker starts in about 30 ms. It is the
one place outside ``store/`` that runs SQL, because it must run in a process of its own.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SECONDS = 5.0  # the whole request: start, query, answer; the worker is killed at this point
WORKERS = 2  # statements running at once
MEMORY_BYTES = 256 * 1024 * 1024  # the worker's address space
MAX_ROWS = 1000
MAX_SQL_CHARS = 10_000
MAX_VALUE_BYTES = 4_000_000  # SQLITE_LIMIT_LENGTH: the longest string or blob a statement may make or read
MAX_CELL_CHARS = 10_000  # longer values are cut for the page
MAX_RESULT_CHARS = 2_000_000  # rows stop here
MAX_WIDTH = 1000  # printf/format width and precision
DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit", "fts5"})
# What a statement may do: read tables and call functions (no writes, PRAGMA, ATTACH…).
_ALLOWED_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, 33})  # 33: RECURSIVE
# A printf conversion: flags, widths, precisions and length modifiers in any order (a superset of
# what SQLite reads, so no ``*`` argument is missed), then the conversion letter.
_SPEC = re.compile(r"%([-+ #!0,l.*\d]*)(.?)", re.DOTALL)
_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@dataclass
class SqlResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool  # more rows than shown
    clipped: int  # values cut to MAX_CELL_CHARS


class SqlFailed(Exception):
    """A statement that did not give rows; ``str(e)`` is the Chinese message for the page."""

    status = 400


class SqlRefused(SqlFailed):
    """A statement that tries to do more than read, or calls a denied function."""

    status = 403


class SqlBusy(SqlFailed):
    """Every worker is in use: try again in a few seconds."""

    status = 503


class SqlRunner:
    """Runs one statement at a time per worker on the store at ``db_path``, each in a killable process."""

    def __init__(self, db_path: Path, workers: int = WORKERS, seconds: float = SECONDS) -> None:
        self.db_path = Path(db_path).resolve()
        self.seconds = seconds
        self._slots = threading.BoundedSemaphore(workers)

    def run(self, sql: str) -> SqlResult:
        if len(sql) > MAX_SQL_CHARS:
            raise SqlFailed(f"SQL 语句过长（{len(sql)} 字符，上限 {MAX_SQL_CHARS}）。")
        if not self._slots.acquire(blocking=False):
            raise SqlBusy("正在执行其他查询，请几秒后再试。")
        try:
            reply = self._ask_worker({"db": str(self.db_path), "sql": sql, "seconds": self.seconds - 0.5})
        finally:
            self._slots.release()
        return _result_from(reply, self.seconds)

    def _ask_worker(self, request: dict[str, Any]) -> dict[str, Any]:
        command = [sys.executable, "-I", str(Path(__file__).resolve())]
        try:
            worker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            log.error("无法启动 SQL 查询进程：%s", e)
            return {"error": "no_worker"}
        try:
            out, err = worker.communicate(json.dumps(request).encode(), timeout=self.seconds)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.communicate()
            return {"error": "timeout"}
        try:
            reply: dict[str, Any] = json.loads(out)
        except ValueError:  # killed by its own limits (CPU time, memory) before it could answer
            log.warning("SQL 查询进程退出（退出码 %s）：%s", worker.returncode, err[-2000:].decode(errors="replace"))
            return {"error": "crashed"}
        return reply


def _result_from(reply: dict[str, Any], seconds: float) -> SqlResult:
    if "columns" in reply:
        return SqlResult(reply["columns"], reply["rows"], reply["truncated"], reply["clipped"])
    error = reply.get("error")
    if error == "refused":
        if reply.get("function"):
            raise SqlRefused(f"不允许调用函数 {reply['function']}()：它可能泄露本机信息或读写文件。")
        raise SqlRefused("只允许查询（SELECT）：此连接为只读，修改数据、PRAGMA、ATTACH 等语句一律拒绝。")
    messages = {
        "timeout": f"查询超过 {seconds:g} 秒，已中止。请加上 WHERE 条件或 LIMIT 缩小范围后再试。",
        "memory": f"查询所需内存超过上限（{MEMORY_BYTES // 2**20} MB），已中止。",
        "too_big": f"查询产生的某个值超过 {MAX_VALUE_BYTES:,} 字节的上限，已中止。",
        "width": f"printf/format 的宽度或精度超过上限（{MAX_WIDTH}），已拒绝。",
        "crashed": "查询进程超出资源上限，已中止。",
        "no_worker": "无法启动查询进程（本机资源不足？），请稍后再试。",
    }
    if error in messages:
        raise SqlFailed(messages[error])
    raise SqlFailed(f"查询出错：{reply.get('message', error)}")


# The worker: runs in its own process (``python -I sql_worker.py``), request on stdin, answer on stdout.


def main() -> None:
    request = json.loads(sys.stdin.buffer.read())
    _limit_process(float(request["seconds"]))
    try:
        reply = _run(request["db"], request["sql"], float(request["seconds"]))
    except MemoryError:
        reply = {"error": "memory"}
    except sqlite3.Error as e:  # opening the store
        reply = {"error": "failed", "message": str(e)}
    sys.stdout.buffer.write(json.dumps(reply, ensure_ascii=False).encode())


def _limit_process(seconds: float) -> None:
    """Address space and CPU time capped (the kernel stops the worker), lower priority (POSIX only)."""
    try:
        import resource
    except ImportError:  # Windows: the server's kill at the deadline is the limit
        return
    for limit, soft in ((resource.RLIMIT_AS, MEMORY_BYTES), (resource.RLIMIT_CPU, math.ceil(seconds) + 1)):
        _, hard = resource.getrlimit(limit)
        cap = soft if hard == resource.RLIM_INFINITY else min(soft, hard)
        resource.setrlimit(limit, (cap, cap if limit == resource.RLIMIT_AS else hard))
    os.nice(10)


def _run(db: str, sql: str, seconds: float) -> dict[str, Any]:
    conn = sqlite3.connect(f"{Path(db).as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only=ON")
    conn.execute("PRAGMA temp_store=MEMORY")  # sorting spills into the capped memory, never onto the disk
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    guard = _Guard(time.monotonic() + seconds)
    conn.set_authorizer(guard.authorize)
    conn.set_progress_handler(guard.too_late, 1000)
    for name in ("printf", "format"):
        conn.create_function(name, -1, guard.printf, deterministic=True)
    try:
        cursor = conn.execute(sql)
        return _collect(cursor)
    except sqlite3.Error as e:
        return guard.explain(e)


def _collect(cursor: sqlite3.Cursor) -> dict[str, Any]:
    """At most MAX_ROWS rows and about MAX_RESULT_CHARS characters, long values cut."""
    columns = [c[0] for c in cursor.description or []]
    cell = max(100, min(MAX_CELL_CHARS, MAX_RESULT_CHARS // max(1, len(columns))))  # one row fits the result
    rows: list[list[Any]] = []
    size, clipped, truncated = 0, 0, False
    for row in cursor:
        if len(rows) == MAX_ROWS or size > MAX_RESULT_CHARS:
            truncated = True
            break
        shown = [_shown(v, cell) for v in row]
        clipped += sum(cut for _, cut in shown)
        size += sum(len(v) if isinstance(v, str) else 8 for v, _ in shown)
        rows.append([v for v, _ in shown])
    return {"columns": columns, "rows": rows, "truncated": truncated, "clipped": clipped}


def _shown(value: Any, limit: int) -> tuple[Any, bool]:
    """A value the page can show (a blob as ``X'…'`` hex, a long text cut to ``limit``), and whether it was cut."""
    if isinstance(value, bytes):
        text = "X'" + value[: limit // 2].hex().upper() + "'"
        return (text + "…", True) if len(value) > limit // 2 else (text, False)
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…", True
    return value, False


class _Guard:
    """The worker connection's authorizer, progress handler and printf, and what they stopped."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.refused: list[str | None] = []
        self.width = False
        self._printf = sqlite3.connect(":memory:")  # SQLite's own printf, once the widths are checked
        self._printf.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)

    def authorize(self, action: int, _arg1: str | None, arg2: str | None, *_: Any) -> int:
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
            self.refused.append(arg2)
            return sqlite3.SQLITE_DENY
        if action in _ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        self.refused.append(None)
        return sqlite3.SQLITE_DENY

    def too_late(self) -> int:
        return int(time.monotonic() > self.deadline)

    def printf(self, *args: Any) -> Any:
        if not args:
            return None
        fmt = args[0].decode("utf-8", "replace") if isinstance(args[0], bytes) else args[0]
        if isinstance(fmt, str) and _widest(fmt, args[1:]) > MAX_WIDTH:
            self.width = True
            raise ValueError("printf width")
        placeholders = ", ".join("?" * len(args))
        return self._printf.execute(f"select printf({placeholders})", args).fetchone()[0]

    def explain(self, error: sqlite3.Error) -> dict[str, Any]:
        text = str(error)
        if self.refused or "readonly" in text or "query_only" in text:
            return {"error": "refused", "function": next((f for f in self.refused if f), None)}
        if self.width:
            return {"error": "width"}
        for needle, kind in (("interrupted", "timeout"), ("out of memory", "memory"), ("too big", "too_big")):
            if needle in text:
                return {"error": kind}
        return {"error": "failed", "message": text}


def _widest(fmt: str, args: tuple[Any, ...]) -> float:
    """The largest width or precision in a printf format, written as digits or taken from ``*`` arguments."""
    widest: float = 0
    taken = iter(args)
    for spec in _SPEC.finditer(fmt):
        for number in re.findall(r"\*|\d+", spec.group(1)):
            value = abs(_as_number(next(taken, 0))) if number == "*" else _as_number(number)
            widest = max(widest, value)
        if spec.group(2) not in ("%", "n", ""):  # these take no argument
            next(taken, None)
    return widest


def _as_number(value: Any) -> float:
    """An argument read as a number (text: its leading number, anything else: 0); NaN counts as too wide."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        match = _NUMBER.match(value[:400])
        value = float(match.group()) if match else 0
    if not isinstance(value, int | float):
        return 0
    return float(value) if math.isfinite(value) or math.isinf(value) else math.inf


if __name__ == "__main__":
    main()
