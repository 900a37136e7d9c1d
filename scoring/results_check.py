"""Check a read results sheet against the indicators it is for (``check_results``).

Indicator ids are store-local: a sheet filled from another store's template carries foreign ids.
A line whose id is unknown, or whose indicator text differs from the id's text, is resolved by
(unit, indicator text) among the template lines of ``infos``; a deduction or veto by its item
text. Not found or ambiguous → an error naming the row.
"""

from __future__ import annotations

from collections.abc import Sequence

from scoring.model import IndicatorInfo, LineResult, ResultsSheet, SheetError
from scoring.template import template_rows
from scoring.template_layout import BONUS, DEDUCTIONS, LINES, SOCIAL, UNITS, VETOES, indicator_label, same_text

MAX_COMPLETION_PCT = 300.0  # a completion rate above this is a typo (e.g. 8500 for 85 %), not a result
_PART_PCT = ("routine_pct", "highlight_pct", "year_end_pct")


def _squeeze(text: str | None) -> str:
    return "".join((text or "").split())


class _Context:
    def __init__(self, infos: Sequence[IndicatorInfo], errors: list[SheetError]) -> None:
        self.by_id = {i.id: i for i in infos}
        self.errors = errors
        content = template_rows(infos)
        self.units = {u.unit for u in content.units}
        self.line_units: dict[int, set[str]] = {}
        self.by_text: dict[tuple[str, str], list[int]] = {}
        for line in content.lines:
            self.line_units.setdefault(line.indicator_id, set()).add(line.unit)
            self.by_text.setdefault((line.unit, _squeeze(line.indicator)), []).append(line.indicator_id)
        self.items: dict[str, list[int]] = {}
        for item in [*content.deduction_items, *content.veto_items, *content.bonus_items]:
            self.items.setdefault(_squeeze(item.item), []).append(item.indicator_id)

    def error(self, sheet: str, row: int, column: str | None, message: str) -> None:
        self.errors.append(SheetError(sheet=sheet, row=row, column=column, message=message))


def check_results(
    sheet: ResultsSheet, infos: Sequence[IndicatorInfo], *, max_completion_pct: float = MAX_COMPLETION_PCT
) -> ResultsSheet:
    """A copy of ``sheet`` with foreign ids resolved, deduction amounts filled from their items, and
    every problem appended to ``errors``."""
    checked = sheet.model_copy(deep=True)
    ctx = _Context(infos, checked.errors)
    seen: dict[tuple[int, str], int] = {}
    for line in checked.lines:
        if not _resolve_line(ctx, line):
            continue
        _check_line(ctx, line, max_completion_pct)
        key = (line.indicator_id, line.unit)
        if key in seen:
            ctx.error(LINES, line.row, "indicator_id", f"与第{seen[key]}行重复（同一单位同一指标）")
        seen.setdefault(key, line.row)
    _check_events(ctx, checked)
    return checked


def _resolve_line(ctx: _Context, line: LineResult) -> bool:
    info = ctx.by_id.get(line.indicator_id)
    if info is not None and (not line.indicator or same_text(indicator_label(info), line.indicator)):
        return True
    if not line.indicator:
        ctx.error(LINES, line.row, "indicator_id", f"指标编号 {line.indicator_id} 不在本次考核的指标中")
        return False
    found = ctx.by_text.get((line.unit, _squeeze(line.indicator)), [])
    if len(found) == 1:
        line.indicator_id = found[0]
        return True
    where = f"单位“{line.unit}”的指标“{line.indicator[:30]}”"
    if found:
        ctx.error(LINES, line.row, "indicator", f"{where}对应多个指标（编号 {', '.join(map(str, found))}），无法确定")
    elif info is None:
        ctx.error(LINES, line.row, "indicator_id", f"指标编号 {line.indicator_id} 未知，且按{where}也找不到")
    else:
        ctx.error(LINES, line.row, "indicator", f"指标内容与编号 {line.indicator_id} 不符，且按{where}也找不到")
    return False


