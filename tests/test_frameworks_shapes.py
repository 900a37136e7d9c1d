"""Table shapes built in the test: section rows, totals, continuation tables, bonus and veto rows."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from frameworks import Framework, extract_frameworks
from parsers import parse

# fmt: off
TABLE_ONE = [
    ["序号", "考核项目", "考核指标", "分值", "责任单位"],
    ["一、巩固成果，提升工作实效  31", None, None, None, None],
    ["1", "产业发展", "新建大棚20座（5分）", "", "县农业农村局、县财政局"],
    ["2", "", "培育新型经营主体3家", "6", ""],
    ["3", "就业帮扶", "转移就业不少于2000人", "20", "县人社局"],
    ["二、加分项目", None, None, None, None],
    ["4", "争先创优", "获市级以上表彰的加1分", "1", "县委组织部"],
]
TABLE_TWO = [  # continues the first table on the next page, without a header
    ["三、约束性指标", None, None, None, None],
    ["5", "安全生产", "发生较大安全事故的实行一票否决", "", "县应急管理局"],
    ["合计", None, None, "32", None],
]
# fmt: on


def add_table(document: docx.document.Document, rows: list[list[str | None]]) -> None:
    table = document.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = value
        if values[0] == "合计":
            table.cell(r, 0).merge(table.cell(r, 2))
        elif values[1] is None:  # a section row spans the whole width
            table.cell(r, 0).merge(table.cell(r, 4))


@pytest.fixture(scope="module")
def framework(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    document = docx.Document()
    document.add_paragraph("宁陕县2021年度重点工作考核指标")
    add_table(document, TABLE_ONE)
    document.add_page_break()
    add_table(document, TABLE_TWO)
    path = tmp_path_factory.mktemp("shapes") / "shapes.docx"
    document.save(str(path))
    (framework,) = extract_frameworks(parse(path))
    return framework


def test_section_rows_open_categories_with_bare_points(framework: Framework) -> None:
    assert (framework.title, framework.region, framework.year) == ("宁陕县2021年度重点工作考核指标", "宁陕县", 2021)
    assert [(c.path, c.declared_points) for c in framework.categories][:3] == [
        (["巩固成果，提升工作实效"], 31.0),
        (["巩固成果，提升工作实效", "产业发展"], None),
        (["巩固成果，提升工作实效", "就业帮扶"], None),
    ]
    assert not [w for w in framework.warnings if w.code == "points_mismatch" and "巩固成果" in w.message]


def test_rows_owners_and_points(framework: Framework) -> None:
    first, second, third = framework.indicators[:3]
    assert (first.text, first.points, first.points_from) == ("新建大棚20座", 5.0, "inline")
    assert (first.lead, first.cooperating) == ("县农业农村局", ["县财政局"])
    assert (second.category_path[-1], second.lead, second.inherited, second.points) == (
        "产业发展",
        "县农业农村局",
        True,
        6,
    )
    assert third.targets[0].comparator == ">=" and third.targets[0].value == 2000


def test_bonus_and_veto_kinds(framework: Framework) -> None:
    bonus = next(i for i in framework.indicators if "表彰" in i.text)
    assert (bonus.kind, bonus.points) == ("bonus", 1.0)
    veto = next(i for i in framework.indicators if "一票否决" in i.text)
    assert veto.kind == "veto" and veto.lead == "县应急管理局"


def test_continuation_table_and_total_row(framework: Framework) -> None:
    assert framework.tables == [0, 1]
    assert len(framework.indicators) == 5
    assert framework.declared_total == 32
    # The bonus point does not count towards the indicators' sum: 5 + 6 + 20 = 31 against 32.
    assert ("total_mismatch", "宁陕县2021年度重点工作考核指标：写明总分 32 分，各项合计 31 分") in [
        (w.code, w.message) for w in framework.warnings
    ]


def test_a_total_written_inside_its_label_cell(tmp_path: Path) -> None:
    document = docx.Document()
    add_table(document, [*TABLE_ONE[:3], ["合计", None, None, None, None]])
    document.tables[0].cell(3, 0).text = "合计  100分"
    path = tmp_path / "total.docx"
    document.save(str(path))
    (framework,) = extract_frameworks(parse(path))
    assert framework.declared_total == 100


def test_a_table_without_header_and_nothing_to_continue_is_skipped(tmp_path: Path) -> None:
    document = docx.Document()
    add_table(document, TABLE_TWO)
    path = tmp_path / "orphan.docx"
    document.save(str(path))
    assert extract_frameworks(parse(path)) == []
