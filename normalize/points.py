"""Points (分值) and deductions as the frameworks write them (DOMAIN §2.4, §2.7–2.9).

Where a number sits decides what it means: ``（2分）`` at the end of an indicator is its
weight, ``考评未达到84分的`` is a threshold, ``扣1.5分`` a deduction. So each function here
reads one cell position; none of them hunts for ``\\d+分`` in free text.
Signs are normalised once: deductions are negative, bonuses positive (DOMAIN §3.2 item 9).
"""

from __future__ import annotations

import functools
import logging
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

from normalize.numbers import normalize_for_matching, parse_number
from normalize.text import join_wrapped, squeeze_cjk_spaces

log = logging.getLogger(__name__)

_NUM = r"\d+(?:\.\d+)?"
_CN_NUM = r"[零〇一二两三四五六七八九十]+"
# A trailing bracketed points group, mixed widths: （2分） (0.5分） (10分)；placeholders (x 分).
_INLINE = regex.compile(rf"[(（]\s*(?P<num>{_NUM}|[xXｘＸ]+)\s*分\s*[)）]\s*[。；;，,]?\s*$")
_TRAILING_PUNCT = "。；;，,、 \t"
_CELL = regex.compile(rf"\(?(?P<num>[+-]?{_NUM})\s*分?\)?")
_EMPTY_CELL = regex.compile(r"[\s—\-－–―/／·.]*")
# Declared points at the end of a category cell: （20分）, (800 分), 13分, 脱贫攻坚分5分 (typo), (x分).
_DECLARED = regex.compile(rf"[(（]?\s*(?P<num>{_NUM}|[xXｘＸ]+)\s*分\s*[)）]?$")
_BARE = regex.compile(rf"\s+(?P<num>{_NUM})$")
_ORDINAL = regex.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))\s*")
_WORDS_ENDING_IN_FEN = ("部分", "积分", "评分", "扣分", "加分", "得分", "计分", "赋分", "区分", "划分", "百分", "减分")
_STRAY = frozenset("·•")


class GradedDeduction(BaseModel):
    """One step of a deduction graded by who issued the criticism (省上 −1.5, 市上 −1, 县上 −0.5)."""

    model_config = ConfigDict(frozen=True)

    level: str
    points: float


