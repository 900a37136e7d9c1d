"""The ingest pipeline: file → Document → frameworks → store, one transaction per file.

Reading and understanding a file (:func:`understand`) runs in a worker process with a memory and a
time ceiling (``ingest.isolation``); the parent only writes the result to the store. Whatever
happens to one file — a typed error, a limit, the worker's death, a bug — becomes a failed
``FileResult`` with a Chinese reason, and :func:`ingest_paths` goes on with the next file.

A batch reads with several workers (``jobs``, by default one per core) but stores as a serial run
would: files are handed out in order, each worker answers its own in order, and the parent stores
file k only after every file before it, so the store, the results and their order do not depend
on ``jobs``. A copy of a file still being read when the first copy is stored is found by
``Store.save`` itself and reported as a duplicate, as in a serial run.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from frameworks import extract_frameworks
from frameworks.build import locate
from frameworks.mentions import Mention, find_mentions
from frameworks.model import Framework
from frameworks.roster import find_roster, roster_count_warnings
from ingest.discover import iter_notice_files
from ingest.isolation import Worker, WorkerBug, isolation_enabled
from normalize.departments import DepartmentRegistry, default_registry
from parsers import Document, ParseWarning, parse
from parsers.detect import file_sha256
from parsers.errors import IngestError
from scoring.rules_extract import extract_rule_values, looks_like_rules_document
from store import Store
from store.results import RosterRow

log = logging.getLogger(__name__)
QUEUED_PER_WORKER = 2  # files given to a worker at a time: the one it reads, the next one waiting in its pipe
READ_AHEAD_PER_WORKER = 8  # files begun and not yet stored, per worker: the answers a batch may hold in memory


class FileResult(BaseModel):
    """What happened to one file: ok (added/replaced), unchanged, duplicate or failed."""

    file: str
    status: str
    error: str | None = None
    frameworks: int = 0
    indicators: int = 0
    deductions: int = 0
    warnings: list[str] = Field(default_factory=list)  # Chinese messages, for people
    warning_codes: list[str] = Field(default_factory=list)  # the stable code of each warning, in the same order
    error_code: str | None = None  # why a failed file failed, for programs (IngestError.code and the like)
    seconds: float = 0.0
    duplicate_of: str | None = None


class RunSummary(BaseModel):
    files: list[FileResult] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(1 for f in self.files if f.status in statuses)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]


@dataclass
class Understood:
    """What reading and understanding one file gives the store (built in the worker, sent to the parent)."""

    document: Document
    frameworks: list[Framework]
    region: str | None
    mentions: list[Mention]
    roster: list[RosterRow]
    rule_values: list[Any] = field(default_factory=list)
    seconds: float = 0.0  # reading and understanding, in the worker


def understand(path: Path, registry: DepartmentRegistry) -> Understood:
    """Parse one file and read its frameworks, roster, prose mentions and rules (no store involved)."""
    started = time.perf_counter()
    document = parse(path)
    roster = find_roster(document)
    document.warnings += [ParseWarning(code="roster_count", message=m) for m in roster_count_warnings(roster)]
    place = locate(document)
    frameworks = extract_frameworks(document, registry, roster, place)
    region, year = place
    roster_rows = [
        RosterRow(region=region, year=year, category=e.category, unit=registry.resolve(e.unit, region).canonical,
                  as_written=e.unit)
        for e in roster
    ]  # fmt: skip
    # A 办法's scoring parameters (threshold, weights, quotas…) are stored for its region: kaohe rules / score.
    rule_values = extract_rule_values(document) if looks_like_rules_document(document) else []
    if not frameworks and not rule_values:
        # Said, not silent: a notice with tables kaohe cannot read looks exactly like one without any.
        tables = len(document.tables)
        detail = f"{tables} 个表格均未能读作考核指标表" if tables else "文中没有表格"
        document.warnings.append(
            ParseWarning(code="no_indicators", message=f"0 项指标：未识别出考核指标表（{detail}）")
        )
    mentions = find_mentions(document, region)
    return Understood(document, frameworks, region, mentions, roster_rows, rule_values, time.perf_counter() - started)


def new_worker(registry: DepartmentRegistry, sharing: int = 1) -> Worker[Understood]:
    """A parse worker for ``registry`` (see ``ingest.isolation``); close it, or use it as a context manager.

    ``sharing`` workers run side by side: each reads a scan's pages with its share of the cores (unless
    ``KAOHE_OCR_THREADS`` says otherwise), so two scans at once neither crowd the cores nor hold two full
    sets of page threads in memory."""
    child_env = {"KAOHE_OCR_THREADS": str(max(1, usable_cores() // sharing))} if sharing > 1 else None
    return Worker(lambda path: understand(path, registry), child_env)


_shared: list[tuple[DepartmentRegistry, Worker[Understood]]] = []  # for callers of ingest_file alone (the watch)


def _worker_for(registry: DepartmentRegistry) -> Worker[Understood]:
    for known, worker in _shared:
        if known is registry:
            return worker
    worker = new_worker(registry)
    _shared.append((registry, worker))
    return worker


def warm_up(registry: DepartmentRegistry) -> None:
    """Load now what the first file would: jieba with the unit names, every parser with its library, the LibreOffice
    version (when installed), then fork the parse worker ``ingest_file`` uses for ``registry``, which inherits
    them. ``kaohe watch`` calls it before it says it is watching: the first file is read as fast as the next."""
    import parsers
    import parsers.metadata  # used by every parse
    from normalize.nlp import tokenizer
    from parsers.legacy_parser import find_soffice, libreoffice_version

    tokenizer()  # jieba with the unit names, inherited by the worker: the first file costs what the next does
    for fmt in parsers.BACKENDS:
        parsers.backend(fmt)
    if soffice := find_soffice():
        libreoffice_version(soffice)
    _worker_for(registry).start()


@dataclass
class _Job:
    """A file on its way through: when it started, the worker reading it, or its result if it needed no reading."""

    path: Path
    started: float
    result: FileResult | None = None
    worker: Worker[Understood] | None = None


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system says it), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no sched_getaffinity (macOS)
        return max(1, os.cpu_count() or 1)


class _Readers:
    """A batch's parse workers: up to ``jobs``, forked only when a file needs one (never more than the files to
    read), each new file given to the worker with the fewest files waiting."""

    def __init__(self, registry: DepartmentRegistry, jobs: int) -> None:
        self.registry = registry
        self.jobs = jobs
        self.workers: list[Worker[Understood]] = []

    def __enter__(self) -> _Readers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def free(self, busy: Worker[Understood] | None = None) -> bool:
        """A worker (other than ``busy``, whose answer the batch awaits) can take a file now."""
        others = [w for w in self.workers if w is not busy]
        return len(self.workers) < self.jobs or any(w.waiting < QUEUED_PER_WORKER for w in others)

    def choose(self, busy: Worker[Understood] | None = None) -> Worker[Understood]:
        """The least busy worker but ``busy``, or a new one while those are busy and fewer than ``jobs`` run."""
        least = min((w for w in self.workers if w is not busy), key=lambda w: w.waiting, default=None)
        if least is not None and (least.waiting == 0 or len(self.workers) >= self.jobs):
            return least
        worker = new_worker(self.registry, self.jobs)
        self.workers.append(worker)
        return worker

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


def ingest_file(
    path: Path, store: Store, registry: DepartmentRegistry, worker: Worker[Understood] | None = None
) -> FileResult:
    """Parse, understand and store one file; a failure of the file becomes a failed result, the store untouched.

    The file is read in ``worker`` (by default one kept per registry for the process). An error of
    the store itself (busy, disk full) is raised: it is not the file's fault.
    """
    reader = worker or _worker_for(registry)
    return _complete(_begin(path, store, lambda: reader), store)


def _begin(path: Path, store: Store, choose_worker: Callable[[], Worker[Understood]]) -> _Job:
    """Settle an unchanged or duplicate file at once; hand any other to a worker (``choose_worker()``)."""
    started = time.perf_counter()
    path = path.resolve()  # one identity per file, however the user spelled its path
    status, other = store.find_document(str(path), file_sha256(path))
    if status in ("unchanged", "duplicate"):
        return _Job(path, started, FileResult(file=str(path), status=status, duplicate_of=other))
    worker = choose_worker()
    started += worker.start()  # forking the worker and building its models is not this file's time
    worker.submit(path)
    return _Job(path, started, worker=worker)


def _complete(
    job: _Job,
    store: Store,
    meanwhile: Sequence[Worker[Understood]] = (),
    between: Callable[[], object] | None = None,
) -> FileResult:
    """The worker's answer for ``job``, stored in one transaction (while it is awaited, the ``meanwhile``
    workers' answers are collected and ``between()`` hands them more: ``Worker.result``)."""
    if job.result is not None:
        return job.result
    path, worker = job.path, job.worker
    assert worker is not None  # a job without a result was submitted to one
    try:
        done = worker.result(path, meanwhile, between)
    except IngestError as e:
        return FileResult(file=str(path), status="failed", error=str(e), error_code=e.code,
                          seconds=time.perf_counter() - job.started)  # fmt: skip
    except WorkerBug as e:
        log.debug("%s: 内部错误（kaohe 的缺陷）\n%s", path, e.trace)  # the person sees the one line below
        error = f"{path}：内部错误（kaohe 的缺陷，请报告）：{e}"
        return FileResult(file=str(path), status="failed", error=error, error_code="internal_error",
                          seconds=time.perf_counter() - job.started)  # fmt: skip
    document, frameworks = done.document, done.frameworks
    saving = time.perf_counter()
    saved = store.save(document, frameworks, done.region, done.mentions, done.roster, done.rule_values)
    if saved.status in ("unchanged", "duplicate"):  # a copy stored while this file was being read
        return FileResult(file=str(path), status=saved.status, duplicate_of=saved.duplicate_of)
    found = [*document.warnings, *(w for f in frameworks for w in f.warnings)]
    return FileResult(
        file=str(path),
        status=saved.status,
        frameworks=saved.frameworks,
        indicators=saved.indicators,
        deductions=saved.deductions,
        warnings=[w.message for w in found],
        warning_codes=[w.code for w in found],
        seconds=done.seconds + time.perf_counter() - saving,  # the file's own work: the worker reads ahead
        duplicate_of=saved.duplicate_of,
    )


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    registry: DepartmentRegistry | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    fail_fast: bool = False,
    jobs: int | None = None,
) -> RunSummary:
    """Ingest files and folders (recursively); one bad file never stops the batch unless ``fail_fast``.

    Never raises for a file: anything unexpected (a bug, the store refusing a write) is that file's
    failed result, with its reason and the exception's type, and the batch goes on.

    ``jobs`` worker processes read the files (default: the usable cores; one with ``KAOHE_ISOLATE=0``,
    which reads in this process) while this process stores them, file after file in the given order
    and one transaction each: the store, the results and the calls of ``on_file`` are those of a
    serial run, whatever ``jobs`` is.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    registry = registry or default_registry()
    jobs = jobs or usable_cores()
    if not isolation_enabled():
        jobs = 1  # in this process: one file at a time
    started = time.perf_counter()
    summary = RunSummary()
    with _Readers(registry, jobs) as readers:
        for result in _results(paths, store, readers):
            summary.files.append(result)
            if on_file is not None:
                on_file(result)
            if fail_fast and result.status == "failed":
                break  # nothing more is submitted; closing the readers drops what they were reading
    summary.seconds = time.perf_counter() - started
    return summary


def _results(paths: Iterable[Path], store: Store, readers: _Readers) -> Iterator[FileResult]:
    """Each file's result, in order, with files read ahead by every worker.

    A worker is given a file when it has fewer than ``QUEUED_PER_WORKER`` waiting, also while the parent
    awaits another worker's answer (``Worker.result(between=...)``), so that a slow file holds up only the
    files queued behind it on its own worker. Files go to the workers in order and each answers its own in
    order: the oldest file begun is always the next its worker answers, and the parent stores it before any
    later one. At most ``READ_AHEAD_PER_WORKER`` files per worker are begun and not yet stored, so a batch
    of any size holds a bounded number of documents in memory.
    """
    files = iter(_each_file(paths))
    queue: deque[_Job] = deque()
    window = READ_AHEAD_PER_WORKER * readers.jobs

    def top_up(busy: Worker[Understood] | None = None) -> None:
        """Begin files while the window has room and a worker (but ``busy``) can take one; with none in the
        queue, the next file whatever the workers hold, so that no file is ever left out."""
        while len(queue) < window and (not queue or readers.free(busy)):
            item = next(files, None)
            if item is None:
                return
            if not isinstance(item, _Job):
                item = _guarded(item, functools.partial(_begin, item, store, lambda: readers.choose(busy)))
            queue.append(item)

    top_up()
    while queue:
        head = queue[0]
        result = _finish(head, store, readers.workers, functools.partial(top_up, head.worker))
        queue.popleft()
        yield result
        top_up()


def _finish(
    job: _Job, store: Store, meanwhile: Sequence[Worker[Understood]], between: Callable[[], object]
) -> FileResult:
    done = _guarded(job.path, lambda: _Job(job.path, job.started, _complete(job, store, meanwhile, between)))
    assert done.result is not None
    return done.result


def _each_file(paths: Iterable[Path]) -> Iterator[Path | _Job]:
    """The notice files under ``paths``; a folder that cannot be listed is a failed job, not an abort."""
    for root in paths:
        try:
            yield from iter_notice_files([root])
        except OSError as e:
            error = f"{root}：无法读取（{e}）"
            failed = FileResult(file=str(root), status="failed", error=error, error_code="unreadable_file")
            yield _Job(root, time.perf_counter(), failed)


def _guarded(path: Path, step: Callable[[], _Job]) -> _Job:
    """``step()``, or a job already failed with the reason when it raises (the store, the file system, a bug)."""
    # The reason goes into the file's result, which the CLI and the watcher print: logging it here as well
    # would print it twice (and, without a logging setup, a traceback to the person at the terminal).
    try:
        return step()
    except OSError as e:  # unreadable, vanished, permission denied: a failed file, not a bug
        log.debug("%s: %s", path, e, exc_info=True)
        error, code = f"{path}：无法读取（{e.strerror or e}）", "unreadable_file"
    except Exception as e:
        not_stored = getattr(e, "not_stored", None)  # a store error says itself why the file is not stored
        log.debug("%s: %s", path, e, exc_info=True)
        if callable(not_stored):
            error, code = str(not_stored(path)), "not_stored"
        else:
            error, code = f"{path}：意外错误（kaohe 的缺陷，请报告：{type(e).__name__}: {e}）", "internal_error"
    failed = FileResult(file=str(path), status="failed", error=error[:1000], error_code=code)
    return _Job(path, time.perf_counter(), failed)
