"""The store's side of the monthly progress reports (issue 18): what each unit reports on, the reports
received and their history. ``progress/`` turns these into forms, levels and reports; only this module
knows their SQL.

A submission is one file read back (``kaohe progress add``). A unit's corrected sheet for the same period
replaces its earlier reports — they stay, marked ``current = 0``, as history — in the same transaction that
stores the new ones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import BaseModel, Field
from sqlite_utils import Database

from store.scoring_queries import indicator_infos

ROLE_LEAD, ROLE_COOPERATING, ROLE_ASSESSEE = "牵头", "配合", "被考核"
PROGRESS_KINDS = ("breakdown", "per_unit")  # the tables units report on monthly: 市考分解 and their own
QUALITATIVE = "定性"  # the target of an indicator with no quantified target: judged by its reported progress


class ProgressLine(BaseModel):
    """One indicator as one unit reports on it."""

    indicator_id: int
    unit: str
    role: str  # 牵头 | 配合 | 被考核
    indicator: str
    target: str  # the parsed targets as written, or 定性
    targets: list[dict] = Field(default_factory=list)  # normalize.targets.Target dumps
    framework_id: int
    framework_title: str | None = None
    category: str | None = None
    region: str | None = None
    year: int | None = None


class StoredReport(BaseModel):
    id: int
    indicator_id: int
    unit: str
    period: str
    actual: float | None = None
    completion_pct: float | None = None
    progress: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    file: str
    sheet: str | None = None
    row: int | None = None
    received_at: str
    current: bool


class NewReport(BaseModel):
    """A row read back from a filled form, to store."""

    indicator_id: int
    unit: str
    actual: float | None = None
    completion_pct: float | None = None
    progress: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    sheet: str | None = None
    row: int | None = None


class Stored(BaseModel):
    submission_id: int
    rows: int
    units: list[str]
    replaced: dict[str, int]  # unit → earlier current reports of the period it replaced


def progress_lines(db: Database, framework_ids: Sequence[int]) -> list[ProgressLine]:
    """Every indicator of the frameworks with the units that report on it: the lead and the cooperating
    units of a breakdown (市考分解), the assessee of a per-unit table. Deductions are not reported monthly."""
    infos = [i for i in indicator_infos(db, framework_ids) if i.kind == "indicator"]
    cooperating = _cooperating(db, [i.id for i in infos])
    lines = []
    for info in infos:
        if info.framework_kind == "per_unit":
            units = [(info.assessee, ROLE_ASSESSEE)] if info.assessee else []
        else:
            units = [(info.lead, ROLE_LEAD)] if info.lead else []
            units += [(name, ROLE_COOPERATING) for name in cooperating.get(info.id, [])]
        label = f"{info.name}：{info.text}" if info.name and info.name not in info.text else info.text
        target = "；".join(t["raw"] for t in info.targets if t.get("raw")) or QUALITATIVE
        lines += [
            ProgressLine(
                indicator_id=info.id,
                unit=unit,
                role=role,
                indicator=label,
                target=target,
                targets=info.targets,
                framework_id=info.framework_id,
                framework_title=info.framework_title,
                category=info.category,
                region=info.region,
                year=info.year,
            )
            for unit, role in units
            if unit
        ]
    return lines


def _cooperating(db: Database, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sql = f"select id, cooperating from indicators where id in ({','.join('?' * len(chunk))})"
        for row in db.query(sql, chunk):
            out[row["id"]] = json.loads(row["cooperating"] or "[]")
    return out


def owners_of(db: Database, indicator_ids: Sequence[int]) -> dict[int, set[str]]:
    """indicator id → the units that report on it (for checking a sheet), for ids that exist."""
    ids = sorted({int(i) for i in indicator_ids})
    if not ids:
        return {}
    framework_ids = [r["framework_id"] for r in db.query(
        f"select distinct framework_id from indicators where id in ({','.join('?' * len(ids))})", ids)]  # fmt: skip
    wanted = set(ids)
    out: dict[int, set[str]] = {}
    for line in progress_lines(db, framework_ids):
        if line.indicator_id in wanted:
            out.setdefault(line.indicator_id, set()).add(line.unit)
    return out


def indicators_exist(db: Database, indicator_ids: Sequence[int]) -> set[int]:
    ids = sorted({int(i) for i in indicator_ids})
    if not ids:
        return set()
    return {r["id"] for r in db.query(f"select id from indicators where id in ({','.join('?' * len(ids))})", ids)}


def store_reports(
    store: object, period: str, reports: Sequence[NewReport], file: str, sha256: str, received_at: str | None = None
) -> Stored:
    """Store one file's reports in one transaction; a unit's earlier reports of the period become history."""
    db: Database = store.db  # type: ignore[attr-defined]
    at = received_at or datetime.now(UTC).isoformat(timespec="seconds")
    units = sorted({r.unit for r in reports})

    def work() -> Stored:
        replaced = {}
        for unit in units:
            cursor = db.execute(
                "update progress_reports set current = 0 where unit = ? and period = ? and current = 1", [unit, period]
            )
            if cursor.rowcount:
                replaced[unit] = cursor.rowcount
        submission = {"file": file, "sha256": sha256, "period": period, "units": json.dumps(units, ensure_ascii=False),
                      "rows": len(reports), "received_at": at}  # fmt: skip
        submission_id = int(db["progress_submissions"].insert(submission).last_pk)
        rows = [
            {**r.model_dump(), "submission_id": submission_id, "period": period, "received_at": at, "current": 1}
            for r in reports
        ]
        if rows:
            names = list(rows[0])
            db.conn.executemany(
                f"insert into progress_reports ({', '.join(names)}) values ({', '.join('?' * len(names))})",
                [tuple(r[n] for n in names) for r in rows],
            )
        return Stored(submission_id=submission_id, rows=len(rows), units=units, replaced=replaced)

    return store._write(work)  # type: ignore[attr-defined,no-any-return]


_REPORTS = """
select r.*, s.file from progress_reports r join progress_submissions s on s.id = r.submission_id
where {where} order by r.period, r.unit, r.indicator_id, r.id
"""


def reports(
    db: Database, *, period: str | None = None, unit: str | None = None, current_only: bool = True
) -> list[StoredReport]:
    """Stored reports (current ones, or with their history), by period and/or unit."""
    if "progress_reports" not in db.table_names():
        return []
    clauses, params = ["1 = 1"], []
    if period:
        clauses.append("r.period = ?")
        params.append(period)
    if unit:
        clauses.append("r.unit = ?")
        params.append(unit)
    if current_only:
        clauses.append("r.current = 1")
    rows = db.query(_REPORTS.format(where=" and ".join(clauses)), params)
    return [StoredReport(**{**r, "current": bool(r["current"])}) for r in rows]


def latest_reports(db: Database, indicator_ids: Sequence[int], year: int | None) -> dict[tuple[int, str], StoredReport]:
    """(indicator id, unit) → the latest current report with a figure, of ``year``'s periods (any year when None):
    what the year-end results template is prefilled with."""
    if "progress_reports" not in db.table_names():
        return {}
    wanted = {int(i) for i in indicator_ids}
    out: dict[tuple[int, str], StoredReport] = {}
    for report in reports(db):  # ordered by period: a later period overwrites an earlier one
        if report.indicator_id not in wanted or (year is not None and not report.period.startswith(f"{year}-")):
            continue
        if report.actual is not None or report.completion_pct is not None:
            out[(report.indicator_id, report.unit)] = report
    return out


def periods_reported(db: Database, year: int) -> list[str]:
    """The months of ``year`` that have reports (``2020-05``, ``2020-06``…), in order."""
    if "progress_reports" not in db.table_names():
        return []
    sql = "select distinct period from progress_reports where period like ? order by period"
    return [r["period"] for r in db.query(sql, [f"{year}-%"])]
