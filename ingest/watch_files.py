"""What ``kaohe watch`` does with one complete file: ingest it, move it aside and record its fate; at
start, settle the file a crash interrupted. No logging here: every fate is recorded in ``watch_events``
and returned, and ``ingest.watch`` writes the log line.

The journal: a ``started`` row before a file is read, one row for its fate after. A folder whose last row
is ``started`` lost its watcher in the middle of that file; ``Fates.recover`` moves the file to
``failed/`` instead of reading it again, because a file that kills or hangs the watcher would otherwise be
read again after every restart and stop every file behind it. Content that failed once is not read again
until it changes (``failed_before``).
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.discover import FORM_SUFFIXES
from ingest.pipeline import FileResult, ingest_file
from ingest.watch_os import FAILED, PROCESSED, WatchError, reason
from normalize.departments import DepartmentRegistry
from parsers.detect import file_sha256
from store import Store
from store.watch_log import (
    STARTED,
    WatchEvent,
    documents_in,
    failed_before,
    in_progress,
    indicator_count,
    previous_version,
    record_event,
    settle_document,
)


@dataclass
class Outcome:
    """A file's fate (already recorded) and, when it was read, what the pipeline said."""

    event: WatchEvent
    result: FileResult | None = None


# -- moving ----------------------------------------------------------------------