def _check_line(ctx: _Context, line: LineResult, max_completion_pct: float) -> None:
    info = ctx.by_id[line.indicator_id]
    units = ctx.line_units.get(line.indicator_id, set())
    if line.unit not in units:
        owners = "、".join(sorted(units)) or "无（该指标不是考核行）"
        ctx.error(LINES, line.row, "unit", f"指标 {line.indicator_id} 不属于“{line.unit}”（属于 {owners}）")
    if line.completion_pct is not None and not 0 <= line.completion_pct <= max_completion_pct:
        ctx.error(LINES, line.row, "completion_pct", f"完成率 {line.completion_pct:g}% 超出 0–{max_completion_pct:g}%")
    for key in _PART_PCT:
        value = getattr(line, key)
        if value is not None and not 0 <= value <= 100:
            ctx.error(LINES, line.row, key, f"{value:g}% 超出 0–100%")
    if line.actual is not None and line.actual < 0:
        ctx.error(LINES, line.row, "actual", f"实际完成值 {line.actual:g} 为负数")
    score = line.qualitative_score
    if score is not None and (score < 0 or (info.points is not None and score > info.points)):
        top = f"{info.points:g}" if info.points is not None else "分值"
        ctx.error(LINES, line.row, "qualitative_score", f"定性得分 {score:g} 超出 0–{top}")


def _resolve_item(ctx: _Context, sheet_name: str, row: int, indicator_id: int | None, item: str | None) -> int | None:
    """The store's id of a deduction / veto item named by a (possibly foreign) id and its text."""
    info = ctx.by_id.get(indicator_id) if indicator_id is not None else None
    if info is not None and (not item or same_text(indicator_label(info), item)):
        return indicator_id
    found = ctx.items.get(_squeeze(item), []) if item else []
    if len(found) == 1:
        return found[0]
    if indicator_id is not None or item:
        what = f"条目“{(item or '')[:30]}”" if item else f"条目编号 {indicator_id}"
        problem = "对应多个条目" if found else "不在本次考核的负面清单或加分、否决项中"
        ctx.error(sheet_name, row, "indicator_id", f"{what}{problem}")
    return None


def _check_events(ctx: _Context, sheet: ResultsSheet) -> None:
    for event in sheet.deductions:
        _check_unit(ctx, DEDUCTIONS, event.row, event.unit)
        if event.indicator_id is not None or event.item:
            event.indicator_id = _resolve_item(ctx, DEDUCTIONS, event.row, event.indicator_id, event.item)
        info = ctx.by_id.get(event.indicator_id) if event.indicator_id is not None else None
        if event.amount is None and info is not None and info.points is not None:
            event.amount = abs(info.points)
        if event.amount is None:
            ctx.error(DEDUCTIONS, event.row, "amount", "未填扣分分值，也未指明有分值的负面清单条目")
    for event in sheet.vetoes:
        _check_unit(ctx, VETOES, event.row, event.unit)
        if event.indicator_id is not None or event.item:
            event.indicator_id = _resolve_item(ctx, VETOES, event.row, event.indicator_id, event.item)
    for event in sheet.bonuses:
        _check_unit(ctx, BONUS, event.row, event.unit)
    _check_once_per_unit(ctx, SOCIAL, [(s.row, s.unit) for s in sheet.social])
    _check_once_per_unit(ctx, UNITS, [(u.row, u.unit) for u in sheet.units])
    for score in sheet.social:
        for key in ("peer", "superior", "representatives", "public"):
            value = getattr(score, key)
            if value is not None and value < 0:
                ctx.error(SOCIAL, score.row, key, f"得分 {value:g} 为负数")


def _check_unit(ctx: _Context, sheet_name: str, row: int, unit: str) -> None:
    if not unit:
        ctx.error(sheet_name, row, "unit", "未填单位")
    elif unit not in ctx.units:
        ctx.error(sheet_name, row, "unit", f"“{unit}”不是本次考核的单位")


def _check_once_per_unit(ctx: _Context, sheet_name: str, rows: list[tuple[int, str]]) -> None:
    first: dict[str, int] = {}
    for row, unit in rows:
        _check_unit(ctx, sheet_name, row, unit)
        if unit and unit in first:
            ctx.error(sheet_name, row, "unit", f"“{unit}”与第{first[unit]}行重复")
        first.setdefault(unit, row)
