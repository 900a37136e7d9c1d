"""What the 进度 pages show, built from the store's reports and ``progress.status`` (no SQL, no Flask): the
board of one region, year and month (a row per unit, a coloured cell per indicator), and a unit's months
with their corrected submissions. The levels are those of ``kaohe progress status``, with the default rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from sqlite_utils import Database

from progress.levels import LEVELS, Period, ProgressRules, level_label
from progress.status import StatusRow, deadline, status_rows
from store.progress_queries import PROGRESS_KINDS, ProgressLine, progress_lines
from store.progress_web import ReportPeriod, UnitReport, report_periods, unit_reports
from store.scoring_queries import select_frameworks

# The legend, in the order a reader scans it. Colour is never the only signal: each cell carries its mark.
LEGEND = ("green", "yellow", "red", "missing")
LEVEL_WORDS = {"green": "正常", "yellow": "预警", "red": "督办", "missing": "未报"}
LEVEL_COLOURS = {"green": "绿", "yellow": "黄", "red": "红", "missing": "灰"}
LEVEL_MARKS = {"green": "正", "yellow": "警", "red": "督", "missing": "未"}
LAGGING = ("red", "yellow")
_ORDER = {"red": 0, "yellow": 1, "missing": 2, "green": 3}


def level_counts(rows: Sequence[StatusRow]) -> dict[str, int]:
    counts = dict.fromkeys(LEVELS, 0)
    for row in rows:
        counts[row.level] += 1
    return counts


def counts_text(counts: dict[str, int]) -> str:
    """``红 1，黄 2，绿 3，未报 4`` (the words of ``kaohe progress status``)."""
    return "，".join(f"{level_label(level)} {counts[level]}" for level in ("red", "yellow", "green", "missing"))


def lagging_first(rows: Sequence[StatusRow]) -> list[StatusRow]:
    return sorted(rows, key=lambda r: (_ORDER[r.level], r.indicator_id))


# -- the board: one region, year and month -------------------------------------


@dataclass
class Choice:
    """What the 进度 page shows: the region, year and month, and the months with reports to choose from."""

    region: str | None
    year: int | None
    period: Period | None
    periods: list[str]  # months with reports for the region and year, newest first
    any_reports: bool  # the store has reports at all


def choose(
    db: Database, region: str | None, year: int | None, period: Period | None, fallback: tuple[str | None, int | None]
) -> Choice:
    """The region and year asked for, else those of the newest reports, else ``fallback`` (the menus' first
    choices); the month asked for, else the newest with reports."""
    found = report_periods(db)
    matching = [p for p in found if (not region or p.region == region) and (not year or p.year == year)]
    if matching:
        region, year = region or matching[0].region, year or matching[0].year
    region, year = region or fallback[0], year or fallback[1]
    periods = [p.period for p in found if (p.region, p.year) == (region, year)]
    if period is None and periods:
        period = Period.parse(periods[0])
    return Choice(region=region, year=year, period=period, periods=periods, any_reports=bool(found))


@dataclass
class UnitRow:
    unit: str
    rows: list[StatusRow]  # in the order of the notice
    counts: dict[str, int]


@dataclass
class Board:
    region: str
    year: int
    period: Period
    deadline: str
    units: list[UnitRow]  # most red first, then most yellow
    counts: dict[str, int]
    reported_units: int

    @property
    def lagging(self) -> list[StatusRow]:
        """Every red and yellow row, red first: what the cells' tooltips say, readable in print."""
        rows = [r for u in self.units for r in u.rows if r.level in LAGGING]
        return sorted(rows, key=lambda r: (_ORDER[r.level], r.unit, r.indicator_id))


def lines_for(db: Database, region: str, year: int) -> list[ProgressLine]:
    """What each unit of ``region`` reports on monthly in ``year`` (市考分解 and the units' own tables)."""
    return progress_lines(db, select_frameworks(db, (), region, year, PROGRESS_KINDS).framework_ids)


