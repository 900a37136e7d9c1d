"""Pair the indicators of two frameworks one to one, surviving real year-on-year edits.

An indicator's *key* is its text with the numbers and their units abstracted (``生产总值增长7%``
and ``生产总值增长6.5%`` are both ``生产总值增长#``), width folded, punctuation and spaces dropped.
Similarity is the mean of two rapidfuzz scores over the keys: ``fuzz.ratio`` on characters and
``fuzz.token_sort_ratio`` on the character bigrams, which tolerates reordered phrases (no
dictionary to load: the jieba tokens it once used cost every ``kaohe diff`` 1–3 s). Only the text
counts towards the score: sharing a department, a category or a number never makes two indicators
a pair (numbers are abstracted away; owners and categories only break ties between candidates
that already pass the threshold).

Assignment is greedy best-first: every candidate pair at or above ``MATCH_THRESHOLD`` is taken in
order of score (ties broken by same lead, same category, closer raw text), each side used once.
An optimal assignment (Hungarian) would need scipy for a small gain: with most pairs scoring
100 (unchanged) or far apart, greedy and optimal agree, and greedy is fast on 2,000 × 2,000.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex
from rapidfuzz import fuzz, process

from normalize.numbers import normalize_for_matching
from normalize.target_cues import UNIT

if TYPE_CHECKING:  # numpy loads when two frameworks are compared, not when `kaohe frameworks` picks copies
    import numpy as np

log = logging.getLogger(__name__)

MATCH_THRESHOLD = 60.0  # below: never a pair (reported as removed + added)
HIGH_CONFIDENCE = 80.0  # below: a pair, flagged as low confidence
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
_QUANTITY = regex.compile(
    rf"(?:\d+(?:\.\d+)?(?:\s*[-~至到]\s*\d+(?:\.\d+)?)?\s*[十百千万亿]*\s*(?:{UNIT})?|[{_ROMAN}]+\s*类?)"
)
_INLINE_POINTS = regex.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")
_NOISE = regex.compile(r"[\p{P}\p{S}\s]+")


@dataclass(frozen=True)
class Pair:
    """Indices into the old and new lists, and the text similarity (0–100)."""

    old: int
    new: int
    score: float

    @property
    def low_confidence(self) -> bool:
        return self.score < HIGH_CONFIDENCE


@dataclass(frozen=True)
class MatchItem:
    """What matching looks at: the text, plus the owner and category that only break ties."""

    text: str
    lead: str | None = None
    category: str | None = None


def indicator_key(text: str) -> str:
    """``生产总值增长7%（2分）`` → ``生产总值增长#``: numbers, units and punctuation abstracted away."""
    folded = normalize_for_matching(text).replace("\n", "")
    folded = _INLINE_POINTS.sub("", folded)
    return "#".join(_NOISE.sub("", piece) for piece in _QUANTITY.split(folded))


def numbers_in(text: str) -> list[str]:
    """The quantities as written (``7%``, ``3000万元``): a change here with an equal key is a target change."""
    folded = _INLINE_POINTS.sub("", normalize_for_matching(text).replace("\n", ""))
    return ["".join(m.split()) for m in _QUANTITY.findall(folded)]


def _tokens(key: str) -> str:
    """The key's character bigrams, space-separated: the "words" that token_sort_ratio reorders.

    Bigrams need no dictionary (jieba cost 1–3 s to load in every ``kaohe diff``), and sorted they make the
    comparison blind to the order of phrases, which is what the token score is for."""
    return " ".join(key[i : i + 2] for i in range(max(len(key) - 1, 1)))


def score_matrix(old_keys: Sequence[str], new_keys: Sequence[str]) -> np.ndarray:
    """Similarity (0–100) of every old key to every new key."""
    import numpy as np

    chars = process.cdist(old_keys, new_keys, scorer=fuzz.ratio, dtype=np.float32, workers=-1)
    old_tokens = [_tokens(k) for k in old_keys]
    new_tokens = [_tokens(k) for k in new_keys]
    tokens = process.cdist(old_tokens, new_tokens, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=-1)
    return (chars + tokens) / 2


def match(old: Sequence[MatchItem], new: Sequence[MatchItem], threshold: float = MATCH_THRESHOLD) -> list[Pair]:
    """One-to-one pairs of old and new items whose text similarity reaches ``threshold``."""
    import numpy as np

    old_keys = [indicator_key(i.text) for i in old]
    new_keys = [indicator_key(i.text) for i in new]
    pairs, old_left, new_left = _exact_pairs(old, new, old_keys, new_keys)
    if old_left and new_left:
        scores = score_matrix([old_keys[i] for i in old_left], [new_keys[j] for j in new_left])
        rows, cols = np.nonzero(scores >= threshold)
        candidates = [
            (float(scores[r, c]), old_left[r], new_left[c]) for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
        ]
        candidates.sort(key=lambda c: (-c[0], -_tie_break(old[c[1]], new[c[2]]), c[1], c[2]))
        used_old: set[int] = set()
        used_new: set[int] = set()
        for score, i, j in candidates:
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                pairs.append(Pair(i, j, round(score, 1)))
    pairs.sort(key=lambda p: (p.old, p.new))
    log.debug("matched %d of %d old / %d new indicators", len(pairs), len(old), len(new))
    return pairs


def _exact_pairs(
    old: Sequence[MatchItem], new: Sequence[MatchItem], old_keys: list[str], new_keys: list[str]
) -> tuple[list[Pair], list[int], list[int]]:
    """Equal keys pair first (score 100), so the score matrix only covers what is left.

    Within one key, candidates pair best tie-break first (same text, same lead, same category)."""
    by_key: dict[str, list[int]] = {}
    for j, key in enumerate(new_keys):
        by_key.setdefault(key, []).append(j)
    pairs: list[Pair] = []
    taken_new: set[int] = set()
    old_left: list[int] = []
    for i, key in enumerate(old_keys):
        free = [j for j in by_key.get(key, []) if j not in taken_new]
        if not free:
            old_left.append(i)
            continue
        j = max(free, key=lambda j: (_tie_break(old[i], new[j]), -j))
        taken_new.add(j)
        pairs.append(Pair(i, j, 100.0))
    new_left = [j for j in range(len(new)) if j not in taken_new]
    return pairs, old_left, new_left


def _tie_break(a: MatchItem, b: MatchItem) -> float:
    """Context that orders candidates of equal text score; never enough to create a pair."""
    return 2.0 * (a.text == b.text) + (a.lead is not None and a.lead == b.lead) + (a.category == b.category)
