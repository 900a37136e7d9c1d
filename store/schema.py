"""The store's schema, created and evolved by sqlite-utils migrations."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from store import search_index

migrations = Migrations("kaohe")


@migrations()
def m001_initial(db: Database) -> None:
    db["documents"].create(
        {
            "id": int,
            "path": str,
            "sha256": str,
            "format": str,
            "size": int,
            "encoding": str,
            "pages": int,
            "converted_with": str,
            "issuer": str,
            "co_issuers": str,
            "doc_number": str,
            "title": str,
            "date": str,
            "recipients": str,
            "attachments": str,
            "cc": str,
            "printed_by": str,
            "printed_date": str,
            "region": str,
            "assessment_year": int,
            "metadata": str,
            "ingested_at": str,
        },
        pk="id",
        not_null={"path", "sha256", "format"},
    )
    db["documents"].create_index(["path"], unique=True)
    db["documents"].create_index(["sha256"], unique=True)
    db["frameworks"].create(
        {
            "id": int,
            "document_id": int,
            "seq": int,
            "title": str,
            "kind": str,
            "region": str,
            "year": int,
            "grp": str,
            "assessee": str,
            "assessee_as_written": str,
            "declared_total": float,
            "tables": str,
            "columns": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["categories"].create(
        {"id": int, "framework_id": int, "path": str, "name": str, "level": int, "declared_points": float},
        pk="id",
        foreign_keys=[("framework_id", "frameworks", "id")],
    )
    db["indicators"].create(
        {
            "id": int,
            "framework_id": int,
            "document_id": int,
            "seq": int,
            "category": str,
            "category_path": str,
            "name": str,
            "text": str,
            "points": float,
            "points_from": str,
            "kind": str,
            "graded": str,
            "lead": str,
            "lead_as_written": str,
            "role": str,
            "cooperating": str,
            "cooperating_as_written": str,
            "inherited": int,
            "file": str,
            "page": int,
            "table_index": int,
            "row_index": int,
            "search_text": str,
        },
        pk="id",
        foreign_keys=[("framework_id", "frameworks", "id"), ("document_id", "documents", "id")],
    )
    db["targets"].create(
        {
            "id": int,
            "indicator_id": int,
            "metric": str,
            "comparator": str,
            "value": float,
            "values_list": str,
            "unit": str,
            "baseline": str,
            "direction": str,
            "raw": str,
        },
        pk="id",
        foreign_keys=[("indicator_id", "indicators", "id")],
    )
    db["responsibilities"].create(
        {
            "id": int,
            "indicator_id": int,
            "unit": str,
            "unit_as_written": str,
            "position": int,
            "relation": str,
            "role": str,
            "inherited": int,
            "region": str,
        },
        pk="id",
        foreign_keys=[("indicator_id", "indicators", "id")],
    )
    db["warnings"].create(
        {"id": int, "document_id": int, "framework_id": int, "code": str, "message": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["departments"].create({"region": str, "name": str, "resolved": int}, pk=("region", "name"))
    db["aliases"].create({"region": str, "alias": str, "canonical": str}, pk=("region", "alias"))
    db["ingest_runs"].create(
        {"id": int, "started_at": str, "finished_at": str, "files": int, "ok": int, "unchanged": int, "failed": int},
        pk="id",
    )
    for table, columns in {
        "frameworks": ["document_id"],
        "categories": ["framework_id"],
        "indicators": ["framework_id"],
        "targets": ["indicator_id"],
        "responsibilities": ["indicator_id"],
        "warnings": ["document_id"],
    }.items():
        db[table].create_index(columns)
    db["responsibilities"].create_index(["unit"])
    db["indicators"].enable_fts(["search_text"], tokenize="trigram", create_triggers=True)


@migrations()
def m002_mentions(db: Database) -> None:
    db["mentions"].create(
        {"id": int, "document_id": int, "block": int, "unit": str, "as_written": str, "region": str,
         "resolved": int, "context": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )  # fmt: skip
    db["mentions"].create_index(["unit"])
    db["mentions"].create_index(["document_id"])


@migrations()
def m003_roster(db: Database) -> None:
    """The year's roster of assessed units, with each unit's category (镇办, 党群系统…)."""
    db["roster"].create(
        {"id": int, "document_id": int, "region": str, "year": int, "category": str, "unit": str, "as_written": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["roster"].create_index(["region", "year"])
    db["roster"].create_index(["document_id"])


@migrations()
def m004_watch_events(db: Database) -> None:
    """What ``kaohe watch`` did with each file dropped into its folder (the audit trail)."""
    db["watch_events"].create(
        {"id": int, "at": str, "folder": str, "name": str, "outcome": str, "path": str, "sha256": str,
         "detail": str, "indicators": int, "seconds": float},
        pk="id",
    )  # fmt: skip
    db["watch_events"].create_index(["folder", "name"])


@migrations()
def m005_rule_values(db: Database) -> None:
    """Numeric scoring parameters read from an ingested 办法 (threshold, weights, quotas…), per region."""
    db["rule_values"].create(
        {"id": int, "document_id": int, "region": str, "field": str, "value": str, "article": str, "quote": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["rule_values"].create_index(["region"])
    db["rule_values"].create_index(["document_id"])


@migrations()
def m006_column_reading(db: Database) -> None:
    """Issue 12: what each column was read as (and why), assessors, criteria with sub-scores, further weightings."""
    db["frameworks"].add_column("reading", str)  # JSON: [{col, header, role, score, runner_up, margin, evidence}]
    db["frameworks"].add_column("reading_margin", float)
    db["frameworks"].add_column("weight_totals", str)  # JSON: {header: declared total}
    for column in ("criteria", "sub_scores", "weights", "target_text", "deadline", "assessors"):
        db["indicators"].add_column(column, str)


@migrations()
def m007_search_answers(db: Database) -> None:
    """Issue 14: search folded text (traditional, full-width, spaces), one index entry per answer (copies of a
    notice share one), and two-character queries answered by an index (store.search_index)."""
    db["indicators"].disable_fts()  # the trigram index over search_text: replaced by search_trigrams
    db["indicators"].add_column("search_folded", str)
    db["indicators"].add_column("copy_key", int)
    db["indicators"].add_column("search_rowid", int)  # set on the first copy of each answer: its index entry
    db["indicators"].create_index(["copy_key"])
    search_index.create_tables(db)
    search_index.rebuild(db)  # with the code that keeps the indexes in step


@migrations()
def m008_ocr_provenance(db: Database) -> None:
    """Issue 17: which pages of a document were read by OCR, and by which engine."""
    db["documents"].add_column("ocr_pages", str)  # JSON: [page, …]; [] when every page had a text layer
    db["documents"].add_column("ocr_engine", str)


@migrations()
def m009_progress_reports(db: Database) -> None:
    """Issue 18: the monthly progress reports units send back (``kaohe progress add``), with their history."""
    db["progress_submissions"].create(
        {"id": int, "file": str, "sha256": str, "period": str, "units": str, "rows": int, "received_at": str},
        pk="id",
    )
    db["progress_reports"].create(
        {
            "id": int,
            "submission_id": int,
            "indicator_id": int,
            "unit": str,
            "period": str,  # 2020-06
            "actual": float,
            "completion_pct": float,
            "progress": str,  # 进展情况
            "problems": str,  # 存在问题
            "next_steps": str,  # 下步措施
            "sheet": str,
            "row": int,
            "received_at": str,
            "current": int,  # 1 for the latest report of (indicator, unit, period); 0 once a correction replaced it
        },
        pk="id",
        foreign_keys=[("submission_id", "progress_submissions", "id")],
    )
    db["progress_reports"].create_index(["period", "unit", "current"])
    db["progress_reports"].create_index(["indicator_id", "unit", "period"])
