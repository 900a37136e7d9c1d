"""The results template: which lines it holds, the .xlsx and .csv files, ``kaohe template``."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from openpyxl import load_workbook

from cli import cli, ingest_command
from scoring.model import IndicatorInfo
from scoring.template import common_categories, template_rows, write_template
from scoring.template_layout import LINE_COLUMNS, LINES, header_key, headers
from store.db import Store
from store.scoring_queries import DEFAULT_KINDS, frameworks_for, indicator_infos, select_frameworks

JIAXIAN_2020 = "佳县2020年度目标责任考核指标"
TOWNS = ["螅镇", "坑镇", "店镇", "乌镇", "金明寺镇", "通镇", "王家砭镇"]
DEPARTMENTS = {"县发展改革和科技局": 13, "县财政局": 12, "县林业局": 10}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 佳县 2020 notice received twice (.docx and .txt): two copies of every framework."""
    folder = tmp_path_factory.mktemp("template-notices")
    for suffix in (".docx", ".txt"):
        shutil.copy(SAMPLES / f"{JIAXIAN_2020}{suffix}", folder)
    path = tmp_path_factory.mktemp("template-store") / "kaohe.db"
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(path), "-s"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def infos(db: Path) -> list[IndicatorInfo]:
    """The default selection of `kaohe template --region 佳县 --year 2020`: the assessed units' tables."""
    store = Store(db)
    return indicator_infos(store.db, select_frameworks(store.db, region="佳县", year=2020).framework_ids)


@pytest.fixture(scope="module")
def all_infos(db: Path) -> list[IndicatorInfo]:
    """Every framework of the year, the 市考 breakdown included."""
    store = Store(db)
    return indicator_infos(store.db, frameworks_for(store.db, "佳县", 2020))


def test_frameworks_for_keeps_one_copy_per_notice_from_the_docx(db: Path) -> None:
    store = Store(db)
    ids = frameworks_for(store.db, "佳县", 2020)
    assert len(ids) == 12  # 1 breakdown + 1 negative list + 7 towns + 3 departments
    marks = ",".join("?" * len(ids))
    sql = f"select distinct d.format from frameworks f join documents d on d.id = f.document_id where f.id in ({marks})"
    assert [r["format"] for r in store.db.query(sql, ids)] == ["docx"]
    assert frameworks_for(store.db, "佳县", 2019) == []


def test_default_selection_is_the_assessed_units_tables(db: Path) -> None:
    store = Store(db)
    everything = frameworks_for(store.db, "佳县", 2020)
    selection = select_frameworks(store.db, region="佳县", year=2020)
    assert selection.kinds == list(DEFAULT_KINDS) and selection.by_region
    # the 12 frameworks less the 市考 breakdown: 1 negative list + 7 towns + 3 departments
    assert len(selection.framework_ids) == 11 and set(selection.framework_ids) < set(everything)
    assert [(f.kind, f.title) for f in selection.left_out] == [("breakdown", "2020年度市考核县指标任务分解")]
    notes = "\n".join(selection.notes())
    assert "默认只含 per_unit" in notes and "未列入：《2020年度市考核县指标任务分解》" in notes
    assert "--kind breakdown" in notes


def test_breakdown_by_kind_or_by_id(db: Path) -> None:
    store = Store(db)
    by_kind = select_frameworks(store.db, region="佳县", year=2020, kinds=["breakdown"])
    assert len(by_kind.framework_ids) == 1 and len(by_kind.left_out) == 11
    assert "按 --kind 只含 breakdown" in by_kind.notes()[0]
    breakdown_id = by_kind.framework_ids[0]
    named = select_frameworks(store.db, [breakdown_id, 99999])
    assert named.framework_ids == [breakdown_id] and named.unknown_ids == [99999] and not named.left_out
    filtered = select_frameworks(store.db, [breakdown_id], kinds=["per_unit"])
    assert filtered.framework_ids == [] and filtered.left_out[0].id == breakdown_id
    with pytest.raises(ValueError):
        select_frameworks(store.db, region="佳县")


def test_indicator_infos_carry_framework_and_targets(infos: list[IndicatorInfo]) -> None:
    kinds = {(i.framework_kind, i.kind) for i in infos}
    assert kinds == {("negative_list", "deduction"), ("per_unit", "indicator")}
    forestry = next(i for i in infos if i.assessee == "县林业局" and i.text.startswith("完成营造林"))
    assert (forestry.region, forestry.year, forestry.points, forestry.lead) == ("佳县", 2020, 10.0, "县林业局")
    assert forestry.targets[0]["value"] == 4.0 and forestry.targets[0]["unit"] == "万亩"


