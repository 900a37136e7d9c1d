"""Read queries for comparing frameworks: one framework's indicators, the frameworks of a year."""

from __future__ import annotations

from sqlite_utils import Database

from store.queries import _SELECT, _answer, _targets, frameworks
from store.results import FrameworkSummary, IndicatorAnswer


def framework_indicators(db: Database, framework_id: int) -> list[IndicatorAnswer]:
    """The indicators of one framework in table order, with owners and targets."""
    rows = list(db.query(f"{_SELECT} where i.framework_id = ? order by i.seq", [framework_id]))
    targets = _targets(db, [r["id"] for r in rows])
    return [_answer(r, targets=targets.get(r["id"], [])) for r in rows]


def framework_by_id(db: Database, framework_id: int) -> FrameworkSummary | None:
    found = [f for f in frameworks(db) if f.id == framework_id]
    return found[0] if found else None


def pick_frameworks(db: Database, region: str, year: int) -> list[FrameworkSummary]:
    """The frameworks of one region (``柞水`` finds ``柞水县``) and year, every copy of a notice included
    (``frameworks.yearly.pick_copies`` picks one)."""
    return frameworks(db, region=region, year=year)
