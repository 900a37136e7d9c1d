"""Issue 14: answers a clerk can trust at a glance.

Limits count answers after the copies of a notice are merged, and a cut list says so; the input is folded
(traditional characters, full-width forms, spaces); one- and two-character queries are answered by the
bigram index and find what a scan of every indicator finds. On the web test store (tests/test_web.py: the
2020 notice as .docx, .html, .pdf and .txt, the 2021 notice, 柞水县's 2022 notice).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES
from sqlite_utils import Database
from test_web import ingested_store

from cli import cli
from ingest.pipeline import ingest_file
from normalize.departments import default_registry
from normalize.fold import fold
from store import Store, search_index
from store.copies import same_notice_key
from store.queries import _SELECT, _answer, owners
from store.results import IndicatorAnswer
from store.schema import migrations
from web.app import create_app

JIAXIAN_2020 = "佳县2020年度目标责任考核指标"
COPIES_2020 = ("docx", "html", "pdf", "txt")  # the web store's copies of the 2020 notice
Place = tuple[str, int, int]  # file name, table, row


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested_store(tmp_path_factory)


@pytest.fixture(scope="module")
def store(web_db: Path) -> Iterator[Store]:
    reader = Store(web_db, read_only=True)
    yield reader
    reader.close()


@pytest.fixture
def writable(web_db: Path, tmp_path: Path) -> Iterator[Store]:
    """A copy of the web store to change."""
    shutil.copy(web_db, tmp_path / "kaohe.db")
    copy = Store(tmp_path / "kaohe.db")
    yield copy
    copy.close()


def places(answer: IndicatorAnswer) -> list[Place]:
    return sorted((Path(s.file).name, s.table, s.row) for s in [answer.source, *answer.copies])


def formats(answer: IndicatorAnswer) -> list[str]:
    return sorted(Path(s.file).suffix.lstrip(".") for s in [answer.source, *answer.copies])


Folded = list[tuple[IndicatorAnswer, list[str]]]


def every_row(store: Store) -> Folded:
    """Every stored indicator with its name, text and category path folded."""
    answers = [_answer(row) for row in store.db.query(f"{_SELECT} order by i.id")]
    return [(a, [fold(part) for part in (a.name, a.indicator, *a.category_path) if part]) for a in answers]


def scan(
    store: Store, query: str, year: int | None = None, rows: Folded | None = None
) -> list[tuple[int, list[Place]]]:
    """What reading every indicator finds: those whose folded name, text or category contain the folded query,
    copies merged, newest year first — each answer's first id and the places it cites."""
    needle = fold(query)
    groups: dict[tuple[object, ...], list[IndicatorAnswer]] = {}
    for a, parts in every_row(store) if rows is None else rows:
        if year is not None and a.framework.year != year:
            continue
        if any(needle in part for part in parts):
            groups.setdefault(same_notice_key(a), []).append(a)
    ordered = sorted(groups.values(), key=lambda g: (-(g[0].framework.year or -1), g[0].id))
    return [(g[0].id, sorted(p for a in g for p in places(a))) for g in ordered]


def found(store: Store, query: str, year: int | None = None) -> list[tuple[int, list[Place]]]:
    page = owners(store.db, query, year=year, limit=None)
    assert page.total == len(page.answers)
    return [(a.id, places(a)) for a in page.answers]


def run(*args: str) -> Result:
    result = CliRunner(env={"COLUMNS": "400"}).invoke(cli, list(args), catch_exceptions=False)  # a row per line
    assert result.exit_code == 0, result.output
    return result


# -- no silent truncation -------------------------------------------------------------------------------------


def test_the_limit_counts_answers_after_the_copies_are_merged(store: Store) -> None:
    every = owners(store.db, "工作", limit=None)
    first = owners(store.db, "工作")
    assert first.total == every.total == len(every.answers) > 50
    assert [a.id for a in first.answers] == [a.id for a in every.answers[:50]]
    assert len({same_notice_key(a) for a in every.answers}) == every.total  # one answer per indicator
    for answer in every.answers:
        if Path(answer.source.file).stem == JIAXIAN_2020:
            assert formats(answer) == list(COPIES_2020), answer.indicator  # no copy lost to the limit


