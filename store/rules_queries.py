"""Read the rule values extracted from ingested 办法 (table ``rule_values``, written by Store.save)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from sqlite_utils import Database


class StoredRuleValue(BaseModel):
    """One parameter value a stored 办法 states, with the document it comes from."""

    document_id: int
    path: str
    region: str | None
    field: str
    value: Any  # a number, or a dict of components ({"target": 90, "social": 10})
    article: str | None
    quote: str | None
    date: str | None = None


_SELECT = """
select r.document_id, d.path, r.region, r.field, r.value, r.article, r.quote, d.date
from rule_values r join documents d on d.id = r.document_id
"""


def _rows(db: Database, where: str, params: list[Any]) -> list[StoredRuleValue]:
    rows = db.query(f"{_SELECT} where {where} order by r.id", params)
    return [StoredRuleValue(**{**row, "value": json.loads(row["value"])}) for row in rows]


def rule_values_of_document(db: Database, document_id: int) -> list[StoredRuleValue]:
    return _rows(db, "r.document_id = ?", [document_id])


def latest_rule_values(db: Database, region: str) -> list[StoredRuleValue]:
    """The values of the region's latest 办法 (by issue date, then latest ingested); [] when it has none."""
    if "rule_values" not in db.table_names():  # a read-only store older than migration m005
        return []
    latest = db.execute(
        """select r.document_id from rule_values r join documents d on d.id = r.document_id
           where r.region = ? group by r.document_id
           order by coalesce(d.date, '') desc, d.ingested_at desc, r.document_id desc limit 1""",
        [region],
    ).fetchone()
    return rule_values_of_document(db, latest[0]) if latest else []


def regions_with_rules(db: Database) -> list[str]:
    """Regions for which some ingested 办法 states rule values."""
    if "rule_values" not in db.table_names():
        return []
    return [r[0] for r in db.execute("select distinct region from rule_values where region is not null order by 1")]
