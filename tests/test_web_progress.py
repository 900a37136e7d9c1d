"""The 进度 pages of kaohe serve (issue 18): the unit × indicator board of a month in three colours and grey,
and a unit's months with its corrected submissions, through Flask's test client on the 佳县 2020 sample."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, ingested
from flask.testing import FlaskClient
from sqlite_utils import Database

from store import Store
from store.progress_queries import NewReport, store_reports
from store.progress_web import report_periods, unit_reports
from web.app import create_app

MAIN = SAMPLES / "佳县2020年度目标责任考核指标.docx"
# 营造林面积4万亩 (县林业局), 道路交通事故死亡人数不超过2人 (县交通运输局), 脱贫攻坚工作成效 (县扶贫办)
FOREST, ROADS, POVERTY = 38, 20, 21
HOSTILE = "<script>alert(1)</script>"
# (period, report, file, received): one file per submission, in the order the office received them.
# fmt: off
SENT = (
    ("2020-06", NewReport(indicator_id=FOREST, unit="县林业局", actual=0.4), "6月进度-县林业局.xlsx", "2020-07-08"),
    ("2020-06", NewReport(indicator_id=FOREST, unit="县林业局", actual=1.2, progress="春季造林完成"),
     "6月进度-县林业局（更正）.xlsx", "2020-07-10"),
    ("2020-06", NewReport(indicator_id=ROADS, unit="县交通运输局", actual=3),
     "6月进度-县交通运输局.xlsx", "2020-07-14"),
    ("2020-06", NewReport(indicator_id=POVERTY, unit="县扶贫办", progress="按计划推进" + HOSTILE),
     "6月进度-县扶贫办.xlsx", "2020-07-15"),
    ("2020-03", NewReport(indicator_id=FOREST, unit="县林业局", actual=0.5), "3月进度-县林业局.xlsx", "2020-04-10"),
)
# fmt: on


def indicator_text(db: Path, indicator_id: int) -> str:
    store = Store(db, read_only=True)
    try:
        return str(store.db.execute("select text from indicators where id = ?", [indicator_id]).fetchone()[0])
    finally:
        store.close()


@pytest.fixture(scope="module")
def bare_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2020 notice ingested, no reports yet."""
    path = ingested(tmp_path_factory.mktemp("web-progress") / "bare.db", MAIN)
    assert indicator_text(path, FOREST).startswith("营造林面积4万亩")
    assert indicator_text(path, ROADS).startswith("道路交通事故死亡人数不超过2人")
    assert indicator_text(path, POVERTY).startswith("脱贫攻坚工作成效")
    return path


@pytest.fixture(scope="module")
def reported_db(bare_db: Path) -> Path:
    """June: 县林业局 yellow after a correction (its first sheet was red), 县交通运输局 red (a ceiling exceeded),
    县扶贫办 green by its reported progress; March: 县林业局 once more."""
    path = bare_db.with_name("reported.db")
    shutil.copy(bare_db, path)
    store = Store(path)
    try:
        for period, report, file, received in SENT:
            store_reports(store, period, [report], file, file.encode().hex()[:64], received)
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def client(reported_db: Path) -> FlaskClient:
    return create_app(reported_db).test_client()


@pytest.fixture(scope="module")
def bare_client(bare_db: Path) -> FlaskClient:
    return create_app(bare_db).test_client()


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    text = response.get_data(as_text=True)
    assert response.status_code == status, (url, text[-500:])
    return text


def board_rows(text: str) -> dict[str, str]:
    """unit → its row of the board."""
    body = text.split('<table class="data board">', 1)[1].split("</table>", 1)[0]
    rows = body.split("<tr>")[2:]  # after the header row
    return {re.search(r'class="unit"[^>]*>([^<]+)</a>', r)[1]: r for r in rows}  # type: ignore[index]


def cells(row: str) -> list[tuple[str, str, str]]:
    """(level, title, mark) of each cell of a board row."""
    return re.findall(r'<span class="cell lv-(\w+)" title="([^"]*)">([^<]+)</span>', row)


# --- the board ---


