"""Process start (issue 14): how long the CLI takes before it answers, and the watch folder's first file.

1. ``kaohe owner 营造林面积`` and ``kaohe --help``, each a fresh process on a warm disk: CPU (user + system,
   ``RUSAGE_CHILDREN``) and wall time from start to exit, median of ``--runs``. ``python -c pass`` is the floor.
   Goal: ``owner`` well under 0.5 s of CPU. The store is the samples (the .doc/.wps need LibreOffice: without
   it they are left out).
2. ``kaohe watch`` on an empty temporary folder (settle 0.2 s): seconds until it says it is watching, then a
   sample .docx dropped into the folder, and the time until the watcher logs it stored; then a second file
   with the same content and other bytes (a zip comment), so the same work. Goal: the first file as fast as
   the second (the models and parsers are loaded before the watcher says it is watching).

Usage: python benchmarks/bench_start.py [--runs N] [--sample FILE]
"""

from __future__ import annotations

import argparse
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from measure import machine, markdown_table, verdict

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "佳县2020年度目标责任考核指标.docx"
GOAL_OWNER_CPU_S = 0.5
SETTLE_S = 0.2
READY = "开始监视"  # ingest.watch: the line that says the watcher is ready
TIMEOUT_S = 300


def kaohe(*args: str) -> list[str]:
    """The ``kaohe`` console script beside this Python, else the same entry point through ``-c``."""
    script = Path(sys.executable).with_name("kaohe")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "import sys; from cli import cli; sys.exit(cli())", *args]


def timed_run(command: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``command`` to its exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, timeout=TIMEOUT_S, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def median_run(command: list[str], runs: int) -> tuple[float, float]:
    timed_run(command)  # warm the disk cache and the .pyc files
    samples = [timed_run(command) for _ in range(runs)]
    return statistics.median(c for c, _ in samples), statistics.median(w for _, w in samples)


def sample_store(folder: Path) -> Path:
    db = folder / "samples.db"
    formats = [p for p in (ROOT / "samples").iterdir() if p.suffix in (".docx", ".txt", ".html", ".pdf")]
    subprocess.run([*kaohe("ingest", *map(str, formats), "--db", str(db), "-s")], cwd=ROOT,
                   capture_output=True, timeout=TIMEOUT_S, check=True)  # fmt: skip
    return db


def bench_commands(runs: int, db: Path) -> list[list[object]]:
    cases = [
        ("`python -c pass` (floor)", [sys.executable, "-c", "pass"]),
        ("`kaohe --help`", kaohe("--help")),
        ("`kaohe owner 营造林面积`", kaohe("owner", "营造林面积", "--db", str(db))),
    ]
    rows: list[list[object]] = []
    for label, command in cases:
        cpu, wall = median_run(command, runs)
        rows.append([label, f"{cpu:.3f}", f"{wall:.3f}"])
    return rows


def _reader(stream, lines: queue.Queue) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        lines.put((time.perf_counter(), line.rstrip("\n")))


def _wait_for(lines: queue.Queue, needle: str, deadline: float) -> tuple[float, str]:
    while True:
        try:
            at, line = lines.get(timeout=max(deadline - time.perf_counter(), 0.01))
        except queue.Empty:
            raise SystemExit(f"no line with {needle!r} within {TIMEOUT_S} s") from None
        if needle in line:
            return at, line


def other_bytes(source: Path, target: Path) -> None:
    """``target``: the same content as ``source`` (a .docx: a zip comment; text: a trailing newline)."""
    if zipfile.is_zipfile(source):
        shutil.copyfile(source, target)
        with zipfile.ZipFile(target, "a") as archive:
            archive.comment = b"kaohe bench_start: same content, other bytes"
    else:
        target.write_bytes(source.read_bytes() + b"\n")


def bench_watch(sample: Path) -> dict[str, float]:
    """Seconds to the ready line, then from dropping each file to the watcher's line about it."""
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-watch-") as tmp:
        folder, db = Path(tmp) / "收件", Path(tmp) / "watch.db"
        folder.mkdir()
        staged = [Path(tmp) / f"first{sample.suffix}", Path(tmp) / f"second{sample.suffix}"]
        shutil.copyfile(sample, staged[0])
        other_bytes(sample, staged[1])
        started = time.perf_counter()
        process = subprocess.Popen(kaohe("watch", str(folder), "--db", str(db), "--settle", str(SETTLE_S)),
                                   cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)  # fmt: skip
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(process.stderr, lines), daemon=True).start()
        try:
            ready, _ = _wait_for(lines, READY, started + TIMEOUT_S)
            result = {"ready": ready - started}
            for name, source in zip(("first", "second"), staged, strict=True):
                time.sleep(0.5)  # the watcher idle, as between two files saved by hand
                target = folder / f"{name}{sample.suffix}"
                dropped = time.perf_counter()
                shutil.copyfile(source, target.with_suffix(".part"))  # complete at once: one rename
                target.with_suffix(".part").rename(target)
                stored, line = _wait_for(lines, target.name, dropped + TIMEOUT_S)
                if " added" not in line:
                    raise SystemExit(f"unexpected: {line}")
                result[name] = stored - dropped
        finally:
            process.terminate()
            process.wait(timeout=60)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per command; the median counts (default 10)")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="the file dropped into the watch folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-start-") as tmp:
        rows = bench_commands(args.runs, sample_store(Path(tmp)))
    owner_cpu = float(rows[-1][1])
    print(f"\n### Process start — median of {args.runs} runs, store: the samples\n")
    print(markdown_table(["command", "CPU (s)", "wall (s)"], rows))
    print(f"\nGoal `kaohe owner` < {GOAL_OWNER_CPU_S} s CPU: {verdict(owner_cpu < GOAL_OWNER_CPU_S)}.")
    watch = bench_watch(args.sample)
    print(f"\n### `kaohe watch` — {args.sample.name}, settle {SETTLE_S} s\n")
    print(markdown_table(
        ["start → watching (s)", "first file: dropped → stored (s)", "second file (s)", "first / second"],
        [[f"{watch['ready']:.2f}", f"{watch['first']:.2f}", f"{watch['second']:.2f}",
          f"{watch['first'] / watch['second']:.2f}×"]],
    ))  # fmt: skip
    print(f"\nMachine: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