def move_aside(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` under its name, or ``name (2).ext``… when taken; never overwrite.
    Only this watcher writes there (the folder lock), so checking then renaming is safe. A file that
    cannot be moved stops the watcher (WatchError): left in the inbox it would be read again and again."""
    destination = folder / path.name
    number = 2
    while destination.exists():
        destination = folder / f"{path.stem} ({number}){path.suffix}"
        number += 1
    try:
        os.rename(path, destination)
    except OSError as e:
        raise WatchError(
            f"无法把 {path.name} 移到 {folder.name}/（{reason(e)}）：kaohe watch 停止，以免反复读取同一文件；"
            "请修正收件夹的权限，之后它会被重新启动"
        ) from e
    return destination


def find_moved(folder: Path, name: str, sha: str) -> Path | None:
    """The file ``name`` (or ``name (n)``) in ``folder`` with content ``sha``: where a crash left it."""
    stem, suffix = os.path.splitext(name)
    pattern = re.compile(rf"{re.escape(stem)}( \(\d+\))?{re.escape(suffix)}")
    for candidate in sorted(folder.glob("*")):
        if pattern.fullmatch(candidate.name) and sha_or_none(candidate) == sha:
            return candidate
    return None


def sha_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def failure_note(name: str, folder: Path, code: str, problem: str) -> str:
    lines = [
        "kaohe watch 未能导入此文件（导入失败），存储中没有写入它的任何内容。",
        f"文件：{name}",
        f"收件夹：{folder}",
        f"时间：{datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"原因：{problem}",
        f"代码：{code}",
        "",
        "处理办法：按原因修正文件（损坏或加密的文件：从原件重新另存），再放回上面的收件夹；",
        "文件写完后 kaohe watch 会读取它。内容未变的同一文件不会再被自动读取",
        "（以免有问题的文件反复让监视进程崩溃或卡住）。若原因不在文件本身（例如当时缺少 LibreOffice，",
        f"现已安装），请管理员把它移到 processed/ 后手动导入：kaohe-ingest {folder / PROCESSED / name} --db 存储",
    ]
    return "\n".join(lines) + "\n"


# -- fates -------------------------------------------------------------------------


class Fates:
    """Reads complete files of one folder into one store; each call records one fate and returns it."""

    def __init__(self, store: Store, folder: Path, registry: DepartmentRegistry) -> None:
        self.store, self.folder, self.registry = store, folder, registry
        self.key = str(folder)
        self._started = time.perf_counter()

    def handle(self, path: Path) -> Outcome | None:
        """Read one complete file (in the inbox, or in processed/ when it changed after it was moved);
        None when there was nothing to do (a file in processed/ touched but not changed)."""
        self._started = time.perf_counter()
        sha = sha_or_none(path)
        if sha is None:
            return self._record(path, "gone")
        if path.suffix.lower() in FORM_SUFFIXES:
            return self._take_form(path, sha) if path.parent == self.folder else None
        status, _ = self.store.find_document(str(path), sha)
        if status == "unchanged" and path.parent != self.folder:
            return None
        if status not in ("unchanged", "duplicate") and (earlier := failed_before(self.store, self.key, sha)):
            problem = f"内容与 {earlier.at} 失败的 {earlier.name} 相同，不再读取（当时：{earlier.detail}）"
            return self.quarantine(path, sha, "failed_before", problem)
        try:
            self._record(path, STARTED, sha)
        except sqlite3.OperationalError as e:
            if not _busy(e):
                raise
            return Outcome(self._event(path, "retry", sha, f"存储被其他程序锁定，稍后重试（{e}）"))  # not started
        return self._read(path, sha)

    def _read(self, path: Path, sha: str) -> Outcome:
        try:
            result = ingest_file(path, self.store, self.registry)
        except sqlite3.OperationalError as e:
            if not _busy(e):
                raise  # the store itself is failing: the watcher stops (and says so)
            return self._retry(path, sha, e)
        except FileNotFoundError:
            return self._record(path, "gone", sha)
        except Exception as e:  # a bug in kaohe, or the file exhausts it (MemoryError, RecursionError)
            return self.quarantine(path, sha, "crashed", f"kaohe 内部错误：{e!r}", traceback.format_exc())
        if result.status == "failed":
            return Outcome(self.quarantine(path, sha, "ingest_failed", result.error or "").event, result)
        if path.parent != self.folder:
            return self._reread(path, sha, result)
        return self.settle(path, move_aside(path, self.folder / PROCESSED), sha, result)

    def _take_form(self, path: Path, sha: str) -> Outcome:
        """A filled monthly progress form (``kaohe progress add``): stored whole and moved to processed/, or
        moved to failed/ with a note listing every cell to correct. Anything else named .xlsx/.csv is not
        kaohe's to read: it goes to failed/ saying so."""
        from progress.intake import NOT_A_FORM, take_in

        self._record(path, STARTED, sha)
        intake = take_in(self.store, path)  # read once: whether it is a form at all is part of the answer
        if not intake.form:
            return self.quarantine(path, sha, "not_a_form", NOT_A_FORM)
        if intake.stored is None:
            return self.quarantine(path, sha, "progress_refused", intake.message())
        destination = move_aside(path, self.folder / PROCESSED)
        event = WatchEvent(folder=self.key, name=path.name, outcome="progress", path=str(destination), sha256=sha,
                           detail=intake.message(), indicators=intake.stored.rows, seconds=self._seconds())  # fmt: skip
        record_event(self.store, event)
        return Outcome(event)

    def settle(self, ingested_at: Path, destination: Path, sha: str, result: FileResult) -> Outcome:
        """The file was read at ``ingested_at`` and now is ``destination`` in processed/: the store follows."""
        event = WatchEvent(folder=self.key, name=ingested_at.name, outcome=result.status, path=str(destination),
                           sha256=sha, indicators=result.indicators, seconds=self._seconds())  # fmt: skip
        if result.status == "duplicate":
            event.detail = result.duplicate_of
            record_event(self.store, event)
            return Outcome(event, result)
        if result.status == "unchanged":  # read before a crash: nothing was parsed this time
            event.indicators = indicator_count(self.store, str(ingested_at))
        supersedes = previous_version(self.store, self.key, event.name, str(ingested_at))
        event.outcome = "replaced" if supersedes else "added"
        event.detail = supersedes
        settle_document(self.store, str(ingested_at), event, supersedes)
        return Outcome(event, result)

    def quarantine(self, path: Path, sha: str | None, code: str, problem: str, trace: str = "") -> Outcome:
        """Move the file to failed/ with ``NAME.error.txt``, then record it (forgetting a version stored there)."""
        destination = move_aside(path, self.folder / FAILED)
        note = destination.with_name(destination.name + ".error.txt")
        note.write_text(failure_note(destination.name, self.folder, code, problem) + trace, encoding="utf-8")
        event = WatchEvent(folder=self.key, name=path.name, outcome="failed", path=str(destination), sha256=sha,
                           detail=f"{code}: {problem}", seconds=self._seconds())  # fmt: skip
        record_event(self.store, event, forget=str(path))
        return Outcome(event)

    def _reread(self, path: Path, sha: str, result: FileResult) -> Outcome:
        """processed/NAME changed after it was moved (its writer went on): its new content replaces the old."""
        event = WatchEvent(folder=self.key, name=path.name, outcome="replaced", path=str(path), sha256=sha,
                           detail=str(path), indicators=result.indicators, seconds=self._seconds())  # fmt: skip
        if result.status == "duplicate":
            event.outcome, event.detail = "duplicate", result.duplicate_of
        elif result.status == "unchanged":
            event.indicators = indicator_count(self.store, str(path))
        record_event(self.store, event, forget=str(path) if result.status == "duplicate" else None)
        return Outcome(event, result)

    def _retry(self, path: Path, sha: str, error: Exception) -> Outcome:
        """The store stayed locked by another program: record ``retry`` if it can be (else the next attempt
        writes its own ``started`` row), and read the file again later."""
        event = self._event(path, "retry", sha, f"存储被其他程序锁定，稍后重试（{error}）")
        try:
            record_event(self.store, event)
        except sqlite3.OperationalError as e:
            if not _busy(e):
                raise
        return Outcome(event)

    def _event(self, path: Path, outcome: str, sha: str | None = None, detail: str | None = None) -> WatchEvent:
        return WatchEvent(folder=self.key, name=path.name, outcome=outcome, path=str(path), sha256=sha, detail=detail,
                          seconds=self._seconds())  # fmt: skip

    def _seconds(self) -> float:
        return round(time.perf_counter() - self._started, 3)

    def _record(self, path: Path, outcome: str, sha: str | None = None, detail: str | None = None) -> Outcome:
        event = self._event(path, outcome, sha, detail)
        record_event(self.store, event)
        return Outcome(event)

    # -- at start ------------------------------------------------------------------

    def recover(self) -> Outcome | None:
        """Settle the file the last watcher died on (the folder's last row is ``started``), before anything
        else: read to the end, it is moved and recorded; not, it goes to failed/ and is not read again."""
        orphan = in_progress(self.store, self.key)
        if orphan is None or orphan.sha256 is None:
            return None
        path, sha = Path(orphan.path), orphan.sha256
        here = sha_or_none(path) == sha
        status, other = self.store.find_document(str(path), sha)
        if status in ("unchanged", "duplicate"):  # it was read; the crash came after
            result = FileResult(file=str(path), status=status, duplicate_of=other)
            if path.parent != self.folder:
                return self._reread(path, sha, result)
            if here:
                return None  # still in the inbox: handled again as usual, without parsing
            moved = find_moved(self.folder / PROCESSED, path.name, sha)
            return self.settle(path, moved, sha, result) if moved else self._record(path, "gone", sha)
        problem = "kaohe watch 在读取此文件时中断（崩溃、被强制结束、内存不足或超时），此文件不再自动重试"
        if here:
            return self.quarantine(path, sha, "interrupted", problem)
        moved = find_moved(self.folder / FAILED, path.name, sha)
        if moved is None:
            return self._record(path, "gone", sha)
        note = moved.with_name(moved.name + ".error.txt")
        if not note.exists():
            note.write_text(failure_note(moved.name, self.folder, "interrupted", problem), encoding="utf-8")
        event = WatchEvent(folder=self.key, name=path.name, outcome="failed", path=str(moved), sha256=sha,
                           detail=f"interrupted: {problem}")  # fmt: skip
        record_event(self.store, event, forget=str(path))
        return Outcome(event)

    def reconcile(self) -> list[str]:
        """Stored documents whose inbox file is gone but sits in processed/ (a crash from before the journal):
        the store follows. Returns the names repaired."""
        stale = [(p, sha) for p, sha in documents_in(self.store, self.folder) if not Path(p).exists()]
        if not stale:
            return []
        by_sha = {file_sha256(p): p for p in (self.folder / PROCESSED).glob("*") if p.is_file()}
        repaired = []
        for path, sha in stale:
            if sha in by_sha:
                self.store.move_document(path, str(by_sha[sha]))
                repaired.append(Path(path).name)
        return repaired


def _busy(error: BaseException) -> bool:
    """Another process kept the store's write lock (SQLite BUSY/LOCKED, or the store's own error raised from
    one after its retries): read the file again later."""
    for e in (error, error.__cause__):
        if isinstance(e, sqlite3.Error) and (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF in (5, 6):
            return True
    return "database is locked" in str(error) or "database is busy" in str(error)


def describe(outcome: Outcome, folder: Path) -> tuple[int, str]:
    """The log level and line for a file's fate: ``NAME OUTCOME：details，SECONDS 秒 → where it is now``."""
    event, result = outcome.event, outcome.result
    where = os.path.relpath(event.path, folder) if event.path.startswith(f"{folder}{os.sep}") else event.path
    if event.outcome in ("added", "replaced"):
        detail = f"{event.indicators} 项指标"
        if result is not None and result.status != "unchanged":
            detail = f"{result.frameworks} 个考核框架，{detail}，{len(result.warnings)} 条警告"
        if event.outcome == "replaced":
            detail += f"，取代 {Path(event.detail or '').name}"
    elif event.outcome == "duplicate":
        detail = f"与 {Path(event.detail or '').name} 内容相同，未再导入"
    elif event.outcome == "progress":
        detail = f"月度进度填报 {event.indicators} 行已存入"
    else:
        detail = "读取前已被移走或删除" if event.outcome == "gone" else event.detail or ""
    level = logging.WARNING if event.outcome in ("failed", "gone", "retry") else logging.INFO
    return level, f"{event.name} {event.outcome}：{detail}，{event.seconds:.2f} 秒 → {where}"
