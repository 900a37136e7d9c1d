"""The 责任分解一览表: the model built from the store, the four writers, and the CLI end to end."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from cli import cli, ingest_command
from export import Breakdown, BreakdownError, write_breakdown
from export.breakdown import build_breakdown, chinese_ordinal, department_breakdown, department_units
from export.text import render_csv, render_markdown
from store import Store
from store.breakdown_queries import frameworks_of

NOTICES = (  # the 2020 notice in three formats: one copy must be exported, the others named
    "佳县2020年度目标责任考核指标.docx",
    "佳县2020年度目标责任考核指标.txt",
    "佳县2020年度目标责任考核指标.html",
    "佳县2021年度目标责任考核指标.docx",
)
TITLE = "佳县2020年度市考核县指标任务和责任分解一览表"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("breakdown-notices")
    for name in NOTICES:
        shutil.copy(SAMPLES / name, folder / name)
    db = tmp_path_factory.mktemp("breakdown-store") / "kaohe.db"
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(db), "-s"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def store(db: Path) -> Store:
    return Store(db)


@pytest.fixture(scope="module")
def by_category(store: Store) -> Breakdown:
    return build_breakdown(store.db, frameworks_of(store.db, "佳县", 2020))


@pytest.fixture(scope="module")
def by_dept(store: Store) -> Breakdown:
    return build_breakdown(store.db, frameworks_of(store.db, "佳县", 2020), by="dept")


def find(breakdown: Breakdown, text: str) -> list:  # type: ignore[type-arg]
    return [r for s in breakdown.sections for r in s.rows if text in r.indicator]


def section_of(breakdown: Breakdown, unit: str):  # type: ignore[no-untyped-def]
    return next(s for s in breakdown.sections if s.department == unit)


# -- the model ------------------------------------------------------------------


def test_one_copy_of_the_notice_with_its_rows(by_category: Breakdown) -> None:
    assert by_category.title == TITLE
    assert (by_category.region, by_category.year) == ("佳县", 2020)
    assert [Path(d).name for d in by_category.documents] == ["佳县2020年度目标责任考核指标.docx"]
    assert sorted(Path(c).suffix for c in by_category.copies) == [".html", ".txt"]
    assert len(by_category.sections) == 1
    rows = by_category.sections[0].rows
    assert len(rows) == 48
    assert [r.seq for r in rows] == list(range(1, 49))
    assert by_category.total_points == 96


def test_known_rows(by_category: Breakdown) -> None:
    (forest,) = find(by_category, "营造林面积")
    assert (forest.lead, forest.points, forest.category_path) == ("县林业局", 2.0, ["生态文明"])
    assert forest.category == "生态文明\n（20分）"
    (investment,) = find(by_category, "全社会固定资产投资")
    assert investment.lead == "县发展改革和科技局"
    assert investment.source.location == "表1行2"
    (projects,) = find(by_category, "妇幼保健院")
    assert projects.cooperating == ["县卫生健康局", "县民政局"]


def test_category_runs_follow_the_city_table(by_category: Breakdown) -> None:
    runs = by_category.sections[0].category_runs()
    assert runs == [(0, 12), (12, 8), (20, 9), (29, 2), (31, 7), (38, 10)]


def test_by_dept_sections_and_totals(by_dept: Breakdown, by_category: Breakdown) -> None:
    assert by_dept.sections[0].department == "县发展改革和科技局"  # first named in the table
    for section in by_dept.sections:
        led = [r for r in section.rows if r.relation == "lead"]
        assert section.carried_points == sum(r.points or 0 for r in led)
        assert [r.seq for r in section.rows] == list(range(1, len(section.rows) + 1))
        assert [r.relation for r in section.rows] == sorted((r.relation for r in section.rows), key="lead".__ne__)
    assert by_dept.total_points == by_category.total_points == 96  # every point led by exactly one unit
    forestry = section_of(by_dept, "县林业局")
    assert forestry.carried_points == 3
    assert forestry.heading() == "县林业局（牵头2项，计3分；配合0项）"
    civil = section_of(by_dept, "县民政局")
    assert civil.counts == (0, 1) and civil.carried_points == 0
    assert civil.rows[0].relation_label == "配合" and civil.rows[0].lead == "县发展改革和科技局"


def test_dept_filter_accepts_an_alias(store: Store) -> None:
    units = department_units(store.db, "县发改局")
    assert "县发展改革和科技局" in units
    only = build_breakdown(store.db, frameworks_of(store.db, "佳县", 2020), by="dept", units=units)
    assert [s.department for s in only.sections] == ["县发展改革和科技局"]
    assert only.total_points == 27.5


def test_several_years_are_refused(store: Store) -> None:
    with pytest.raises(BreakdownError, match="佳县 2020、佳县 2021"):
        build_breakdown(store.db, frameworks_of(store.db, "佳县", None))


def test_department_breakdown_per_framework(store: Store) -> None:
    sheet = department_breakdown(store.db, "县林业局", year=2020)
    assert sheet.title == "县林业局2020年度考核指标任务和责任清单"
    assert [len(s.rows) for s in sheet.sections] == [10, 2]  # its own table first, as `kaohe dept` lists it
    assert [s.carried_points for s in sheet.sections] == [100, 3]
    own = "本单位考核表：承担 10 项，计 100 分（满分 100 分）"
    assert sheet.sections[0].heading() == f"县直部门目标责任考核指标（县林业局）——{own}"
    assert sheet.sections[1].heading() == "2020年度市考核县指标任务分解——任务分解：牵头 2 项，计 3 分"


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")])
def test_chinese_ordinal(n: int, text: str) -> None:
    assert chinese_ordinal(n) == text


# -- writers ----------------------------------------------------------------------


def test_xlsx_by_category(by_category: Breakdown, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    write_breakdown(by_category, path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "附件" and sheet["A2"].value == TITLE
    assert [c.value for c in sheet[3]] == ["序号", "考核内容", "考核指标", "分值", "牵头单位", "配合单位", "来源"]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"B4:B15", "B24:B32", "B33:B34"} <= merged
    breaks = [b.id + 1 for b in sheet.row_breaks.brk]  # the rows that start a page
    assert breaks and all(4 < row <= 51 for row in breaks)
    for first, last in ((16, 23), (35, 41), (42, 51)):  # a category crossing a page break: split, label repeated
        cut = [b for b in breaks if first < b <= last]
        pieces = list(zip([first, *cut], [*(b - 1 for b in cut), last], strict=True))
        assert {f"B{a}:B{b}" for a, b in pieces if b > a} <= merged
        assert len({sheet.cell(a, 2).value for a, _ in pieces}) == 1
    assert sheet.cell(breaks[0], 2).value  # the first row of page 2 names its category
    rows = {sheet.cell(r, 3).value: r for r in range(4, 52)}
    forest = rows["营造林面积4万亩"]
    assert sheet.cell(forest, 4).value == 2 and isinstance(sheet.cell(forest, 4).value, int)
    assert sheet.cell(forest, 5).value == "县林业局"
    assert sheet.cell(rows["招商引资省内实际到位资金3亿元"], 4).value == 1.5
    assert sheet.cell(4, 3).alignment.wrap_text
    assert sheet.cell(52, 1).value == "合计" and sheet.cell(52, 4).value == 96
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


def test_xlsx_by_dept_totals_equal_their_rows(by_dept: Breakdown, tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    write_breakdown(by_dept, path)
    sheet = load_workbook(path).active
    assert sheet.cell(3, 5).value == "分工"
    totals, running, headings = [], 0.0, 0
    for r in range(4, sheet.max_row + 1):
        first, points, relation = sheet.cell(r, 1).value, sheet.cell(r, 4).value, sheet.cell(r, 5).value
        if isinstance(first, str) and "、" in first and first.startswith(chinese_ordinal(headings + 1)):
            headings, running = headings + 1, 0.0
        elif first == "小计（牵头指标）":
            totals.append(points)
            assert points == running
        elif relation == "牵头":
            running += points or 0
    assert headings == len(totals) == len(by_dept.sections)
    assert sum(totals) == 96


def test_docx_attachment(by_category: Breakdown, tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    write_breakdown(by_category, path)
    document = open_docx(str(path))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:2] == ["附件", TITLE]
    title_run = document.paragraphs[2].runs[0]
    assert title_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    tables = document.tables  # one table per page: each starts with the header row
    assert len(tables) >= 2
    headers = ["序号", "考核内容", "考核指标", "分值", "牵头单位", "配合单位", "来源"]
    for table in tables:
        assert [c.text for c in table.rows[0].cells] == headers
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.rows[1].cells[1].text  # a category cut by the page break is named again
    rows = [row for table in tables for row in table.rows[1:]]
    assert len(rows) == 48 + 1
    table = tables[0]
    first_run = next(length for length in range(1, len(table.rows)) if table.cell(length, 1).text != "")
    assert table.cell(1, 1)._tc is table.cell(min(12, len(table.rows) - 1), 1)._tc  # 经济发展 spans its rows
    assert table.cell(1, 1).text == "经济发展\n（20分）" and first_run == 1
    forest = next(row for row in rows if row.cells[2].text == "营造林面积4万亩")
    assert forest.cells[3].text == "2"
    assert forest.cells[2].paragraphs[0].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert [c.text for c in rows[-1].cells][:4] == ["合计", "合计", "合计", "96"]
    widths = [c.width for c in tables[0].rows[0].cells]
    assert widths[3] >= Mm(14)  # 分值: wide enough for 27.5 on one line
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "来源：佳县2020年度目标责任考核指标.docx；生成日期：" in footer and "第 " in footer and " 页，共 " in footer
    assert any("来源：佳县2020年度目标责任考核指标.docx" in p for p in paragraphs)


def test_docx_by_dept_one_table_per_unit(by_dept: Breakdown, tmp_path: Path) -> None:
    path = tmp_path / "d.docx"
    write_breakdown(by_dept, path)
    document = open_docx(str(path))
    headings = [p.text for p in document.paragraphs if p.text.startswith(("一、", "二、"))]
    assert headings[0] == "一、县发展改革和科技局（牵头14项，计27.5分；配合0项）"
    totals = [table for table in document.tables if table.rows[-1].cells[0].text == "小计（牵头指标）"]
    assert len(totals) == len(by_dept.sections) <= len(document.tables)  # a unit's table may go on over a page
    for table, section in zip(totals, by_dept.sections, strict=True):
        assert float(table.rows[-1].cells[3].text) == section.carried_points


def test_markdown(by_category: Breakdown, by_dept: Breakdown) -> None:
    text = render_markdown(by_category)
    assert f"# {TITLE}" in text
    assert "| 38 | 生态文明（20分） | 营造林面积4万亩 | 2 | 县林业局 |  | 表1行38 |" in text
    assert sum(1 for line in text.splitlines() if line.startswith("| ") and line[2].isdigit()) == 48
    dept_text = render_markdown(by_dept)
    assert "## 一、县发展改革和科技局（牵头14项，计27.5分；配合0项）" in dept_text
    assert dept_text.count("**小计**") == len(by_dept.sections)


def test_csv(by_dept: Breakdown, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    write_breakdown(by_dept, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == sum(len(s.rows) for s in by_dept.sections) == 48 + 2  # two cooperating rows
    forest = next(r for r in rows if r["考核指标"] == "营造林面积4万亩")
    assert (forest["分组"], forest["分值"], forest["分工"], forest["来源位置"]) == ("县林业局", "2", "牵头", "表1行38")
    assert forest["来源文件"] == "佳县2020年度目标责任考核指标.docx"
    assert render_csv(by_dept).splitlines()[0].startswith("分组,序号,考核内容")


# -- CLI ------------------------------------------------------------------------


def run(db: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_cli_breakdown_by_dept_xlsx(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "责任分解.xlsx"
    result = run(db, "breakdown", "--region", "佳县", "--year", "2020", "--by", "dept", "-o", str(out))
    assert result.stderr.startswith(f"已写入 {out}：{TITLE}，15 节 50 行，96 分")
    assert load_workbook(out).active["A2"].value == TITLE


def test_cli_breakdown_ids_dept_and_format(db: Path, store: Store, tmp_path: Path) -> None:
    framework = frameworks_of(store.db, "佳县", 2021)[0]
    out = tmp_path / "out.txt"
    run(db, "breakdown", str(framework.id), "--dept", "县林业局", "--format", "md", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("附件\n\n# 佳县2021年度市考核县指标任务和责任分解一览表")
    assert "| 县林业局 |" in text and "县发展改革和科技局 |" not in text


def test_cli_breakdown_errors(db: Path, tmp_path: Path) -> None:
    result = run(db, "breakdown", "-o", str(tmp_path / "x.pdf"), code=2)
    assert "x.pdf：看不出导出格式" in result.stderr
    result = run(db, "breakdown", "--region", "佳县", "-o", str(tmp_path / "x.md"), code=1)
    assert result.stderr.strip() == (
        "错误：这些框架分属 佳县 2020、佳县 2021；请一次导出一个地区、一个年度（请用 --region 和 --year 选定）"
    )
    result = run(db, "breakdown", "9999", "-o", str(tmp_path / "x.md"), code=1)
    assert result.stderr.strip() == "错误：没有编号为 9999 的框架；见 kaohe frameworks"
    result = run(db, "breakdown", "--region", "佳县", "--year", "2020", "--dept", "县不存在局",
                 "-o", str(tmp_path / "x.md"), code=1)  # fmt: skip
    assert result.stderr.strip() == "错误：县不存在局：该单位在任务分解中没有指标"


def test_cli_dept_export(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "县林业局.docx"
    result = run(db, "dept", "县林业局", "--year", "2020", "-o", str(out))
    assert result.stderr == f"已写入 {out}：县林业局2020年度考核指标任务和责任清单，12 行\n"
    document = open_docx(str(out))
    tables = [[row.cells[0].text for row in t.rows] for t in document.tables]  # one table per page and section
    assert all(t[0] == "序号" for t in tables)  # each with the header row
    subtotals = [n for n, t in enumerate(tables) if t[-1].startswith("小计")]
    sections = [tables[a + 1 : b + 1] for a, b in zip([-1, *subtotals], subtotals, strict=False)]
    assert [sum(len(t) - 1 for t in section) for section in sections] == [10 + 1, 2 + 1]
    csv_out = tmp_path / "县林业局.csv"
    run(db, "dept", "县林业局", "--year", "2020", "--format", "csv", "-o", str(csv_out))
    assert csv_out.read_text(encoding="utf-8-sig").count("\n") == 1 + 12
    assert "--format 需要同时用 -o 给出文件" in run(db, "dept", "县林业局", "--format", "md", code=2).stderr
    assert "县林业局" in run(db, "dept", "县林业局", "--year", "2020").stdout  # the terminal view is unchanged
