"""The web interface (kaohe serve) through Flask's test client, on a store with the samples ingested."""

from __future__ import annotations

import html
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES
from flask.testing import FlaskClient

from cli import cli, ingest_command
from store import Store
from store.queries import frameworks
from web.app import StoreMissing, create_app

sys.path.insert(0, str(ROOT / "scripts"))  # the documented 2020 → 2021 changes live beside the sample builder
from sample_changes_2021 import CHANGES

# Every sample but the legacy .doc/.wps copies (they need LibreOffice and add nothing the pages show).
NOTICES = (
    "佳县2020年度目标责任考核指标.docx",
    "佳县2020年度目标责任考核指标.html",
    "佳县2020年度目标责任考核指标.pdf",
    "佳县2020年度目标责任考核指标.txt",
    "佳县2021年度目标责任考核指标.docx",
    "佳县2021年度目标责任考核指标.txt",
    "柞水县2022年度考核指标申报通知.html",
    "柞水县2022年度考核指标申报通知.txt",
)
_STORE: list[Path] = []


def ingested_store(factory: pytest.TempPathFactory) -> Path:
    """The samples ingested once per test session (shared with tests/test_web_browser.py)."""
    if not _STORE:
        folder = factory.mktemp("web-notices")
        for name in NOTICES:
            shutil.copy(SAMPLES / name, folder / name)
        db = factory.mktemp("web-store") / "kaohe.db"
        result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(db), "-s"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        _STORE.append(db)
    return _STORE[0]


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested_store(tmp_path_factory)


@pytest.fixture(scope="session")
def client(web_db: Path) -> FlaskClient:
    return create_app(web_db).test_client()


@pytest.fixture(scope="session")
def sql_client(web_db: Path) -> FlaskClient:
    return create_app(web_db, allow_sql=True).test_client()


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def breakdown_id(db: Path, year: int) -> int:
    """The 佳县 市考 breakdown of ``year``, from its .docx copy."""
    store = Store(db, read_only=True)
    found = [f.id for f in frameworks(store.db, region="佳县", year=year) if f.kind == "breakdown"
             and f.document.endswith(".docx")]  # fmt: skip
    store.close()
    return found[0]


def test_owner_search_finds_the_forestry_bureau_with_its_points(client: FlaskClient) -> None:
    text = page(client, "/owner?q=营造林面积")
    rows = [r for r in text.split("<tr>") if '<td class="text">营造林面积4万亩<' in r]
    assert len(rows) == 2  # 2021 and 2020: the four copies of the 2020 notice are one answer
    row = next(r for r in rows if "佳县2020年度目标责任考核指标" in r)
    assert '<td class="num">2</td>' in row
    assert ">县林业局</a>" in row
    assert 'href="/dept/%E5%8E%BF%E6%9E%97%E4%B8%9A%E5%B1%80"' in row  # the unit links to its page
    assert "佳县2020年度目标责任考核指标.docx|html|pdf|txt 表1行38" in row  # every copy cited together
    assert "（pdf 第" in row  # the PDF copy gives the page


def test_owner_search_filters_and_fuzzy_note(client: FlaskClient) -> None:
    assert "没有找到与“营造林面积”相符的指标" in page(client, "/owner?q=营造林面积&region=柞水县")
    assert "佳县2021" not in page(client, "/owner?q=营造林面积&year=2020")
    fuzzy = page(client, "/owner?q=全社会固定资产投资增加")
    assert "模糊匹配" in fuzzy
    assert "全社会固定资产投资增长" in fuzzy
    assert "模糊匹配" not in page(client, "/owner?q=全社会固定资产投资")


def test_home_page_has_the_query_box(client: FlaskClient) -> None:
    text = page(client, "/")
    assert '<input type="search" name="q"' in text
    assert "个考核框架" in text


def test_department_list_links_to_each_department(client: FlaskClient) -> None:
    text = page(client, "/depts")
    assert "<h2>佳县" in text and "<h2>柞水县" in text
    assert ">县林业局</a>" in text


def test_department_page_by_alias_shows_a_total_per_framework(client: FlaskClient) -> None:
    # 县发改局 is 佳县's 县发展改革和科技局 and 柞水县's 县发展和改革局: a choice, never one page for both
    choose = page(client, "/dept/县发改局")
    assert "“县发改局”可指不同的单位，请选择：" in choose
    assert '>县发展改革和科技局</a> <span class="muted">佳县</span>' in choose
    assert '>县发展和改革局</a> <span class="muted">柞水县</span>' in choose
    assert "<table" not in choose
    text = page(client, "/dept/县发改局?region=佳县&year=2020")
    assert "“县发改局”即 佳县 县发展改革和科技局" in text
    group = text.split("县直部门目标责任考核指标</a>", 1)[1].split("</section>", 1)[0]
    assert "本单位考核表：<strong>承担 13 项，计 100 分（满分 100 分）</strong>" in group
    totals = text.split('class="data compact totals-table"', 1)[1].split("</table>", 1)[0]
    assert '<td class="total">承担 13 项，计 100 分（满分 100 分）</td>' in totals
    assert '<td class="total">牵头 14 项，计 27.5 分</td>' in totals
    assert '<td class="total">扣分项 3 项，最多扣 1.5 分</td>' in totals
    assert "127.5" not in text and "柞水" not in totals
    forestry = page(client, "/dept/林业局?year=2020")  # without 县: 佳县 and 柞水县 both have one (2020: 佳县 only)
    assert "本单位考核表：<strong>承担 10 项，计 100 分（满分 100 分）</strong>" in forestry
    assert "任务分解：<strong>牵头 2 项，计 3 分</strong>" in forestry
    assert "103" not in forestry and "<td>2021</td>" not in forestry


