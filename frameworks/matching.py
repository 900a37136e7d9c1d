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
order of score (ties broken by same text, same lead, same category), each side used once.
An optimal assignment (Hungarian) would need scipy for a small gain: with most pairs scoring
100 (unchanged) or far apart, greedy and optimal agree, and greedy is fast on 2,000 × 2,000.

Equal keys pair first; only the rest is scored. Scoring every leftover old key against every new one
grows with the square of the size, so from ``BLOCKING_MIN_PAIRS`` leftover pairs on, ``_blocked_pairs``
scores only the pairs that share enough characters to possibly reach a score — a sound bound, so it
finds exactly the pairs of the full matrix (``_reference_match``, which the tests compare it with).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
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


@functools.lru_cache(maxsize=1 << 14)
def indicator_key(text: str) -> str:
    """``生产总值增长7%（2分）`` → ``生产总值增长#``: numbers, units and punctuation abstracted away."""
    return "#".join(_NOISE.sub("", piece) for piece in _QUANTITY.split(_folded(text)))


def numbers_in(text: str) -> list[str]:
    """The quantities as written (``7%``, ``3000万元``): a change here with an equal key is a target change."""
    return ["".join(m.split()) for m in _QUANTITY.findall(_folded(text))]


@functools.lru_cache(maxsize=1 << 14)
def _folded(text: str) -> str:
    """The text width-folded, on one line, without its inline points: what the key and the numbers read.

    Cached, like the key: a diff reads each text three times (the key to match, then the key and the
    numbers of each pair), and folding was 40% of a 2,000-indicator diff."""
    return _INLINE_POINTS.sub("", normalize_for_matching(text).replace("\n", ""))


def forget_keys() -> None:
    """Empty the caches of keys and folded texts (benchmarks time each run as a fresh process would)."""
    indicator_key.cache_clear()
    _folded.cache_clear()


def _tokens(key: str) -> str:
    """The key's character bigrams, space-separated: the "words" that token_sort_ratio reorders.

    Bigrams need no dictionary (jieba cost 1–3 s to load in every ``kaohe diff``), and sorted they make the
    comparison blind to the order of phrases, which is what the token score is for."""
    return " ".join(key[i : i + 2] for i in range(max(len(key) - 1, 1)))


def _sorted_tokens(key: str) -> str:
    """``_tokens`` already sorted: ``fuzz.ratio`` on two of these *is* ``fuzz.token_sort_ratio`` on ``_tokens``.

    token_sort_ratio splits on whitespace, sorts, joins with one space and takes ``ratio``, once per pair;
    done here once per key, the token score costs a third of what it did."""
    return " ".join(sorted(_tokens(key).split()))


def score_matrix(old_keys: Sequence[str], new_keys: Sequence[str]) -> np.ndarray:
    """Similarity (0–100) of every old key to every new key."""
    return _scores(old_keys, [_sorted_tokens(k) for k in old_keys], new_keys, [_sorted_tokens(k) for k in new_keys])


def _scores(
    old_keys: Sequence[str], old_tokens: Sequence[str], new_keys: Sequence[str], new_tokens: Sequence[str]
) -> np.ndarray:
    """The score matrix from keys and their sorted bigrams (float32, as every path computes it).

    One thread below ``_THREADS_FROM`` pairs: starting rapidfuzz's workers costs ~50 µs a call."""
    import numpy as np

    workers = 1 if len(old_keys) * len(new_keys) < _THREADS_FROM else -1
    chars = process.cdist(old_keys, new_keys, scorer=fuzz.ratio, dtype=np.float32, workers=workers)
    tokens = process.cdist(old_tokens, new_tokens, scorer=fuzz.ratio, dtype=np.float32, workers=workers)
    return (chars + tokens) / 2


# -- matching ------------------------------------------------------------------