def test_template_rows_one_line_per_indicator_and_unit(infos: list[IndicatorInfo]) -> None:
    content = template_rows(infos)
    # 7 towns × 20 + 13 + 12 + 10 department rows; the 40 negative-list deductions are references,
    # not lines; no breakdown rows (not selected by default).
    assert len(content.lines) == 7 * 20 + 13 + 12 + 10 == 175
    assert {ln.framework_kind for ln in content.lines} == {"per_unit"}
    assert len(content.deduction_items) == 40
    assert all(item.points and item.points < 0 for item in content.deduction_items)
    per_unit = {}
    for line in content.lines:
        if line.framework_kind == "per_unit":
            per_unit[line.unit] = per_unit.get(line.unit, 0) + 1
    assert per_unit == {**dict.fromkeys(TOWNS, 20), **DEPARTMENTS}
    categories = {u.unit: u.category for u in content.units}
    assert list(categories) == [*TOWNS, *DEPARTMENTS]
    assert all(categories[t] == "town" for t in TOWNS) and categories["县财政局"] == "dept"
    keys = [(ln.indicator_id, ln.unit) for ln in content.lines]
    assert len(keys) == len(set(keys))
    labels = [ln.indicator for ln in content.lines if ln.unit == "螅镇"]
    assert len(labels) == len(set(labels))  # 见专项责任书 rows differ by their names


def test_breakdown_lines_go_to_the_lead_units(all_infos: list[IndicatorInfo]) -> None:
    content = template_rows(all_infos)
    breakdown = [ln for ln in content.lines if ln.framework_kind == "breakdown"]
    assert len(content.lines) == 175 + 48 and len(breakdown) == 48
    leads = {ln.unit for ln in breakdown}
    assert "县人力资源和社会保障局" in leads and "县林业局" in leads  # a lead only, and an assessed unit again
    assert len(content.units) == 22  # the 10 assessed units and 12 departments that only lead 市考 items


def test_target_text_in_words(all_infos: list[IndicatorInfo]) -> None:
    targets = {ln.indicator: ln.target for ln in template_rows(all_infos).lines}
    assert targets["完成营造林及种草面积4万亩。"] == "营造林及种草面积 ≥ 4 万亩"
    assert targets["城镇登记失业率控制在4.3%以内"] == "城镇登记失业率 ≤ 4.3 %"
    assert targets["生产总值增长7%"] == "生产总值 增长 ≥ 7 %"
    assert targets["安全生产：见专项责任书。"] == "见专项责任书"


def _info(id_: int, kind: str, title: str, assessee: str | None = None, **extra: object) -> IndicatorInfo:
    return IndicatorInfo(
        id=id_, framework_id=id_ // 10, framework_kind=kind, framework_title=title, region="某县", year=2022,
        assessee=assessee, text=f"指标{id_}", points=5, kind="indicator", **extra,
    )  # fmt: skip


def test_common_framework_goes_to_the_units_of_its_category() -> None:
    infos = [
        _info(10, "per_unit", "镇办目标责任考核指标", "甲镇"),
        _info(20, "per_unit", "县直部门目标责任考核指标", "县财政局"),
        _info(30, "common", "镇办党的建设共性指标"),
        _info(40, "common", "县直部门及驻县单位共性指标"),
        _info(50, "template", "目标任务考核指标设置框架"),
    ]
    content = template_rows(infos)
    assert {(ln.indicator_id, ln.unit) for ln in content.lines} == {(10, "甲镇"), (20, "县财政局"), (30, "甲镇"),
                                                                     (40, "县财政局")}  # fmt: skip
    assert any("框架 5" in note for note in content.notes)
    alone = template_rows([_info(30, "common", "镇办党的建设共性指标")])
    assert alone.lines == [] and "共性指标" in alone.notes[0]
    assert common_categories("县直部门及中央和省市驻柞单位考核指标设置样表") == {"dept", "resident"}
    assert common_categories("党的建设共性指标") == {"town", "dept", "resident"}


