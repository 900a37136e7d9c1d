"""Run the reading of each file in a worker process with a memory and a time ceiling (issue 13).

The limits in ``parsers.limits`` refuse what can be recognised as too big before the work. What
still escapes them — a PDF stream that inflates to gigabytes, a pathological table that takes
minutes — must cost only its own file: :class:`Worker` runs a job (parse and understand one file)
in a child process and returns its result, or raises an ``IngestError`` saying what went wrong:

* **memory**: the child's address space is capped with ``RLIMIT_AS`` at what it holds when it
  starts reading the file plus ``worker_memory_mb`` (measured per file: a worker that has read a
  scan keeps its OCR engine, and loads jieba the first time a paragraph names a unit); past it an
  allocation fails (``MemoryError``, or the child dies inside a C extension) and the file fails with
  ``内存超限``;
* **time**: the parent waits ``worker_timeout_s`` for the answer, then kills the child and the
  file fails with ``超时``; the child also arms ``SIGALRM`` a little later, so it ends by itself
  should the parent die first. A scan read by OCR sends a heartbeat after every page, which starts
  both clocks again: the limit holds per page, so a 100-page scan is not cut off at 180 s;
* **OCR**: a PDF or an image may need OCR, whose models and page images need more room: for them the
  cap is raised by ``ocr_memory_mb``;
* **death** (a signal, an exit): the file fails naming the signal; a Python exception that is not
  an ``IngestError`` is a bug, reported with its type (:class:`WorkerBug`).

The worker is long-lived: it is forked once (``fork`` start method), inherits the imported modules
and whatever the parent has loaded (the watch folder builds jieba first), keeps its own caches warm
from file to file, and is replaced only after a failure of memory, time or death (the files queued behind the failed
one go to the new worker). ``KAOHE_ISOLATE=0`` (or a platform without ``fork``) runs the job in the
calling process instead, without ceilings. The parent keeps all store writes.

Cost: each answer is pickled in the worker and unpickled in the parent, with the garbage collector
paused (otherwise its collections cost three times the unpickling): about 2 s for the 240 files of
the ingest benchmark. A batch submits the next file before it stores the current one, so on two
cores the worker reads while the parent writes, which more than pays for it (README, Benchmarks).

Several workers (``kaohe-ingest -j``, ``ingest.pipeline.ingest_paths``): each answers its own files
in the order they were submitted, and the batch submits in file order and stores in file order, so
the oldest file in flight is always the next its worker answers; the parent, the only writer, waits
for it, stores it, then takes the next. The store, the summary and the order of the results are
those of a serial run. While the parent waits for one worker, it reads what the others answer
(``Worker.collect``: an answer larger than the pipe would otherwise keep its worker from the next
file) and hands them more files, so a slow file holds up only the files queued behind it on its
own worker. A file may then wait for the answer of an earlier one on another worker longer than the
time limit: the parent's clock for it starts only when the parent asks for it, and a worker whose
own alarm ended it first (``SIGALRM``) reports the file as over the time limit too.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import logging
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

from parsers.detect import might_need_ocr
from parsers.errors import IngestError, LimitExceeded
from parsers.limits import Limits, limits
from parsers.progress import PageProgress, page_listener

log = logging.getLogger(__name__)

T = TypeVar("T")
_ALARM_GRACE_S = 30  # the child's own alarm rings this long after the parent's deadline
_STOP_WAIT_S = 5


class WorkerBug(Exception):
    """The job raised something other than an ``IngestError`` in the worker: a bug in kaohe."""

    def __init__(self, kind: str, message: str, trace: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.trace = trace


def isolation_enabled() -> bool:
    """False with ``KAOHE_ISOLATE=0`` or where ``fork`` is not available."""
    wanted = os.environ.get("KAOHE_ISOLATE", "1").strip().lower() not in ("0", "false", "no", "off")
    return wanted and "fork" in multiprocessing.get_all_start_methods()


class Worker(Generic[T]):
    """One child process that runs ``job(path)`` for path after path (see the module's docstring).

    ``submit`` hands a path over and returns at once; ``result`` waits for the oldest path submitted.
    A batch submits the next file before it stores the current one, so the worker reads file N + 1
    while the parent writes file N. What the parent has loaded before the fork is inherited.
    With several workers, ``result(path, meanwhile=workers)`` reads the answers the others send while
    it waits (``collect``): a worker whose answer waited in the pipe could not go on with its next file.
    """

    def __init__(self, job: Callable[[Path], T], child_env: dict[str, str] | None = None) -> None:
        self.job = job
        self.child_env = child_env or {}  # defaults for the child's environment (what the user set wins)
        self._process: Any = None
        self._conn: Connection | None = None
        self._inflight: deque[Path] = deque()  # submitted, not yet taken by ``result``, in order
        self._answers: deque[tuple[str, object]] = deque()  # collected ahead: the answers of the oldest in flight
        self._hung_up = False  # collect found the pipe closed: result reports why when the file's turn comes
        self.started = 0  # workers forked so far (1 for a batch without failures)

    def __enter__(self) -> Worker[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, path: Path) -> T:
        """``job(path)`` in the worker; ``IngestError`` for a file that failed, ``WorkerBug`` for a bug."""
        self.submit(path)
        return self.result(path)

    def start(self) -> float:
        """Fork the worker now if none is running; the seconds it took."""
        started = time.perf_counter()
        if isolation_enabled() and not self._running():
            self._restart(limits())
        return time.perf_counter() - started

    @property
    def waiting(self) -> int:
        """Files submitted and not yet answered: the worker's backlog (a batch gives the next file to the worker
        with the smallest)."""
        return len(self._inflight) - len(self._answers)

    def submit(self, path: Path) -> None:
        self._inflight.append(path)
        if not isolation_enabled():
            return
        lim = limits()
        try:
            if self._running() and self._conn is not None:
                with contextlib.suppress(OSError):  # gone since is_alive(): as below
                    self._conn.send((str(path), lim.worker_timeout_s))
                    return
            self._restart(lim)  # a worker that died in between: the files it held go to a fresh one
        except BaseException:
            self._inflight.pop()  # not submitted (no fork, say): the next answer awaited is not this file's
            raise

    def result(self, path: Path, meanwhile: Sequence[Worker[T]] = (), between: Callable[[], object] | None = None) -> T:
        """The answer for ``path``, the oldest path submitted (its failure raised as described in ``run``).

        While it waits, the answers the ``meanwhile`` workers send are collected, so that they read on, and
        ``between()`` runs after each (a batch hands them their next files then)."""
        if not self._inflight or self._inflight[0] != path:
            raise ValueError(f"{path} is not the next file the worker answers")
        if self._conn is None and not isolation_enabled():
            self._inflight.popleft()
            return self.job(path)
        lim = limits()
        kind, payload = self._receive(path, lim, lambda conn, timeout: self._poll(conn, timeout, meanwhile, between))
        if kind == "ok":
            return payload  # type: ignore[no-any-return]
        if kind == "error":
            raise payload  # type: ignore[misc]
        if kind == "memory":
            self._fail_over(kill=False)  # it exits by itself after a MemoryError
            raise _memory_exceeded(path, lim, "分配内存失败")
        raise WorkerBug(*payload)  # type: ignore[misc]

    def _receive(self, path: Path, lim: Limits, poll: Callable[[Connection, float], bool]) -> tuple[str, object]:
        """The oldest file's answer. A worker that left cleanly before reading it (SIGTERM, or gone while
        idle) did not fail it: the files it held go to a fresh worker, once."""
        if self._answers:  # collected while the parent waited for another worker
            self._inflight.popleft()
            return self._answers.popleft()
        for attempt in (1, 2):
            conn = self._conn
            if conn is None or not poll(conn, lim.worker_timeout_s):
                self._inflight.popleft()
                self._fail_over(kill=True)
                raise _timed_out(path, lim)
            try:
                with _gc_paused():
                    answer: tuple[str, object] = conn.recv()
                while answer[0] == "progress":  # a scanned page read: the time limit starts again
                    if not poll(conn, lim.worker_timeout_s):
                        break
                    with _gc_paused():
                        answer = conn.recv()
            except (EOFError, OSError):
                process = self._process
                if process is not None:
                    process.join(_STOP_WAIT_S)
                if attempt == 1 and process is not None and process.exitcode == 0:
                    self._restart(lim)
                    continue
                raise self._death(path, lim) from None
            if answer[0] == "progress":
                self._inflight.popleft()
                self._fail_over(kill=True)
                problem = f"超时：一页的文字识别超过 {lim.worker_timeout_s:g} 秒仍未结束，已终止解析进程"
                raise LimitExceeded(path, problem, _hint(lim, "worker_timeout_s"), limit="worker_timeout_s")
            self._inflight.popleft()
            return answer
        raise AssertionError("unreachable")

    def _poll(
        self, conn: Connection, timeout: float, meanwhile: Sequence[Worker[T]], between: Callable[[], object] | None
    ) -> bool:
        """``conn.poll(timeout)``, collecting meanwhile what the ``meanwhile`` workers answer (then ``between()``)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            others = {c: w for w in meanwhile if w is not self and (c := w._listening()) is not None}
            if not others or remaining <= 0:
                return conn.poll(max(remaining, 0))
            ready = wait([conn, *others], remaining)
            if conn in ready:
                return True
            for other in ready:
                others[other].collect()  # type: ignore[index]
            if ready and between is not None:
                between()

    def _listening(self) -> Connection | None:
        """The pipe to collect from: one that may still bring an answer not yet collected."""
        if self._conn is None or self._hung_up or len(self._answers) >= len(self._inflight):
            return None
        return self._conn

    def collect(self) -> None:
        """Read the answers already sent, without waiting: a worker whose answer does not fit in the pipe waits
        until it is read before it starts its next file. Its death, if the pipe closed, is left to ``result``."""
        conn = self._listening()
        try:
            while conn is not None and len(self._answers) < len(self._inflight) and conn.poll(0):
                with _gc_paused():
                    answer: tuple[str, object] = conn.recv()
                if answer[0] != "progress":  # a page read: it matters only while this worker's own file is awaited
                    self._answers.append(answer)
        except (EOFError, OSError):
            self._hung_up = True

    def _fail_over(self, *, kill: bool) -> None:
        """Replace a worker that failed a file: the files queued behind it go to a fresh one."""
        self._stop(kill=kill)
        if self._inflight:
            self._restart(limits())

    def close(self) -> None:
        """Stop the worker (it also stops by itself when the parent goes away); files not answered are dropped."""
        self._stop(kill=bool(self._inflight))
        self._inflight.clear()
        self._answers.clear()

    def _running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def _restart(self, lim: Limits) -> None:
        """A fresh worker, given every file submitted and not yet answered (nor collected), in order."""
        self._stop(kill=True)
        context = multiprocessing.get_context("fork")
        parent, child = context.Pipe()
        arguments = (child, parent, self.job, lim.worker_memory_mb, self.child_env)
        process = context.Process(target=_serve, args=arguments, daemon=True)
        process.start()
        child.close()
        self._process, self._conn = process, parent
        self.started += 1
        log.debug("parse worker %d started (pid %d)", self.started, process.pid)
        for path in list(self._inflight)[len(self._answers) :]:
            parent.send((str(path), lim.worker_timeout_s))

    def _stop(self, *, kill: bool) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        self._hung_up = False
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)  # an idle worker stops (EOF would not come while a sibling holds a copy of this end)
            conn.close()
        if process is None:
            return
        if kill and process.is_alive():
            process.kill()
        process.join(_STOP_WAIT_S)
        if process.is_alive():
            process.kill()
            process.join()

    def _death(self, path: Path, lim: Limits) -> IngestError:
        """The error for a worker that died without answering."""
        process = self._process
        self._inflight.popleft()
        self._fail_over(kill=False)
        code = process.exitcode if process is not None else None
        if code == -signal.SIGALRM:  # its own alarm: the file ran past the limit while the parent waited on another
            return _timed_out(path, lim)
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            if -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT):
                return _memory_exceeded(path, lim, f"解析进程被信号 {name} 终止，多为内存耗尽")
            return IngestError(path, f"解析进程被信号 {name} 终止", "请重试；如反复出现，请报告此文件")
        return IngestError(path, f"解析进程意外退出（退出码 {code}）", "请重试；如反复出现，请报告此文件")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No garbage collection while an answer is pickled or unpickled: it builds a document's worth of
    new objects, and the collections they would trigger cost three times the unpickling itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _hint(lim: Limits, field: str) -> str:
    return f"确属正常文件时，可设环境变量 {lim.env_name(field)} 调高上限（现为 {getattr(lim, field):g}）"


