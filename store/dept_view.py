"""What one unit carries, folded from the store's answers (no SQL): ``kaohe dept``, ``/dept/<name>`` and
``kaohe dept NAME -o FILE`` all say it with these words.

**Totals per framework, never across kinds.** A unit's own per-unit table is scored out of its total
(100); the 市考 breakdown items it leads carry city points; negative-list rows are deductions off the
total score; common (共性) indicators are a block of their own. Adding them up gives a number that
means nothing (``100 + 27.5``), so each framework gets its own line, labelled by kind:

* ``本单位考核表`` — the unit's own per-unit table: ``承担 13 项，计 100 分（满分 100 分）``
* ``任务分解`` — a breakdown table: ``牵头 14 项，计 27.5 分``
* ``负面清单`` — deductions it is responsible for: ``扣分项 3 项，最多扣 1.5 分``
* ``共性指标``, ``申报样表``, ``其他单位考核表`` (rows it leads in another unit's table).

Cooperating rows (``配合``) and rows it only assesses (``负责考核``) are counted, never scored.

**Prose mentions once per notice.** The same notice stored as .doc, .docx, .pdf… names the unit in the
same paragraph of each copy; :func:`mentions_by_notice` folds them into one cited paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.copies import MergedAnswer, files_label, merge_copies
from store.results import IndicatorAnswer, MentionRow

__all__ = [
    "LOAD_KIND_LABELS",
    "FrameworkLoad",
    "Notice",
    "RegionYear",
    "framework_loads",
    "mentions_by_notice",
    "points_text",
    "region_years",
]

LOAD_KIND_LABELS = {
    "own": "本单位考核表",
    "breakdown": "任务分解",
    "negative_list": "负面清单",
    "common": "共性指标",
    "template": "申报样表",
    "per_unit": "其他单位考核表",
}
_ORDER = list(LOAD_KIND_LABELS)
CARRIED = ("lead", "assessee")
TOTALS_NOTE = "各类分别统计，不相加：本单位考核表按满分计，任务分解计牵头指标的分值，负面清单列扣分。"


def points_text(value: float) -> str:
    return f"{value:g}"


@dataclass
class FrameworkLoad:
    """What the unit carries in one framework (the copies of a notice merged)."""

    title: str | None
    region: str | None
    year: int | None
    assessee: str | None
    framework_id: int
    kind: str  # a key of LOAD_KIND_LABELS
    unit: str  # the unit's canonical name in this region
    answers: list[IndicatorAnswer] = field(default_factory=list)  # every copy's, as the store gave them
    items: list[MergedAnswer] = field(default_factory=list)  # one per indicator of the notice
    out_of: float | None = None  # the own table's total (declared, else listed)
    carried: int = 0  # indicator rows it leads or is assessed on
    points: float = 0.0
    unpointed: int = 0  # of those, rows without points
    cooperating: int = 0
    assessing: int = 0
    deductions: int = 0
    deduction_points: float = 0.0  # the most it can lose: the sum of the fixed deductions
    graduated: int = 0  # deduction rows without a fixed value (扣除相应分值, by who criticised)
    bonuses: int = 0
    bonus_points: float = 0.0
    vetoes: int = 0

    @property
    def label(self) -> str:
        return LOAD_KIND_LABELS[self.kind]

    @property
    def subtotal(self) -> float:
        """The one number of this framework's sheet section: its points, or its deductions (negative)."""
        if self.carried or not self.deductions:
            return self.points
        return -self.deduction_points

    def add(self, merged: MergedAnswer) -> None:
        a = merged.answer
        self.items.append(merged)
        if a.relation == "assessor":
            self.assessing += 1
        elif a.relation == "cooperating":
            self.cooperating += 1
        elif a.kind == "deduction":
            self.deductions += 1
            self.graduated += a.points is None
            self.deduction_points += abs(a.points or 0)
        elif a.kind == "bonus":
            self.bonuses += 1
            self.bonus_points += abs(a.points or 0)
        elif a.kind == "veto":
            self.vetoes += 1
        else:
            self.carried += 1
            self.points += a.points or 0
            self.unpointed += a.points is None

    @property
    def summary(self) -> str:
        """``承担 13 项，计 100 分（满分 100 分）`` · ``扣分项 3 项，最多扣 1.5 分`` · ``配合 2 项``…"""
        parts = [part for part in (self._carried_text(), self._deduction_text()) if part]
        if self.bonuses:
            parts.append(f"加分项 {self.bonuses} 项，最多加 {points_text(self.bonus_points)} 分")
        if self.vetoes:
            parts.append(f"一票否决 {self.vetoes} 项")
        if self.cooperating:
            parts.append(f"配合 {self.cooperating} 项")
        if self.assessing:
            parts.append(f"负责考核 {self.assessing} 项")
        return "；".join(parts) or "0 项"

    def _carried_text(self) -> str:
        if not self.carried:
            return ""
        verb = "承担" if self.kind == "own" or not any(m.answer.relation == "lead" for m in self.items) else "牵头"
        if self.unpointed == self.carried:
            return f"{verb} {self.carried} 项，未列分值"
        text = f"{verb} {self.carried} 项，计 {points_text(self.points)} 分"
        if self.unpointed:
            text += f"（{self.unpointed} 项未列分值）"
        if self.kind == "own" and self.out_of is not None:
            text += f"（满分 {points_text(self.out_of)} 分）"
        return text

    def _deduction_text(self) -> str:
        fixed = self.deductions - self.graduated
        if not self.deductions:
            return ""
        if not fixed:
            return f"扣分项 {self.deductions} 项，按情形扣分"
        text = f"扣分项 {self.deductions} 项，最多扣 {points_text(self.deduction_points)} 分"
        return text + (f"（另 {self.graduated} 项按情形扣分）" if self.graduated else "")


