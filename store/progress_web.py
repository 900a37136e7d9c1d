"""Read queries the web's 进度 pages need beyond ``store.progress_queries``: the months that have reports
(with the region and year of the notices they report on), and one unit's reports with their submissions,
corrected ones included. A store from before the reports existed (no ``progress_reports`` table) has none.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlite_utils import Database

from store.progress_queries import StoredReport

__all__ = ["ReportPeriod", "UnitReport", "report_periods", "unit_reports"]

# A report's region and year are those of the framework its indicator belongs to.
_PERIODS = """
select r.period, f.region, f.year, count(distinct r.unit) as units, count(*) as rows
from progress_reports r join indicators i on i.id = r.indicator_id join frameworks f on f.id = i.framework_id
where r.current = 1
group by r.period, f.region, f.year
order by r.period desc, f.region, f.year desc
"""

_UNIT_REPORTS = """
select r.*, s.file, f.region, f.year
from progress_reports r join progress_submissions s on s.id = r.submission_id
  join indicators i on i.id = r.indicator_id join frameworks f on f.id = i.framework_id
where r.unit = ?
order by r.period desc, r.received_at desc, r.submission_id desc, r.indicator_id, r.id
"""


class ReportPeriod(BaseModel):
    """A month with current reports on the notices of one region and year."""

    period: str  # 2020-06
    region: str | None = None
    year: int | None = None
    units: int  # units that reported
    rows: int  # current reports


class UnitReport(StoredReport):
    """One of a unit's reports (current or replaced), with its submission and the region and year it is for."""

    submission_id: int
    region: str | None = None
    year: int | None = None


def _has_reports(db: Database) -> bool:
    return "progress_reports" in db.table_names()


def report_periods(db: Database) -> list[ReportPeriod]:
    """Every month with current reports, per region and year of the notices reported on, newest first."""
    if not _has_reports(db):
        return []
    return [ReportPeriod(**r) for r in db.query(_PERIODS)]


def unit_reports(db: Database, unit: str) -> list[UnitReport]:
    """Every report ``unit`` sent, replaced ones included (``current`` False), newest month and submission first."""
    if not _has_reports(db):
        return []
    return [UnitReport(**{**r, "current": bool(r["current"])}) for r in db.query(_UNIT_REPORTS, [unit])]