def test_department_page_lists_each_notice_once(client: FlaskClient) -> None:
    text = page(client, "/dept/县林业局?year=2020")
    prose = text.split("正文提及", 1)[1]
    assert "（1 份通知）" in prose
    assert prose.count("…2.县林业局…") == 1  # four stored copies of the notice, one paragraph
    assert "佳县2020年度目标责任考核指标.docx|html|pdf|txt 段42" in prose


def test_an_unknown_unit_is_404_with_the_closest_one(client: FlaskClient) -> None:
    text = page(client, "/dept/县体育局", 404)
    assert "404 · 页面不存在" in text and "没有找到单位“县体育局”。" in text
    link = f'<a class="unit" href="/dept/{quote("县教育和体育局")}?region={quote("佳县")}">县教育和体育局</a>'
    assert f"你是否要找：{link}" in text
    assert "库中没有地区“宁陕县”的单位" in page(client, "/dept/县林业局?region=宁陕", 404)


def test_framework_page_shows_the_table_totals_and_the_ecology_warning(client: FlaskClient, web_db: Path) -> None:
    framework_id = breakdown_id(web_db, 2020)
    text = html.unescape(page(client, f"/framework/{framework_id}"))
    assert "生态文明：写明 20 分，各项合计 19 分" in text
    assert "各项指标合计 <strong>96</strong> 分（48 条）" in text
    assert '<td class="cat" rowspan="' in text  # the category cell spans its indicators, as in the document
    assert "同一通知的其他格式" in text and "佳县2020年度目标责任考核指标.pdf" in text
    assert f'<input type="hidden" name="compare" value="{framework_id}">' in text  # pick the other year to compare


def test_framework_list_folds_copies_and_filters(client: FlaskClient) -> None:
    text = page(client, "/frameworks?region=佳县&year=2020&kind=breakdown")
    assert text.count("2020年度市考核县指标任务分解</a>") == 1
    assert "另有副本" in text
    assert "柞水" not in text.split("</form>", 1)[1]


def test_diff_page_shows_a_documented_change(client: FlaskClient, web_db: Path) -> None:
    old, new = breakdown_id(web_db, 2020), breakdown_id(web_db, 2021)
    text = html.unescape(page(client, f"/diff?old={old}&new={new}"))
    first = CHANGES[0]  # 生产总值增长7% → 6.5%, points 2 → 3
    changed = text.split("调整指标", 2)[2].split("</section>", 1)[0]
    assert first.before in changed and first.after in changed
    assert "分值：2" in changed and "分值：3" in changed
    removed = [c for c in CHANGES if c.kind == "removed"]
    assert removed and removed[0].before in text.split("删除指标", 2)[2].split("</section>", 1)[0]
    by_region = html.unescape(page(client, "/diff?region=佳县&old_year=2020&new_year=2021"))
    assert "佳县 2020 → 2021 年度考核指标对比" in by_region and first.after in by_region
    from_2021_page = html.unescape(page(client, f"/diff?compare={new}&with={old}"))  # the later one first
    assert f"#{old} → " in from_2021_page


def test_sql_is_absent_without_the_flag(client: FlaskClient) -> None:
    assert "页面不存在" in page(client, "/sql", 404)
    assert client.post("/sql", data={"sql": "select 1"}).status_code == 404
    assert "SQL 查询" not in page(client, "/")


def test_sql_reads_but_refuses_writes(sql_client: FlaskClient, web_db: Path) -> None:
    text = page(sql_client, "/sql?sql=select count(*) as n from frameworks")
    assert "<th>n</th>" in text
    for statement in (
        "delete from indicators",
        "update frameworks set title = 'x'",
        "pragma query_only = 0",
        "attach database 'x.db' as x",
    ):
        response = sql_client.post("/sql", data={"sql": statement})
        assert response.status_code == 403, statement
        assert "只允许查询" in response.get_data(as_text=True)
    assert sql_client.post("/sql", data={"sql": "selec 1"}).status_code == 400
    store = Store(web_db, read_only=True)
    assert store.db["indicators"].count > 0
    store.close()


@pytest.mark.parametrize("url", ["/framework/999999", "/dept/没有这个单位", "/diff?old=1&new=999999", "/nope"])
def test_unknown_things_are_404_in_chinese(client: FlaskClient, url: str) -> None:
    text = page(client, url, 404)
    assert "404 · 页面不存在" in text and "返回指标查询" in text


def test_everything_is_escaped(client: FlaskClient) -> None:
    text = page(client, "/owner?q=<script>alert(1)</script>")
    assert "<script>alert(1)" not in text and "&lt;script&gt;" in text
    assert "<b>x" not in page(client, "/dept/<b>x</b>", 404)


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing, match="这里还没有存储"):
        create_app(tmp_path / "none.db")
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "这里还没有存储；请先运行 kaohe-ingest 文件或文件夹 --db" in result.stderr
