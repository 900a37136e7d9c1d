"""Memory and dictionary loads (issue 19): what ingest and the watch folder hold, and how often jieba loads.

1. ``kaohe-ingest`` of the 100-page PDF into a fresh store: peak RSS of its largest process (the parse
   worker, or the parent), read with ``RUSAGE_CHILDREN`` in a small fresh interpreter (``ru_maxrss`` carries
   over fork, so measuring from a big process would report that process). Yardstick: ``parsers.parse`` of the
   same file alone, in a fresh process. Goal: < 200 MB.
2. ``kaohe watch`` on an empty folder: RSS and PSS (shared pages counted once) of the watcher and its parse
   worker once it says it is watching, then again once a .docx and a .pdf sample are stored and it is idle.
   Goal: the watcher < 250 MB.
3. jieba dictionary loads per process: ``ingest_paths`` over the samples (parse worker on), counting
   ``jieba.Tokenizer.initialize`` calls that load, in the parent and in each worker; then ``kaohe diff`` and
   ``kaohe owner`` in the same way. Goal: at most one per process, none where nothing names a unit.

Usage: python benchmarks/bench_memory.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_start import READY, TIMEOUT_S, _reader, _wait_for, kaohe
from make_corpus import DEFAULT_OUT, ensure_corpus
from measure import machine, markdown_table, verdict

ROOT = Path(__file__).resolve().parent.parent
GOAL_INGEST_MB = 200
GOAL_WATCH_MB = 250
WATCH_SAMPLES = (
    "佳县2020年度目标责任考核指标.docx",
    "佳县2021年度目标责任考核指标.docx",
    "佳县2020年度目标责任考核指标.pdf",
)

_PEAK = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
if done.returncode not in (0, 1):
    sys.exit(done.stderr[-2000:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""

_PARSE = "import sys, parsers; parsers.parse(sys.argv[1])"


def peak_of(*command: str) -> float:
    """Peak RSS (MB) of the largest process ``command`` runs, from a fresh ~10 MB interpreter."""
    done = subprocess.run([sys.executable, "-c", _PEAK, *command], cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=True)  # fmt: skip
    return float(done.stdout.strip())


def bench_ingest(pdf: Path) -> list[list[str]]:
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-mem-") as tmp:
        ingest = peak_of(*kaohe_ingest(), "--db", str(Path(tmp) / "k.db"), "-s", str(pdf))
    parse = peak_of(sys.executable, "-c", _PARSE, str(pdf))
    return [[f"`kaohe-ingest` {pdf.name}", f"{ingest:.0f}", f"{parse:.0f} (`parsers.parse` alone)",
             f"{ingest / parse:.2f}×", f"< {GOAL_INGEST_MB} MB: {verdict(ingest < GOAL_INGEST_MB)}"]]  # fmt: skip


def kaohe_ingest() -> list[str]:
    """The ``kaohe-ingest`` console script beside this Python, else its entry point through ``-c``."""
    script = Path(sys.executable).with_name("kaohe-ingest")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from cli import ingest_command; sys.exit(ingest_command())"]


def _memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB, from /proc."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) / 1024
    return rss, pss


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _snapshot(label: str, pid: int) -> list[str]:
    watcher = _memory(pid)
    workers = [_memory(child) for child in _children(pid)]
    worker_rss = ", ".join(f"{rss:.0f}" for rss, _ in workers) or "—"
    total_pss = watcher[1] + sum(pss for _, pss in workers)
    ok = watcher[0] < GOAL_WATCH_MB
    return [label, f"{watcher[0]:.0f}", worker_rss, f"{total_pss:.0f}", f"< {GOAL_WATCH_MB} MB: {verdict(ok)}"]


def bench_watch() -> list[list[str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-watch-") as tmp:
        folder, db = Path(tmp) / "收件", Path(tmp) / "watch.db"
        folder.mkdir()
        started = time.perf_counter()
        process = subprocess.Popen(kaohe("watch", str(folder), "--db", str(db), "--settle", "0.2"),
                                   cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)  # fmt: skip
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(process.stderr, lines), daemon=True).start()
        try:
            _wait_for(lines, READY, started + TIMEOUT_S)
            rows.append(_snapshot("ready, nothing read yet", process.pid))
            for name in WATCH_SAMPLES:
                dropped = time.perf_counter()
                staged = Path(tmp) / name
                shutil.copyfile(ROOT / "samples" / name, staged)
                staged.rename(folder / name)  # complete at once
                _wait_for(lines, name, dropped + TIMEOUT_S)
            deadline = time.perf_counter() + TIMEOUT_S
            while any((folder / name).exists() for name in WATCH_SAMPLES):  # moved to processed/ once stored
                if time.perf_counter() > deadline:
                    raise SystemExit(f"the watcher left files in {folder} after {TIMEOUT_S} s")
                time.sleep(0.05)
            rows.append(_snapshot(f"idle after {len(WATCH_SAMPLES)} files (.docx ×2, .pdf)", process.pid))
        finally:
            process.terminate()
            process.wait(timeout=60)
    return rows


_LOADS = """
import json, os, sys, tempfile
from pathlib import Path
log = Path(sys.argv[1])
import jieba
original = jieba.Tokenizer.initialize
def counting(self, dictionary=None):
    if not self.initialized:
        with log.open("a") as out:
            out.write(f"{os.getpid()}\\n")
    return original(self, dictionary)
