"""The SQLite store: the only module that knows SQL.

Each document is written in one transaction: a failure leaves the store as
it was. Documents are keyed by path and fingerprinted by sha256, so
re-ingesting an unchanged file changes nothing and a changed file replaces
its earlier version.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlite_utils import Database

from store import errors, search_index
from store.errors import LockWait, NotAStore, StoreLocked, is_busy, lock_holders, store_error
from store.results import RosterRow, SaveResult
from store.schema import migrations

if TYPE_CHECKING:  # annotations only: a query must not load the table reader and the parsers
    from frameworks.mentions import Mention
    from frameworks.model import Framework, Indicator
    from parsers.document import Document

T = TypeVar("T")


_CHILD_TABLES = ("targets", "responsibilities")
_TARGET_FIELDS = {"metric", "comparator", "value", "unit", "baseline", "direction", "raw"}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ("[]" if isinstance(value, list) else "{}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _plain(value: Any) -> Any:
    return _json(value) if isinstance(value, (list, dict)) else value


# Rows made by model_dump() may hold lists; the others are built JSON-ready by the functions below.
_MODEL_DUMP_TABLES = frozenset({"roster", "mentions"})
# Parents before children, so the foreign keys hold at every insert.
_INSERT_ORDER = ("categories", "indicators", "targets", "responsibilities", "warnings", "roster", "mentions")


def _framework_rows(
    rows: dict[str, list[dict[str, Any]]], document_id: int, framework_id: int, first_id: int, framework: Framework
) -> None:
    """A framework's categories, indicators (ids from ``first_id``), targets, owners and warnings as rows."""
    rows["categories"] += [
        {"framework_id": framework_id, "path": _json(c.path), "name": c.name, "level": len(c.path),
         "declared_points": c.declared_points}
        for c in framework.categories
    ]  # fmt: skip
    for indicator_id, ind in enumerate(framework.indicators, start=first_id):
        rows["indicators"].append(_indicator_row(indicator_id, document_id, framework_id, ind))
        rows["targets"] += [
            {"indicator_id": indicator_id, **t.model_dump(include=_TARGET_FIELDS), "values_list": _json(t.values)}
            for t in ind.targets
        ]
        rows["responsibilities"] += _responsibilities(indicator_id, framework, ind)
    rows["warnings"] += [
        {"document_id": document_id, "framework_id": framework_id, "code": w.code, "message": w.message}
        for w in framework.warnings
    ]


def _indicator_row(indicator_id: int, document_id: int, framework_id: int, ind: Indicator) -> dict[str, Any]:
    return {
        "id": indicator_id,
        "framework_id": framework_id,
        "document_id": document_id,
        "seq": ind.seq,
        "category": ind.category,
        "category_path": _json(ind.category_path),
        "name": ind.name,
        "text": ind.text,
        "points": ind.points,
        "points_from": ind.points_from,
        "kind": ind.kind,
        "graded": _json([g.model_dump() for g in ind.graded]),
        "lead": ind.lead,
        "lead_as_written": ind.lead_as_written,
        "role": ind.role,
        "cooperating": _json(ind.cooperating),
        "cooperating_as_written": _json(ind.cooperating_as_written),
        "inherited": int(ind.inherited),
        "criteria": ind.criteria,
        "sub_scores": _json(ind.sub_scores) if ind.sub_scores else None,
        "weights": _json(ind.weights) if ind.weights else None,
        "target_text": ind.target_text,
        "deadline": ind.deadline,
        "assessors": _json(ind.assessors) if ind.assessors else None,
        "file": ind.source.file,
        "page": ind.source.page,
        "table_index": ind.source.table,
        "row_index": ind.source.row,
        "search_text": " ".join(filter(None, [ind.name, ind.text, *ind.category_path])),
    }


