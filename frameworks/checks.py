"""Consistency checks on a framework: reported as warnings, never corrected.

Each warning has a stable English ``code`` (``frameworks.model.WarningCode``) and a Chinese message
that names the framework, then the category or indicator: ``2020年度市考核县指标任务分解 / 生态文明：写明
20 分，各项合计 19 分``.
"""

from __future__ import annotations

import string

from frameworks.model import Framework, FrameworkWarning, Indicator, WarningCode
from normalize.departments import SPECIAL_OWNERS

Found = tuple[WarningCode, str]  # a code and the message after the framework's label

_NAME_LIMIT = 30  # an indicator's name in a warning: whole, or cut at this many characters with …
_CLAUSE_ENDS = "，。；、：,;:"
_ASCII_RUN = string.ascii_letters + string.digits + ".%"  # a number or a Latin word is never cut either


def _fmt(value: float) -> str:
    return f"{value:g}"


def _sum(indicators: list[Indicator]) -> float:
    return sum(i.points for i in indicators if i.points is not None)


def short_name(text: str, limit: int = _NAME_LIMIT) -> str:
    """``text`` whole when it is short, else cut at a clause end (or at ``limit`` characters) with ``…``."""
    text = " ".join(text.split()).rstrip("。；;，,")
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(mark) for mark in _CLAUSE_ENDS)
    if end >= limit // 2:
        cut = cut[:end]
    elif cut[-1] in _ASCII_RUN and text[limit] in _ASCII_RUN:
        cut = cut.rstrip(_ASCII_RUN) or cut
    return cut + "…"


def _indicator_name(indicator: Indicator) -> str:
    return short_name(indicator.name or indicator.text)


def label(framework: Framework) -> str:
    """How a warning names its framework: the assessee of a per-unit table, else the title."""
    return framework.assessee or framework.title or f"第 {framework.seq + 1} 个考核框架"


def check_framework(framework: Framework, roster: set[str] | None = None) -> None:
    """Declared category and table totals against the items' points; missing points; unknown units.

    With the year's ``roster`` (canonical names), owners outside it are reported too.
    """
    scored = [i for i in framework.indicators if i.kind == "indicator"]
    found = [*_reading(framework), *_point_sums(framework, scored), *_missing_points(scored)]
    found += [*_sub_scores(scored), *_weight_sums(framework, scored), *_same_indicator_twice(scored)]
    found += _unknown_units(framework, roster)
    name = label(framework)
    framework.warnings.extend(FrameworkWarning(code=code, message=f"{name}{text}") for code, text in found)


_UNCERTAIN_MARGIN = 0.5  # readings this close to another reading are reported
_UNIT_ROLES = ("responsible", "assigning", "cooperating")


def _reading(framework: Framework) -> list[Found]:
    """What the table does not say, or says ambiguously: no unit column (common indicators are every
    assessee's own), no points, an uncertain reading."""
    roles = {c.role for c in framework.reading}
    out: list[Found] = []
    if not roles & set(_UNIT_ROLES) and not framework.assessee and "共性" not in (framework.title or ""):
        out.append(("no_unit_column", "：未识别出责任单位列，本表指标没有牵头单位"))
    if framework.indicators and all(i.points is None for i in framework.indicators):
        out.append(("no_points", "：本表没有分值"))
    if framework.reading_margin is not None and framework.reading_margin < _UNCERTAIN_MARGIN:
        item = next((c for c in framework.reading if c.role == "item"), None)
        where = f"“{item.header or f'第{item.col + 1}列'}”" if item else "指标列"
        text = f"：各列的读法把握不大（以{where}为指标），请用 kaohe parse --explain-table 核对"
        out.append(("uncertain_reading", text))
    return out


def _sub_scores(scored: list[Indicator]) -> list[Found]:
    """The （N分） parts written in a row's criteria against its points (reported, never corrected)."""
    return [
        ("sub_scores_mismatch",
         f" / {_indicator_name(i)}：评分标准中的分项合计 {_fmt(sum(i.sub_scores))} 分，分值为 {_fmt(i.points)} 分")
        for i in scored
        if len(i.sub_scores) > 1 and i.points is not None and abs(sum(i.sub_scores) - i.points) > 1e-6
    ]  # fmt: skip


def _weight_sums(framework: Framework, scored: list[Indicator]) -> list[Found]:
    """Each further weighting against its own declared total."""
    out: list[Found] = []
    for header, declared in framework.weight_totals.items():
        listed = sum(i.weights[header] for i in scored if header in i.weights)
        if abs(listed - declared) > 1e-6:
            out.append(("weighting_mismatch", f"：“{header}”合计为 {_fmt(declared)}，各项相加为 {_fmt(listed)}"))
    return out


def _point_sums(framework: Framework, scored: list[Indicator]) -> list[Found]:
    out: list[Found] = []
    for category in framework.categories:
        inside = [i for i in scored if i.category_path[: len(category.path)] == category.path]
        declared, listed = category.declared_points, _sum(inside)
        if declared is not None and inside and abs(listed - declared) > 1e-6:
            text = f" / {category.name}：写明 {_fmt(declared)} 分，各项合计 {_fmt(listed)} 分"
            out.append(("points_mismatch", text))
    total, listed = framework.declared_total, _sum(scored)
    if total is not None and scored and abs(listed - total) > 1e-6:
        out.append(("total_mismatch", f"：写明总分 {_fmt(total)} 分，各项合计 {_fmt(listed)} 分"))
    return out


def _missing_points(scored: list[Indicator]) -> list[Found]:
    """Indicators without points, where the framework gives points to others."""
    if all(i.points is None for i in scored):
        return []
    by_category: dict[str | None, list[str]] = {}
    for indicator in (i for i in scored if i.points is None):
        by_category.setdefault(indicator.category, []).append(_indicator_name(indicator))
    return [
        ("missing_points", f"{f' / {name}' if name else ''}：{len(names)} 项指标没有分值：{'；'.join(names)}")
        for name, names in by_category.items()
    ]


def _same_indicator_twice(scored: list[Indicator]) -> list[Found]:
    out: list[Found] = []
    seen: dict[str, str | None] = {}
    for indicator in scored:
        key = "".join(indicator.text.split())
        if key in seen and seen[key] != indicator.lead:
            units = f"{seen[key] or '（未写单位）'}和{indicator.lead or '（未写单位）'}"
            out.append(("same_indicator_twice", f"：同一指标分别列给{units}：{_indicator_name(indicator)}"))
        seen.setdefault(key, indicator.lead)
    return out


def _unknown_units(framework: Framework, roster: set[str] | None) -> list[Found]:
    unresolved = sorted({name for i in framework.indicators for name in i.unresolved_units})
    out: list[Found] = [("unknown_units", f"：未在单位名录中的单位：{'、'.join(unresolved)}")] if unresolved else []
    if roster:
        owners = {name for i in framework.indicators for name in [i.lead, *i.cooperating] if name}
        outside = sorted(owners - roster - set(unresolved) - set(SPECIAL_OWNERS) - {framework.assessee})
        if outside:
            out.append(("outside_roster", f"：不在本年度考核对象名单中的单位：{'、'.join(outside)}"))
    return out
