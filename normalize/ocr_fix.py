"""Reading OCR'd cells whose column is known: a points cell as a number, a unit name against known names (issue 17).

OCR misreads one glyph as a look-alike: ``O.5`` for 0.5, ``l`` for 1, ``县友展改早和科技局`` for 县发展改革和科技局.
Where the column says what a cell must be, the misreading can be undone: a 分值 cell is a number, a 责任单位 cell
names units of the region. Pure functions; the caller (``frameworks.ocr_review``) decides which cells came from OCR
and says what was changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import regex
from rapidfuzz import process
from rapidfuzz.distance import Hamming

from normalize.numbers import normalize_for_matching
from normalize.points import parse_points_cell
from normalize.unit_shape import unit_ending

# ---------------------------------------------------------------- points

# After NFKC (``normalize_for_matching``): full-width Ｏ ｌ Ｉ ｜ are ASCII already.
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "〇": "0", "○": "0", "l": "1", "I": "1", "|": "1", "丨": "1"})
_S_FOR_5 = regex.compile(r"(?<=\d)[Ss](?=\d)")
_THOUSANDS = regex.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")  # 1,000: a separator, not a decimal point
_DECIMAL = regex.compile(r"(?<=\d)[。，,·•・](?=\d)")
_FEN_SUFFIX = regex.compile(r"[(（]\s*分\s*[)）]$")  # 3（分）: the column's unit copied into the cell
_TRAILING = "。.，,、"


def read_points(text: str | None) -> float | None:
    """A 分值 cell read by OCR, as a number only; None when it is not one (or is empty).

    What ``normalize.points.parse_points_cell`` reads is read alike (``2分``, ``（3 分)``, ``-0.5``, full-width
    digits). Otherwise the look-alikes OCR gives for digits are folded first: ``O o 〇 ○`` → 0, ``l I | 丨`` → 1,
    ``S`` → 5 between two digits, ``。 ， · •`` → a decimal point between two digits (``1,000`` stays a thousand),
    spaces, trailing punctuation and a trailing ``(分)`` dropped. Words are never numbers here: ``两分`` → None.
    """
    if text is None:
        return None
    direct = parse_points_cell(text)
    if direct is not None:
        return direct
    s = "".join(normalize_for_matching(text).split()).rstrip(_TRAILING)
    s = _FEN_SUFFIX.sub("", s).translate(_OCR_DIGITS)
    s = _DECIMAL.sub(".", _THOUSANDS.sub("", _S_FOR_5.sub("5", s)))
    return parse_points_cell(s) if s else None


# ---------------------------------------------------------------- unit names

_LEVEL = regex.compile(r"^(?:中共|共青团|团)?[省市州县区旗]")
_SHARE_WRONG = 4  # at most one character in four may be misread


@dataclass(frozen=True)
class ClosestUnit:
    """The known name an OCR'd unit name most likely is.

    ``best`` is the correction, or None when the name is to be kept as read. ``close`` lists the candidates
    within reach (several: ambiguous; one that is not ``best``: perhaps another real unit). Scores are
    1 − misread characters / length, 0 when no candidate could be the same unit at all.
    """

    read: str
    best: str | None
    score: float
    runner_up_score: float
    close: tuple[str, ...] = ()


def closest_unit(name: str, candidates: Iterable[str]) -> ClosestUnit:
    """The one known unit name ``name`` is a misreading of, if there is exactly one.

    OCR substitutes look-alike glyphs one for one (友/发, 早/革, 韭/业), so the rule counts substituted
    characters (Hamming distance, rapidfuzz) and accepts ``best`` only when:

    1. **same length**: a character dropped or split is a different kind of error, and two real units
       often differ by a word (县自然资源局, 县自然资源和规划局);
    2. **same level and same kind**: where the name as read starts with a level (县, 区, 市, 中共县…) or ends
       with a unit word (局, 馆, 办, 委, 中心, 公司 …, ``unit_shape.unit_ending``), the candidate starts and
       ends alike. Those characters are what make another real unit (县档案馆 is not 县档案局, 市林业局 not
       县林业局); a misread there that still reads as a level or a unit word is not corrected;
    3. **at most a quarter misread**: ``len(name) // 4`` characters (县林韭局: 1 of 4; 县友展改早和科技局: 2 of 9;
       a three-character name is never corrected);
    4. **no rival**: no other candidate is within that reach. Two close names (县X政局: 县财政局 and 县民政局) are
       a guess between units, which is never made;
    5. **a misreading, not another word**: at least one of the differing characters is used in none of the
       candidates (韭, 友, 早, X). When every one is a unit-name character, the name may be a real unit one
       character from a known one (县农业局 next to 县林业局), so it is kept.

    A real unit the registry does not know fails one of these against its neighbours and is kept as read;
    what still passes (an unknown 县枣业局 beside a known 县林业局) is why every correction is reported.

    One more error is corrected: **a dropped unit word**. A name wrapped in a narrow cell leaves its last
    character alone on a line (``县市场监督管理`` / ``局``), which the detector may miss. A name as read that
    ends with no unit word is no unit at all, so when exactly one candidate is that name plus a unit word
    (and the name keeps at least four characters), completing it cannot turn one unit into another.
    """
    name = "".join(name.split())
    known = tuple(candidates)
    level, ending = _LEVEL.match(name), unit_ending(name)
    if ending is None and len(name) >= 4:
        completed = [c for c in known if c.startswith(name) and unit_ending(c) == c[len(name) :]]
        if len(completed) == 1:
            score = len(name) / len(completed[0])
            return ClosestUnit(read=name, best=completed[0], score=score, runner_up_score=0.0, close=(completed[0],))
    eligible = {
        c
        for c in known
        if len(c) == len(name)
        and (level is None or c.startswith(level.group()))
        and (ending is None or c.endswith(ending))
    }
    if not name or not eligible:
        return ClosestUnit(read=name, best=None, score=0.0, runner_up_score=0.0)
    ranked = process.extract(name, sorted(eligible), scorer=Hamming.distance, limit=None)
    reach = len(name) // _SHARE_WRONG
    close = tuple(candidate for candidate, wrong, _ in ranked if wrong <= reach)
    scores = [1 - wrong / len(name) for _, wrong, _ in ranked[:2]] + [0.0]
    best = close[0] if len(close) == 1 else None
    if best is not None and best != name:
        used = set().union(*known)
        best = best if any(a != b and a not in used for a, b in zip(name, best, strict=True)) else None
    return ClosestUnit(read=name, best=best, score=scores[0], runner_up_score=scores[1], close=close)