def test_the_board_shows_each_unit_in_its_colours_with_marks(client: FlaskClient) -> None:
    text = page(client, "/progress")  # the newest month with reports, its region and year
    assert "<h1>进度：佳县 2020 年度 · 2020年6月</h1>" in text
    assert '<a href="/progress" class="on">进度</a>' in text  # in the site's navigation
    rows = board_rows(text)
    assert list(rows)[:2] == ["县交通运输局", "县林业局"]  # most red first, then most yellow
    roads = [c for c in cells(rows["县交通运输局"]) if c[0] != "missing"]
    assert [(level, mark) for level, _, mark in roads] == [("red", "督")]
    assert (
        "道路交通事故死亡人数不超过2人" in roads[0][1] and "红 督办：控制性指标：已达 3人，超过上限 2人" in roads[0][1]
    )
    forest = [c for c in cells(rows["县林业局"]) if c[0] != "missing"]
    assert [(level, mark) for level, _, mark in forest] == [("yellow", "警")]  # the correction (1.2), not 0.4
    assert "黄 预警：累计完成 30%（1.2万亩/4万亩），应完成 50%" in forest[0][1]
    poverty = [c for c in cells(rows["县扶贫办"]) if c[0] != "missing"]
    assert [(level, mark) for level, _, mark in poverty] == [("green", "正")]  # qualitative: its reported progress
    missing = cells(rows["县财政局"])
    assert missing and all(level == "missing" and mark == "未" for level, _, mark in missing)
    assert "灰 未报：未按时报送（2020年6月完成情况应于7月15日前报送）" in missing[0][1]


def test_the_board_counts_each_unit_and_has_a_legend(client: FlaskClient) -> None:
    text = page(client, "/progress?region=佳县&year=2020&period=2020-06")
    legend = re.sub(r"<[^>]+>", "", text.split('<p class="legend">', 1)[1].split("</p>", 1)[0])
    assert legend == "图例：正 绿 正常、警 黄 预警、督 红 督办、未 灰 未报。"
    counts = re.findall(r'<td class="num">(\d+)</td>', board_rows(text)["县交通运输局"])
    assert counts == ["1", "0", "0", "1"]  # 红 黄 绿 未报
    assert "23 个责任单位中 3 个已报送。共 225 项：红 1，黄 1，绿 1，未报 222。" in text
    lagging = text.split("红、黄预警的指标（2 项）", 1)[1]
    assert lagging.index("道路交通事故死亡人数不超过2人") < lagging.index("营造林面积4万亩")


def test_the_menus_offer_the_months_with_reports(client: FlaskClient) -> None:
    text = page(client, "/progress")
    menu = text.split('<select name="period">', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)"', menu) == ["", "2020-06", "2020-03"]  # newest first
    march = page(client, "/progress?region=佳&year=2020&period=2020年3月")  # 佳 is 佳县; the month as people write it
    assert "<h1>进度：佳县 2020 年度 · 2020年3月</h1>" in march
    assert '<option value="2020-03" selected>' in march


def test_a_month_without_reports_says_how_to_send_them(client: FlaskClient) -> None:
    text = page(client, "/progress?region=佳县&year=2020&period=2020-05")
    assert "佳县 2020 年度 2020年5月尚未收到任何单位的进度报送" in text
    assert 'href="/progress?region=%E4%BD%B3%E5%8E%BF&amp;year=2020&amp;period=2020-06">2020-06</a>' in text
    assert "kaohe progress template --period 2020-05 --region 佳县 --year 2020" in text
    assert 'class="data board"' not in text


def test_no_reports_is_a_sentence_saying_how_to_send_them(bare_client: FlaskClient) -> None:
    text = page(bare_client, "/progress")
    assert "尚未收到任何单位的月度进度报送。" in text
    assert "kaohe progress template --period 2020-06 --region 佳县 --year 2020 -o 进度填报.xlsx" in text
    assert "kaohe progress add 填好的表.xlsx" in text
    assert 'class="data board"' not in text and "图例" not in text
    assert 'id="progress"' not in page(bare_client, "/dept/县林业局")  # no 进度 section without reports


BAD_PERIODS = [("abc", "period（报告期）"), ("2020-13", "period（报告期）"), ("0000-06", "period（报告期）"),
               ("2020-06" * 5, "报告期过长")]  # fmt: skip


@pytest.mark.parametrize(("value", "what"), BAD_PERIODS)
def test_a_bad_period_is_a_chinese_400(client: FlaskClient, value: str, what: str) -> None:
    text = page(client, f"/progress?period={value}", 400)
    assert "400 · 请求有误" in text and what in text and "Traceback" not in text
    if "过长" not in what:
        assert f"应写作 年-月，月份在 1 到 12 之间，如 2020-06；收到的是“{value}”。" in text


@pytest.mark.parametrize("url", ["/progress?year=abc", "/progress?region=" + "佳" * 60])
def test_other_bad_parameters_are_a_chinese_400(client: FlaskClient, url: str) -> None:
    assert "400 · 请求有误" in page(client, url, 400)


