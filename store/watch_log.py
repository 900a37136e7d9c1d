"""The watch folder's audit trail and journal (table ``watch_events``) and the look-ups ``kaohe watch`` needs.

A ``started`` row is written before a file is read and one row for its fate after it (``OUTCOMES``). A
folder whose last row is ``started`` lost its watcher in the middle of that file (``in_progress``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from store.db import Store

STARTED = "started"  # the journal: about to read this file (its sha256), written before reading it
# A file's fate: stored (added | replaced), duplicate, failed (moved to failed/), gone (vanished before it
# was read) or retry (the store was busy: read again later).
OUTCOMES = ("added", "replaced", "duplicate", "failed", "gone", "retry")
# Outcomes after which the file's content is the stored version of its name.
STORED_OUTCOMES = ("added", "replaced")


class WatchEvent(BaseModel):
    """One file handled by the watcher: where it ended up and why."""

    folder: str
    name: str
    outcome: str  # started | added | replaced | duplicate | progress (a progress form stored) | failed | gone | retry
    path: str  # where the file is now (processed/… or failed/…; the inbox for started, gone, retry)
    sha256: str | None = None
    detail: str | None = None  # "code: problem" when failed, the duplicated document, or the version it replaced
    indicators: int = 0
    seconds: float = 0.0
    at: str | None = None  # when it was recorded (filled by the store)


def settle_document(store: Store, ingested_at: str, event: WatchEvent, supersedes: str | None) -> None:
    """In one transaction: the stored document follows its file to ``event.path``, the earlier version of
    the same name (``supersedes``) is forgotten, and the event is recorded."""
    with store.db.atomic():
        store.move_document(ingested_at, event.path)
        if supersedes:
            store.remove_document(supersedes)
        record_event(store, event)


def record_event(store: Store, event: WatchEvent, forget: str | None = None) -> None:
    """Record ``event``; in the same transaction forget the document stored at ``forget`` (a file that left
    processed/ for failed/, or a stale partial version)."""
    at = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    with store.db.atomic():
        if forget:
            store.remove_document(forget)
        store.db.table("watch_events").insert({**event.model_dump(exclude={"at"}), "at": at})


def in_progress(store: Store, folder: str) -> WatchEvent | None:
    """The file the watcher of ``folder`` was reading when it died: the folder's last row, if ``started``."""
    rows = store.db.query("select * from watch_events where folder = ? order by id desc limit 1", [folder])
    last = next(iter(rows), None)
    return _event(last) if last is not None and last["outcome"] == STARTED else None


def failed_before(store: Store, folder: str, sha256: str) -> WatchEvent | None:
    """The last failure of this content in ``folder``: such a file is not read again until its content changes."""
    rows = store.db.query(
        "select * from watch_events where folder = ? and sha256 = ? and outcome = 'failed' order by id desc limit 1",
        [folder, sha256],
    )
    found = next(iter(rows), None)
    return _event(found) if found is not None else None


def recently_stored(store: Store, folder: str, since: datetime, limit: int = 200) -> list[WatchEvent]:
    """Files of ``folder`` stored (added, replaced) at or after ``since``, the newest first."""
    rows = store.db.query(
        f"""select * from watch_events where folder = ? and outcome in ({",".join("?" * len(STORED_OUTCOMES))})
            order by id desc limit ?""",
        [folder, *STORED_OUTCOMES, limit],
    )
    return [e for e in map(_event, rows) if e.at and datetime.fromisoformat(e.at) >= since]


def indicator_count(store: Store, path: str) -> int:
    rows = store.db.query(
        "select count(*) n from indicators i join documents d on d.id = i.document_id where d.path = ?", [path]
    )
    return int(next(iter(rows))["n"])


def previous_version(store: Store, folder: str, name: str, new_path: str) -> str | None:
    """The stored document an earlier file of the same ``name`` in ``folder`` became, if it is still
    stored and is not provably another notice (both carry a 发文字号 and they differ)."""
    rows = store.db.query(
        f"""select e.path, d.doc_number from watch_events e join documents d on d.path = e.path
            where e.folder = ? and e.name = ? and e.outcome in ({",".join("?" * len(STORED_OUTCOMES))})
            and e.path != ? order by e.id desc limit 1""",
        [folder, name, *STORED_OUTCOMES, new_path],
    )
    previous = next(iter(rows), None)
    if previous is None:
        return None
    new_number = next(iter(store.db.query("select doc_number from documents where path = ?", [new_path])), {})
    if previous["doc_number"] and new_number.get("doc_number") and previous["doc_number"] != new_number["doc_number"]:
        return None
    return str(previous["path"])


def documents_in(store: Store, folder: Path) -> list[tuple[str, str]]:
    """``(path, sha256)`` of stored documents whose file sits directly in ``folder``."""
    prefix = str(folder).rstrip("/") + "/"
    rows = store.db.query("select path, sha256 from documents where substr(path, 1, ?) = ?", [len(prefix), prefix])
    return [(r["path"], r["sha256"]) for r in rows if Path(r["path"]).parent == folder]


def _event(row: dict[str, object]) -> WatchEvent:
    return WatchEvent.model_validate({k: v for k, v in row.items() if k in WatchEvent.model_fields and v is not None})