def test_every_copy_is_cited_however_many_answers_come_before(store: Store) -> None:
    """Issue 14: the limit used to cut per-copy rows, so 招商引资's answers lost their last copy (.txt)."""
    answers = [a for a in owners(store.db, "招商引资").answers if Path(a.source.file).stem == JIAXIAN_2020]
    assert len(answers) >= 5
    for answer in answers:
        assert formats(answer) == list(COPIES_2020), answer.indicator


def test_pages_cover_every_answer_once(store: Store) -> None:
    every = [a.id for a in owners(store.db, "工作", limit=None).answers]
    paged = [
        a.id for offset in range(0, len(every), 7) for a in owners(store.db, "工作", limit=7, offset=offset).answers
    ]
    assert paged == every
    beyond = owners(store.db, "工作", limit=7, offset=len(every) + 7)
    assert (beyond.answers, beyond.total) == ([], len(every))


def test_filters_count_answers_alike(store: Store) -> None:
    every = owners(store.db, "工作", limit=None).answers
    for year in (2020, 2021, 2022):
        page = owners(store.db, "工作", year=year, limit=3)
        assert page.total == sum(1 for a in every if a.framework.year == year), year
        assert [a.id for a in page.answers] == [a.id for a in every if a.framework.year == year][:3]
    page = owners(store.db, "工作", region="柞水", limit=3)
    assert page.total == sum(1 for a in every if a.framework.region == "柞水县") > 3


def test_the_command_line_says_when_more_match_than_it_shows(web_db: Path, tmp_path: Path) -> None:
    db = str(shutil.copy(web_db, tmp_path / "kaohe.db"))
    every_json = json.loads(run("owner", "工作", "--db", db, "--json", "--limit", "0").stdout)
    total = len(every_json)
    shown = run("owner", "工作", "--db", db)
    assert shown.stderr == f"显示 50 / {total} 条；用 --limit 0 显示全部\n"
    assert len([line for line in shown.stdout.splitlines() if "表" in line]) == 50
    every = run("owner", "工作", "--db", db, "--limit", "0")
    assert every.stderr == ""
    assert len([line for line in every.stdout.splitlines() if "表" in line]) == total
    few = run("search", "工作", "--db", db, "--limit", "3", "--json")
    assert len(json.loads(few.stdout)) == 3  # stdout stays valid JSON
    assert few.stderr == f"显示 3 / {total} 条；用 --limit 0 显示全部\n"
    assert run("owner", "营造林面积", "--db", db).stderr == ""  # all shown: nothing to say


def test_owner_json_is_one_object_per_answer_with_its_copies(web_db: Path, tmp_path: Path) -> None:
    db = str(shutil.copy(web_db, tmp_path / "kaohe.db"))
    answers = json.loads(run("owner", "营造林面积", "--db", db, "--json").stdout)
    (county,) = [a for a in answers if a["framework"]["assessee"] is None and a["framework"]["year"] == 2020]
    assert county["indicator"] == "营造林面积4万亩" and county["lead"] == "县林业局"
    cited = [county["source"], *county["copies"]]
    assert sorted(Path(c["file"]).suffix for c in cited) == [f".{f}" for f in COPIES_2020]
    assert {(c["table"], c["row"]) for c in cited} == {(0, 38)}
    assert all(set(c) == {"file", "page", "table", "row"} for c in cited)
    (pdf,) = [c for c in cited if c["file"].endswith(".pdf")]
    assert isinstance(pdf["page"], int)