def board(db: Database, region: str, year: int, period: Period, rules: ProgressRules) -> Board:
    rows = status_rows(db, lines_for(db, region, year), period, rules)
    by_unit: dict[str, list[StatusRow]] = {}
    for row in rows:
        by_unit.setdefault(row.unit, []).append(row)
    units = [UnitRow(unit, sorted(r, key=lambda x: x.indicator_id), level_counts(r)) for unit, r in by_unit.items()]
    units.sort(key=lambda u: (-u.counts["red"], -u.counts["yellow"], -u.counts["missing"], u.unit))
    reported = sum(1 for u in units if u.counts["missing"] < len(u.rows))
    return Board(region, year, period, deadline(period, rules), units, level_counts(rows), reported)


# -- a unit's page: its months and corrected submissions ---------------------------


@dataclass
class Submission:
    """One file a unit sent for a month; ``replaced_by`` is the later one that corrected it."""

    submission_id: int
    file: str
    received_at: str
    current: bool
    reports: list[UnitReport]
    replaced_by: Submission | None = None


@dataclass
class UnitMonth:
    """A month of one unit: the level of each indicator it reports on, and the files it sent."""

    region: str | None
    year: int | None
    period: Period
    rows: list[StatusRow]
    counts: dict[str, int]
    submissions: list[Submission] = field(default_factory=list)  # newest first
    indicators: dict[int, str] = field(default_factory=dict)  # id → text, for the replaced reports

    @property
    def lagging(self) -> list[StatusRow]:
        return lagging_first([r for r in self.rows if r.level in LAGGING])

    @property
    def missing(self) -> list[StatusRow]:
        return [r for r in self.rows if r.level == "missing"]


@dataclass
class UnitProgress:
    unit: str
    region: str | None
    months: list[UnitMonth]  # newest first


def submissions(reports: Sequence[UnitReport]) -> list[Submission]:
    """The reports grouped by the file that brought them, newest first, each replaced one pointing at its successor."""
    found: dict[int, Submission] = {}
    for r in reports:
        sub = found.setdefault(r.submission_id, Submission(r.submission_id, r.file, r.received_at, r.current, []))
        sub.reports.append(r)
        sub.current = sub.current or r.current
    ordered = sorted(found.values(), key=lambda s: (s.received_at, s.submission_id), reverse=True)
    for newer, older in pairwise(ordered):
        if not older.current:
            older.replaced_by = newer
    return ordered


def unit_progress(
    db: Database, units: Sequence[tuple[str | None, str]], year: int | None, rules: ProgressRules
) -> list[UnitProgress]:
    """For each (region, unit): every month that has reports in its region (and ``year``), newest first."""
    periods = report_periods(db)
    out = []
    for region, unit in units:
        sent = [r for r in unit_reports(db, unit) if r.region == region and (not year or r.year == year)]
        months = _months(db, region, unit, year, periods, sent, rules)
        if months:
            out.append(UnitProgress(unit=unit, region=region, months=months))
    return out


def _months(
    db: Database,
    region: str | None,
    unit: str,
    year: int | None,
    periods: Sequence[ReportPeriod],
    sent: Sequence[UnitReport],
    rules: ProgressRules,
) -> list[UnitMonth]:
    wanted = {(p.period, p.year) for p in periods if p.region == region and (not year or p.year == year)}
    wanted |= {(r.period, r.year) for r in sent}
    lines: dict[int, list[ProgressLine]] = {}
    months = []
    for period, of_year in sorted(wanted, key=lambda w: (w[0], w[1] or 0), reverse=True):
        if region is None or of_year is None:
            continue
        if of_year not in lines:
            lines[of_year] = [x for x in lines_for(db, region, of_year) if x.unit == unit]
        mine = [r for r in sent if (r.period, r.year) == (period, of_year)]
        if not lines[of_year] and not mine:
            continue  # the unit reports on nothing in that year's notices
        rows = status_rows(db, lines[of_year], Period.parse(period), rules)
        texts = {x.indicator_id: x.indicator for x in lines[of_year]}
        months.append(
            UnitMonth(region, of_year, Period.parse(period), rows, level_counts(rows), submissions(mine), texts)
        )
    return months
