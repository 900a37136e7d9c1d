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
    messages = [*_point_sums(framework, scored), *_missing_points(scored), *_same_indicator_twice(scored)]
    messages += _unknown_units(framework, roster)
    framework.warnings.extend(f"{label}{m}" for m in messages)


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