def test_xlsx_layout(infos: list[IndicatorInfo], tmp_path: Path) -> None:
    content = template_rows(infos)
    path = write_template(content, tmp_path / "t.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [
        "说明",
        "指标完成情况",
        "负面清单扣分",
        "加分",
        "一票否决",
        "社会评价",
        "单位情况",
        "meta",
    ]
    lines = book["指标完成情况"]
    assert lines["A1"].value == "佳县2020年度目标责任考核结果填报表——指标完成情况"  # the title row
    assert [c.value for c in lines[2]] == headers(LINES)
    assert headers(LINES)[:9] == ["指标编号", "单位", "考核指标", "分值", "目标值", "完成值", "完成率(%)", "定性评分",
                                  "备注"]  # fmt: skip
    assert [header_key(LINES, c.value) for c in lines[2]] == list(LINE_COLUMNS)
    assert lines.max_row == 2 + 175 and lines.freeze_panes == "A3" and lines.print_title_rows == "$2:$2"
    assert "完成率" in lines["G2"].comment.text
    assert lines.column_dimensions["C"].width >= 30 and lines.column_dimensions["A"].width <= 8  # narrow ids
    assert lines["A3"].value == content.lines[0].indicator_id  # machine ids stay
    assert lines.page_setup.orientation == "landscape" and lines.sheet_properties.pageSetUpPr.fitToPage
    assert book["meta"].sheet_state == "hidden"
    assert book["meta"]["B2"].value == " ".join(str(i) for i in content.framework_ids)
    social = book["社会评价"]
    assert social.max_row == 2 + 10 and "同级互评≤2" in social["F3"].value
    deductions = book["负面清单扣分"]
    assert deductions["G2"].value == "参考：条目编号" and deductions["I3"].value < 0
    assert [c.value for c in deductions[2]][:5] == ["单位", "条目编号", "扣分", "致市考扣分(是/否)", "事由"]
    units = book["单位情况"]
    assert [units.cell(row=r, column=2).value for r in range(3, 10)] == ["镇（办）"] * 7
    assert not any(k in str(c.value) for c in book["说明"]["A"] for k in ("indicator_id", "completion_pct", "town"))
    assert units.data_validations.dataValidation, "category has a list validation"
    assert any("说明" in (c.value or "") or "kaohe" in (c.value or "") for c in book["说明"]["A"])


def test_csv_layout_with_bom_and_section_markers(infos: list[IndicatorInfo], tmp_path: Path) -> None:
    path = write_template(template_rows(infos), tmp_path / "t.csv")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    assert rows[0] == ["[指标完成情况]"] and rows[1] == headers(LINES)
    markers = [r[0] for r in rows if r and r[0].startswith("[")]
    assert markers == ["[指标完成情况]", "[负面清单扣分]", "[加分]", "[一票否决]", "[社会评价]", "[单位情况]", "[说明]",
                       "[meta]"]  # fmt: skip
    assert rows[rows.index(["[负面清单扣分]"]) + 1][:5] == ["单位", "条目编号", "扣分", "致市考扣分(是/否)", "事由"]
    assert len([r for r in rows[2:177] if r and r[0].isdigit()]) == 175


def test_unknown_extension_is_refused(infos: list[IndicatorInfo], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"xlsx or \.csv"):
        write_template(template_rows(infos), tmp_path / "t.ods")


def test_cli_template_end_to_end(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "结果.xlsx"
    result = runner.invoke(cli, ["template", "--region", "佳县", "--year", "2020", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "10 个单位共 175 行" in result.stdout and "负面清单 40 项" in result.stdout
    assert "未列入：《2020年度市考核县指标任务分解》" in result.stderr and out.exists()
    about = [c.value for c in load_workbook(out)["说明"]["A"]]
    assert any("默认只含 per_unit" in (v or "") for v in about)
    out_csv = tmp_path / "结果.csv"
    args = ["template", "--region", "佳县", "--year", "2020", "--kind", "breakdown"]
    result = runner.invoke(cli, [*args, "-o", str(out_csv), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "14 个单位共 48 行，来自 1 个框架，负面清单 0 项" in result.stdout
    assert runner.invoke(cli, ["template", "-o", str(out), "--db", str(db)]).exit_code == 2
    assert runner.invoke(cli, ["template", "99999", "-o", str(out), "--db", str(db)]).exit_code == 1
    assert runner.invoke(cli, ["template", "13", "-o", str(tmp_path / "x.txt"), "--db", str(db)]).exit_code == 2
    breakdown_id = select_frameworks(Store(db).db, region="佳县", year=2020, kinds=["breakdown"]).framework_ids[0]
    result = runner.invoke(cli, ["template", str(breakdown_id), "-o", str(out_csv), "--db", str(db)])
    assert result.exit_code == 0 and "14 个单位共 48 行" in result.stdout  # by id: no kind filter
