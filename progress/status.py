"""Where each indicator stands in a month: the stored reports judged against their targets (``progress.levels``),
and the units that had not reported by the deadline. The ``--json`` contracts of ``kaohe progress status``
and ``kaohe progress late``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field
from sqlite_utils import Database

from normalize.targets import Target
from progress.levels import Level, Period, ProgressRules, judge
from progress.schedule import Schedule
from store.progress_queries import PROGRESS_KINDS, ProgressLine, periods_reported, progress_lines, reports
from store.scoring_queries import select_frameworks


class StatusRow(BaseModel):
    indicator_id: int
    indicator: str
    unit: str
    role: str  # 牵头 | 配合 | 被考核
    category: str | None = None
    target: str
    actual: float | None = None
    completion_pct: float | None = None
    expected_pct: float | None = None
    level: Level
    reason: str
    reported_at: str | None = None  # the day the office received the report (None: not reported)
    on_time: bool = False
    progress: str | None = None  # 进展情况 as reported


class LateUnit(BaseModel):
    unit: str
    status: str  # not_reported | late
    indicators: int  # indicators it reports on
    reported: int  # of which reported
    deduction: float | None = None  # points the rules deduct (None: the rules set no figure)
    rule: str  # where the deduction rule comes from
    quote: str | None = None


class LateReport(BaseModel):
    period: str
    deadline: str
    units: list[LateUnit] = Field(default_factory=list)


def deadline(period: Period, rules: ProgressRules) -> str:
    """The day a month's report is due, ISO (the 15th of the next month unless the rules say otherwise)."""
    return period.deadline(int(rules.report_day.value or 15)).isoformat()


def status_rows(
    db: Database,
    lines: Sequence[ProgressLine],
    period: Period,
    rules: ProgressRules,
    schedule: Schedule | None = None,
) -> list[StatusRow]:
    """One row per indicator and unit: what the unit reported for ``period`` (its current report) and the level;
    the expected progress from the office's ``schedule`` where it plans the indicator."""
    got = {(r.indicator_id, r.unit): r for r in reports(db, period=str(period))}
    due = deadline(period, rules)
    rows = []
    for line in lines:
        report = got.get((line.indicator_id, line.unit))
        filled = report is not None and (
            report.actual is not None or report.completion_pct is not None or bool(report.progress)
        )
        judgement = judge(
            [Target(**t) for t in line.targets],
            period,
            actual=report.actual if report else None,
            completion_pct=report.completion_pct if report else None,
            status=report.progress if report else None,
            reported=filled,
            schedule_pct=schedule.expected(line.indicator_id, line.unit, period) if schedule else None,
            rules=rules,
        )
        received = report.received_at[:10] if filled and report else None
        rows.append(
            StatusRow(
                indicator_id=line.indicator_id, indicator=line.indicator, unit=line.unit, role=line.role,
                category=line.category, target=line.target, actual=report.actual if report else None,
                completion_pct=judgement.completion_pct, expected_pct=judgement.expected_pct,
                level=judgement.level, reason=judgement.reason, reported_at=received,
                on_time=received is not None and received <= due, progress=report.progress if report else None,
            )
        )  # fmt: skip
    return rows


def late_units(rows: Sequence[StatusRow], period: Period, rules: ProgressRules) -> LateReport:
    """Units with nothing reported, or reported after the deadline, with the rules' deduction."""
    counts: dict[str, list[int]] = {}  # unit → [indicators, reported, late]
    for row in rows:
        count = counts.setdefault(row.unit, [0, 0, 0])
        count[0] += 1
        count[1] += row.reported_at is not None
        count[2] += row.reported_at is not None and not row.on_time
    rule = rules.late_deduction
    late = [
        LateUnit(unit=unit, status="late" if reported else "not_reported", indicators=total, reported=reported,
                 deduction=rule.value, rule=rule.source, quote=rule.quote)
        for unit, (total, reported, overdue) in counts.items()
        if not reported or overdue
    ]  # fmt: skip
    return LateReport(period=str(period), deadline=deadline(period, rules), units=late)


def late_deductions(db: Database, region: str, year: int, rules: ProgressRules) -> list[tuple[str, float, str]]:
    """``(unit, points, reason)`` for every month of ``year`` with reports in which a unit reported late or not at
    all, when the rules set a figure (the notices seen say only 根据情节: none by default, so nothing)."""
    rule = rules.late_deduction
    if not rule.value:
        return []
    lines = progress_lines(db, select_frameworks(db, (), region, year, PROGRESS_KINDS).framework_ids)
    out = []
    for month in periods_reported(db, year):
        period = Period.parse(month)
        for unit in late_units(status_rows(db, lines, period, rules), period, rules).units:
            what = "未报送" if unit.status == "not_reported" else "逾期报送"
            out.append((unit.unit, float(rule.value), f"{period.label}进度{what}（{rule.source}）"))
    return out
