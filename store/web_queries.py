"""Read queries for the web interface (``kaohe serve``): departments with counts, a framework's
categories and warnings. (The ad-hoc SELECT of ``--allow-sql`` runs in a worker process with hard
limits: ``web/sql_worker.py``.)"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from sqlite_utils import Database

from store.results import WarningRow

# The copies of one notice (same framework and indicator text in several formats) count once.
_DEPARTMENT_COUNTS = """
select r.region, r.unit, r.relation,
       count(distinct coalesce(f.year, '') || '|' || coalesce(f.title, '') || '|' || coalesce(f.assessee, '')
                      || '|' || i.seq || '|' || i.text) as n
from responsibilities r join indicators i on i.id = r.indicator_id join frameworks f on f.id = i.framework_id
group by r.region, r.unit, r.relation
"""


class DepartmentCount(BaseModel):
    region: str | None
    unit: str
    lead: int = 0
    cooperating: int = 0
    assessee: int = 0


class CategoryRow(BaseModel):
    path: list[str]
    name: str | None
    declared_points: float | None


def department_counts(db: Database) -> list[DepartmentCount]:
    """Every unit named as lead, cooperating or assessee, with how many indicators (one per notice)."""
    found: dict[tuple[str | None, str], DepartmentCount] = {}
    for r in db.query(_DEPARTMENT_COUNTS):
        row = found.setdefault((r["region"], r["unit"]), DepartmentCount(region=r["region"], unit=r["unit"]))
        if r["relation"] in ("lead", "cooperating", "assessee"):
            setattr(row, r["relation"], r["n"])
    return sorted(found.values(), key=lambda d: (d.region or "", -(d.lead + d.cooperating + d.assessee), d.unit))


def framework_categories(db: Database, framework_id: int) -> list[CategoryRow]:
    sql = "select path, name, declared_points from categories where framework_id = ? order by id"
    return [
        CategoryRow(path=json.loads(r["path"] or "[]"), name=r["name"], declared_points=r["declared_points"])
        for r in db.query(sql, [framework_id])
    ]


def framework_reading(db: Database, framework_id: int) -> list[dict[str, Any]]:
    """Each column's role with its evidence, as table understanding read it (empty for older stores' rows)."""
    row = db.execute("select reading from frameworks where id = ?", [framework_id]).fetchone()
    return json.loads(row[0]) if row and row[0] else []


def framework_warnings(db: Database, framework_id: int) -> list[WarningRow]:
    sql = (
        "select d.path, w.* from warnings w join documents d on d.id = w.document_id "
        "where w.framework_id = ? order by w.id"
    )
    return [
        WarningRow(document=r["path"], framework_id=r["framework_id"], code=r["code"], message=r["message"])
        for r in db.query(sql, [framework_id])
    ]