def _timed_out(path: Path, lim: Limits) -> LimitExceeded:
    problem = f"超时：解析超过 {lim.worker_timeout_s:g} 秒仍未结束，已终止解析进程"
    return LimitExceeded(path, problem, _hint(lim, "worker_timeout_s"), limit="worker_timeout_s")


def _memory_exceeded(path: Path, lim: Limits, detail: str) -> LimitExceeded:
    problem = f"内存超限：解析所需内存超过 {lim.worker_memory_mb} MB（{detail}）"
    return LimitExceeded(path, problem, _hint(lim, "worker_memory_mb"), limit="worker_memory_mb")


# -- in the child ----------------------------------------------------------------------------


class _Termination:
    """SIGTERM in the worker (``systemctl stop`` signals the whole service): an idle worker leaves at once, a
    busy one finishes its file and answers first, as the watch folder finishes the file in progress."""

    def __init__(self) -> None:
        self.busy = self.requested = False

    def __call__(self, signum: int, frame: object) -> None:
        if not self.busy:
            os._exit(0)
        self.requested = True


def _serve(
    conn: Connection,
    parent_end: Connection,
    job: Callable[[Path], object],
    memory_mb: int,
    env_defaults: dict[str, str] | None = None,
) -> None:
    """The worker's loop: read a path, run the job, send ``(kind, payload)``; ``None``, EOF, SIGTERM or the
    parent's death (checked every second while idle) ends it."""
    parent_end.close()
    for name, value in (env_defaults or {}).items():
        os.environ.setdefault(name, value)
    parent, termination = os.getppid(), _Termination()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, termination)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # rings only if the parent stopped waiting long ago
    faulthandler.disable()  # a crash is reported by the parent, in words, not as a C stack dump
    gc.freeze()  # what the worker inherits stays for its life: its collections need not walk it again
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # nor as a core file of the whole worker
    while not termination.requested:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return
            termination.busy = True  # from here a SIGTERM waits for the answer
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        path, timeout = request
        signal.alarm(int(timeout) + _ALARM_GRACE_S)
        # A scan may need OCR, whose models and page images need far more room than any text file.
        # Measured now, not at the fork: what earlier files left loaded (the OCR engine) is not this file's.
        cap_address_space(memory_mb + (limits().ocr_memory_mb if might_need_ocr(Path(path)) else 0))

        def heartbeat(progress: PageProgress, seconds: int = int(timeout) + _ALARM_GRACE_S) -> None:
            signal.alarm(seconds)
            conn.send(("progress", progress.number))

        with page_listener(heartbeat):
            answer = _answer(job, Path(path))
        signal.alarm(0)
        _send_answer(conn, answer)
        termination.busy = False
        if answer[0] == "memory":
            return  # a heap that ran out may be fragmented or half-updated: a fresh worker takes over


