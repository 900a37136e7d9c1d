"""Year-on-year diff of two frameworks: added, removed and changed indicators (pure, no store).

``diff_indicators(old, new)`` pairs the indicators with :mod:`frameworks.matching`, then compares
each pair field by field. A pair is *changed* when any of :data:`FIELDS` differs:

* ``target`` — a target's comparator, value(s), unit or baseline (``增长7%`` → ``增长6.5%``,
  ``3000万元`` → ``0.5亿元``), or any number of the text when the targets could not be read;
* ``points``, ``lead``, ``cooperating`` (as a set), ``category`` (the whole path), ``kind``;
* ``wording`` — the text beyond its numbers and units (a rename, or a new comparator word).

The rest are counted as unchanged. Department and category totals come from the points as
written (deductions are negative), before and after.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from frameworks.matching import HIGH_CONFIDENCE, MATCH_THRESHOLD, MatchItem, indicator_key, match, numbers_in

FIELDS = ("target", "points", "lead", "cooperating", "category", "wording", "kind")
FIELD_LABELS = {
    "target": "目标值",
    "points": "分值",
    "lead": "牵头单位",
    "cooperating": "配合单位",
    "category": "类别",
    "wording": "表述",
    "kind": "类型",
}
_COMPARATOR_LABELS = {
    ">=": "≥",
    ">": ">",
    "<=": "≤",
    "<": "<",
    "==": "=",
    "!=": "≠",
    "growth>=": "增长≥",
    "growth<": "增长<",
    "reduction>=": "下降≥",
    "reduction<": "下降<",
    "not_above_previous": "不高于上年",
    "qualitative": "定性",
}
NO_CATEGORY = "（无类别）"
NO_LEAD = "（未列单位）"


class DiffIndicator(BaseModel):
    """One indicator as the diff sees it (``added``/``removed`` items, ``before``/``after`` of a change)."""

    indicator: str
    points: float | None = None
    lead: str | None = None
    cooperating: list[str] = Field(default_factory=list)
    category: str | None = None
    category_path: list[str] = Field(default_factory=list)
    kind: str = "indicator"
    targets: list[dict[str, Any]] = Field(default_factory=list)
    id: int | None = None
    source: str | None = None  # where to cite it: file 表N行M

    @classmethod
    def of(cls, text: str, **fields: Any) -> DiffIndicator:
        """An indicator from its text, with its targets parsed (for tests and generated data)."""
        from normalize.targets import parse_targets

        category_path = fields.pop("category_path", None) or ([fields["category"]] if fields.get("category") else [])
        fields.setdefault("category", category_path[-1] if category_path else None)
        targets = fields.pop("targets", None)
        if targets is None:
            targets = [t.model_dump(mode="json") for t in parse_targets(text)]
        return cls(indicator=text, category_path=category_path, targets=targets, **fields)

    @classmethod
    def from_answer(cls, answer: Any) -> DiffIndicator:
        """From a store answer (``store.results.IndicatorAnswer``)."""
        src = answer.source
        return cls(
            indicator=answer.indicator,
            points=answer.points,
            lead=answer.lead,
            cooperating=list(answer.cooperating),
            category=answer.category,
            category_path=list(answer.category_path),
            kind=answer.kind,
            targets=list(answer.targets),
            id=answer.id,
            source=f"{src.file.rsplit('/', 1)[-1]} 表{src.table + 1}行{src.row}",
        )


class FieldChange(BaseModel):
    before: str
    after: str


class IndicatorChange(BaseModel):
    """A pair of indicators that differ: ``fields`` names what changed, ``details`` shows it."""

    before: DiffIndicator
    after: DiffIndicator
    fields: list[str]
    details: dict[str, FieldChange]
    confidence: float  # text similarity of the pair, 0–1
    low_confidence: bool


class DepartmentSummary(BaseModel):
    """Points and indicators a lead unit gained or lost (cooperating units are not counted)."""

    department: str
    points_before: float
    points_after: float
    points_change: float
    indicators_before: int
    indicators_after: int
    indicators_gained: int  # added, or moved to this unit
    indicators_lost: int  # removed, or moved away


class CategoryTotals(BaseModel):
    category: str
    points_before: float
    points_after: float
    points_change: float
    indicators_before: int
    indicators_after: int


class FrameworkSide(BaseModel):
    """One side of a diff: which framework, and from which file (``copies``: the same notice elsewhere)."""

    id: int | None = None
    title: str | None = None
    kind: str | None = None
    region: str | None = None
    year: int | None = None
    group: str | None = None
    assessee: str | None = None
    document: str | None = None
    copies: list[str] = Field(default_factory=list)


class FrameworkDiff(BaseModel):
    old: FrameworkSide | None = None
    new: FrameworkSide | None = None
    added: list[DiffIndicator]
    removed: list[DiffIndicator]
    changed: list[IndicatorChange]
    unchanged: int
    low_confidence_pairs: int
    departments: list[DepartmentSummary]
    categories: list[CategoryTotals]
    threshold: float = MATCH_THRESHOLD
    high_confidence: float = HIGH_CONFIDENCE


def diff_indicators(
    old: Sequence[DiffIndicator], new: Sequence[DiffIndicator], *, threshold: float = MATCH_THRESHOLD
) -> FrameworkDiff:
    """Compare two lists of indicators (an old and a new framework)."""
    items_old = [MatchItem(i.indicator, i.lead, _category(i)) for i in old]
    items_new = [MatchItem(i.indicator, i.lead, _category(i)) for i in new]
    pairs = match(items_old, items_new, threshold)
    changed: list[IndicatorChange] = []
    unchanged = 0
    for pair in pairs:
        a, b = old[pair.old], new[pair.new]
        fields = changed_fields(a, b)
        if not fields:
            unchanged += 1
            continue
        details = {f: FieldChange(before=_describe(a, f), after=_describe(b, f)) for f in fields}
        confidence = round(pair.score / 100, 3)
        changed.append(
            IndicatorChange(
                before=a,
                after=b,
                fields=fields,
                details=details,
                confidence=confidence,
                low_confidence=pair.low_confidence,
            )
        )
    paired_old = {p.old for p in pairs}
    paired_new = {p.new for p in pairs}
    lead_before = {p.new: old[p.old].lead for p in pairs}
    lead_after = {p.old: new[p.new].lead for p in pairs}
    return FrameworkDiff(
        added=[b for j, b in enumerate(new) if j not in paired_new],
        removed=[a for i, a in enumerate(old) if i not in paired_old],
        changed=changed,
        unchanged=unchanged,
        low_confidence_pairs=sum(1 for p in pairs if p.low_confidence),
        departments=_departments(old, new, lead_before, lead_after),
        categories=_categories(old, new),
        threshold=threshold,
    )


def changed_fields(a: DiffIndicator, b: DiffIndicator) -> list[str]:
    """The names of :data:`FIELDS` in which two paired indicators differ."""
    differs = {
        "target": _target_signature(a) != _target_signature(b) or numbers_in(a.indicator) != numbers_in(b.indicator),
        "points": not _same_points(a.points, b.points),
        "lead": a.lead != b.lead,
        "cooperating": sorted(a.cooperating) != sorted(b.cooperating),
        "category": a.category_path != b.category_path,
        "wording": indicator_key(a.indicator) != indicator_key(b.indicator),
        "kind": a.kind != b.kind,
    }
    return [f for f in FIELDS if differs[f]]


def _same_points(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, abs_tol=1e-9)


def _target_signature(indicator: DiffIndicator) -> list[tuple[Any, ...]]:
    return [
        (t.get("comparator"), t.get("value"), tuple(t.get("values") or ()), t.get("unit"), t.get("baseline"))
        for t in indicator.targets
    ]


def describe_targets(indicator: DiffIndicator) -> str:
    """``增长≥7%``; several targets joined with ``；``."""
    parts = []
    for t in indicator.targets:
        comparator = _COMPARATOR_LABELS.get(str(t.get("comparator")), str(t.get("comparator")))
        values = t.get("values") or ([t["value"]] if t.get("value") is not None else [])
        amount = "、".join(f"{v:g}" for v in values)
        baseline = f"（较{t['baseline']}）" if t.get("baseline") else ""
        parts.append(f"{comparator}{amount}{t.get('unit') or ''}{baseline}")
    return "；".join(parts)


def _describe(indicator: DiffIndicator, field: str) -> str:
    if field == "target":
        return describe_targets(indicator) or "、".join(numbers_in(indicator.indicator))
    if field == "points":
        return "" if indicator.points is None else f"{indicator.points:g}"
    if field == "cooperating":
        return "、".join(indicator.cooperating)
    if field == "category":
        return "/".join(indicator.category_path)
    if field == "wording":
        return indicator.indicator
    return str(getattr(indicator, field) or "")


def _category(indicator: DiffIndicator) -> str:
    return "/".join(indicator.category_path) or NO_CATEGORY


def _departments(
    old: Sequence[DiffIndicator],
    new: Sequence[DiffIndicator],
    lead_before: dict[int, str | None],
    lead_after: dict[int, str | None],
) -> list[DepartmentSummary]:
    rows: dict[str, dict[str, float]] = {}

    def row(lead: str | None) -> dict[str, float]:
        return rows.setdefault(lead or NO_LEAD, dict.fromkeys(("pb", "pa", "nb", "na", "gained", "lost"), 0.0))

    for i, a in enumerate(old):
        r = row(a.lead)
        r["pb"] += a.points or 0
        r["nb"] += 1
        if i not in lead_after or lead_after[i] != a.lead:
            r["lost"] += 1
    for j, b in enumerate(new):
        r = row(b.lead)
        r["pa"] += b.points or 0
        r["na"] += 1
        if j not in lead_before or lead_before[j] != b.lead:
            r["gained"] += 1
    summaries = [
        DepartmentSummary(
            department=name,
            points_before=r["pb"],
            points_after=r["pa"],
            points_change=round(r["pa"] - r["pb"], 6),
            indicators_before=int(r["nb"]),
            indicators_after=int(r["na"]),
            indicators_gained=int(r["gained"]),
            indicators_lost=int(r["lost"]),
        )
        for name, r in rows.items()
        if r["gained"] or r["lost"] or not math.isclose(r["pa"], r["pb"], abs_tol=1e-9)
    ]
    return sorted(summaries, key=lambda s: (-abs(s.points_change), s.department))


def _categories(old: Sequence[DiffIndicator], new: Sequence[DiffIndicator]) -> list[CategoryTotals]:
    totals: dict[str, list[float]] = {}
    for index, side in enumerate((old, new)):
        for indicator in side:
            t = totals.setdefault(_category(indicator), [0.0, 0.0, 0, 0])
            t[index] += indicator.points or 0
            t[index + 2] += 1
    return [
        CategoryTotals(
            category=name,
            points_before=t[0],
            points_after=t[1],
            points_change=round(t[1] - t[0], 6),
            indicators_before=int(t[2]),
            indicators_after=int(t[3]),
        )
        for name, t in totals.items()
    ]
