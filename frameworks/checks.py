"""Consistency checks on a framework: reported as warnings, never corrected."""

from __future__ import annotations

from frameworks.model import Framework


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_framework(framework: Framework) -> None:
    """Declared category and table totals against the items' points; missing points; unknown units."""
    label = framework.assessee or framework.title or f"framework {framework.seq}"
    scored = [i for i in framework.indicators if i.kind == "indicator"]
    for category in framework.categories:
        if category.declared_points is None:
            continue
        inside = [i for i in scored if i.category_path[: len(category.path)] == category.path]
        listed = sum(i.points for i in inside if i.points is not None)
        if inside and abs(listed - category.declared_points) > 1e-6:
            framework.warnings.append(
                f"{label} / {category.name}: declared {_fmt(category.declared_points)} points, "
                f"items sum to {_fmt(listed)}"
            )
    if any(i.points is not None for i in scored):
        missing = [i for i in scored if i.points is None]
        by_category: dict[str, list[str]] = {}
        for indicator in missing:
            by_category.setdefault(indicator.category or "-", []).append(indicator.text[:20])
        for category_name, texts in by_category.items():
            framework.warnings.append(
                f"{label} / {category_name}: {len(texts)} indicator(s) without points: {'；'.join(texts)}"
            )
    if framework.declared_total is not None and scored:
        listed = sum(i.points for i in scored if i.points is not None)
        if abs(listed - framework.declared_total) > 1e-6:
            framework.warnings.append(
                f"{label}: declared total {_fmt(framework.declared_total)}, items sum to {_fmt(listed)}"
            )
    seen: dict[str, str | None] = {}
    for indicator in scored:
        key = "".join(indicator.text.split())
        if key in seen and seen[key] != indicator.lead:
            framework.warnings.append(
                f"{label}: the same indicator is listed for {seen[key]} and {indicator.lead}: {indicator.text[:30]}"
            )
        seen.setdefault(key, indicator.lead)
    unresolved = sorted({name for i in framework.indicators for name in i.unresolved_units})
    if unresolved:
        framework.warnings.append(f"{label}: unit names not in the registry: {'、'.join(unresolved)}")
