"""Read queries over the store: owners, a department's load, frameworks, search, warnings."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from store.results import FrameworkRef, FrameworkSummary, IndicatorAnswer, MentionRow, SourceRef, WarningRow

_SELECT = """
select i.*, f.title as f_title, f.region as f_region, f.year as f_year, f.assessee as f_assessee
from indicators i join frameworks f on f.id = i.framework_id
"""
_FUZZY_MIN_OVERLAP = 0.5


def _answer(row: dict[str, Any], **extra: Any) -> IndicatorAnswer:
    targets = extra.pop("targets", [])
    return IndicatorAnswer(
        id=row["id"],
        indicator=row["text"],
        name=row["name"],
        points=row["points"],
        kind=row["kind"],
        lead=row["lead"],
        lead_as_written=row["lead_as_written"],
        role=row["role"],
        cooperating=json.loads(row["cooperating"] or "[]"),
        assessors=json.loads(row["assessors"] or "[]"),
        inherited=bool(row["inherited"]),
        category=row["category"],
        category_path=json.loads(row["category_path"] or "[]"),
        targets=targets,
        criteria=row["criteria"],
        sub_scores=json.loads(row["sub_scores"] or "[]"),
        weights=json.loads(row["weights"] or "{}"),
        deadline=row["deadline"],
        framework=FrameworkRef(
            id=row["framework_id"],
            title=row["f_title"],
            region=row["f_region"],
            year=row["f_year"],
            assessee=row["f_assessee"],
        ),
        source=SourceRef(file=row["file"], page=row["page"], table=row["table_index"], row=row["row_index"]),
        **extra,
    )


def _filters(year: int | None, region: str | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if year is not None:
        clauses.append("f.year = ?")
        params.append(year)
    if region:
        clauses.append("(f.region = ? or f.region like ?)")
        params.extend([region, f"{region}%"])
    return "".join(f" and {c}" for c in clauses), params


def _targets(db: Database, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    sql = f"select * from targets where indicator_id in ({marks}) order by id"
    for t in db.query(sql, ids):
        out.setdefault(t["indicator_id"], []).append(
            {k: t[k] for k in ("metric", "comparator", "value", "unit", "baseline", "direction", "raw")}
            | {"values": json.loads(t["values_list"] or "[]")}
        )
    return out


def _trigrams(text: str) -> list[str]:
    squeezed = "".join(text.split())
    return sorted({squeezed[i : i + 3] for i in range(len(squeezed) - 2)})


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def owner(
    db: Database, query: str, year: int | None = None, region: str | None = None, limit: int = 50
) -> list[IndicatorAnswer]:
    """Indicators whose name, text or category contain ``query``; a fuzzy fallback when none do."""
    where, params = _filters(year, region)
    needle = "".join(query.split())
    order = " order by f.year desc, f.id, i.seq limit ?"
    if len(needle) >= 3:
        sql = f"{_SELECT} where i.id in (select rowid from indicators_fts where indicators_fts match ?){where}{order}"
        rows = list(db.query(sql, [_quote(needle), *params, limit]))
    else:
        rows = list(db.query(f"{_SELECT} where i.search_text like ?{where}{order}", [f"%{needle}%", *params, limit]))
    match = "substring"
    if not rows and len(needle) >= 4:
        rows, match = _fuzzy(db, needle, where, params, limit), "fuzzy"
    targets = _targets(db, [r["id"] for r in rows])
    return [_answer(r, targets=targets.get(r["id"], []), match=match) for r in rows]


def _fuzzy(db: Database, needle: str, where: str, params: list[Any], limit: int) -> list[dict[str, Any]]:
    """Rows sharing most of the query's character trigrams: tolerates small wording differences."""
    grams = _trigrams(needle)
    match = " OR ".join(_quote(g) for g in grams)
    sql = (
        f"{_SELECT} join (select rowid as hit, rank from indicators_fts where indicators_fts match ? "
        f"order by rank limit 500) h on h.hit = i.id where 1{where} order by h.rank"
    )
    scored = []
    for row in db.query(sql, [match, *params]):
        text = "".join(row["search_text"].split())
        overlap = sum(1 for g in grams if g in text) / len(grams)
        if overlap >= _FUZZY_MIN_OVERLAP:
            scored.append((overlap, row))
    scored.sort(key=lambda pair: -pair[0])
    return [row for _, row in scored[:limit]]