jieba.Tokenizer.initialize = counting
from click.testing import CliRunner
from cli import cli
from ingest.pipeline import ingest_paths
from store import Store
samples = sorted(p for p in Path("samples").iterdir() if p.suffix in (".docx", ".txt", ".html", ".pdf")
                 and "扫描件" not in p.name)
with tempfile.TemporaryDirectory() as tmp:
    db = Path(tmp) / "k.db"
    store = Store(db)
    summary = ingest_paths(samples, store)
    store.close()
    parent_after_ingest = log.read_text().split().count(str(os.getpid())) if log.exists() else 0
    runner = CliRunner()
    diff = runner.invoke(cli, ["diff", "--db", str(db), "--region", "佳县", "--years", "2020", "2021"])
    owner = runner.invoke(cli, ["owner", "--db", str(db), "营造林面积"])
    assert diff.exit_code == 0 and owner.exit_code == 0, (diff.output, owner.output)
pids = log.read_text().split() if log.exists() else []
print(json.dumps({"files": len(samples), "parent": os.getpid(), "pids": pids,
                  "parent_after_ingest": parent_after_ingest}))
"""


def bench_loads() -> list[list[str]]:
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-loads-") as tmp:
        log = Path(tmp) / "loads"
        done = subprocess.run([sys.executable, "-c", _LOADS, str(log)], cwd=ROOT, capture_output=True, text=True,
                              timeout=TIMEOUT_S, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    parent = str(result["parent"])
    in_workers = [pid for pid in result["pids"] if pid != parent]
    per_worker = {pid: in_workers.count(pid) for pid in in_workers}
    after_queries = result["pids"].count(parent) - result["parent_after_ingest"]
    ok = result["parent_after_ingest"] == 0 and after_queries == 0 and all(n == 1 for n in per_worker.values())
    return [
        [f"ingest of {result['files']} samples: the parent (writer)", str(result["parent_after_ingest"]), "0"],
        ["ingest: each parse worker", ", ".join(map(str, per_worker.values())) or "0", "≤ 1 per process"],
        ["`kaohe diff`, `kaohe owner` afterwards (same process)", str(after_queries), "0"],
        ["verdict", "", verdict(ok)],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="benchmark inputs (made if missing)")
    args = parser.parse_args(argv)
    manifest = ensure_corpus(args.out)
    pdf = Path(manifest["pdfs"]["100"])
    print("\n### Peak RSS of `kaohe-ingest` (largest process)\n")
    print(markdown_table(["run", "peak RSS (MB)", "yardstick (MB)", "ratio", "goal"], bench_ingest(pdf)))
    print("\n### `kaohe watch`: memory of the watcher and its parse worker\n")
    print(markdown_table(["when", "watcher RSS (MB)", "worker RSS (MB)", "PSS of both (MB)", "goal"], bench_watch()))
    print("\n### jieba dictionary loads per process\n")
    print(markdown_table(["process", "loads", "goal"], bench_loads()))
    print(f"\nMachine: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
