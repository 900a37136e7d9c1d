"""Read queries for scoring: the indicators of a set of frameworks, the frameworks of a year."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from frameworks.yearly import pick_copies
from scoring.model import IndicatorInfo
from store.queries import _targets, frameworks

_INFOS = """
select i.id, i.framework_id, i.text, i.name, i.category, i.points, i.kind, i.lead,
       f.kind as f_kind, f.title as f_title, f.region as f_region, f.year as f_year,
       f.grp as f_group, f.assessee as f_assessee
from indicators i join frameworks f on f.id = i.framework_id
where i.framework_id in ({marks})
order by f.document_id, f.seq, i.seq
"""


def indicator_infos(db: Database, framework_ids: Sequence[int]) -> list[IndicatorInfo]:
    """Every indicator of the given frameworks (document and table order), with its framework's
    kind, title, region, year, group and assessee, and its parsed targets."""
    ids = sorted({int(i) for i in framework_ids})
    if not ids:
        return []
    rows = list(db.query(_INFOS.format(marks=",".join("?" * len(ids))), ids))
    targets = _targets(db, [r["id"] for r in rows])
    return [
        IndicatorInfo(
            id=r["id"],
            framework_id=r["framework_id"],
            framework_kind=r["f_kind"],
            framework_title=r["f_title"],
            region=r["f_region"],
            year=r["f_year"],
            group=r["f_group"],
            assessee=r["f_assessee"],
            text=r["text"],
            name=r["name"],
            category=r["category"],
            points=r["points"],
            kind=r["kind"] or "indicator",
            lead=r["lead"],
            targets=targets.get(r["id"], []),
        )
        for r in rows
    ]


def frameworks_for(db: Database, region: str, year: int) -> list[int]:
    """The frameworks of one region (``佳县``, ``柞水`` finds ``柞水县``) and year, one copy per notice.

    A notice received in several formats gives one framework row per copy; the copy from the most
    faithful format is kept (``frameworks.yearly.FORMAT_PREFERENCE``: .docx first), the same choice
    ``kaohe diff`` makes."""
    picked = pick_copies(frameworks(db, region=region, year=year))
    return sorted(side.id for side in picked.values())


def existing_framework_ids(db: Database, framework_ids: Sequence[int]) -> list[int]:
    """Those of ``framework_ids`` that are in the store."""
    ids = sorted({int(i) for i in framework_ids})
    if not ids:
        return []
    sql = f"select id from frameworks where id in ({','.join('?' * len(ids))}) order by id"
    return [r["id"] for r in db.query(sql, ids)]