# Leftover old × new pairs from which blocking (below) is used instead of the full score matrix. Measured
# (benchmarks/bench_diff.py --crossover, two cores): blocking costs a few milliseconds of Python (character
# counts, prefixes, postings) before it saves anything; on the benchmark's frameworks (120 distinct
# characters, the worst case for it) it won from 300 × 300 to 650 × 650 depending on the run, and at
# 2,000 × 2,000 takes half the time of the matrix (a third of what the code did before blocking).
BLOCKING_MIN_PAIRS = 500 * 500
# Blocking looks for the pairs at or above each of these levels in turn (then at the threshold), among the
# indicators still unpaired: the higher the level, the shorter the prefixes and the fewer the candidates.
# A reworded indicator scores 80–90 with its old self; a level of 90 cost more than it saved (measured).
_LEVELS = (80.0, 70.0)
# When the candidates of a level would cost more than this share of the free × free matrix, the matrix is
# computed instead (a small alphabet, or unrelated frameworks at a low level, make every pair a candidate).
_JOIN_SHARE = 0.25
_BLOCK_MIN = 64  # a prefix token's old × new block this large is scored as one matrix, smaller ones pair by pair
_THREADS_FROM = 40_000  # pairs of a matrix from which it is scored on every core
_FLOAT_MARGIN = 0.01  # scores are float32: a bound this close to a level still counts as reaching it


def match(old: Sequence[MatchItem], new: Sequence[MatchItem], threshold: float = MATCH_THRESHOLD) -> list[Pair]:
    """One-to-one pairs of old and new items whose text similarity reaches ``threshold``.

    The same pairs as scoring every leftover old key against every new key (``_reference_match``), but
    for large frameworks without the whole matrix: see ``_blocked_pairs``."""
    old_keys = [indicator_key(i.text) for i in old]
    new_keys = [indicator_key(i.text) for i in new]
    pairs, old_left, new_left = _exact_pairs(old, new, old_keys, new_keys)
    if old_left and new_left:
        greedy = _Greedy(old, new, old_keys, new_keys, set(old_left), set(new_left))
        if len(old_left) * len(new_left) < BLOCKING_MIN_PAIRS:
            pairs += greedy.take(*greedy.matrix_candidates(old_left, new_left, threshold))
        else:
            pairs += _blocked_pairs(greedy, old_left, new_left, threshold)
    pairs.sort(key=lambda p: (p.old, p.new))
    log.debug("matched %d of %d old / %d new indicators", len(pairs), len(old), len(new))
    return pairs


def _blocked_pairs(greedy: _Greedy, old_left: list[int], new_left: list[int], threshold: float) -> list[Pair]:
    """Greedy best-first by levels: all pairs ≥ 80 among the unpaired, then ≥ 70, then ≥ ``threshold``.

    Exact, not a heuristic. Greedy takes pairs in order of score; once it has gone through every pair
    scoring ≥ L, each such pair has a side already taken, so the pairs that remain between *unpaired*
    indicators all score < L and come next in greedy's order. Each level therefore needs only the pairs
    between the still unpaired that reach it, and those are found without the matrix by prefix filtering
    (``_pairs_reaching``), which can only over-include. A level whose candidates would cost about as much as
    the matrix (a tiny alphabet; two unrelated frameworks at a low level) scores the free × free matrix
    instead and finishes there."""
    pairs: list[Pair] = []
    old_free, new_free = old_left, new_left
    for level in (*(lv for lv in _LEVELS if lv > threshold), threshold):
        found = _pairs_reaching(greedy, old_free, new_free, level)
        if found is None:
            pairs += greedy.take(*greedy.matrix_candidates(old_free, new_free, threshold))
            break
        pairs += greedy.take(*found)
        old_free = [i for i in old_free if i not in greedy.used_old]
        new_free = [j for j in new_free if j not in greedy.used_new]
        if not old_free or not new_free:
            break
    return pairs


