"""The watch folder's audit trail (table ``watch_events``) and the look-ups ``kaohe watch`` needs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from store.db import Store

# Outcomes after which the file's content is the stored version of its name.
STORED_OUTCOMES = ("added", "replaced")


class WatchEvent(BaseModel):
    """One file handled by the watcher: where it ended up and why."""

    folder: str
    name: str
    outcome: str  # added | replaced | duplicate | failed
    path: str  # where the file is now (processed/… or failed/…)
    sha256: str | None = None
    detail: str | None = None  # the error, the duplicated document, or the version it replaced
    indicators: int = 0
    seconds: float = 0.0


def settle_document(store: Store, ingested_at: str, event: WatchEvent, supersedes: str | None) -> None:
    """In one transaction: the stored document follows its file to ``event.path``, the earlier version of
    the same name (``supersedes``) is forgotten, and the event is recorded."""
    with store.db.atomic():
        store.move_document(ingested_at, event.path)
        if supersedes:
            store.remove_document(supersedes)
        record_event(store, event)


def record_event(store: Store, event: WatchEvent) -> None:
    at = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    with store.db.atomic():
        store.db.table("watch_events").insert({"at": at, **event.model_dump()})


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
