"""End to end: ingest the 佳县 2020 notice, fill its results template, `kaohe score` it.

The sheet is filled so that every number can be worked out by hand: each unit gets one completion
rate on all its lines, so its 目标任务得分 is that rate (or 0 below 60 %), full social marks.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLES

from cli import cli, ingest_command

NOTICE = "佳县2020年度目标责任考核指标.docx"
TOWNS = {"螅镇": 100, "坑镇": 95, "店镇": 90, "乌镇": 85, "金明寺镇": 80, "通镇": 75, "王家砭镇": 59}
SOCIAL = {"town": (2, 3, 2, 3), "dept": (3, 4, 3, 5)}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notice")
    shutil.copy(SAMPLES / NOTICE, folder / NOTICE)
    db = folder.parent / "kaohe.db"
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def _columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


@pytest.fixture(scope="module")
def results(db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The template, filled: towns per TOWNS, departments 100, 99, 98… in sheet order."""
    from sqlite_utils import Database

    from scoring.template import template_rows, write_template
    from store.scoring_queries import frameworks_for, indicator_infos

    store = Database(db)
    content = template_rows(indicator_infos(store, frameworks_for(store, "佳县", 2020)))
    path = tmp_path_factory.mktemp("results") / "结果.xlsx"
    write_template(content, path)
    depts = [u.unit for u in content.units if u.category == "dept"]
    rates = {**TOWNS, **{unit: 100 - n for n, unit in enumerate(depts)}}
    book = openpyxl.load_workbook(path)
    lines = book["指标完成情况"]
    cols = _columns(lines)
    for row in range(2, lines.max_row + 1):
        unit = lines.cell(row, cols["unit"]).value
        lines.cell(row, cols["completion_pct"], rates[unit])
    social = book["社会评价"]
    cols = _columns(social)
    for row in range(2, social.max_row + 1):
        values = SOCIAL["town" if social.cell(row, cols["unit"]).value in TOWNS else "dept"]
        for key, value in zip(("peer", "superior", "representatives", "public"), values, strict=True):
            social.cell(row, cols[key], value)
    deductions = book["负面清单扣分"]
    cols = _columns(deductions)
    item = deductions.cell(2, cols["ref_indicator_id"]).value  # the first item: −1.5 (seed 002)
    deductions.cell(2, cols["unit"], "坑镇")
    deductions.cell(2, cols["indicator_id"], item)
    deductions.cell(2, cols["city_imposed"], "是")
    vetoes = book["一票否决"]
    vetoes.cell(2, _columns(vetoes)["unit"], "乌镇")
    book.save(path)
    return path, rates