def _responsibilities(indicator_id: int, framework: Framework, ind: Indicator) -> list[dict[str, Any]]:
    base = {"indicator_id": indicator_id, "role": ind.role, "region": framework.region}
    owners = [(ind.lead, ind.lead_as_written, "lead")] if ind.lead else []
    owners += [(n, w, "cooperating") for n, w in zip(ind.cooperating, ind.cooperating_as_written, strict=False)]
    owners += [(n, w, "assessor") for n, w in zip(ind.assessors, ind.assessors_as_written, strict=False)]
    rows = [
        {**base, "unit": name, "unit_as_written": written, "position": position, "relation": relation,
         "inherited": int(ind.inherited)}
        for position, (name, written, relation) in enumerate(owners)
    ]  # fmt: skip
    if framework.assessee and framework.assessee != ind.lead:
        rows.append({**base, "unit": framework.assessee, "unit_as_written": framework.assessee_as_written,
                     "position": -1, "relation": "assessee", "inherited": 0})  # fmt: skip
    return rows


class Store:
    def __init__(self, path: str | Path, read_only: bool = False, lock_wait: LockWait | None = None) -> None:
        """Open (and migrate) the store; ``read_only`` opens an existing store that no statement can change.

        Raises a ``store.errors.StoreError`` when the file is not a database, cannot be opened or created
        (folder missing, no permission) or stays locked by another writer."""
        self.path = str(path)
        self.read_only = read_only
        self.lock_wait = lock_wait or errors.LOCK_WAIT
        self._gave_up = False
        action = "打开" if read_only or Path(path).exists() else "创建"
        self.db: Database = self._retrying(lambda timeout: self._connect(timeout), action)

    def _connect(self, timeout: float) -> Database:
        if self.read_only:
            # mode=ro refuses writes at the SQLite level; query_only also refuses them on this connection.
            uri = f"{Path(self.path).resolve().as_uri()}?mode=ro"
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            connection = sqlite3.connect(self.path)
        try:
            db = Database(connection)
            db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            if self.read_only:
                db.execute("PRAGMA query_only=ON")
                db.execute("select count(*) from sqlite_master")  # not a database: say so now, not at a query
                return db
            if db.table_names() and not migrations.applied(db):  # someone else's database: change nothing in it
                raise NotAStore(self.path, "是 SQLite 数据库，但不是 kaohe 的库；请指向 kaohe 的库，或换一个新文件名")
            with db.ensure_autocommit_on():
                db.execute("PRAGMA journal_mode=wal")
            # WAL with synchronous=NORMAL: a commit no longer waits for an fsync (≈ 40% of a small document's
            # save); a power cut may lose the last documents ingested, never leave one half-written.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            migrations.apply(db)
        except BaseException:
            connection.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def _retrying(self, attempt: Callable[[float], T], action: str) -> T:
        """``attempt(busy_timeout)`` until it is not refused for a lock (see LockWait); SQLite errors about the file
        become typed StoreErrors, any other error is raised as it is."""
        wait = self.lock_wait
        tries = 1 if self._gave_up else wait.retries + 1
        for n in range(tries):
            try:
                result = attempt(wait.after_give_up if self._gave_up else wait.timeout)
            except sqlite3.DatabaseError as e:
                if not is_busy(e):
                    typed = store_error(self.path, e, action)
                    if typed is None:
                        raise
                    raise typed from e
                if n + 1 < tries:
                    time.sleep(wait.backoff * 2**n)
                    continue
                waited = wait.after_give_up if self._gave_up else wait.budget(tries)
                self._gave_up = True
                raise StoreLocked(self.path, round(waited, 1), lock_holders(self.path)) from e
            self._gave_up = False
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, work: Callable[[], T]) -> T:
        """``work()`` in one transaction holding the write lock from its start (BEGIN IMMEDIATE: a deferred one
        that read first is refused at once, without waiting); a savepoint inside an open transaction."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                return work()

        def attempt(timeout: float) -> T:
            conn = self.db.conn
            conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        return self._retrying(attempt, "写入")

    # -- writing -----------------------------------------------------------

    def find_document(self, path: str, sha256: str) -> tuple[str, str | None]:
        """``("unchanged"|"duplicate"|"new"|"changed", other path)`` for a file about to be ingested."""
        same_path = list(self.db.query("select sha256 from documents where path = ?", [path]))
        if same_path and same_path[0]["sha256"] == sha256:
            return "unchanged", None
        other = list(self.db.query("select path from documents where sha256 = ? and path != ?", [sha256, path]))
        if other:
            return "duplicate", other[0]["path"]
        return ("changed" if same_path else "new"), None

    def save(
        self,
        document: Document,
        frameworks: list[Framework],
        region: str | None,
        mentions: Sequence[Mention] = (),
        roster: Sequence[RosterRow] = (),
        rule_values: Sequence[Any] = (),
    ) -> SaveResult:
        """Write a document and its frameworks in one transaction, replacing an earlier version at its path.

        ``rule_values``: the scoring parameters a 办法 states (scoring.rules_extract.ExtractedRule with
        field, value, article, quote), stored for ``region``.
        """
        status, other = self.find_document(document.source.path, document.source.sha256)
        if status in ("unchanged", "duplicate"):
            return SaveResult(status=status, document_id=None, duplicate_of=other)
        document_id = self._write(
            lambda: self._replace_document(document, frameworks, region, mentions, roster, rule_values)
        )
        warnings = [w.message for w in document.warnings] + [w for f in frameworks for w in f.warnings]
        return SaveResult(
            status="replaced" if status == "changed" else "added",
            document_id=document_id,
            frameworks=len(frameworks),
            indicators=sum(len(f.indicators) for f in frameworks),
            deductions=sum(1 for f in frameworks for i in f.indicators if i.kind == "deduction"),
            warnings=len(warnings),
        )

    def _replace_document(
        self,
        document: Document,
        frameworks: list[Framework],
        region: str | None,
        mentions: Sequence[Mention],
        roster: Sequence[RosterRow],
        rule_values: Sequence[Any],
    ) -> int:
        """The rows of one document (inside save's transaction); its id."""
        self._delete_path(document.source.path)
        document_id = self._insert_document(document, region)
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        next_indicator_id = self.db.execute("select coalesce(max(id), 0) + 1 from indicators").fetchone()[0]
        for framework in frameworks:
            framework_id = self._insert_framework(document_id, framework)
            _framework_rows(rows, document_id, framework_id, next_indicator_id, framework)
            next_indicator_id += len(framework.indicators)
        rows["roster"] += [{"document_id": document_id, **r.model_dump()} for r in roster]
        rows["mentions"] += [
            {"document_id": document_id, "region": region, **m.model_dump(exclude={"resolved"}),
             "resolved": int(m.resolved)}
            for m in mentions
        ]  # fmt: skip
        for table in _INSERT_ORDER:
            self._insert_rows(table, rows[table])
        search_index.add_document(self.db, document_id)
        self._record_units(frameworks)
        self._insert_rule_values(document_id, region, rule_values)
        return document_id

    def _delete_path(self, path: str) -> None:
        ids = [r["id"] for r in self.db.query("select id from documents where path = ?", [path])]
        for document_id in ids:
            search_index.remove_document(self.db, document_id)
            indicator_ids = "select id from indicators where document_id = ?"
            for table in _CHILD_TABLES:
                self.db.execute(f"delete from {table} where indicator_id in ({indicator_ids})", [document_id])
            self.db.execute("delete from indicators where document_id = ?", [document_id])
            framework_ids = "select id from frameworks where document_id = ?"
            self.db.execute(f"delete from categories where framework_id in ({framework_ids})", [document_id])
            for table in ("frameworks", "warnings", "mentions", "roster", "rule_values"):
                self.db.execute(f"delete from {table} where document_id = ?", [document_id])
            self.db.execute("delete from documents where id = ?", [document_id])

    def _insert_rule_values(self, document_id: int, region: str | None, rule_values: Sequence[Any]) -> None:
        self.db["rule_values"].insert_all(
            {"document_id": document_id, "region": region, "field": r.field, "value": _json(r.value),
             "article": r.article, "quote": r.quote}
            for r in rule_values
        )  # fmt: skip

    def _insert_document(self, document: Document, region: str | None) -> int:
        source, meta = document.source, document.metadata
        row = {
            **{k: (_json(v) if isinstance(v, list) else v) for k, v in source.model_dump().items()},
            **{
                k: (_json(v) if isinstance(v, list) else v)
                for k, v in meta.model_dump().items()
                if k != "doc_number_parts"
            },
            "region": region,
            "metadata": meta.model_dump_json(),
            "ingested_at": _now(),
        }
        columns = set(self.db["documents"].columns_dict)
        document_id = self.db["documents"].insert({k: v for k, v in row.items() if k in columns}).last_pk
        self.db["warnings"].insert_all(
            {"document_id": document_id, "framework_id": None, "code": w.code, "message": w.message}
            for w in document.warnings
        )
        return int(document_id)

    def _record_units(self, frameworks: list[Framework]) -> None:
        """Units seen, per region, and the spellings that led to them (for alias look-ups)."""
        units: dict[tuple[str | None, str], bool] = {}
        aliases: set[tuple[str | None, str, str]] = set()
        for f in frameworks:
            for ind in f.indicators:
                named = [(ind.lead, ind.lead_as_written)] if ind.lead and ind.lead_as_written else []
                named += list(zip(ind.cooperating, ind.cooperating_as_written, strict=False))
                for name, written in named:
                    units[(f.region, name)] = written not in ind.unresolved_units
                    if written != name:
                        aliases.add((f.region, written, name))
        self.db.conn.executemany(
            "insert into departments (region, name, resolved) values (?, ?, ?)"
            " on conflict (region, name) do update set resolved = excluded.resolved",
            [(r or "", n, int(ok)) for (r, n), ok in units.items()],
        )
        self.db.conn.executemany(
            "insert into aliases (region, alias, canonical) values (?, ?, ?)"
            " on conflict (region, alias) do update set canonical = excluded.canonical",
            [(r or "", a, c) for r, a, c in sorted(aliases, key=lambda x: (x[0] or "", x[1], x[2]))],
        )

    def _insert_framework(self, document_id: int, framework: Framework) -> int:
        framework_id = (
            self.db["frameworks"]
            .insert(
                {
                    "document_id": document_id,
                    "seq": framework.seq,
                    "title": framework.title,
                    "kind": framework.kind,
                    "region": framework.region,
                    "year": framework.year,
                    "grp": framework.group,
                    "assessee": framework.assessee,
                    "assessee_as_written": framework.assessee_as_written,
                    "declared_total": framework.declared_total,
                    "tables": _json(framework.tables),
                    "columns": _json(framework.columns),
                    "reading": _json([c.model_dump() for c in framework.reading]),
                    "reading_margin": framework.reading_margin,
                    "weight_totals": _json(framework.weight_totals),
                }
            )
            .last_pk
        )
        return int(framework_id)

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """One ``executemany`` per table and document: on the ingest hot path sqlite-utils' ``insert_all``
        (type sniffing and JSON conversion per value) cost more than SQLite itself."""
        if not rows:
            return
        columns = list(rows[0])
        names = ", ".join(f"[{c}]" for c in columns)
        marks = ", ".join("?" for _ in columns)
        pick = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
        values = [pick(row) for row in rows]
        if table in _MODEL_DUMP_TABLES:
            values = [tuple(map(_plain, row)) for row in values]
        self.db.conn.executemany(f"insert into [{table}] ({names}) values ({marks})", values)

    def record_run(self, started_at: str, files: int, ok: int, unchanged: int, failed: int) -> None:
        row = {"started_at": started_at, "finished_at": _now(), "files": files, "ok": ok, "unchanged": unchanged,
               "failed": failed}  # fmt: skip
        self._write(lambda: self.db["ingest_runs"].insert(row))

    def move_document(self, old_path: str, new_path: str) -> None:
        """The file behind a stored document moved: its path and every citation follow, in one transaction."""

        def move() -> None:
            self.db.execute("update documents set path = ? where path = ?", [new_path, old_path])
            self.db.execute("update indicators set file = ? where file = ?", [new_path, old_path])

        self._write(move)

    def remove_document(self, path: str) -> None:
        """Forget the document stored at ``path`` (its file is left alone)."""
        self._write(lambda: self._delete_path(path))
