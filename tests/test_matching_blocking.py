"""Blocking finds the very pairs of the full score matrix: samples, benchmark frameworks, hand-built and random cases.

``match`` is compared with ``_reference_match`` (every leftover pair scored with ``token_sort_ratio``, greedy
over Python tuples) three ways: as it runs (full matrix for small leftovers), forced to block however small
the leftover, and forced to use the prefix join however many candidates it makes (no fallback to the matrix).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator, Sequence
from itertools import combinations, permutations
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, ingested

import frameworks.matching as matching
from frameworks.diff import DiffIndicator, _category
from frameworks.matching import MatchItem, Pair, _reference_match, _score_bound, match

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_diff import make_new, make_old, reworded

MODES = ("as is", "blocked", "join only")


def run(mode: str, old: Sequence[MatchItem], new: Sequence[MatchItem], threshold: float) -> list[Pair]:
    """``match`` in one of MODES (module constants patched for the call, restored after)."""
    saved = matching.BLOCKING_MIN_PAIRS, matching._JOIN_SHARE
    try:
        if mode != "as is":
            matching.BLOCKING_MIN_PAIRS = 0
        if mode == "join only":
            matching._JOIN_SHARE = float("inf")
        return match(old, new, threshold)
    finally:
        matching.BLOCKING_MIN_PAIRS, matching._JOIN_SHARE = saved


def assert_same_pairs(old: Sequence[MatchItem], new: Sequence[MatchItem], threshold: float = 60.0) -> list[Pair]:
    expected = _reference_match(old, new, threshold)
    for mode in MODES:
        assert run(mode, old, new, threshold) == expected, f"{mode} at {threshold}"
    return expected


def items(indicators: Sequence[DiffIndicator]) -> list[MatchItem]:
    """What ``diff_indicators`` matches on."""
    return [MatchItem(i.indicator, i.lead, _category(i)) for i in indicators]


# -- (a) every pair of frameworks of one region in a store of the samples ----------------------------------


def sample_frameworks(db: Path) -> Iterator[tuple[str, list[MatchItem]]]:
    """(region, items) of each distinct framework (copies of a notice in other formats counted once)."""
    from store import Store
    from store.framework_queries import framework_indicators
    from store.queries import frameworks

    store = Store(db)
    try:
        seen = set()
        for summary in frameworks(store.db):
            found = items([DiffIndicator.from_answer(a) for a in framework_indicators(store.db, summary.id)])
            if (summary.region, tuple(found)) not in seen:
                seen.add((summary.region, tuple(found)))
                yield summary.region or "", found
    finally:
        store.close()


def test_every_pair_of_sample_frameworks_of_a_region(tmp_path: Path) -> None:
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".html"))
    found = list(sample_frameworks(ingested(tmp_path / "samples.db", *files)))
    regions = {region for region, _ in found}
    assert {"佳县", "柞水县"} <= regions and len(found) >= 15
    pairs = 0
    for region in regions:
        of_region = [f for f in found if f[0] == region]
        for (_, old), (_, new) in permutations(of_region, 2):
            pairs += len(assert_same_pairs(old, new))
        for (_, old), (_, new) in combinations(of_region, 2):
            pairs += len(assert_same_pairs(old, new, 40.0))  # many more weak pairs
    assert pairs > 500  # the documented 2020 → 2021 changes and many weak pairs between unrelated tables


# -- (b) the generated frameworks of benchmarks/bench_diff.py ----------------------------------------------


@pytest.mark.parametrize(("size", "seed"), [(250, 2021), (500, 7), (1000, 11), (2000, 2021)])
def test_generated_frameworks(size: int, seed: int) -> None:
    rng = random.Random(seed)
    old = make_old(size, rng)
    for new in (make_new(old, rng), reworded(old)):
        pairs = assert_same_pairs(items(old), items(new))
        assert len(pairs) >= 0.9 * len(old)


# -- (c) hand-built edits, and random small-alphabet cases ----------------------------------------------------

OLD = [
    "生产总值增长7%",
    "全社会固定资产投资增长12%",
    "城镇居民人均可支配收入增长8.2%",
    "农村居民人均可支配收入增长8.7%",
    "招商引资省外实际到位资金14亿元",
    "招商引资省内实际到位资金3亿元",
    "农村人居环境整治村140个",
    "建成扶贫农场（工厂）1个",
    "营造林面积4万亩",
    "率率率率",
    "抓党建",
    "（2分）",
    "A",
]
NEW = [
    "地区生产总值增长6.5%",  # reworded
    "固定资产投资全社会增长10%",  # phrases reordered
    "农村居民人均可支配收入增长9%",  # the neighbour of a removed indicator
    "招商引资省内实际到位资金4亿元",
    "招商引资省外实际到位资金15亿元",
    "全面推进农村人居环境整治村150个",
    "建成扶贫工厂（农场）2个",
    "营造林4万亩面积",
    "率率率",
    "建党抓",  # the same characters, no bigram in common
    "（3分）",  # both keys empty
    "B",
    "森林覆盖率达到45%",  # unrelated
]


@pytest.mark.parametrize("threshold", [60.0, 30.0, 50.0, 75.0, 90.0])
def test_hand_built_edits(threshold: float) -> None:
    old = [MatchItem(t, lead="县林业局" if n % 2 else None, category=f"类{n % 3}") for n, t in enumerate(OLD)]
    new = [MatchItem(t, lead="县林业局" if n % 3 else None, category=f"类{n % 2}") for n, t in enumerate(NEW)]
    for a, b in ((old, new), (new, old), (old, list(reversed(new))), (old + old[:4], new)):
        assert_same_pairs(a, b, threshold)
    if threshold == 60.0:
        paired = {(OLD[p.old], NEW[p.new]) for p in match(old, new)}
        assert ("全社会固定资产投资增长12%", "固定资产投资全社会增长10%") in paired
        assert ("营造林面积4万亩", "营造林4万亩面积") in paired


def test_random_small_alphabet_cases() -> None:
    """Few characters, many repeats and equal scores: where a bound or a tie-break would first go wrong."""
    rng = random.Random(19)
    alphabet = "增长率达到县镇村#"

    def side() -> list[MatchItem]:
        return [
            MatchItem(
                "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))),
                rng.choice(["甲", "乙", None]),
                rng.choice(["一", "二"]),
            )
            for _ in range(rng.randint(1, 25))
        ]

    for _ in range(150):
        assert_same_pairs(side(), side(), rng.choice([45.0, 60.0, 70.0, 85.0]))


def test_the_bound_is_never_below_a_score() -> None:
    """``_score_bound`` over the multiset overlap of the keys, against the scores themselves."""
    from collections import Counter

    from frameworks.matching import score_matrix

    rng = random.Random(3)
    keys = ["".join(rng.choice("增长率达到县#") for _ in range(rng.randint(0, 12))) for _ in range(120)]
    scores = score_matrix(keys, keys)
    for a, key_a in enumerate(keys):
        for b, key_b in enumerate(keys):
            overlap = sum((Counter(key_a) & Counter(key_b)).values())
            assert scores[a, b] <= _score_bound(overlap, len(key_a), len(key_b)) + 1e-3