def department(db: Database, units: list[tuple[str | None, str]], year: int | None = None) -> list[IndicatorAnswer]:
    """Everything the named units lead, cooperate on or are assessed on; ``units`` are (region, canonical) pairs."""
    if not units:
        return []
    unit_clause = " or ".join("(r.unit = ? and (? is null or r.region = ?))" for _ in units)
    params: list[Any] = [p for region, name in units for p in (name, region, region)]
    year_clause = ""
    if year is not None:
        year_clause, params = " and f.year = ?", [*params, year]
    sql = (
        f"select i.*, f.title as f_title, f.region as f_region, f.year as f_year, f.assessee as f_assessee, "
        f"r.relation as relation from responsibilities r join indicators i on i.id = r.indicator_id "
        f"join frameworks f on f.id = i.framework_id where ({unit_clause}){year_clause} "
        f"order by f.year desc, f.id, i.seq, r.position"
    )
    rows = list(db.query(sql, params))
    seen: set[int] = set()
    unique = [r for r in rows if not (r["id"] in seen or seen.add(r["id"]))]  # type: ignore[func-returns-value]
    targets = _targets(db, [r["id"] for r in unique])
    return [_answer(r, targets=targets.get(r["id"], []), relation=r["relation"]) for r in unique]


def frameworks(db: Database, region: str | None = None, year: int | None = None) -> list[FrameworkSummary]:
    where, params = _filters(year, region)
    sql = (
        "select f.*, d.path as document, count(i.id) as n, "
        "sum(case when i.kind = 'indicator' then i.points end) as pts "
        "from frameworks f join documents d on d.id = f.document_id left join indicators i on i.framework_id = f.id "
        f"where 1{where} group by f.id order by f.year, d.path, f.seq"
    )
    return [
        FrameworkSummary(
            id=r["id"],
            title=r["title"],
            kind=r["kind"],
            region=r["region"],
            year=r["year"],
            group=r["grp"],
            assessee=r["assessee"],
            document=r["document"],
            indicators=r["n"],
            points=r["pts"],
            declared_total=r["declared_total"],
        )
        for r in db.query(sql, params)
    ]


def aliases_of(db: Database, name: str) -> list[tuple[str | None, str]]:
    """(region, canonical) pairs that documents in the store wrote as ``name``."""
    sql = "select region, canonical from aliases where alias = ?"
    return [(r["region"] or None, r["canonical"]) for r in db.query(sql, [name])]


def regions(db: Database) -> list[str | None]:
    return [r["region"] for r in db.query("select distinct region from frameworks")]


def warnings(db: Database, document: str | None = None) -> list[WarningRow]:
    sql = "select d.path, w.* from warnings w join documents d on d.id = w.document_id"
    params: list[Any] = []
    if document:
        sql += " where d.path like ?"
        params.append(f"%{document}%")
    return [
        WarningRow(document=r["path"], framework_id=r["framework_id"], code=r["code"], message=r["message"])
        for r in db.query(sql + " order by w.id", params)
    ]


def counts(db: Database) -> dict[str, int]:
    return {t: db[t].count for t in ("documents", "frameworks", "indicators", "warnings")}


def mentions(db: Database, units: list[tuple[str | None, str]]) -> list[MentionRow]:
    """Paragraphs that name the units in prose; ``units`` are (region, canonical) pairs."""
    if not units:
        return []
    clause = " or ".join("(m.unit = ? and (? is null or m.region = ?))" for _ in units)
    params: list[Any] = [p for region, name in units for p in (name, region, region)]
    sql = (
        "select m.*, d.path, d.title from mentions m join documents d on d.id = m.document_id "
        f"where {clause} order by d.path, m.block"
    )
    return [
        MentionRow(document=r["path"], title=r["title"], block=r["block"], unit=r["unit"], context=r["context"])
        for r in db.query(sql, params)
    ]
