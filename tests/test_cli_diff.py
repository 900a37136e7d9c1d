"""kaohe diff end to end: the 2020/2021 samples give exactly the documented changes; reports open."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLES

from cli import cli, ingest_command

sys.path.insert(0, str(ROOT / "scripts"))  # the documented changes live beside the sample builder
from sample_changes_2021 import CHANGES

TOWNS_2020 = ["螅镇", "坑镇", "店镇", "乌镇", "金明寺镇", "通镇", "王家砭镇"]
DEPARTMENTS_2020 = ["县发展改革和科技局", "县财政局", "县林业局"]
NOTICES = (
    "佳县2020年度目标责任考核指标.docx",
    "佳县2020年度目标责任考核指标.txt",
    "佳县2021年度目标责任考核指标.docx",
    "佳县2021年度目标责任考核指标.txt",
    "柞水县2022年度考核指标申报通知.html",
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notices")
    for name in NOTICES:
        shutil.copy(SAMPLES / name, folder / name)
    db = tmp_path_factory.mktemp("diff-store") / "kaohe.db"  # not the basetemp's kaohe.db other modules use
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(db), "-s"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["diff", *args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def region_diff(db: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(run(db, "--region", "佳县", "--years", "2020", "2021", "--json").stdout)  # type: ignore[no-any-return]


def as_changes(diff: dict) -> set[tuple[object, ...]]:  # type: ignore[type-arg]
    return (
        {("changed", c["before"]["indicator"], c["after"]["indicator"], tuple(c["fields"])) for c in diff["changed"]}
        | {("removed", i["indicator"], None, ()) for i in diff["removed"]}
        | {("added", None, i["indicator"], ()) for i in diff["added"]}
    )


def test_the_2021_sample_diff_is_exactly_the_documented_changes(db: Path) -> None:
    result = region_diff(db)
    (diff,) = result["diffs"]
    assert as_changes(diff) == {(c.kind, c.before, c.after, c.fields) for c in CHANGES}
    assert len(CHANGES) >= 25
    assert diff["unchanged"] == 48 - sum(1 for c in CHANGES if c.kind != "added")
    for item in diff["added"] + diff["removed"]:
        assert {"indicator", "points", "lead"} <= item.keys()
    low = {c["before"]["indicator"] for c in diff["changed"] if c["low_confidence"]}
    assert low == {"水果总产量增长2.6%", "谢家沟万只红枣湖羊养殖基地建成使用"}


def test_region_diff_takes_one_copy_and_reports_frameworks_of_one_year_only(db: Path) -> None:
    result = region_diff(db)
    (diff,) = result["diffs"]
    assert Path(diff["old"]["document"]).name == "佳县2020年度目标责任考核指标.docx"
    assert [Path(p).name for p in diff["old"]["copies"]] == ["佳县2020年度目标责任考核指标.txt"]
    assert Path(diff["new"]["document"]).suffix == ".docx"
    # The 2021 sample holds only the 市考 table: the 2020 负面清单 and unit tables have no counterpart.
    removed = result["removed_frameworks"]
    assert sorted(f["kind"] for f in removed) == ["negative_list", *["per_unit"] * 10]
    assert [f["assessee"] for f in removed if f["kind"] == "per_unit"] == [*TOWNS_2020, *DEPARTMENTS_2020]
    assert all(Path(f["document"]).suffix == ".docx" and len(f["copies"]) == 1 for f in removed)
    assert result["added_frameworks"] == []


def test_department_and_category_summaries(db: Path) -> None:
    (diff,) = region_diff(db)["diffs"]
    departments = {d["department"]: d for d in diff["departments"]}
    assert departments["县乡村振兴局"]["points_after"] == 30 and departments["县扶贫办"]["points_change"] == -31
    categories = {c["category"]: (c["points_before"], c["points_after"]) for c in diff["categories"]}
    assert categories["生态文明"] == (19, 20) and categories["经济发展"] == (20, 20)


def test_xlsx_report_has_chinese_sheets_and_headers(db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "对比.xlsx"
    run(db, "--region", "佳县", "--years", "2020", "2021", "--format", "xlsx", "-o", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["概况", "新增指标", "删除指标", "调整指标", "部门汇总", "类别分值"]
    overview = [c.value for c in book["概况"]["A"]]
    assert overview[0] == "佳县2020年度与2021年度考核指标对比" and overview[1] == "一、变化统计"
    assert overview[2].startswith("新增 4 项，删除 4 项，调整 24 项")  # counts by kind first
    assert "县乡村振兴局 0 → 30（+30）" in overview[4]  # units whose points changed
    changed = book["调整指标"]  # title, a note, the header (one framework pair: no 框架 column)
    header = [c.value for c in changed[3]]
    assert header[:5] == ["原指标", "新指标", "变化内容", "原分值", "新分值"] and header[-1] == "匹配置信度"
    assert changed.freeze_panes == "A4" and changed.max_row == 3 + 24 and changed.print_title_rows == "$3:$3"
    points = header.index("新分值") + 1
    rows = [r for r in range(4, 28) if "分值" in changed.cell(r, 3).value]
    assert rows and all(changed.cell(r, points).fill.fgColor.rgb.endswith("FFE699") for r in rows)  # highlighted
    assert changed.page_setup.orientation == "landscape" and changed.oddFooter.right.text == "第 &P 页，共 &N 页"
    assert book["新增指标"].max_row == 2 + 4 and book["删除指标"].max_row == 2 + 4


def test_markdown_report(db: Path) -> None:
    text = run(db, "--region", "佳县", "--years", "2020", "2021", "--format", "md").stdout
    assert text.startswith("# 佳县 2020 → 2021 年度考核指标对比")
    for heading in ("## 新增指标（4）", "## 删除指标（4）", "## 调整指标（24）", "## 部门汇总", "## 类别分值"):
        assert heading in text
    assert "| 生产总值增长7% | 生产总值增长6.5% | 目标值、分值 |" in text


def frameworks(db: Path, region: str) -> list[dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["frameworks", "--region", region, "--json", "--db", str(db)])
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_unrelated_frameworks_do_not_crash_and_flag_weak_pairs(db: Path) -> None:
    jia = next(f for f in frameworks(db, "佳县") if f["kind"] == "breakdown" and f["year"] == 2020)
    for other in frameworks(db, "柞水县"):
        diff = json.loads(run(db, str(jia["id"]), str(other["id"]), "--json").stdout)
        paired = len(diff["changed"]) + diff["unchanged"]
        assert paired <= 5 and len(diff["removed"]) == jia["indicators"] - paired
        assert diff["low_confidence_pairs"] == sum(1 for c in diff["changed"] if c["low_confidence"])
        assert all(c["low_confidence"] == (c["confidence"] < 0.8) for c in diff["changed"])
    table = run(db, str(jia["id"]), str(frameworks(db, "柞水县")[0]["id"])).stdout
    assert "【概况】" in table and "低置信度配对" in table


def test_usage_errors(db: Path) -> None:
    for args in (
        ["1"],
        ["1", "2", "--region", "佳县", "--years", "2020", "2021"],
        ["--region", "佳县"],
        ["1", "2", "--format", "xlsx"],
    ):
        result = CliRunner().invoke(cli, ["diff", *args, "--db", str(db)])
        assert result.exit_code == 2, args
    missing = CliRunner().invoke(cli, ["diff", "1", "99999", "--db", str(db)])
    assert missing.exit_code == 1 and "没有编号为 99999 的框架" in missing.output
