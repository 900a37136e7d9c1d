"""Diff cost (issue 4): two generated 2,000-indicator frameworks, ``frameworks.diff.diff_indicators``.

The old framework has 2,000 distinct indicators built from metric × wording templates (with
numbers, units, owners, categories); the new one keeps most, changes targets (10%), points (5%),
owners (5%), rewords (3%), drops 3% and adds 3%. Matching needs no dictionary (character bigrams,
issue 19: jieba's load was 1–3 s of every ``kaohe diff``). Goal: diff < 1 s (best of N).

``--crossover`` times the matching alone on the no-text-equal variant at growing sizes: the full score
matrix (what ``frameworks.matching.match`` does below ``BLOCKING_MIN_PAIRS`` leftover pairs), blocking
(above it), and the reference it must agree with (``_reference_match``: token_sort_ratio over the whole
matrix, greedy over Python tuples — what ``match`` did before blocking).

Usage: python benchmarks/bench_diff.py [--size N] [--repeat N] [--crossover]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frameworks import matching
from frameworks.diff import DiffIndicator, diff_indicators

GOAL_S = 1.0
SUBJECTS = (
    "城镇",
    "农村",
    "县域",
    "园区",
    "重点",
    "规上",
    "民营",
    "科技型",
    "文化",
    "生态",
    "特色",
    "现代",
    "社区",
    "乡镇",
    "山区",
    "沿黄",
    "城区",
    "镇域",
    "示范",
    "新型",
)
METRICS = (
    "生产总值",
    "固定资产投资",
    "社会消费品零售总额",
    "居民人均可支配收入",
    "工业增加值",
    "服务业增加值",
    "企业数量",
    "招商引资到位资金",
    "造林面积",
    "粮食播种面积",
    "水果总产量",
    "就业人数",
    "卫生机构数量",
    "学校覆盖率",
    "污水处理率",
    "垃圾处理率",
    "道路里程",
    "旅游收入",
    "研发投入",
    "技术合同成交额",
)
PATTERNS = ("{s}{m}增长{n}%", "{s}{m}达到{n}万元", "完成{s}{m}{n}个", "{s}{m}不低于{n}%", "{s}{m}控制在{n}%以内")
UNITS = ("县发展改革和科技局", "县财政局", "县林业局", "县农业农村局", "县人社局", "县教育体育局", "县住建局")
CATEGORIES = ("经济发展", "民生保障", "乡村振兴", "生态文明", "文化建设")


def make_old(size: int, rng: random.Random) -> list[DiffIndicator]:
    texts: set[str] = set()
    combos = [(s, m, p) for s in SUBJECTS for m in METRICS for p in PATTERNS]
    rng.shuffle(combos)
    out = []
    for s, m, p in combos[:size]:
        text = p.format(s=s, m=m, n=rng.randint(1, 99))
        if text not in texts:
            texts.add(text)
            out.append(_indicator(text, rng))
    return out


def _indicator(text: str, rng: random.Random) -> DiffIndicator:
    return DiffIndicator.of(
        text, points=rng.choice((0.5, 1, 2, 3)), lead=rng.choice(UNITS), category=rng.choice(CATEGORIES)
    )


def make_new(old: list[DiffIndicator], rng: random.Random) -> list[DiffIndicator]:
    new = []
    for indicator in old:
        roll = rng.random()
        if roll < 0.03:
            continue  # removed
        if roll < 0.13:
            text = (
                indicator.indicator.replace("%", ".5%", 1)
                if "%" in indicator.indicator
                else indicator.indicator + "以上"
            )
            indicator = DiffIndicator.of(
                text, points=indicator.points, lead=indicator.lead, category=indicator.category
            )
        elif roll < 0.18:
            indicator = indicator.model_copy(update={"points": (indicator.points or 0) + 1})
        elif roll < 0.23:
            indicator = indicator.model_copy(update={"lead": rng.choice(UNITS)})
        elif roll < 0.26:
            indicator = indicator.model_copy(update={"indicator": "全县" + indicator.indicator})
        new.append(indicator)
    for index in range(len(old) * 3 // 100):
        new.append(_indicator(f"新增专项任务第{index}项完成率达到100%", rng))
    rng.shuffle(new)
    return new


def reworded(old: list[DiffIndicator]) -> list[DiffIndicator]:
    """The worst case: every text reworded, so no key is equal and every pair needs a score."""
    return [i.model_copy(update={"indicator": "全面推进" + i.indicator}) for i in old]


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Best wall time of ``repeat`` runs, each with the key caches empty (as in a fresh ``kaohe diff``)."""
    times = []
    for _ in range(repeat):
        matching.forget_keys()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def crossover(repeat: int) -> None:
    """Matching alone, no text equal (every pair leftover): full matrix vs blocking vs the reference."""
    from frameworks.matching import MatchItem, _reference_match, match

    print(f"leftover pairs from which match() blocks: {matching.BLOCKING_MIN_PAIRS:,} (best of {repeat}, ms)")
    print("| leftover | reference | full matrix | blocking | faster |")
    print("|---|---|---|---|---|")
    saved = matching.BLOCKING_MIN_PAIRS
    for size in (100, 200, 300, 400, 500, 600, 800, 1000, 1500, 2000):
        old = make_old(size, random.Random(2021))
        a = [MatchItem(i.indicator, i.lead, i.category) for i in old]
        b = [MatchItem(i.indicator, i.lead, i.category) for i in reworded(old)]
        reference = best_of(repeat, lambda: _reference_match(a, b))  # noqa: B023 (called at once)
        try:
            matching.BLOCKING_MIN_PAIRS = 1 << 62
            full = best_of(repeat, lambda: match(a, b))  # noqa: B023
            matching.BLOCKING_MIN_PAIRS = 0
            blocked = best_of(repeat, lambda: match(a, b))  # noqa: B023
        finally:
            matching.BLOCKING_MIN_PAIRS = saved
        print(
            f"| {len(a)} × {len(b)} | {reference * 1000:.1f} | {full * 1000:.1f} | {blocked * 1000:.1f} "
            f"| {'blocking' if blocked < full else 'matrix'} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--crossover", action="store_true", help="time full matrix vs blocking by size")
    args = parser.parse_args(argv)
    if args.crossover:
        crossover(args.repeat)
        return 0
    rng = random.Random(2021)
    old = make_old(args.size, rng)
    new = make_new(old, rng)
    times = []
    for _ in range(args.repeat):
        matching.forget_keys()
        started = time.perf_counter()
        result = diff_indicators(old, new)
        times.append(time.perf_counter() - started)
    best = min(times)
    worst_new = reworded(old)
    worst = diff_indicators(old, worst_new)
    worst_s = best_of(args.repeat, lambda: diff_indicators(old, worst_new))
    print(
        f"old {len(old)} / new {len(new)} indicators: {len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.changed)} changed ({result.low_confidence_pairs} low confidence), {result.unchanged} unchanged"
    )
    print(
        f"diff: best {best:.3f} s, median {sorted(times)[len(times) // 2]:.3f} s of {args.repeat}  "
        f"goal < {GOAL_S:g} s: {'met' if best < GOAL_S else 'MISSED'}"
    )
    print(
        f"worst case, no text equal ({len(old)}×{len(worst_new)} leftover pairs): best {worst_s:.3f} s, "
        f"{len(worst.changed)} pairs"
    )
    return 0 if best < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
