"""Reading filled results sheets and checking them (row numbers, id resolution across stores)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES
from openpyxl import load_workbook

from cli import ingest_command
from parsers.errors import UnsupportedFormat
from scoring.model import IndicatorInfo, LineResult, ResultsSheet
from scoring.results_io import check_results, read_results
from scoring.template import template_rows, write_template
from store.db import Store
from store.scoring_queries import indicator_infos, select_frameworks

JIAXIAN_2020 = "佳县2020年度目标责任考核指标.docx"


def _store(tmp_path_factory: pytest.TempPathFactory, names: list[str], label: str) -> list[IndicatorInfo]:
    db = tmp_path_factory.mktemp(label) / "kaohe.db"
    for name in names:  # one at a time: the order decides the ids
        folder = tmp_path_factory.mktemp(f"{label}-in")
        shutil.copy(SAMPLES / name, folder)
        result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(db), "-s"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    store = Store(db)
    return indicator_infos(store.db, select_frameworks(store.db, region="佳县", year=2020).framework_ids)


@pytest.fixture(scope="module")
def infos(tmp_path_factory: pytest.TempPathFactory) -> list[IndicatorInfo]:
    return _store(tmp_path_factory, [JIAXIAN_2020], "results-a")


@pytest.fixture(scope="module")
def other_infos(tmp_path_factory: pytest.TempPathFactory) -> list[IndicatorInfo]:
    """Another store: the 2021 notice ingested first, so every 2020 id differs."""
    return _store(tmp_path_factory, ["佳县2021年度目标责任考核指标.docx", JIAXIAN_2020], "results-b")


def _by(infos: list[IndicatorInfo], unit: str, start: str) -> IndicatorInfo:
    return next(i for i in infos if (i.assessee or i.lead) == unit and (i.text.startswith(start) or i.name == start))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_of_an_empty_template(infos: list[IndicatorInfo], tmp_path: Path, suffix: str) -> None:
    content = template_rows(infos)
    sheet = read_results(write_template(content, tmp_path / f"t{suffix}"))
    assert sheet.errors == []
    assert sheet.framework_ids == content.framework_ids
    assert [(ln.indicator_id, ln.unit) for ln in sheet.lines] == [(ln.indicator_id, ln.unit) for ln in content.lines]
    assert sheet.lines[0].row == 3  # .xlsx: under the title and header rows; .csv: the marker line comes first
    assert all(ln.actual is None and ln.completion_pct is None for ln in sheet.lines)
    assert sheet.deductions == sheet.bonuses == sheet.vetoes == sheet.social == []
    assert len(sheet.units) == 10 and sheet.units[0].category == "town"
    assert check_results(sheet, infos).errors == []


def test_filled_xlsx_reads_back(infos: list[IndicatorInfo], tmp_path: Path) -> None:
    path = write_template(template_rows(infos), tmp_path / "t.xlsx")
    book = load_workbook(path)
    lines = book["指标完成情况"]
    lines["F3"] = 1.5  # 完成值 (row 1 is the title, row 2 the header)
    lines["G4"], lines["G4"].number_format = 0.85, "0%"  # typed as 85% in Excel
    lines["I4"] = "按统计局数据"
    book["负面清单扣分"].append(["螅镇", book["负面清单扣分"]["G3"].value, None, "是", "市考扣分"])
    book["加分"]["A3"], book["加分"]["B3"] = "县林业局", 1
    book["一票否决"]["A3"], book["一票否决"]["C3"] = "通镇", "安全生产"
    book["社会评价"]["B3"], book["社会评价"]["E3"] = 1.8, 2.5
    book["单位情况"]["B3"], book["单位情况"]["C3"] = "镇（办）", "主要负责人被调整，全市末档或末位"
    book.save(path)
    sheet = read_results(path)
    assert sheet.errors == []
    assert sheet.lines[0].actual == 1.5
    assert sheet.lines[1].completion_pct == pytest.approx(85) and sheet.lines[1].note == "按统计局数据"
    (deduction,) = sheet.deductions
    assert deduction.unit == "螅镇" and deduction.city_imposed and deduction.amount is None and deduction.item
    assert sheet.bonuses[0].amount == 1 and sheet.vetoes[0].reason == "安全生产"
    assert sheet.social[0].peer == 1.8 and sheet.social[0].superior is None
    assert sheet.units[0].flags == ["principal_removed", "citywide_last_band_or_last_place"]
    checked = check_results(sheet, infos)
    assert checked.errors == [] and checked.deductions[0].amount == 1.5  # from the item's −1.5
    assert sheet.deductions[0].amount is None  # check_results works on a copy


def _write_csv(path: Path, sections: dict[str, list[list[object]]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for name, rows in sections.items():
            writer.writerows([[f"[{name}]"], *rows, []])
    return path


def test_every_error_kind_with_its_row(infos: list[IndicatorInfo], tmp_path: Path) -> None:
    farm = _by(infos, "螅镇", "农业农村工作")
    drugs = _by(infos, "螅镇", "禁毒工作")
    forest = _by(infos, "县林业局", "完成营造林")
    item = next(i for i in infos if i.kind == "deduction")
    header = ["indicator_id", "unit", "indicator", "points", "target", "actual", "completion_pct", "qualitative_score"]
    path = _write_csv(
        tmp_path / "bad.csv",
        {
            "指标完成情况": [
                header,  # line 2
                [farm.id, "螅镇", "", 5, "", "很多"],  # 3: text in a number column
                [999999, "螅镇", "", 5, "", 1],  # 4: unknown id, no text
                [forest.id, "县财政局", "", 10, "", 4],  # 5: not that unit's indicator
                [farm.id, "螅镇", "", 5, "", "", 350],  # 6: percentage over the limit (and a duplicate of 3)
                [drugs.id, "螅镇", "", 5, "", "", "", 6],  # 7: qualitative above points
                [forest.id, "县林业局", "", 10, "", "", "", -1],  # 8: negative qualitative
            ],
            "负面清单扣分": [
                ["unit", "indicator_id", "amount", "city_imposed", "reason"],  # 11
                ["", item.id, "", "", "没有单位"],  # 12
                ["坑镇", "", "", "也许", "无条目无分值"],  # 13
                ["不存在的镇", "", 1, "", ""],  # 14
            ],
            "单位情况": [["unit", "category", "flags"], ["螅镇", "乡下", "犯错"]],  # 17, 18
            "加分": [["unit", "amount"], ["螅镇", ""], ["螅镇", "x"]],  # 21, 22 (no amount), 23 (not a number)
        },
    )
    sheet = read_results(path)
    found = {(e.sheet, e.row, e.column) for e in check_results(sheet, infos).errors}
    assert found == {
        ("指标完成情况", 3, "actual"),
        ("指标完成情况", 4, "indicator_id"),
        ("指标完成情况", 5, "unit"),
        ("指标完成情况", 6, "completion_pct"),
        ("指标完成情况", 6, "indicator_id"),  # duplicate of row 3
        ("指标完成情况", 7, "qualitative_score"),
        ("指标完成情况", 8, "qualitative_score"),
        ("负面清单扣分", 12, "unit"),
        ("负面清单扣分", 13, "city_imposed"),
        ("负面清单扣分", 13, "amount"),
        ("负面清单扣分", 14, "unit"),
        ("单位情况", 18, "category"),
        ("单位情况", 18, "flags"),
        ("加分", 22, "amount"),
        ("加分", 23, "amount"),
    }
    messages = [str(e) for e in check_results(sheet, infos).errors]
    assert "指标完成情况 第3行，列 完成值：“很多”不是数字" in messages
    assert any("与第3行重复" in m for m in messages)


def test_ids_from_another_store_resolve_by_unit_and_text(
    infos: list[IndicatorInfo], other_infos: list[IndicatorInfo], tmp_path: Path
) -> None:
    other = template_rows(other_infos)
    mine = {(ln.unit, ln.indicator): ln.indicator_id for ln in template_rows(infos).lines}
    assert all(mine[(ln.unit, ln.indicator)] != ln.indicator_id for ln in other.lines), "ids differ between stores"
    path = write_template(other, tmp_path / "other.xlsx")
    book = load_workbook(path)
    book["负面清单扣分"].append(["螅镇", book["负面清单扣分"]["G4"].value, None, "否", ""])
    book.save(path)
    checked = check_results(read_results(path), infos)
    assert checked.errors == []
    assert [(ln.unit, ln.indicator_id) for ln in checked.lines] == [
        (ln.unit, mine[(ln.unit, ln.indicator)]) for ln in other.lines
    ]
    item = next(i for i in infos if i.id == checked.deductions[0].indicator_id)
    assert checked.deductions[0].amount == abs(item.points)


def test_unresolvable_and_ambiguous_lines(infos: list[IndicatorInfo]) -> None:
    farm = _by(infos, "螅镇", "农业农村工作")
    sheet = ResultsSheet(
        path="x.csv",
        lines=[
            LineResult(row=2, indicator_id=farm.id, unit="螅镇", indicator="改过的指标内容"),
            LineResult(row=3, indicator_id=0, unit="螅镇", indicator="没有这个指标"),
        ],
    )
    errors = check_results(sheet, infos).errors
    assert [(e.row, e.column) for e in errors] == [(2, "indicator"), (3, "indicator_id")]
    twins = [IndicatorInfo(id=n, framework_id=1, framework_kind="per_unit", assessee="甲镇", text="同一句话",
                           kind="indicator", points=5) for n in (1, 2)]  # fmt: skip
    sheet = ResultsSheet(path="x.csv", lines=[LineResult(row=2, indicator_id=77, unit="甲镇", indicator="同一句话")])
    (error,) = check_results(sheet, twins).errors
    assert "多个指标" in error.message and error.row == 2


def test_csv_without_a_first_marker_and_unknown_format(infos: list[IndicatorInfo], tmp_path: Path) -> None:
    farm = _by(infos, "螅镇", "农业农村工作")
    path = tmp_path / "plain.csv"
    path.write_text(f"indicator_id,unit,completion_pct\n{farm.id},螅镇,85%\n", encoding="utf-8")
    sheet = read_results(path)
    assert sheet.errors == [] and sheet.lines[0].completion_pct == 85 and sheet.lines[0].row == 2
    with pytest.raises(UnsupportedFormat):
        read_results(tmp_path / "x.ods")


def test_the_committed_example_checks_clean_against_a_fresh_store(infos: list[IndicatorInfo]) -> None:
    example = ROOT / "examples" / "佳县2020年度考核结果.xlsx"
    sheet = check_results(read_results(example), infos)
    assert sheet.errors == []
    assert len(sheet.lines) == 175 and len(sheet.social) == 10  # the 10 assessed units' own tables
    assert {d.unit: (d.amount, d.city_imposed) for d in sheet.deductions} == {"螅镇": (1.5, False),
                                                                              "县财政局": (0.5, True)}  # fmt: skip
    assert [v.unit for v in sheet.vetoes] == ["通镇"] and [b.unit for b in sheet.bonuses] == ["县林业局"]
    pcts = {ln.completion_pct for ln in sheet.lines}
    assert {60, 59.9, 130} <= pcts
    (onsite,) = [ln for ln in sheet.lines if ln.year_end_pct is not None]
    assert (onsite.unit, onsite.routine_pct, onsite.year_end_pct) == ("店镇", 90, 80)
    assert [u.flags for u in sheet.units if u.flags] == [["principal_removed"]]
