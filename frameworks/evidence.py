"""What a column's cells say about its role, whatever its header says.

Numbers that add up to 100 are points; names that resolve to units (or have a unit's shape) are
responsible units; ``12月底前`` is a deadline; long sentences with ``得…分`` are scoring criteria;
short distinct phrases name the indicators; repeated or merged cells group them. Each column
gets a profile of such counts (``ColumnProfile``) and, from it, a score per role
(``content_scores``) with the evidence in words a reader can check.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import regex
from pydantic import BaseModel, Field

from frameworks.vocabulary import Role, header_key
from normalize.departments import UnitMention, split_units
from normalize.points import parse_points_cell
from normalize.unit_shape import is_filler, is_person_name, is_person_title, looks_like_unit
from parsers.document import Table

_SEQ = regex.compile(
    r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.、．]?$|^[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）]$"
)
_DATE = regex.compile(
    r"(?:\d{4}年)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}日)?(?:底|末|中旬|上旬|下旬|份)?(?:前|以前|之前|内)"
    r"|(?:\d{4}年)?(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:\d{1,2}日)?(?:底|末)?$"
    r"|年底前|年底|年内|全年|长期|持续推进|常态化|第?[一二三四1-4]季度(?:末|前)?"
)
_CRITERIA = regex.compile(
    r"得\s*\d|不得分|满分|扣\s*[\d一二三四五六七八九十半]|扣\s*除|加\s*\d+(?:\.\d+)?\s*分|计\s*\d+(?:\.\d+)?\s*分"
    r"|每\S{0,12}?(?:扣|加|得)|按\S{0,10}?(?:计分|赋分|排名)|赋分|计分|\d+(?:\.\d+)?\s*分\s*[；;，,。]"
)
_TARGET = regex.compile(
    r"\d+(?:\.\d+)?\s*(?:%|％|‰|个百分点|万元|亿元|元|万|亿|个|家|人|亩|吨|公里|千米|km|户|所|项|件|次|天|座|条|台|套|只|头|辆|场|篇|名)"
    r"|不低于|不少于|不高于|不超过|以上|以内|以下|增长|下降|达到|控制在|≥|≤"
)
_INLINE_POINTS = regex.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_TOTAL = regex.compile(r"^(?:合计|总计|总分|合计分值|小计)")
_SAMPLE_ROWS = 80  # data rows counted per table
_MAX_UNIT_CELL = 200  # longer cells are sentences: not split into names
_MAX_NAME = 14
# Units of measure in a 单位 column: %, 万亩, 万元/人, 亿斤, 个, km².
_MEASURE = regex.compile(
    r"^(?:[%％‰℃]|个百分点|(?:[万亿千百十]?(?:元|美元|亩|吨|斤|人|户|个|家|所|项|件|次|天|座|条|台|套|只|头|辆|场|篇|名|张|公里|千米|米|平方米|立方米|千瓦|株|棵|公顷|人次|床|间|处|份|批|辆|km|㎡|m²|m³|kw|t))"
    r"(?:/[\p{Han}A-Za-z]{1,3})?)$"
)


@dataclass
class ColumnProfile:
    """Counts over a column's data cells (each merged cell once, fillers apart).

    A plain dataclass, not a model: it is counted into once per cell on the ingest hot path."""

    col: int
    rows: int = 0  # data rows the column spans (a merged cell counts for every row it covers)
    filled: int = 0  # cells with text that is not a filler
    fillers: int = 0
    numbers: list[float] = field(default_factory=list)
    units: int = 0
    dates: int = 0
    seqs: int = 0
    criteria: int = 0
    targets: int = 0
    inline_points: int = 0  # cells holding a bracketed （N分）
    measures: int = 0  # units of measure: %, 万亩
    persons: int = 0  # people: 陈宣群, 副县长
    spanned: int = 0  # cells merged over several rows
    declared_total: float | None = None  # the column's number in a 合计 row
    distinct: int = 0
    total_length: int = 0

    def share(self, count: int) -> float:
        return count / self.filled if self.filled else 0.0

    @property
    def mean_length(self) -> float:
        return self.total_length / self.filled if self.filled else 0.0


def profile_columns(table: Table, header_rows: int, is_unit: Callable[[str], bool]) -> list[ColumnProfile]:
    """One profile per grid column from the rows below the header (total rows left out).

    The first ``_SAMPLE_ROWS`` data rows are counted: shares settle long before, and a 1,000-row
    table then costs no more to read than a short one."""
    profiles = [ColumnProfile(col=c) for c in range(table.n_cols)]
    texts: list[set[str]] = [set() for _ in range(table.n_cols)]
    counted = 0
    for r in range(header_rows, table.n_rows):
        cells = [c for c in table.rows[r] if c.text.strip()]
        if cells and _TOTAL.match(header_key(cells[0].text)):
            for cell in cells[1:]:
                profiles[cell.col].declared_total = parse_points_cell(cell.text)
            continue
        if counted == _SAMPLE_ROWS:
            continue  # keep looking for the 合计 row only
        counted += 1
        for profile in profiles:
            profile.rows += 1
        for cell in table.rows[r]:
            _count(profiles[cell.col], cell.text, cell.rowspan > 1, is_unit)
            texts[cell.col].add(header_key(cell.text))
    for profile, seen in zip(profiles, texts, strict=True):
        profile.distinct = len(seen - {""})
    return profiles


class _Cell(NamedTuple):
    """What one cell text is, whatever column it sits in (cached: cells repeat across rows and notices)."""

    filler: bool
    length: int
    number: float | None
    measure: bool
    seq: bool
    date: bool
    criteria: bool
    target: bool
    inline_points: bool
    person: bool  # every name in it is a person
    names: int  # names in the cell, people apart (0: none, or too many to be a unit cell)
    units_by_shape: int  # names with a unit's shape (or 相关单位…)
    unknown_names: tuple[str, ...]  # short names of no unit shape: the registry may still know them


@functools.lru_cache(maxsize=32768)
def _cell_kind(text: str) -> _Cell:
    key = header_key(text)
    criteria = bool(_CRITERIA.search(key))
    names: tuple[UnitMention, ...] = tuple(split_units(text)) if len(key) <= _MAX_UNIT_CELL else ()
    people = [m for m in names if is_person_title(m.text) or is_person_name(m.as_written)]
    others = [m for m in names if m not in people]
    by_shape = [m for m in others if m.special or looks_like_unit(m.as_written)]
    unknown = tuple(m.text for m in others if m not in by_shape and len(m.text) <= _MAX_NAME)
    too_many = len(others) > 12
    return _Cell(
        filler=is_filler(key),
        length=len(_INLINE_POINTS.sub("", key)),  # 经济发展（20分） is as short as 经济发展
        number=parse_points_cell(text),
        measure=bool(_MEASURE.match(key)),
        seq=bool(_SEQ.match(key)),
        date=len(key) <= 30 and bool(_DATE.search(key)) and not criteria,
        criteria=criteria,
        target=len(key) <= 30 and bool(_TARGET.search(key)),
        inline_points=bool(_INLINE_POINTS.search(key)),
        person=bool(names) and len(people) == len(names),
        names=0 if too_many else len(others),
        units_by_shape=len(by_shape),
        unknown_names=() if too_many else unknown,
    )


def _count(profile: ColumnProfile, text: str, spanned: bool, is_unit: Callable[[str], bool]) -> None:
    if not text.strip():
        return
    cell = _cell_kind(text)
    if cell.filler:
        profile.fillers += 1
        return
    profile.filled += 1
    profile.total_length += cell.length
    profile.spanned += spanned
    if cell.number is not None:
        profile.numbers.append(cell.number)
    profile.measures += cell.measure
    profile.seqs += cell.seq
    profile.dates += cell.date
    profile.criteria += cell.criteria
    profile.targets += cell.target
    profile.inline_points += cell.inline_points
    profile.persons += cell.person
    profile.units += _names_units(cell, is_unit)


def _names_units(cell: _Cell, is_unit: Callable[[str], bool]) -> bool:
    """Most of the names in the cell are units (a leader's title beside them does not count against).

    The shape test comes first: the registry is asked only about short names without a unit's shape."""
    if not cell.names:
        return False
    units = cell.units_by_shape + sum(1 for name in cell.unknown_names if is_unit(name))
    return units * 2 >= cell.names + (1 if cell.names > 1 else 0)


class ContentScore(BaseModel):
    score: float
    evidence: list[str] = Field(default_factory=list)


def content_scores(p: ColumnProfile) -> dict[Role, ContentScore]:
    """A score per role from the column's cells, with the evidence (in Chinese) behind it."""
    if p.filled == 0:
        note = f"无内容（{p.fillers} 个占位符）" if p.fillers else "无内容"
        empty = {"item": -3.0, "category": -1.0, "points": -4.0, "weight": -4.0, "deduction": -4.0, "detail": -1.0}
        empty["other"] = 0.0  # says why an empty column is nothing else
        return {role: ContentScore(score=score, evidence=[note]) for role, score in empty.items()}  # type: ignore[misc]
    out: dict[Role, ContentScore] = {}

    def add(role: Role, score: float, why: str) -> None:
        entry = out.setdefault(role, ContentScore(score=0))
        entry.score += score
        if why and why not in entry.evidence:
            entry.evidence.append(why)

    _numeric_evidence(p, add)
    _unit_evidence(p, add)
    _text_evidence(p, add)
    _row_evidence(p, add)
    return out


def _numeric_evidence(p: ColumnProfile, add: Callable[[Role, float, str], None]) -> None:
    s_num = p.share(len(p.numbers))
    if s_num < 0.3:
        why = f"{p.filled - len(p.numbers)}/{p.filled} 个为文字"
        for role in ("points", "weight", "deduction"):
            add(role, -4 * (1 - s_num), why)  # type: ignore[arg-type]
        return
    why = f"{len(p.numbers)}/{p.filled} 个为数字"
    seq_like = p.share(p.seqs) >= 0.8 and _consecutive(p.numbers)
    if seq_like:
        add("seq", 5, f"{why}，依次递增")
        add("points", -3, "依次递增的序号")
        return
    if max(abs(v) for v in p.numbers) > 1000:  # 31000 元, 7000 亿元: a target value, not points
        add("points", -4, f"数值达 {max(p.numbers):g}，不像分值")
        add("weight", -4, "")
    negatives = sum(1 for v in p.numbers if v < 0)
    total = sum(p.numbers)
    if negatives * 2 > len(p.numbers):
        add("deduction", 4 * s_num, f"{why}，多为负数")
    else:
        add("points", 4 * s_num, why)
        add("weight", 4 * s_num, why)
        if any(abs(total - t) < 1e-6 for t in (100, p.declared_total) if t):
            add("points", 1.5, f"合计 {total:g}")
            add("weight", 1.5, f"合计 {total:g}")
    add("target", 1.5 * s_num, why)
    for role in ("item", "category", "detail", "criteria", "responsible", "cooperating", "assigning"):
        add(role, -4 * s_num, why)  # type: ignore[arg-type]


def _consecutive(values: list[float]) -> bool:
    steps = [b - a for a, b in itertools.pairwise(values)]
    return bool(steps) and sum(1 for s in steps if s == 1) >= 0.7 * len(steps)


def _unit_evidence(p: ColumnProfile, add: Callable[[Role, float, str], None]) -> None:
    if p.share(p.measures) >= 0.5:
        why = f"{p.measures}/{p.filled} 个为计量单位"
        add("measure", 5 * p.share(p.measures), why)
        for role in ("responsible", "cooperating", "assigning", "item", "category", "detail"):
            add(role, -5, why)  # type: ignore[arg-type]
        return
    if p.share(p.persons) >= 0.5:
        why = f"{p.persons}/{p.filled} 个为人名或职务"
        add("leader", 5 * p.share(p.persons), why)
        for role in ("item", "category", "detail", "criteria", "responsible", "cooperating", "assigning"):
            add(role, -4, why)  # type: ignore[arg-type]
        return
    s_unit = p.share(p.units)
    if s_unit < 0.2:
        add("responsible", -2, "")
        add("cooperating", -2, "")
        add("assigning", -2, "")
        return
    why = f"{p.units}/{p.filled} 个为单位名称"
    for role in ("responsible", "cooperating", "assigning"):
        add(role, 4 * s_unit, why)  # type: ignore[arg-type]
    add("leader", 1.5 * s_unit, why)
    add("item", -4 * s_unit, why)
    add("category", -1.5 * s_unit, why)
    for role in ("detail", "criteria", "target"):
        add(role, -3 * s_unit, why)  # type: ignore[arg-type]


def _row_evidence(p: ColumnProfile, add: Callable[[Role, float, str], None]) -> None:
    """A column naming the rows has a cell of its own on (nearly) every row; one merged over many rows groups them."""
    if p.rows < 3 or p.filled == 0:
        return
    own = (p.filled + p.fillers) / p.rows
    if own >= 0.9:
        add("item", 1, f"{p.rows} 行中 {p.filled + p.fillers} 行有各自的内容")
    elif own <= 0.5:
        add("item", -1.5, f"{p.rows} 行中仅 {p.filled + p.fillers} 个单元格")


def _text_evidence(p: ColumnProfile, add: Callable[[Role, float, str], None]) -> None:
    s_date, s_crit, s_seq = p.share(p.dates), p.share(p.criteria), p.share(p.seqs)
    length, distinct = p.mean_length, p.distinct / p.filled
    if s_date >= 0.5:
        why = f"{p.dates}/{p.filled} 个为时间"
        add("deadline", 5 * s_date, why)
        add("item", -3 * s_date, why)
        add("category", -2 * s_date, why)
    if s_seq >= 0.6:
        add("seq", 4 * s_seq, f"{p.seqs}/{p.filled} 个为序号")
        add("item", -4 * s_seq, "序号")
        add("category", -2 * s_seq, "序号")
    if s_crit >= 0.3:
        why = f"{p.criteria}/{p.filled} 个含计分规则"
        add("criteria", 4 * s_crit, why)
        add("detail", 1 * s_crit, why)
        add("item", -2 * s_crit, why)
        add("category", -2 * s_crit, why)
    if p.share(p.targets) >= 0.5:
        add("target", 2 * p.share(p.targets), f"{p.targets}/{p.filled} 个为目标值")
    if length >= 25:
        add("detail", 2, f"平均 {length:.0f} 字")
        add("criteria", 1, "")
        add("category", -2, f"平均 {length:.0f} 字")
        add("item", -1.5 if length > 60 else 0, f"平均 {length:.0f} 字")
    elif length >= 2 and distinct >= 0.7:
        add("item", 2, f"{p.distinct} 个不同的短语")
    spanned = p.share(p.spanned)
    sparse = p.rows >= 4 and (p.filled + p.fillers) / p.rows < 0.7 and p.spanned == 0
    if spanned >= 0.3 or sparse or (distinct <= 0.6 and p.filled >= 3):
        if spanned >= 0.3:
            why = f"{p.spanned} 个合并单元格"
        elif sparse:
            why = f"{p.rows} 行中仅 {p.filled} 行有内容（其余承上）"
        else:
            why = f"{p.filled} 个中仅 {p.distinct} 个不同"
        add("category", 2, why)
        add("item", -2 if sparse else -1, why)
        add("detail", -1 if sparse else 0, why)
    if p.share(p.inline_points) >= 0.3:
        add("item", 1, f"{p.inline_points} 个带（N分）")
