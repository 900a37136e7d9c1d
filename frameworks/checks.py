"""Consistency checks on a framework: reported as warnings, never corrected."""

from __future__ import annotations

from frameworks.model import Framework, Indicator
from normalize.departments import SPECIAL_OWNERS


def _fmt(value: float) -> str:
    return f"{value:g}"


def _sum(indicators: list[Indicator]) -> float:
    return sum(i.points for i in indicators if i.points is not None)


def check_framework(framework: Framework, roster: set[str] | None = None) -> None:
    """Declared category and table totals against the items' points; missing points; unknown units.

    With the year's ``roster`` (canonical names), owners outside it are reported too.
    """
    label = framework.assessee or framework.title or f"framework {framework.seq}"
    scored = [i for i in framework.indicators if i.kind == "indicator"]
    messages = [*_reading(framework), *_point_sums(framework, scored), *_missing_points(scored)]
    messages += [*_sub_scores(scored), *_weight_sums(framework, scored), *_same_indicator_twice(scored)]
    messages += _unknown_units(framework, roster)
    framework.warnings.extend(f"{label}{m}" for m in messages)


_UNCERTAIN_MARGIN = 0.5  # readings this close to another reading are reported
_UNIT_ROLES = ("responsible", "assigning", "cooperating")


def _reading(framework: Framework) -> list[str]:
    """What the table does not say, or says ambiguously: no unit column (common indicators are every
    assessee's own), no points, an uncertain reading."""
    roles = {c.role for c in framework.reading}
    out = []
    if not roles & set(_UNIT_ROLES) and not framework.assessee and "共性" not in (framework.title or ""):
        out.append("：未识别出责任单位列，本表指标没有牵头单位")
    if framework.indicators and all(i.points is None for i in framework.indicators):
        out.append("：本表没有分值")
    if framework.reading_margin is not None and framework.reading_margin < _UNCERTAIN_MARGIN:
        item = next((c for c in framework.reading if c.role == "item"), None)
        where = f"“{item.header or f'第{item.col + 1}列'}”" if item else "指标列"
        out.append(f"：各列的读法把握不大（以{where}为指标），请用 kaohe parse --explain-table 核对")
    return out


def _sub_scores(scored: list[Indicator]) -> list[str]:
    """The （N分） parts written in a row's criteria against its points (reported, never corrected)."""
    return [
        f" / {i.name or i.text[:20]}：评分标准中的分项合计 {_fmt(sum(i.sub_scores))} 分，分值为 {_fmt(i.points)} 分"
        for i in scored
        if len(i.sub_scores) > 1 and i.points is not None and abs(sum(i.sub_scores) - i.points) > 1e-6
    ]


def _weight_sums(framework: Framework, scored: list[Indicator]) -> list[str]:
    """Each further weighting against its own declared total."""
    out = []
    for header, declared in framework.weight_totals.items():
        listed = sum(i.weights[header] for i in scored if header in i.weights)
        if abs(listed - declared) > 1e-6:
            out.append(f"：“{header}”合计为 {_fmt(declared)}，各项相加为 {_fmt(listed)}")
    return out


def _point_sums(framework: Framework, scored: list[Indicator]) -> list[str]:
    out = []
    for category in framework.categories:
        inside = [i for i in scored if i.category_path[: len(category.path)] == category.path]
        declared, listed = category.declared_points, _sum(inside)
        if declared is not None and inside and abs(listed - declared) > 1e-6:
            out.append(f" / {category.name}: declared {_fmt(declared)} points, items sum to {_fmt(listed)}")
    if framework.declared_total is not None and scored and abs(_sum(scored) - framework.declared_total) > 1e-6:
        out.append(f": declared total {_fmt(framework.declared_total)}, items sum to {_fmt(_sum(scored))}")
    return out


def _missing_points(scored: list[Indicator]) -> list[str]:
    """Indicators without points, where the framework gives points to others."""
    if all(i.points is None for i in scored):
        return []
    by_category: dict[str, list[str]] = {}
    for indicator in (i for i in scored if i.points is None):
        by_category.setdefault(indicator.category or "-", []).append(indicator.text[:20])
    return [
        f" / {name}: {len(texts)} indicator(s) without points: {'；'.join(texts)}"
        for name, texts in by_category.items()
    ]


def _same_indicator_twice(scored: list[Indicator]) -> list[str]:
    out, seen = [], {}
    for indicator in scored:
        key = "".join(indicator.text.split())
        if key in seen and seen[key] != indicator.lead:
            out.append(f": the same indicator is listed for {seen[key]} and {indicator.lead}: {indicator.text[:30]}")
        seen.setdefault(key, indicator.lead)
    return out


def _unknown_units(framework: Framework, roster: set[str] | None) -> list[str]:
    unresolved = sorted({name for i in framework.indicators for name in i.unresolved_units})
    out = [f": unit names not in the registry: {'、'.join(unresolved)}"] if unresolved else []
    if roster:
        owners = {name for i in framework.indicators for name in [i.lead, *i.cooperating] if name}
        outside = sorted(owners - roster - set(unresolved) - set(SPECIAL_OWNERS) - {framework.assessee})
        if outside:
            out.append(f": units not in this year's roster of assessed units: {'、'.join(outside)}")
    return out