class Deduction(BaseModel):
    """A negative-list item, bonus or veto; ``points`` is signed and None when unstated."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["deduction", "veto", "bonus"]
    points: float | None  # deductions < 0, bonuses > 0; graded: the largest magnitude
    graded: list[GradedDeduction] = Field(default_factory=list)
    text: str


def strip_ordinal(text: str) -> str:
    """``1.责任型机关创建`` → ``责任型机关创建``; ``（二）…``, ``三、…`` likewise; ``1.5万亩`` is kept."""
    return _ORDINAL.sub("", text.lstrip())


def split_inline_points(text: str) -> tuple[str, float | None]:
    """``生产总值增长7%（2分）`` → (``生产总值增长7%``, 2.0).

    Only a trailing bracketed group counts. A template placeholder ``(x 分)`` is removed
    and gives None; text without a trailing group comes back unchanged (stripped).
    Sentence punctuation before the group (``…建成。（1分）``) is dropped with it.
    """
    m = _INLINE.search(text)
    if m is None:
        return text.strip(), None
    indicator = text[: m.start()].rstrip(_TRAILING_PUNCT)
    points = parse_number(m["num"])  # None for the x placeholder
    return indicator, points


@functools.lru_cache(maxsize=16384)  # every cell of a table is asked once for its columns' evidence, once as a row
def parse_points_cell(text: str | None) -> float | None:
    """A cell of a 分值 column: ``10``, ``  20``, ``35 分``, ``-0.5``, ``（20分）``; empty or ``—`` → None."""
    if text is None:
        return None
    s = normalize_for_matching(text).replace(" ", "")
    if _EMPTY_CELL.fullmatch(s):
        return None
    m = _CELL.fullmatch(s)
    return float(m["num"]) if m else None


@functools.lru_cache(maxsize=8192)  # a category cell is read again on every row it spans
def split_declared_points(text: str, *, allow_bare_number: bool = False) -> tuple[str, float | None]:
    """A category / item cell with its points glued on or on a line of its own.

    ``经济发展\\n（20分）`` → (``经济发展``, 20); ``党风\\n廉政\\n建设\\n20分`` → (``党风廉政建设``, 20);
    ``核心 职能 目标 (800 分)`` → (``核心职能目标``, 800); ``脱贫攻坚分5分`` → (``脱贫攻坚``, 5).
    A leading ordinal (``一、``, ``（二）``, ``3.``) is removed. With ``allow_bare_number`` a
    section row ending in a number after spaces also declares points:
    ``一、巩固成果，提升工作实效  31`` → (``巩固成果，提升工作实效``, 31).
    The name keeps its characters; only spaces between CJK characters are removed.
    """
    lines = (squeeze_cjk_spaces(line).strip() for line in text.split("\n"))
    joined = join_wrapped([line for line in lines if line not in _STRAY])
    points: float | None = None
    m = _DECLARED.search(joined)
    if m is not None:
        points = parse_number(m["num"])
        joined = _drop_typo_fen(joined[: m.start()])
    elif allow_bare_number and (bare := _BARE.search(joined)):
        points = float(bare["num"])
        joined = joined[: bare.start()]
    name = _ORDINAL.sub("", squeeze_cjk_spaces(joined).strip()).strip(_TRAILING_PUNCT)
    return name, points


def _drop_typo_fen(name: str) -> str:
    """``脱贫攻坚分`` (from ``脱贫攻坚分5分``) → ``脱贫攻坚``; real words ending in 分 stay."""
    name = name.rstrip()
    if name.endswith("分") and not name.endswith(_WORDS_ENDING_IN_FEN):
        return name[:-1]
    return name


# ---------------------------------------------------------------- deductions, veto, bonus

_AMOUNT = rf"(?P<num>{_NUM}|{_CN_NUM}|半)"
_DEDUCT = regex.compile(rf"(?:倒扣|扣除|扣减|扣|减)\s*{_AMOUNT}\s*分")
_BONUS = regex.compile(rf"加\s*{_AMOUNT}\s*分")
_DEDUCT_WORD = regex.compile(rf"扣分|扣除|倒扣|扣减|减分|扣\s*{_AMOUNT}")
_BONUS_WORD = regex.compile(rf"加分|加\s*{_AMOUNT}\s*分")
_VETO = regex.compile(r"一票否决")
_LEVEL = regex.compile(r"(?P<level>中央|国家|省|市|县|区|乡镇|镇|街道)(?:上|级|委|政府)?")
_CLAUSE = regex.compile(r"[，,；;。]")


def parse_deduction(text: str, value_cell: str | None = None) -> Deduction | None:
    """Read a negative-list row, a bonus ground or a veto into a signed ``Deduction``.

    ``value_cell`` is the row's 扣分分值 cell (``-1.5``); prose amounts come from the text
    (``扣0.5分``, ``加1分``). ``扣除相应分值`` → points None. A graded rule
    (``省上通报扣1.5分，市上扣1分，县上扣0.5分``) gives one ``GradedDeduction`` per level
    and ``points`` = the largest magnitude. ``一票否决`` is a veto, never a number.
    Returns None when neither the text nor the cell says anything about points.
    """
    clean = normalize_for_matching(text)
    if _VETO.search(clean):
        return Deduction(kind="veto", points=None, text=text)
    cell_points = parse_points_cell(value_cell)
    is_bonus = not _DEDUCT_WORD.search(clean) and _BONUS_WORD.search(clean) is not None
    kind: Literal["deduction", "bonus"] = "bonus" if is_bonus else "deduction"
    sign = 1.0 if is_bonus else -1.0
    if cell_points is not None:
        return Deduction(kind=kind, points=sign * abs(cell_points), text=text)
    amounts = _prose_amounts(clean, _BONUS if is_bonus else _DEDUCT)
    if amounts:
        graded = (
            [GradedDeduction(level=level, points=sign * abs(v)) for level, v in amounts] if len(amounts) > 1 else []
        )
        largest = max((abs(v) for _, v in amounts), default=0.0)
        return Deduction(kind=kind, points=sign * largest, graded=graded, text=text)
    if is_bonus or _DEDUCT_WORD.search(clean) or "相应分值" in clean:
        return Deduction(kind=kind, points=None, text=text)
    return None


def _prose_amounts(clean: str, pattern: regex.Pattern[str]) -> list[tuple[str, float]]:
    """(level, amount) for each ``扣N分`` / ``加N分``; the level is the issuer named in its clause."""
    found: list[tuple[str, float]] = []
    for clause in _CLAUSE.split(clean):
        for m in pattern.finditer(clause):
            value = 0.5 if m["num"] == "半" else parse_number(m["num"])
            if value is None:
                continue
            level = _LEVEL.search(clause[: m.start()])
            found.append((level["level"] if level else clause[: m.start()].strip(), value))
    return found
