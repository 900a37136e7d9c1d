"""Read queries over the store: owners, a department's load, frameworks, search, warnings."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from normalize.fold import fold
from store import search_index
from store.copies import fold_copies
from store.results import (
    AnswerPage,
    FrameworkRef,
    FrameworkSummary,
    IndicatorAnswer,
    MentionRow,
    SourceRef,
    WarningRow,
)
from store.search_index import ID_MASK

_SELECT = """
select i.*, f.title as f_title, f.region as f_region, f.year as f_year, f.assessee as f_assessee
from indicators i join frameworks f on f.id = i.framework_id
"""
_FUZZY_MIN_OVERLAP = 0.5
_CHUNK = 500  # answers per look-up of their copies


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
    return sorted({text[i : i + 3] for i in range(len(text) - 2)})


def owners(
    db: Database,
    query: str,
    year: int | None = None,
    region: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> AnswerPage:
    """Indicators whose name, text or category contain ``query``, a fuzzy fallback when none do.

    Both sides are folded (``normalize.fold``: traditional characters, full-width forms, spaces and case do not
    matter). One answer per indicator of a notice — the first copy stored, its other files in ``copies`` —
    newest year first; ``limit`` (None: all) and ``offset`` count answers, ``total`` says how many there are.
    """
    needle = fold(query)
    if not needle:
        return AnswerPage(answers=[], total=0, offset=offset)
    if not db["search_bigrams"].exists():
        return _unindexed(db, needle, year, region, limit, offset)
    ids, total = _index_hits(db, needle, year, region, limit, offset)
    match = "substring"
    if not total and len(needle) >= 4:
        (ids, total), match = _fuzzy(db, needle, year, region, limit, offset), "fuzzy"
    answers = _with_copies(db, ids, match)
    return AnswerPage(answers=answers, total=total, offset=offset, match=match if total else None)


def _index_hits(
    db: Database, needle: str, year: int | None, region: str | None, limit: int | None, offset: int
) -> tuple[list[int], int]:
    """A page of answers containing ``needle`` (their first copies' ids, in order) and how many there are.

    Three characters or more: the trigram index; fewer: the bigram index (store.search_index). Both are
    sorted by year and id, so the page and a year's range are read from the index alone."""
    if len(needle) >= 3:
        table, match = "search_trigrams", search_index.trigram_query(needle)
    else:
        table, match = "search_bigrams", search_index.bigram_query(needle)
    joins, clauses, params = "", [f"{table} match ?"], [match]
    if year is not None:
        clauses.append(f"{table}.rowid between ? and ?")
        params += search_index.year_rowids(year)
    if region:
        joins = f" join indicators i on i.id = {table}.rowid & {ID_MASK} join frameworks f on f.id = i.framework_id"
        where, region_params = _filters(None, region)
        clauses.append(where.removeprefix(" and "))
        params += region_params
    body = f"from {table}{joins} where {' and '.join(clauses)}"
    sql = f"select {table}.rowid {body} order by {table}.rowid limit ? offset ?"
    page = [rowid & ID_MASK for (rowid,) in db.execute(sql, [*params, -1 if limit is None else limit, offset])]
    if (page or not offset) and (limit is None or len(page) < limit):
        return page, offset + len(page)
    return page, db.execute(f"select count(*) {body}", params).fetchone()[0]


def _fuzzy(
    db: Database, needle: str, year: int | None, region: str | None, limit: int | None, offset: int
) -> tuple[list[int], int]:
    """Answers sharing most of the query's character trigrams (tolerates small wording differences), best first."""
    grams = _trigrams(needle)
    where, params = _filters(year, region)
    sql = (
        "select i.id, i.search_folded from (select rowid, rank from search_trigrams where search_trigrams match ? "
        f"order by rank limit 500) h join indicators i on i.id = h.rowid & {ID_MASK} "
        f"join frameworks f on f.id = i.framework_id where 1{where} order by h.rank"
    )
    scored = []
    for row in db.query(sql, [" OR ".join(search_index.trigram_query(g) for g in grams), *params]):
        text = row["search_folded"].replace("\n", "")
        overlap = sum(1 for g in grams if g in text) / len(grams)
        if overlap >= _FUZZY_MIN_OVERLAP:
            scored.append((overlap, row["id"]))
    scored.sort(key=lambda pair: -pair[0])
    end = None if limit is None else offset + limit
    return [i for _, i in scored[offset:end]], len(scored)


def _unindexed(
    db: Database, needle: str, year: int | None, region: str | None, limit: int | None, offset: int
) -> AnswerPage:
    """A read-only store older than migration m007 (``kaohe serve`` before any other command upgraded it): every
    row read and the copies merged here; the stored text is not folded, no fuzzy fallback."""
    where, params = _filters(year, region)
    sql = f"{_SELECT} where instr(i.search_text, ?){where} order by f.year desc, i.id"
    found = fold_copies([_answer(r, match="substring") for r in db.query(sql, [needle, *params])])
    page = found[offset : None if limit is None else offset + limit]
    targets = _targets(db, [a.id for a in page])
    page = [a.model_copy(update={"targets": targets.get(a.id, [])}) for a in page]
    return AnswerPage(answers=page, total=len(found), offset=offset, match="substring" if found else None)


def _with_copies(db: Database, ids: list[int], match: str) -> list[IndicatorAnswer]:
    """The answers whose first copies are ``ids``, in that order, each with its other copies' sources."""
    found: dict[int, IndicatorAnswer] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"{_SELECT} where i.copy_key in (select copy_key from indicators where id in ({marks})) order by i.id"
        rows = list(db.query(sql, chunk))
        targets = _targets(db, chunk)
        answers = [_answer(r, targets=targets.get(r["id"], []), match=match) for r in rows]
        found.update((a.id, a) for a in fold_copies(answers))
    return [found[i] for i in ids if i in found]


def department(db: Database, units: list[tuple[str | None, str]], year: int | None = None) -> list[IndicatorAnswer]:
    """Everything the named units lead, cooperate on or are assessed on; ``units`` are (region, canonical) pairs
    (region None: documents whose region is unknown), as :func:`store.unit_queries.find_unit` gives them."""
    if not units:
        return []
    unit_clause = " or ".join("(r.unit = ? and coalesce(r.region, '') = ?)" for _ in units)
    params: list[Any] = [p for region, name in units for p in (name, region or "")]
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


def mentions(db: Database, units: list[tuple[str | None, str]], year: int | None = None) -> list[MentionRow]:
    """Paragraphs that name the units in prose, every stored copy (``store.dept_view`` folds the copies of a
    notice); ``units`` are (region, canonical) pairs. ``year``: the document's assessment year, or the year
    of its date when it has none (a standing 办法)."""
    if not units:
        return []
    clause = " or ".join("(m.unit = ? and coalesce(m.region, '') = ?)" for _ in units)
    params: list[Any] = [p for region, name in units for p in (name, region or "")]
    doc_year = "coalesce(d.assessment_year, cast(substr(d.date, 1, 4) as integer))"
    year_clause = ""
    if year is not None:
        year_clause, params = f" and {doc_year} = ?", [*params, year]
    sql = (
        f"select m.*, d.path, d.title, d.doc_number, d.date, {doc_year} as doc_year from mentions m "
        f"join documents d on d.id = m.document_id where ({clause}){year_clause} order by d.path, m.block"
    )
    return [
        MentionRow(document=r["path"], title=r["title"], block=r["block"], unit=r["unit"], context=r["context"],
                   region=r["region"], year=r["doc_year"], doc_number=r["doc_number"], date=r["date"])
        for r in db.query(sql, params)
    ]  # fmt: skip