def _pairs_reaching(
    greedy: _Greedy, old_ids: list[int], new_ids: list[int], level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(scores, old, new) of every pair of these indicators scoring ≥ ``level``; ``None`` if not worth it.

    Prefix filtering on the characters of the keys: with *O* characters in common (as multisets),
    ``fuzz.ratio`` ≤ 200·O/(la+lb), and the sorted-bigram ratio ≤ 200·(shared spaces + 2·O)/(LA+LB)
    (each character sits in at most two bigrams; ``_score_bound``). So a pair reaching ``level`` shares at
    least α characters, α depending only on the lengths; ordering each key's characters rarest first (one
    order for both sides), a key's first len − α + 1 characters must meet the other key's. Each key is
    indexed under that prefix only, and only keys meeting in a prefix character are scored — in one
    matrix per character (``_BLOCK_MIN``), with the same scorers, so the same float32 scores."""
    import numpy as np

    old_keys = [greedy.old_keys[i] for i in old_ids]
    new_keys = [greedy.new_keys[j] for j in new_ids]
    counts: Counter[str] = Counter()
    for key in (*old_keys, *new_keys):
        counts.update(key)
    rank = {c: r for r, c in enumerate(sorted(counts, key=lambda c: (counts[c], c)))}
    width = max(map(len, (*old_keys, *new_keys))) + 1  # a token's code: rank × width + occurrence
    old_index = _prefix_index(old_keys, rank, width, level, {len(k) for k in new_keys})
    new_index = _prefix_index(new_keys, rank, width, level, {len(k) for k in old_keys})
    if old_index is None or new_index is None:
        return None
    work = sum(len(rows) * len(new_index.get(token, ())) for token, rows in old_index.items())
    if work > _JOIN_SHARE * len(old_ids) * len(new_ids):
        return None
    old_arr, new_arr = np.asarray(old_ids), np.asarray(new_ids)
    found_old: list[np.ndarray] = []
    found_new: list[np.ndarray] = []
    found_scores: list[np.ndarray] = []
    pair_old: list[int] = []
    pair_new: list[int] = []
    for token, rows in old_index.items():
        cols = new_index.get(token)
        if not cols:
            continue
        if len(rows) * len(cols) < _BLOCK_MIN:
            pair_old += [old_ids[r] for r in rows for _ in cols]
            pair_new += [new_ids[c] for _ in rows for c in cols]
            continue
        block = greedy.scores(old_arr[rows], new_arr[cols])
        r, c = np.nonzero(block >= level)
        found_old.append(old_arr[rows][r])
        found_new.append(new_arr[cols][c])
        found_scores.append(block[r, c])
    if pair_old:
        scores = greedy.pair_scores(pair_old, pair_new)
        keep = scores >= level
        found_old.append(np.asarray(pair_old)[keep])
        found_new.append(np.asarray(pair_new)[keep])
        found_scores.append(scores[keep])
    if not found_old:
        return np.empty(0, np.float32), np.empty(0, np.int64), np.empty(0, np.int64)
    rows_all, cols_all, scores_all = np.concatenate(found_old), np.concatenate(found_new), np.concatenate(found_scores)
    _, first = np.unique(rows_all * (len(greedy.new_keys) + 1) + cols_all, return_index=True)  # a pair met twice
    return scores_all[first], rows_all[first], cols_all[first]


def _prefix_index(
    keys: list[str], rank: dict[str, int], width: int, level: float, other_lengths: set[int]
) -> dict[int, list[int]] | None:
    """Prefix token → positions of the keys indexed under it; ``None`` if some key could pair sharing nothing.

    A token is a character and its occurrence number (the second 率 of a key is another token than the
    first), so that multisets intersect as sets."""
    overlap_needed: dict[int, int | None] = {}
    index: dict[int, list[int]] = {}
    for position, key in enumerate(keys):
        if len(key) not in overlap_needed:
            overlap_needed[len(key)] = _min_overlap(len(key), level, other_lengths)
        alpha = overlap_needed[len(key)]
        if alpha is None:
            continue  # no key of the other side could reach the level with this one
        if alpha < 1:
            return None
        previous, occurrence = "", 0
        for char in sorted(key, key=rank.__getitem__)[: len(key) - alpha + 1]:
            occurrence = occurrence + 1 if char == previous else 0
            previous = char
            index.setdefault(rank[char] * width + occurrence, []).append(position)
    return index


def _min_overlap(length: int, level: float, other_lengths: set[int]) -> int | None:
    """The fewest characters a key of ``length`` must share with any key of the other side to reach ``level``."""
    needed = [_overlap_needed(length, other, level) for other in other_lengths]
    return min((n for n in needed if n is not None), default=None)


@functools.lru_cache(maxsize=1 << 16)
def _overlap_needed(la: int, lb: int, level: float) -> int | None:
    """The fewest shared characters with which keys of these lengths could reach ``level`` (``None``: none).

    ``_score_bound`` grows with the overlap, so a binary search finds it."""
    low, high = 0, min(la, lb)
    if _score_bound(high, la, lb) < level - _FLOAT_MARGIN:
        return None
    while low < high:
        middle = (low + high) // 2
        if _score_bound(middle, la, lb) >= level - _FLOAT_MARGIN:
            high = middle
        else:
            low = middle + 1
    return low


def _score_bound(overlap: int, la: int, lb: int) -> float:
    """An upper bound of the score of two keys of these lengths sharing ``overlap`` characters (as multisets).

    ``fuzz.ratio`` is 200·LCS/(la+lb) and LCS ≤ overlap. The sorted-bigram strings are LA = 3·la − 4 long
    (la − 1 bigrams, la − 2 spaces); their LCS is at most the shared spaces plus the shared characters, and a
    character occurs in at most two bigrams, so at most min(la, lb) − 2 + 2·overlap."""
    ratio = 100.0 if la + lb == 0 else 200.0 * min(overlap, la, lb) / (la + lb)
    ta, tb = _token_length(la), _token_length(lb)
    common = min(max(la - 2, 0), max(lb - 2, 0)) + 2 * overlap
    tokens = 100.0 if ta + tb == 0 else 200.0 * min(common, ta, tb) / (ta + tb)
    return (ratio + tokens) / 2


def _token_length(length: int) -> int:
    return 3 * length - 4 if length >= 2 else length


class _Greedy:
    """Greedy best-first assignment, fed candidate pairs in batches; also scores pairs (same float32).

    Only the leftover indicators (``old_left``, ``new_left``) are ever scored."""

    def __init__(
        self,
        old: Sequence[MatchItem],
        new: Sequence[MatchItem],
        old_keys: list[str],
        new_keys: list[str],
        old_left: set[int],
        new_left: set[int],
    ) -> None:
        import numpy as np

        self.old_keys, self.new_keys = old_keys, new_keys
        self.old_tokens = [_sorted_tokens(old_keys[i]) if i in old_left else "" for i in range(len(old))]
        self.new_tokens = [_sorted_tokens(new_keys[j]) if j in new_left else "" for j in range(len(new))]
        self.used_old: set[int] = set()
        self.used_new: set[int] = set()
        # _tie_break as codes: equal codes are equal values; a missing lead (-1 old, -2 new) never equals one
        texts: dict[str, int] = {}
        leads: dict[str, int] = {}
        categories: dict[str | None, int] = {}
        self.old_codes = np.array(
            [(texts.setdefault(i.text, len(texts)), -1 if i.lead is None else leads.setdefault(i.lead, len(leads)),
              categories.setdefault(i.category, len(categories))) for i in old],
            dtype=np.int64,
        ).reshape(len(old), 3)  # fmt: skip
        self.new_codes = np.array(
            [(texts.setdefault(i.text, len(texts)), -2 if i.lead is None else leads.setdefault(i.lead, len(leads)),
              categories.setdefault(i.category, len(categories))) for i in new],
            dtype=np.int64,
        ).reshape(len(new), 3)  # fmt: skip

    def scores(self, old_ids: Sequence[int], new_ids: Sequence[int]) -> np.ndarray:
        return _scores(
            [self.old_keys[i] for i in old_ids],
            [self.old_tokens[i] for i in old_ids],
            [self.new_keys[j] for j in new_ids],
            [self.new_tokens[j] for j in new_ids],
        )

    def pair_scores(self, old_ids: list[int], new_ids: list[int]) -> np.ndarray:
        """Scores of the pairs (old_ids[k], new_ids[k]), element by element."""
        import numpy as np

        chars = process.cpdist(
            [self.old_keys[i] for i in old_ids], [self.new_keys[j] for j in new_ids],
            scorer=fuzz.ratio, dtype=np.float32, workers=1,
        )  # fmt: skip
        tokens = process.cpdist(
            [self.old_tokens[i] for i in old_ids], [self.new_tokens[j] for j in new_ids],
            scorer=fuzz.ratio, dtype=np.float32, workers=1,
        )  # fmt: skip
        return (chars + tokens) / 2  # type: ignore[no-any-return]

    def matrix_candidates(
        self, old_ids: list[int], new_ids: list[int], threshold: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(scores, old, new) of the pairs reaching ``threshold``, from the full old_ids × new_ids matrix."""
        import numpy as np

        scores = self.scores(old_ids, new_ids)
        rows, cols = np.nonzero(scores >= threshold)
        return scores[rows, cols], np.asarray(old_ids)[rows], np.asarray(new_ids)[cols]

    def take(self, scores: np.ndarray, old_ids: np.ndarray, new_ids: np.ndarray) -> list[Pair]:
        """Take the candidates best first (score, then ``_tie_break``, then positions), each side once."""
        import numpy as np

        if not len(scores):
            return []
        a, b = self.old_codes[old_ids], self.new_codes[new_ids]
        ties = 2 * (a[:, 0] == b[:, 0]) + (a[:, 1] == b[:, 1]) + (a[:, 2] == b[:, 2])
        order = np.lexsort((new_ids, old_ids, -ties, -scores))
        pairs: list[Pair] = []
        free_old = len(set(old_ids.tolist()) - self.used_old)
        free_new = len(set(new_ids.tolist()) - self.used_new)
        for score, i, j in zip(scores[order].tolist(), old_ids[order].tolist(), new_ids[order].tolist(), strict=True):
            if i not in self.used_old and j not in self.used_new:
                self.used_old.add(i)
                self.used_new.add(j)
                pairs.append(Pair(i, j, round(score, 1)))
                if len(pairs) in (free_old, free_new):
                    break  # one side has no candidate left unpaired
        return pairs


def _reference_match(
    old: Sequence[MatchItem], new: Sequence[MatchItem], threshold: float = MATCH_THRESHOLD
) -> list[Pair]:
    """The full-matrix algorithm ``match`` must agree with (kept for the tests): every leftover pair scored
    with ``fuzz.token_sort_ratio`` itself, greedy over Python tuples."""
    import numpy as np

    old_keys = [indicator_key(i.text) for i in old]
    new_keys = [indicator_key(i.text) for i in new]
    pairs, old_left, new_left = _exact_pairs(old, new, old_keys, new_keys)
    if old_left and new_left:
        left_old = [old_keys[i] for i in old_left]
        left_new = [new_keys[j] for j in new_left]
        chars = process.cdist(left_old, left_new, scorer=fuzz.ratio, dtype=np.float32, workers=-1)
        tokens = process.cdist(
            [_tokens(k) for k in left_old], [_tokens(k) for k in left_new],
            scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=-1,
        )  # fmt: skip
        scores = (chars + tokens) / 2
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