def run(*args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_score_json_matches_hand_calculation(db: Path, results: tuple[Path, dict[str, int]]) -> None:
    path, rates = results
    out = run("score", "--region", "佳县", "--year", "2020", "--results", str(path), "--db", str(db), "--json")
    units = {u["unit"]: u for u in json.loads(out.stdout)["units"]}
    # 螅镇: 100 % → 100 × 0.9 = 90 + 10 = 100, rank 1, 优秀 (quota floor(0.3 × 7) = 2)
    assert units["螅镇"]["total"] == pytest.approx(100) and units["螅镇"]["rank"] == 1
    assert units["螅镇"]["grade"] == "优秀"
    # 坑镇: 95 × 0.9 = 85.5 + 10 − 2 × 1.5 (市考-caused, doubled) = 92.5, rank 2, 优秀
    assert units["坑镇"]["deductions"] == pytest.approx(3) and units["坑镇"]["total"] == pytest.approx(92.5)
    assert (units["坑镇"]["rank"], units["坑镇"]["grade"]) == (2, "优秀")
    # 店镇: 81 + 10 = 91, rank 3 → 良好 (the quota is used)
    assert units["店镇"]["total"] == pytest.approx(91) and units["店镇"]["grade"] == "良好"
    # 乌镇: 76.5 + 10 = 86.5 but 一票否决 → 较差
    assert units["乌镇"]["total"] == pytest.approx(86.5) and units["乌镇"]["grade"] == "较差"
    # 通镇: 67.5 + 10 = 77.5 < 80 → 较差; 王家砭镇: 59 % < 60 % → every line 0 → 0 + 10 = 10 → 较差
    assert units["通镇"]["grade"] == "较差" and "below_poor_threshold" in units["通镇"]["flags"]
    assert units["王家砭镇"]["target_score"] == 0 and units["王家砭镇"]["total"] == pytest.approx(10)
    # departments: rate r → r × 0.85 + 15; 15 units → 4 优秀 (floor 4.5)
    depts = [u for u in units.values() if u["category"] == "dept"]
    assert sum(u["grade"] == "优秀" for u in depts) == 4
    for dept in depts:  # a unit whose lines all have points: total = rate × 0.85 + 15
        if not any(flag.startswith("needs_review") for flag in dept["flags"]):
            assert dept["total"] == pytest.approx(rates[dept["unit"]] * 0.85 + 15)
    first = min(depts, key=lambda u: u["rank"])
    assert first["total"] == pytest.approx(100 * 0.85 + 15)
    # an indicator without points (县域特色指标 items) is flagged, not silently dropped
    assert any(flag.startswith("needs_review:line:") for dept in depts for flag in dept["flags"])
    line = units["螅镇"]["lines"][0]
    assert {"indicator_id", "points", "completion_pct", "score", "rule"} <= set(line)


def test_explain_accounts_for_every_point(db: Path, results: tuple[Path, dict[str, int]]) -> None:
    path, _ = results
    out = run(
        "score", "--region", "佳县", "--year", "2020", "--results", str(path), "--db", str(db), "--explain", "坑镇"
    )
    assert "1.5 × 2 倍 = 3" in out.stdout and "92.5000" in out.stdout and "等次 优秀" in out.stdout
    assert "第二十四条" in out.stdout and "第二十七条" in out.stdout


def test_table_and_xlsx_report(db: Path, results: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    path, _ = results
    args = ["score", "--region", "佳县", "--year", "2020", "--results", str(path), "--db", str(db)]
    table = run(*args).stdout
    assert "等次" in table and "螅镇" in table and "一票否决" in table
    report = tmp_path / "汇总.xlsx"
    run(*args, "--format", "xlsx", "-o", str(report))
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["汇总", "明细", "说明"]
    assert book["汇总"].freeze_panes == "A2" and book["汇总"].cell(2, 3).value == "螅镇"
    assert any("第二十四条" in str(c.value) for row in book["说明"].iter_rows() for c in row)


def test_errors_stop_scoring_unless_partial(db: Path, results: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    path, _ = results
    broken = tmp_path / "坏.xlsx"
    book = openpyxl.load_workbook(path)
    lines = book["指标完成情况"]
    lines.cell(3, _columns(lines)["completion_pct"], "很好")
    book.save(broken)
    args = ["score", "--region", "佳县", "--year", "2020", "--results", str(broken), "--db", str(db)]
    failed = run(*args, code=1)
    assert "指标完成情况 第3行" in failed.output
    partial = json.loads(run(*args, "--allow-partial", "--json").stdout)
    assert partial["partial"] is True and partial["sheet_errors"]


def test_example_sheet_scores_if_present(db: Path) -> None:
    example = ROOT / "examples" / "佳县2020年度考核结果.xlsx"
    if not example.exists():
        pytest.skip("examples/佳县2020年度考核结果.xlsx not written yet")
    out = run("score", "--region", "佳县", "--year", "2020", "--results", str(example), "--db", str(db), "--json")
    units = json.loads(out.stdout)["units"]
    assert len(units) >= 10
    for unit in units:
        parts = unit["target_weighted"] + (unit["social"] or 0) + unit["bonus"] - unit["deductions"]
        assert parts == pytest.approx(unit["total"])
