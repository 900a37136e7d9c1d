"""``kaohe diff`` from the command line (issue 19): two generated frameworks of 250 … 2,000 indicators.

For each size, two notices of one county (2020 and 2021, a .txt table each: category, indicator with its
points, lead unit) are written under ``--out`` (default ``/tmp/kaohe-bench-diff``) and ingested into a store
of their own with ``ingest.pipeline.ingest_paths``, as ``kaohe ingest`` would. The indicators are those of
``bench_diff.py``: *mostly equal* (the new year keeps most, changes targets, points, owners, rewords 3%,
drops and adds 3%) and *no text equal* (every indicator reworded, so every pair needs a score).

Timed, best of ``--repeat`` and median:

* CLI — ``kaohe diff --db X --region 佳县 --years 2020 2021`` as a subprocess, process start, store reads
  and the text report included (output to a pipe);
* in-process — ``frameworks.diff.diff_indicators`` on the same indicators read back from the store.

Growth per doubling is the time at a size over the time at half that size (linear: 2; quadratic: 4).
Goals: the CLI under 1 s at 2,000 indicators; near-linear, i.e. growth ≤ 2.2 for the last doubling (to
the largest size), of the CLI and of the diff in-process. Smaller doublings are printed but not judged:
their times are a few milliseconds, and below ``BLOCKING_MIN_PAIRS`` leftover pairs ``match`` scores the
full matrix on purpose (quadratic, but cheaper there than blocking).

Usage: python benchmarks/bench_diff_cli.py [--sizes 250 500 1000 2000] [--repeat N] [--out DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_diff import make_new, make_old, reworded
from bench_start import kaohe
from measure import machine, markdown_table, verdict

from frameworks.diff import DiffIndicator, diff_indicators
from frameworks.matching import forget_keys

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path("/tmp/kaohe-bench-diff")
REGION = "佳县"
YEARS = (2020, 2021)
GOAL_S = 1.0
GOAL_GROWTH = 2.2
VARIANTS = ("mostly equal", "no text equal")


def write_notice(indicators: list[DiffIndicator], year: int, path: Path) -> None:
    """A county's notice with one table, in seed 000's layout: paragraphs apart, a table row a line, TABs."""
    paragraphs = [
        f"{REGION}考核委员会办公室",
        f"佳考办发〔{year}〕5号",
        f"{REGION}考核委员会办公室关于印发《{year}年度目标责任考核指标》的通知",
        "各镇党委、政府，县委各部门：",
        f"现将《{year}年度目标责任考核指标》印发给你们，请认真贯彻落实。",
        f"{REGION}考核委员会办公室",
        f"{year}年4月20日",
        "附件1",
        f"{year}年度市考核县指标任务分解",
    ]
    rows = ["考核内容\t考核指标\t责任单位"]
    rows += [f"{i.category}\t{i.indicator}（{i.points:g}分）\t{i.lead}" for i in indicators]
    path.write_text("\n\n".join(paragraphs) + "\n\n" + "\n".join(rows) + "\n", encoding="utf-8")


def frameworks_of(size: int, variant: str) -> tuple[list[DiffIndicator], list[DiffIndicator]]:
    rng = random.Random(2021)
    old = make_old(size, rng)
    new = make_new(old, rng) if variant == "mostly equal" else reworded(old)
    # a table lists its indicators category by category (the order within one is kept)
    return sorted(old, key=lambda i: i.category or ""), sorted(new, key=lambda i: i.category or "")


def build_store(out: Path, size: int, variant: str) -> tuple[Path, int, int]:
    """The store of one case, made afresh: (path, old indicators, new indicators)."""
    from ingest.pipeline import ingest_paths
    from store import Store

    folder = out / f"{'equal' if variant == 'mostly equal' else 'reworded'}-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "notices").mkdir(parents=True)
    old, new = frameworks_of(size, variant)
    for year, indicators in zip(YEARS, (old, new), strict=True):
        write_notice(indicators, year, folder / "notices" / f"{REGION}{year}年度目标责任考核指标.txt")
    db = folder / "kaohe.db"
    store = Store(db)
    try:
        summary = ingest_paths([folder / "notices"], store)
    finally:
        store.close()
    if summary.failed:
        raise SystemExit(f"ingest failed in {folder}")
    return db, len(old), len(new)


def stored_indicators(db: Path) -> tuple[list[DiffIndicator], list[DiffIndicator]]:
    """The two frameworks as ``kaohe diff`` reads them; checks the store holds exactly the generated ones."""
    from store import Store
    from store.framework_queries import framework_indicators, pick_frameworks

    store = Store(db)
    try:
        sides = []
        for year in YEARS:
            (framework,) = pick_frameworks(store.db, REGION, year)
            sides.append([DiffIndicator.from_answer(a) for a in framework_indicators(store.db, framework.id)])
    finally:
        store.close()
    return sides[0], sides[1]


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """(best, median) wall seconds of ``command``, after one warm-up run."""
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def in_process(old: list[DiffIndicator], new: list[DiffIndicator], repeat: int) -> tuple[float, float]:
    """(best, median) seconds of ``diff_indicators``, each run with the key caches empty, after a warm-up."""
    diff_indicators(old, new)
    times = []
    for _ in range(repeat):
        forget_keys()
        started = time.perf_counter()
        diff_indicators(old, new)
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def growth(times: dict[int, float], size: int) -> str:
    half = size // 2
    return f"{times[size] / times[half]:.2f}" if half in times else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    print(f"machine: {machine()}; best / median of {args.repeat} runs after one warm-up\n")
    ok = True
    for variant in VARIANTS:
        rows: list[list[object]] = []
        cli_best: dict[int, float] = {}
        inproc_best: dict[int, float] = {}
        for size in sorted(args.sizes):
            db, n_old, n_new = build_store(args.out, size, variant)
            old, new = stored_indicators(db)
            assert (len(old), len(new)) == (n_old, n_new), f"the store holds {len(old)}/{len(new)} indicators"
            command = kaohe("diff", "--db", str(db), "--region", REGION, "--years", *map(str, YEARS))
            cli_best[size], cli_median = timed(command, args.repeat)
            inproc_best[size], inproc_median = in_process(old, new, args.repeat)
            rows.append([f"{n_old} / {n_new}", f"{cli_best[size]:.3f}", f"{cli_median:.3f}",
                         growth(cli_best, size), f"{inproc_best[size]:.3f}", f"{inproc_median:.3f}",
                         growth(inproc_best, size)])  # fmt: skip
        largest = max(cli_best)
        fast = cli_best[largest] < GOAL_S
        last = {
            "CLI": cli_best[largest] / cli_best.get(largest // 2, float("nan")),
            "in-process": inproc_best[largest] / inproc_best.get(largest // 2, float("nan")),
        }
        linear = all(ratio <= GOAL_GROWTH for ratio in last.values())  # nan (no half size) is never ≤
        ok = ok and fast and linear
        print(f"### {variant}\n")
        print(markdown_table(
            ["indicators old / new", "CLI best s", "CLI median s", "CLI growth", "in-process best s",
             "in-process median s", "in-process growth"],
            rows,
        ))  # fmt: skip
        print(
            f"\nCLI at {largest}: {cli_best[largest]:.3f} s, goal < {GOAL_S:g} s: {verdict(fast)}; "
            f"growth {largest // 2} → {largest}: CLI {last['CLI']:.2f}, in-process {last['in-process']:.2f}, "
            f"goal ≤ {GOAL_GROWTH:g}: {verdict(linear)}\n"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
