"""Read queries for the 责任分解一览表 (``kaohe breakdown``): frameworks, their rows, declared category points."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlite_utils import Database

from store.framework_queries import framework_indicators
from store.queries import aliases_of, department, frameworks, regions
from store.results import FrameworkSummary, IndicatorAnswer

__all__ = [
    "aliases_of",
    "category_points",
    "department",
    "framework_rows",
    "frameworks_by_ids",
    "frameworks_of",
    "regions",
]


def frameworks_of(
    db: Database, region: str | None = None, year: int | None = None, kind: str | None = "breakdown"
) -> list[FrameworkSummary]:
    """The frameworks of a region and year (every stored copy), of one kind unless ``kind`` is None."""
    return [f for f in frameworks(db, region=region, year=year) if kind is None or f.kind == kind]


def frameworks_by_ids(db: Database, ids: Sequence[int]) -> list[FrameworkSummary]:
    """The frameworks with these ids, in the order given; unknown ids are left out."""
    found = {f.id: f for f in frameworks(db) if f.id in set(ids)}
    return [found[i] for i in ids if i in found]


def framework_rows(db: Database, framework_ids: Sequence[int]) -> dict[int, list[IndicatorAnswer]]:
    """Each framework's indicators in table order, with owners."""
    return {framework_id: framework_indicators(db, framework_id) for framework_id in framework_ids}


def category_points(db: Database, framework_ids: Sequence[int]) -> dict[tuple[int, tuple[str, ...]], float]:
    """Declared points of each category (``经济发展（20分）``), keyed by (framework id, category path)."""
    if not framework_ids:
        return {}
    marks = ",".join("?" * len(framework_ids))
    sql = (
        f"select framework_id, path, declared_points from categories "
        f"where framework_id in ({marks}) and declared_points is not null"
    )
    return {
        (r["framework_id"], tuple(json.loads(r["path"] or "[]"))): r["declared_points"]
        for r in db.query(sql, list(framework_ids))
    }