def framework_loads(
    answers: Sequence[IndicatorAnswer],
    units: Iterable[tuple[str | None, str]],
    frameworks: Mapping[int, Mapping[str, Any]],
) -> list[FrameworkLoad]:
    """The unit's answers per framework, copies merged, ordered by region, year (latest first) and kind.

    ``units``: the (region, canonical) pairs looked up; ``frameworks``: each framework id's ``kind``,
    ``declared_total`` and ``listed`` points (``store.unit_queries.framework_points``).
    """
    unit_of = dict(units)
    groups: dict[tuple[Any, ...], list[IndicatorAnswer]] = {}
    for a in answers:
        f = a.framework
        groups.setdefault((f.title, f.region, f.year, f.assessee), []).append(a)
    loads = []
    for key, group in groups.items():
        framework_id = min(a.framework.id for a in group)
        facts = frameworks.get(framework_id, {})
        unit = unit_of.get(key[1], next(iter(unit_of.values()), ""))
        kind = str(facts.get("kind") or "breakdown")
        kind = "own" if kind == "per_unit" and key[3] == unit else kind
        out_of = facts.get("declared_total") or facts.get("listed")
        load = FrameworkLoad(*key, framework_id=framework_id, kind=kind if kind in LOAD_KIND_LABELS else "breakdown",
                             unit=unit, answers=group, out_of=out_of)  # fmt: skip
        for merged in merge_copies(group):
            load.add(merged)
        loads.append(load)
    return sorted(loads, key=lambda d: (d.region or "", -(d.year or 0), _ORDER.index(d.kind), d.framework_id))


@dataclass
class RegionYear:
    """A unit's frameworks of one region and year: one summary line each (never one sum)."""

    region: str | None
    year: int | None
    unit: str
    loads: list[FrameworkLoad]


def region_years(loads: Sequence[FrameworkLoad]) -> list[RegionYear]:
    out: dict[tuple[str | None, int | None], RegionYear] = {}
    for load in loads:
        key = (load.region, load.year)
        out.setdefault(key, RegionYear(load.region, load.year, load.unit, [])).loads.append(load)
    return list(out.values())


# -- prose mentions ------------------------------------------------------------


@dataclass
class Paragraph:
    """One paragraph of a notice that names the unit, in every stored copy."""

    files: list[str]
    block: int
    unit: str
    context: str

    @property
    def label(self) -> str:
        """``佳县2020年度目标责任考核指标.doc|docx|pdf 段37`` (the paragraph number of the first copy)."""
        return f"{files_label(self.files)} 段{self.block}"


@dataclass
class Notice:
    title: str | None
    year: int | None
    files: list[str]
    paragraphs: list[Paragraph]

    @property
    def label(self) -> str:
        return self.title or files_label(self.files)


def _notice_key(row: MentionRow) -> tuple[Any, ...]:
    """Copies of one notice share their title and number (or, with neither, their file name)."""
    if row.title or row.doc_number:
        return (row.region, row.title, row.doc_number, row.date)
    return (row.region, Path(row.document).stem)


def mentions_by_notice(rows: Sequence[MentionRow]) -> list[Notice]:
    """The paragraphs naming a unit, one notice at a time (its copies folded), in the order rows come."""
    notices: dict[tuple[Any, ...], Notice] = {}
    paragraphs: dict[tuple[Any, ...], Paragraph] = {}
    for row in rows:
        notice = notices.setdefault(_notice_key(row), Notice(row.title, row.year, [], []))
        if row.document not in notice.files:
            notice.files.append(row.document)
        key = (_notice_key(row), row.unit, "".join(row.context.split()))
        if key not in paragraphs:
            paragraphs[key] = Paragraph([], row.block, row.unit, row.context)
            notice.paragraphs.append(paragraphs[key])
        if row.document not in paragraphs[key].files:
            paragraphs[key].files.append(row.document)
    return list(notices.values())