# --- a unit's page ---


def test_the_unit_page_shows_its_months_newest_first(client: FlaskClient) -> None:
    text = page(client, "/dept/林业局?region=佳县&year=2020")
    section = text.split('<section class="group progress" id="progress">', 1)[1].split("</section>", 1)[0]
    assert section.index("<h3>2020年6月") < section.index("<h3>2020年3月")
    june = section.split("<h3>2020年6月", 1)[1].split("<h3>2020年3月", 1)[0]
    assert "县林业局 应报 12 项：红 0，黄 1，绿 0，未报 11。" in june
    assert '<span class="cell lv-yellow">警</span> 黄 预警' in june  # the lagging row, named in words too
    assert "累计完成 30%（1.2万亩/4万亩），应完成 50%" in june and "春季造林完成" in june
    assert "<summary>未报 11 项</summary>" in june


def test_the_unit_page_shows_a_corrected_submission_as_replaced(client: FlaskClient) -> None:
    text = page(client, "/dept/县林业局?region=佳县")
    june = text.split("<h3>2020年6月", 1)[1].split("<h3>2020年3月", 1)[0]
    history = june.split("<caption>报送记录（新的在前）</caption>", 1)[1]
    current, replaced = history.split('<tr class="current">', 1)[1].split('<tr class="replaced">', 1)
    assert "6月进度-县林业局（更正）.xlsx" in current and "现行" in current
    assert "6月进度-县林业局.xlsx" in replaced and "已被 2020-07-10 的更正报送替换" in replaced
    assert "营造林面积4万亩：累计完成 0.4" in replaced  # what the replaced sheet said
    march = text.split("<h3>2020年3月", 1)[1]
    assert "3月进度-县林业局.xlsx" in march and "已被" not in march


def test_a_unit_that_did_not_report_sees_the_months_as_missing(client: FlaskClient) -> None:
    text = page(client, "/dept/县财政局?region=佳县&year=2020")
    june = text.split("<h3>2020年6月", 1)[1].split("</div>", 1)[0]
    assert "县财政局 应报 12 项：红 0，黄 0，绿 0，未报 12。" in june and "本月未报送。" in june


def test_the_board_links_each_unit_to_its_page(client: FlaskClient) -> None:
    text = page(client, "/progress")
    assert 'href="/dept/%E5%8E%BF%E6%9E%97%E4%B8%9A%E5%B1%80?region=%E4%BD%B3%E5%8E%BF&amp;year=2020"' in text
    assert 'href="/progress?region=%E4%BD%B3%E5%8E%BF&amp;year=2020&amp;period=2020-06">全部单位</a>' in page(
        client, "/dept/县林业局?region=佳县"
    )


# --- safe like every other page ---


@pytest.mark.parametrize("url", ["/progress", "/dept/县林业局?region=佳县", "/dept/县扶贫办?region=佳县"])
def test_the_pages_escape_reports_and_need_nothing_the_policy_blocks(client: FlaskClient, url: str) -> None:
    text = page(client, url)
    assert "<script>alert" not in text
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert "<style" not in text and " style=" not in text, "inline style"
    assert not re.search(r"(src|href)=\"(https?:)?//", text), "something from another site"
    assert "default-src 'self'" in client.get(url).headers["Content-Security-Policy"]


def test_the_escaped_progress_is_still_shown(client: FlaskClient) -> None:
    assert "按计划推进&lt;script&gt;alert(1)&lt;/script&gt;" in page(client, "/progress")


# --- the store's side ---


def test_report_periods_and_a_units_reports_with_their_history(reported_db: Path, tmp_path: Path) -> None:
    store = Store(reported_db, read_only=True)
    try:
        found = [(p.period, p.region, p.year, p.units, p.rows) for p in report_periods(store.db)]
        assert found == [("2020-06", "佳县", 2020, 3, 3), ("2020-03", "佳县", 2020, 1, 1)]
        mine = unit_reports(store.db, "县林业局")
        assert [(r.period, r.actual, r.current) for r in mine] == [
            ("2020-06", 1.2, True), ("2020-06", 0.4, False), ("2020-03", 0.5, True)
        ]  # fmt: skip
        assert {(r.region, r.year) for r in mine} == {("佳县", 2020)}
    finally:
        store.close()
    older = Database(tmp_path / "old.db")  # a store from before the reports: nothing, no error
    older["frameworks"].insert({"id": 1})
    assert report_periods(older) == [] and unit_reports(older, "县林业局") == []
