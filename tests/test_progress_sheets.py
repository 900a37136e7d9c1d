"""The monthly progress report form (issue 18, parts 1–2): written per unit, filled, read back and checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from parsers.errors import UnsupportedFormat
from progress.sheets import (
    HEADERS,
    FormLine,
    ProgressForm,
    ProgressRow,
    SheetProblem,
    check_rows,
    form_title,
    read_form,
    write_form,
)

FORESTRY, WATER = "县林业局", "县水利局"
HEADER_LINE = "指标编号,单位,考核指标,目标值,累计完成值,完成率(%),进展情况,存在问题,下步措施"

# fmt: off
LINES = (
    (11, FORESTRY, "营造林面积4万亩", "营造林面积 ≥ 4 万亩", "牵头"),
    (12, FORESTRY, "森林火灾受害率控制在0.9‰以内", "森林火灾受害率 ≤ 0.9 ‰", "牵头"),
    (21, FORESTRY, "完成水土流失综合治理面积60平方公里", "水土流失综合治理面积 ≥ 60 平方公里", "配合"),
    (21, WATER, "完成水土流失综合治理面积60平方公里", "水土流失综合治理面积 ≥ 60 平方公里", "牵头"),
    (22, WATER, "新建淤地坝3座", "淤地坝 ≥ 3 座", "牵头"),
)
# fmt: on
KNOWN = {11: {FORESTRY}, 12: {FORESTRY}, 21: {WATER, FORESTRY}, 22: {WATER}}


@pytest.fixture
def form() -> ProgressForm:
    lines = [FormLine(indicator_id=i, unit=u, indicator=t, target=g, role=r) for i, u, t, g, r in LINES]
    return ProgressForm(
        period="2020-06",
        region="佳县",
        year=2020,
        title=form_title("佳县", 2020, "2020-06"),
        lines=lines,
        sources=["/收件/佳县2020年度目标责任考核指标.docx"],
        deadline="2020年7月5日",
    )


@pytest.fixture
def xlsx(form: ProgressForm, tmp_path: Path) -> Path:
    return write_form(form, tmp_path / "进展.xlsx")[0]


def _fill(path: Path, sheet: str, cells: dict[str, object], formats: dict[str, str] | None = None) -> None:
    book = load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    for ref, number_format in (formats or {}).items():
        book[sheet][ref].number_format = number_format
    book.save(path)


def test_title() -> None:
    assert form_title("佳县", 2020, "2020-06") == "佳县2020年度目标责任考核 6月 工作进展填报表"
    assert form_title("佳县", 2020, "2021-01") == "佳县2020年度目标责任考核 2021年1月 工作进展填报表"


def test_xlsx_one_sheet_per_unit_after_the_explanation(xlsx: Path) -> None:
    book = load_workbook(xlsx)
    assert book.sheetnames == ["说明", FORESTRY, WATER]
    about = [c for row in book["说明"].iter_rows(values_only=True) for c in row if c]
    assert about[0] == "佳县2020年度目标责任考核 6月 工作进展填报表"
    assert "填报期间：2020-06（填写截至2020年6月底的累计完成情况）" in about
    assert "报送截止日期：2020年7月5日" in about
    assert f"{FORESTRY}：牵头 2 项、配合 1 项" in about
    assert "依据：佳县2020年度目标责任考核指标.docx" in about
    sheet = book[FORESTRY]
    assert sheet["A1"].value == "佳县2020年度目标责任考核 6月 工作进展填报表（县林业局）"
    assert [c.value for c in sheet[2]] == list(HEADERS)
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3)] == [
        [11, FORESTRY, "营造林面积4万亩", "营造林面积 ≥ 4 万亩", *[None] * 5],
        [12, FORESTRY, "森林火灾受害率控制在0.9‰以内", "森林火灾受害率 ≤ 0.9 ‰", *[None] * 5],
        [21, FORESTRY, "完成水土流失综合治理面积60平方公里", "水土流失综合治理面积 ≥ 60 平方公里", *[None] * 5],
    ]
    assert [c.value for c in book[WATER]["A"][2:]] == [21, 22]


def test_xlsx_first_four_columns_locked_sheet_protected(xlsx: Path) -> None:
    sheet = load_workbook(xlsx)[FORESTRY]
    assert sheet.protection.sheet is True
    assert not sheet.protection.password
    for row in sheet.iter_rows(min_row=3):
        assert [c.protection.locked for c in row] == [True] * 4 + [False] * 5
    assert sheet["F3"].number_format == "0.0#"
    assert all(c.protection.locked for c in sheet[2])  # the header too


def test_xlsx_prints_like_the_breakdown(xlsx: Path) -> None:
    sheet = load_workbook(xlsx)[WATER]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$2:$2"  # the header row on every page
    assert sheet.freeze_panes == "A3"
    assert sheet.oddFooter.right.text == "第 &P 页，共 &N 页"
    assert "佳县2020年度目标责任考核指标.docx" in sheet.oddFooter.left.text


def test_csv_has_exactly_the_header_row(form: ProgressForm, tmp_path: Path) -> None:
    [path] = write_form(form, tmp_path / "进展.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + HEADER_LINE.encode() + b"\r\n")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1] == "11,县林业局,营造林面积4万亩,营造林面积 ≥ 4 万亩,,,,,"
    assert len(lines) == 1 + len(LINES)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_split_writes_one_file_per_unit(form: ProgressForm, tmp_path: Path, suffix: str) -> None:
    paths = write_form(form, tmp_path / f"进展{suffix}", split=True)
    assert [p.name for p in paths] == [f"进展-{FORESTRY}{suffix}", f"进展-{WATER}{suffix}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    rows, problems, _ = read_form(paths[1])
    assert problems == []
    assert [(r.indicator_id, r.unit) for r in rows] == [(21, WATER), (22, WATER)]
    if suffix == ".xlsx":
        assert load_workbook(paths[0]).sheetnames == ["说明", FORESTRY]


def test_unsupported_suffix(form: ProgressForm, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat):
        write_form(form, tmp_path / "进展.docx")
    with pytest.raises(UnsupportedFormat):
        read_form(tmp_path / "进展.docx")


def test_filled_xlsx_reads_back(xlsx: Path) -> None:
    _fill(xlsx, FORESTRY, {
        "E3": 3.2, "F3": 0.8, "G3": "已完成春季造林2.1万亩", "H3": "苗木不足", "I3": "秋季补植",
        "E4": "０．３", "F4": 0.62,  # full-width digits; 62% as Excel stores it
        "E5": "35平方公里", "F5": "58.3%",  # a unit the target writes; a percent sign
    }, formats={"F4": "0%"})  # fmt: skip
    _fill(xlsx, WATER, {"E4": "1,234", "F4": " — "})  # row 3 (indicator 21) left empty
    rows, problems, period = read_form(xlsx, "2020-06")
    assert problems == []
    assert period == "2020-06"
    got = {(r.sheet, r.row): r for r in rows}
    assert got[FORESTRY, 3] == ProgressRow(
        indicator_id=11, unit=FORESTRY, actual=3.2, completion_pct=0.8, progress="已完成春季造林2.1万亩",
        problems="苗木不足", next_steps="秋季补植", file=str(xlsx), sheet=FORESTRY, row=3,
    )  # fmt: skip
    assert (got[FORESTRY, 4].actual, got[FORESTRY, 4].completion_pct) == (0.3, 62.0)
    assert (got[FORESTRY, 5].actual, got[FORESTRY, 5].completion_pct) == (35.0, 58.3)
    empty = got[WATER, 3]
    assert (empty.indicator_id, empty.unit) == (21, WATER)
    assert [empty.actual, empty.completion_pct, empty.progress, empty.problems, empty.next_steps] == [None] * 5
    assert (got[WATER, 4].actual, got[WATER, 4].completion_pct) == (1234.0, None)
    assert len(rows) == 5


def test_bad_cells_are_problems_naming_file_sheet_row_column(xlsx: Path) -> None:
    _fill(xlsx, FORESTRY, {"A4": "abc", "E3": "很多", "F3": 2000, "F5": -5, "E5": "2.4万亩"})
    rows, problems, _ = read_form(xlsx)
    assert [str(p) for p in problems] == [
        f"{xlsx} 工作表「县林业局」第 3 行「累计完成值」：“很多”不是数字",
        f"{xlsx} 工作表「县林业局」第 3 行「完成率(%)」：2000 超出 0–1000 的范围",
        f"{xlsx} 工作表「县林业局」第 4 行「指标编号」：“abc”不是指标编号（应为整数）",
        f"{xlsx} 工作表「县林业局」第 5 行「累计完成值」：“2.4万亩”的单位“万亩”与目标值不同：请按目标值的单位只填数字",
        f"{xlsx} 工作表「县林业局」第 5 行「完成率(%)」：-5 超出 0–1000 的范围",
    ]
    assert [(r.sheet, r.row) for r in rows] == [(WATER, 3), (WATER, 4)]  # a row with a bad cell is left out
    assert problems[0] == SheetProblem(
        file=str(xlsx), sheet=FORESTRY, row=3, column="累计完成值", message="“很多”不是数字"
    )


def test_a_renamed_or_missing_header_is_one_problem_for_the_sheet(xlsx: Path) -> None:
    _fill(xlsx, FORESTRY, {"E2": "完成值", "E3": 3})
    book = load_workbook(xlsx)
    book[WATER].delete_rows(2)
    book.create_sheet("Sheet1")  # empty: skipped
    book.save(xlsx)
    rows, problems, _ = read_form(xlsx)
    assert rows == []
    assert [str(p) for p in problems] == [
        f"{xlsx} 工作表「县林业局」第 2 行：表头缺少「累计完成值」（列名被改动或删除），本表未读取",
        f"{xlsx} 工作表「县水利局」：未找到表头（应为：{'、'.join(HEADERS)}），本表未读取",
    ]


def test_a_file_stating_another_period(xlsx: Path) -> None:
    rows, problems, period = read_form(xlsx, "2020-07")
    assert period == "2020-06"
    assert len(rows) == 5
    expected = f"{xlsx} 工作表「说明」第 2 行：本表填报期间为 2020-06，与指定的 2020-07 不符"
    assert [str(p) for p in problems] == [expected]


def test_csv_round_trip(form: ProgressForm, tmp_path: Path) -> None:
    [path] = write_form(form, tmp_path / "进展.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].removesuffix(",,,,,") + ',3.5,87.5%,"造林3.5万亩，\n进度正常",无,继续推进'
    lines[2] = lines[2].removesuffix(",,,,,") + ",x,,,,"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    rows, problems, period = read_form(path, "2020-06")
    assert period is None
    assert [str(p) for p in problems] == [f"{path} 第 4 行「累计完成值」：“x”不是数字"]
    first = rows[0]
    assert (first.indicator_id, first.unit, first.actual, first.completion_pct) == (11, FORESTRY, 3.5, 87.5)
    assert (first.progress, first.problems, first.next_steps) == ("造林3.5万亩，\n进度正常", "无", "继续推进")
    assert (first.sheet, first.row) == (None, 2)
    assert [r.row for r in rows] == [2, 5, 6, 7]  # the quoted cell spans lines 2–3; line 4 has a bad cell


def test_csv_saved_by_excel_as_gbk(tmp_path: Path) -> None:
    path = tmp_path / "进展.csv"
    header = HEADER_LINE.replace("(%)", "（％）")  # full-width: the same column
    path.write_text(header + "\n22,县水利局,新建淤地坝3座,淤地坝 ≥ 3 座,2座,66.7,,,\n", encoding="gb18030")
    rows, problems, _ = read_form(path)
    assert problems == []
    assert (rows[0].actual, rows[0].completion_pct) == (2.0, 66.7)


def _row(indicator_id: int, unit: str, row: int) -> ProgressRow:
    return ProgressRow(indicator_id=indicator_id, unit=unit, file="进展.xlsx", sheet=unit, row=row)


def test_check_rows() -> None:
    rows = [_row(11, FORESTRY, 3), _row(99, FORESTRY, 4), _row(22, FORESTRY, 5), _row(21, WATER, 3),
            _row(21, WATER, 4)]  # fmt: skip
    assert [str(p) for p in check_rows(rows, KNOWN)] == [
        "进展.xlsx 工作表「县林业局」第 4 行「指标编号」：没有编号为 99 的指标",
        "进展.xlsx 工作表「县林业局」第 5 行「单位」：“县林业局”不是指标 22 的牵头、配合或被考核单位（应为：县水利局）",
        "进展.xlsx 工作表「县水利局」第 4 行「指标编号」："
        "本单位的指标 21 已在 进展.xlsx 工作表「县水利局」第 3 行填报过",
    ]
    assert check_rows([_row(21, FORESTRY, 5)], KNOWN) == []