@pytest.mark.slow
def test_five_formats_of_the_sample_notice_are_one_answer_with_five_copies(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the .doc copy cannot be read")
    store = Store(tmp_path / "kaohe.db")
    for suffix in (".doc", ".docx", ".html", ".pdf", ".txt"):
        assert ingest_file(SAMPLES / f"{JIAXIAN_2020}{suffix}", store, default_registry()).status == "added"
    (answer,) = [a for a in owners(store.db, "营造林面积").answers if a.framework.assessee is None]
    assert formats(answer) == ["doc", "docx", "html", "pdf", "txt"]
    assert len(owners(store.db, "营造林面积").answers) == len(
        {same_notice_key(a) for a in owners(store.db, "营造林面积").answers}
    )
    store.close()


# -- the web page pages through every answer ------------------------------------------------------------------


def test_the_owner_page_pages_through_every_answer(web_db: Path, store: Store) -> None:
    client = create_app(web_db).test_client()
    total = owners(store.db, "工作").total
    seen = []
    for number in range(1, -(-total // 50) + 1):
        text = client.get(f"/owner?q=工作&page={number}").get_data(as_text=True)
        first, last = (number - 1) * 50 + 1, min(total, number * 50)
        assert f"共 {total} 条，第 {first}–{last} 条" in text
        assert f"第 {number} / {-(-total // 50)} 页" in text
        seen += re.findall(r'<td class="text">([^<]*)', text)
    assert len(seen) == total
    first_page = client.get("/owner?q=工作").get_data(as_text=True)
    assert "page=2" in first_page and "下一页" in first_page and "上一页" not in first_page
    beyond = client.get(f"/owner?q=工作&page={-(-total // 50) + 1}")
    assert beyond.status_code == 404 and "没有第" in beyond.get_data(as_text=True)
    assert client.get("/owner?q=工作&page=0").status_code == 400
    one_page = client.get("/owner?q=营造林面积").get_data(as_text=True)
    assert "共 " in one_page and "下一页" not in one_page


# -- folded input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("營造林面積", "营造林面积4万亩"),  # traditional
        ("营造林面积４万亩", "营造林面积4万亩"),  # full-width digit
        ("营造林 面积", "营造林面积4万亩"),  # a space
        ("河長制", "严格落实河长制、湖长制，完成乡级“一河一档”编制工作。"),
        ("經營", "农村“三变改革”土地经营"),
    ],
)
def test_folded_input_finds_what_the_notice_wrote(store: Store, query: str, expected: str) -> None:
    texts = [a.indicator for a in owners(store.db, query, limit=None).answers]
    assert any(expected in t for t in texts), texts[:5]
    assert found(store, query) == scan(store, query)


def test_full_width_text_in_a_notice_is_found_by_a_half_width_query(tmp_path: Path) -> None:
    notice = tmp_path / "佳县2020.txt"
    text = (SAMPLES / f"{JIAXIAN_2020}.txt").read_text(encoding="utf-8")
    notice.write_text(text.replace("营造林面积4万亩", "營造林面積４万亩"), encoding="utf-8")
    store = Store(tmp_path / "kaohe.db")
    ingest_file(notice, store, default_registry())
    for query in ("营造林面积4万亩", "营造林面积４万亩", "營造林面積4萬畝"):
        assert [a.indicator for a in owners(store.db, query).answers][:1] == ["營造林面積４万亩"], query
    store.close()


# -- short queries use the bigram index -----------------------------------------------------------------------


def _statements(store: Store, query: str) -> list[str]:
    executed: list[str] = []
    store.db.conn.set_trace_callback(executed.append)
    try:
        owners(store.db, query, limit=None)
    finally:
        store.db.conn.set_trace_callback(None)
    return executed


@pytest.mark.parametrize("query", ["禁毒", "经营", "工作", "隐性", "林", "年", "00", "（", "、就"])
def test_short_queries_hit_the_index_and_find_what_a_scan_finds(store: Store, query: str) -> None:
    executed = _statements(store, query)
    assert any("search_bigrams match" in s for s in executed)
    assert not any(" like " in s.lower() or "instr(" in s for s in executed)
    assert found(store, query) == scan(store, query)
    assert found(store, query, year=2020) == scan(store, query, year=2020)


def test_every_two_characters_of_an_indicator_find_it(store: Store) -> None:
    """Every neighbouring pair of characters in a sample of texts, checked against the scan."""
    texts = [r[0] for r in store.db.execute("select text from indicators where id % 97 = 0")]
    pairs = sorted({fold(t)[i : i + 2] for t in texts for i in range(0, len(fold(t)) - 1, 5)})
    assert len(pairs) > 50
    rows = every_row(store)
    for pair in pairs:
        assert found(store, pair) == scan(store, pair, rows=rows), pair


def test_the_old_scan_and_the_index_cite_the_same_rows(store: Store) -> None:
    for query in ("禁毒", "经营", "工作", "招商引资", "营造林面积"):
        like = store.db.execute(
            "select file, table_index, row_index from indicators where search_text like ?", [f"%{query}%"]
        )
        cited = sorted(p for a in owners(store.db, query, limit=None).answers for p in places(a))
        assert cited == sorted((Path(f).name, t, r) for f, t, r in like), query


# -- the indexes stay in step with the store ------------------------------------------------------------------


def test_removing_the_first_copy_lets_the_next_one_stand_for_the_answer(writable: Store) -> None:
    before = owners(writable.db, "营造林面积", limit=None)
    first_file = min((a for a in before.answers), key=lambda a: a.id).source.file
    writable.remove_document(first_file)
    after = owners(writable.db, "营造林面积", limit=None)
    assert after.total == before.total
    for answer in after.answers:
        assert first_file not in [s.file for s in [answer.source, *answer.copies]]
    assert found(writable, "工作") == scan(writable, "工作")
    assert found(writable, "禁毒") == scan(writable, "禁毒")
    for suffix in COPIES_2020:
        writable.remove_document(str(Path(first_file).with_suffix(f".{suffix}")))
    assert not [a for a in owners(writable.db, "营造林面积", limit=None).answers if a.framework.year == 2020]
    assert found(writable, "工作") == scan(writable, "工作")


def test_a_rebuilt_index_answers_as_the_kept_one(writable: Store) -> None:
    queries = ("工作", "禁毒", "林", "营造林面积", "营造林的面积4万亩")
    kept = [owners(writable.db, q, limit=None) for q in queries]
    search_index.rebuild(writable.db)
    assert [owners(writable.db, q, limit=None) for q in queries] == kept
    writable.db.execute("insert into search_trigrams(search_trigrams) values ('integrity-check')")
    writable.db.execute("insert into search_bigrams(search_bigrams) values ('integrity-check')")


def test_a_store_from_before_the_search_indexes_is_migrated(web_db: Path, tmp_path: Path) -> None:
    """Migration m007 on a store of migration m006 (its rows copied from the web store): read-only, queries
    still answer (every row read); opened for writing, the store is migrated and answers as a new one."""
    old = tmp_path / "old.db"
    connection = sqlite3.connect(old)
    migrations.apply(Database(connection), stop_before="m007_search_answers")
    connection.execute("attach database ? as new", [str(web_db)])
    for table in ("documents", "frameworks", "categories", "indicators", "targets", "responsibilities"):
        columns = ", ".join(f"[{r[1]}]" for r in connection.execute(f"pragma main.table_info([{table}])"))
        connection.execute(f"insert into main.[{table}] ({columns}) select {columns} from new.[{table}]")
    connection.commit()
    connection.close()
    new = Store(web_db, read_only=True)
    expected = [(a.id, places(a)) for a in owners(new.db, "营造林面积", limit=None).answers]
    new.close()
    reader = Store(old, read_only=True)
    assert [(a.id, places(a)) for a in owners(reader.db, "营造林面积", limit=None).answers] == expected
    reader.close()
    migrated = Store(old)
    assert [(a.id, places(a)) for a in owners(migrated.db, "营造林面积", limit=None).answers] == expected
    assert found(migrated, "禁毒") == scan(migrated, "禁毒")
    migrated.close()
