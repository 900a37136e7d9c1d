"""The store: one transaction per document, idempotent re-ingest, replacement, rollback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES

from ingest.pipeline import ingest_file
from normalize.departments import default_registry
from store import Store
from store.queries import counts, owners

SAMPLE_TXT = SAMPLES / "佳县2020年度目标责任考核指标.txt"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "kaohe.db")


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    target = tmp_path / "notices" / "佳县2020.txt"
    target.parent.mkdir()
    shutil.copy(SAMPLE_TXT, target)
    return target


def table_rows(store: Store) -> dict[str, int]:
    virtual = {"search_trigrams", "search_bigrams"}  # contentless FTS5: counted by their shadow tables
    return {t: store.db[t].count for t in store.db.table_names() if t not in virtual}


def test_ingest_then_reingest_changes_nothing(store: Store, notice: Path) -> None:
    first = ingest_file(notice, store, default_registry())
    assert (first.status, first.frameworks, first.indicators, first.deductions) == ("added", 12, 263, 40)
    before = table_rows(store)
    again = ingest_file(notice, store, default_registry())
    assert again.status == "unchanged"
    assert table_rows(store) == before


def test_changed_file_at_same_path_replaces_its_earlier_version(store: Store, notice: Path) -> None:
    ingest_file(notice, store, default_registry())
    notice.write_text(
        notice.read_text(encoding="utf-8").replace("营造林面积4万亩", "营造林面积5万亩"), encoding="utf-8"
    )
    result = ingest_file(notice, store, default_registry())
    assert result.status == "replaced"
    assert counts(store.db)["documents"] == 1
    texts = [a.indicator for a in owners(store.db, "营造林面积").answers]
    assert "营造林面积5万亩" in texts and "营造林面积4万亩" not in texts


def test_same_content_elsewhere_is_a_duplicate(store: Store, notice: Path, tmp_path: Path) -> None:
    ingest_file(notice, store, default_registry())
    copy = tmp_path / "copy.txt"
    shutil.copy(notice, copy)
    result = ingest_file(copy, store, default_registry())
    assert result.status == "duplicate" and result.duplicate_of == str(notice.resolve())
    assert counts(store.db)["documents"] == 1


def test_a_failure_while_writing_leaves_the_store_as_it_was(
    store: Store, notice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_file(notice, store, default_registry())
    before = table_rows(store)
    notice.write_text(notice.read_text(encoding="utf-8").replace("4万亩", "6万亩"), encoding="utf-8")
    calls = 0
    original = Store._insert_framework

    def fail_on_third(self: Store, document_id: int, framework: object) -> tuple[int, int]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk full")
        return original(self, document_id, framework)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_insert_framework", fail_on_third)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_file(notice, store, default_registry())
    assert table_rows(store) == before
    assert next(a.indicator for a in owners(store.db, "营造林面积").answers) == "营造林面积4万亩"


def test_an_unreadable_file_fails_cleanly_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    result = ingest_file(bad, store, default_registry())
    assert result.status == "failed" and "broken.docx" in (result.error or "")
    assert counts(store.db)["documents"] == 0


def test_provenance_and_search_of_chinese_substrings(store: Store, notice: Path) -> None:
    ingest_file(notice, store, default_registry())
    (hit,) = [a for a in owners(store.db, "营造林面积").answers if a.framework.assessee is None]
    assert (hit.source.file, hit.source.table, hit.source.row) == (str(notice.resolve()), 0, 38)
    assert hit.targets[0]["value"] == 4 and hit.targets[0]["unit"] == "万亩"
    assert [a.indicator for a in owners(store.db, "隐性").answers] == [
        "未完成隐性债务化解任务的"
    ]  # two characters: the bigram index
    fuzzy = owners(store.db, "营造林的面积4万亩").answers
    assert fuzzy and fuzzy[0].match == "fuzzy" and fuzzy[0].indicator == "营造林面积4万亩"
    assert owners(store.db, "完全无关的查询文字").answers == []


def test_a_read_only_store_answers_but_refuses_every_write(store: Store, notice: Path) -> None:
    import sqlite3

    ingest_file(notice, store, default_registry())
    reader = Store(store.path, read_only=True)
    try:
        assert owners(reader.db, "营造林面积").answers[0].lead == "县林业局"
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.db.execute("delete from indicators")
    finally:
        reader.close()
    assert counts(store.db)["indicators"] > 0


def test_a_file_that_is_not_a_store_or_cannot_be_created_is_a_typed_error(tmp_path: Path) -> None:
    import sqlite3

    from store import NotAStore, StoreUnavailable

    text = tmp_path / "notes.txt"
    text.write_text("这不是数据库\n", encoding="utf-8")
    for read_only in (False, True):
        with pytest.raises(NotAStore, match="不是 SQLite 数据库") as caught:
            Store(text, read_only=read_only)
        assert isinstance(caught.value, sqlite3.DatabaseError)  # still the sqlite3 error it translates
    assert text.read_text(encoding="utf-8") == "这不是数据库\n"
    with pytest.raises(StoreUnavailable, match=f"无法创建数据库，文件夹 {tmp_path / 'none'} 不存在"):
        Store(tmp_path / "none" / "kaohe.db")


def test_a_locked_store_refuses_a_write_after_its_retries_then_writes_again(store: Store, notice: Path) -> None:
    import sqlite3
    import time

    from store import StoreLocked
    from store.errors import LockWait

    store.lock_wait = LockWait(timeout=0.1, retries=2, backoff=0.05, after_give_up=0.1)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.perf_counter()
        with pytest.raises(StoreLocked, match=r"数据库正被其他程序锁定，等待 0\.5 秒后放弃") as caught:
            ingest_file(notice, store, default_registry())
        assert 0.4 < time.perf_counter() - started < 5  # three attempts of 0.1 s, pauses of 0.05 and 0.1 s
        assert isinstance(caught.value, sqlite3.OperationalError)  # the watch folder retries these later
        with pytest.raises(StoreLocked, match=r"等待 0\.1 秒后放弃"):  # once refused, later writes try once
            store.record_run("2020-01-01T00:00:00", 1, 0, 0, 1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert counts(store.db)["documents"] == 0
    assert ingest_file(notice, store, default_registry()).status == "added"