def _send_answer(conn: Connection, answer: tuple[str, object]) -> None:
    try:
        with _gc_paused():
            conn.send(answer)
    except MemoryError:
        conn.send(("memory", None))
    except Exception as e:  # an answer that cannot be pickled is a bug too
        conn.send(("bug", (type(e).__name__, str(e)[:500], traceback.format_exc())))


def _answer(job: Callable[[Path], object], path: Path) -> tuple[str, object]:
    try:
        return ("ok", job(path))
    except IngestError as e:
        return ("error", e)
    except MemoryError:
        return ("memory", None)
    except Exception as e:
        return ("bug", (type(e).__name__, str(e)[:500], traceback.format_exc()))


def cap_address_space(extra_mb: int, mapped: int | None = None) -> None:
    """Cap this process's address space at what it maps now (or ``mapped`` bytes) plus ``extra_mb`` (the soft
    limit only, so that a converter it starts, such as LibreOffice, can lift it again: ``parsers.legacy_parser``)."""
    mapped = mapped if mapped is not None else _mapped_bytes()
    if not mapped:
        log.warning("解析进程读不到自身的内存用量（无 /proc），未设内存上限，仅以时限保护")
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = mapped + extra_mb * 2**20
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError) as e:
        log.warning("解析进程无法设置内存上限（%s），仅以时限保护", e)


def _mapped_bytes() -> int:
    """VmSize from /proc (the address space RLIMIT_AS counts); 0 where there is no /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
