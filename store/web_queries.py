"""Read queries for the web interface (``kaohe serve``): departments with counts, a framework's
categories and warnings, and the guarded ad-hoc SELECT of ``--allow-sql``."""

from __future__ import annotations

import json
import sqlite3
import time
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
# What an ad-hoc query may do: read tables and call functions (no writes, PRAGMA, ATTACH…).
_ALLOWED_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, 33})  # 33: RECURSIVE
_SQL_SECONDS = 5.0


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


class SqlResult(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


class SqlFailed(Exception):
    """An ad-hoc statement SQLite could not run (syntax, unknown table, too slow…)."""


class SqlRefused(SqlFailed):
    """An ad-hoc statement that tries to do more than read."""


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


def run_select(db: Database, sql: str, max_rows: int = 1000) -> SqlResult:
    """Run one read-only statement: ``SqlRefused`` for anything but reading, ``SqlFailed`` when it fails.

    An authorizer refuses every action but reading, so a write, PRAGMA or ATTACH fails before it runs;
    a progress handler stops a query after a few seconds.
    """
    conn = db.conn
    deadline = time.monotonic() + _SQL_SECONDS
    refused: list[int] = []

    def authorize(action: int, *_: Any) -> int:
        if action in _ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        refused.append(action)
        return sqlite3.SQLITE_DENY

    conn.set_authorizer(authorize)
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        cursor = conn.execute(sql)
        rows = cursor.fetchmany(max_rows + 1)
        columns = [c[0] for c in cursor.description or []]
    except sqlite3.Error as e:
        if refused or "readonly" in str(e) or "query_only" in str(e):
            raise SqlRefused(str(e)) from e
        raise SqlFailed(str(e)) from e
    finally:
        conn.set_authorizer(None)
        conn.set_progress_handler(None, 0)
    return SqlResult(columns=columns, rows=[list(r) for r in rows[:max_rows]], truncated=len(rows) > max_rows)
