"""End to end: ingest the 佳县 2020 notice, fill its results template, `kaohe score` it.

The sheet is filled so that every number can be worked out by hand: each unit gets one completion
rate on all its lines, so its 目标任务得分 is that rate (or 0 below 60 %), full social marks. The
frameworks are the default selection of ``--region 佳县 --year 2020``: the 10 assessed units' own
tables (7 towns, 3 departments) and the negative list, not the 市考 breakdown.
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
from scoring.template_layout import header_key

NOTICE = "佳县2020年度目标责任考核指标.docx"
TOWNS = {"螅镇": 100, "坑镇": 95, "店镇": 90, "乌镇": 85, "金明寺镇": 80, "通镇": 75, "王家砭镇": 59}
SOCIAL = {"town": (2, 3, 2, 3), "dept": (3, 4, 3, 5)}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notice")
    shutil.copy(SAMPLES / NOTICE, folder / NOTICE)
    db = tmp_path_factory.mktemp("store") / "kaohe.db"  # its own: the base folder is shared by modules
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def _columns(sheet) -> dict[str, int]:
    """Column key → number, from the Chinese header row (row 2, under the title)."""
    keys = {cell.column: header_key(sheet.title, cell.value) for cell in sheet[2]}
    return {key: column for column, key in keys.items() if key}


@pytest.fixture(scope="module")
def results(db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The template, filled: towns per TOWNS, departments 100, 99, 98… in sheet order."""
    from sqlite_utils import Database

    from scoring.template import template_rows, write_template
    from store.scoring_queries import indicator_infos, select_frameworks

    store = Database(db)
    content = template_rows(indicator_infos(store, select_frameworks(store, region="佳县", year=2020).framework_ids))
    path = tmp_path_factory.mktemp("results") / "结果.xlsx"
    write_template(content, path)
    depts = [u.unit for u in content.units if u.category == "dept"]
    rates = {**TOWNS, **{unit: 100 - n for n, unit in enumerate(depts)}}
    book = openpyxl.load_workbook(path)
    lines = book["指标完成情况"]
    cols = _columns(lines)
    for row in range(3, lines.max_row + 1):
        unit = lines.cell(row, cols["unit"]).value
        lines.cell(row, cols["completion_pct"], rates[unit])
    social = book["社会评价"]
    cols = _columns(social)
    for row in range(3, social.max_row + 1):
        values = SOCIAL["town" if social.cell(row, cols["unit"]).value in TOWNS else "dept"]
        for key, value in zip(("peer", "superior", "representatives", "public"), values, strict=True):
            social.cell(row, cols[key], value)
    deductions = book["负面清单扣分"]
    cols = _columns(deductions)
    item = deductions.cell(3, cols["ref_indicator_id"]).value  # the first item: −1.5 (seed 002)
    deductions.cell(3, cols["unit"], "坑镇")
    deductions.cell(3, cols["indicator_id"], item)
    deductions.cell(3, cols["city_imposed"], "是")
    vetoes = book["一票否决"]
    vetoes.cell(3, _columns(vetoes)["unit"], "乌镇")
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
    # departments: only the 3 assessed ones (no breakdown lead units); rate r → r × 0.85 + 15;
    # 3 units → 优秀 quota floor(0.3 × 3) = 0, so 良好 whatever the total
    depts = [u for u in units.values() if u["category"] == "dept"]
    assert sorted(u["unit"] for u in depts) == ["县发展改革和科技局", "县林业局", "县财政局"] and len(units) == 10
    for dept in depts:
        assert dept["total"] == pytest.approx(rates[dept["unit"]] * 0.85 + 15) and dept["grade"] == "良好"
    assert not any(flag.startswith("needs_review") for unit in units.values() for flag in unit["flags"])
    assert "未列入：《2020年度市考核县指标任务分解》" in out.stderr
    line = units["螅镇"]["lines"][0]
    assert {"indicator_id", "points", "completion_pct", "score", "rule"} <= set(line)


def test_explain_accounts_for_every_point(db: Path, results: tuple[Path, dict[str, int]]) -> None:
    path, _ = results
    out = run(
        "score", "--region", "佳县", "--year", "2020", "--results", str(path), "--db", str(db), "--explain", "坑镇"
    )
    assert "1.5 × 2 倍 = 3" in out.stdout and "92.5000" in out.stdout and "等次 优秀" in out.stdout
    assert "第二十四条" in out.stdout and "第二十七条" in out.stdout
    dept = run("score", "--region", "佳县", "--year", "2020", "--results", str(path), "--db", str(db), "--explain",
               "县财政局").stdout  # fmt: skip
    assert "本类别优秀名额为 0（优秀名额 = 0.3 × 类别单位数 3 = 0.9，向下取整为 0）" in dept


def test_table_and_xlsx_report(db: Path, results: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    path, _ = results
    args = ["score", "--region", "佳县", "--year", "2020", "--results", str(path), "--db", str(db)]
    table = run(*args).stdout
    assert "等次" in table and "螅镇" in table and "一票否决" in table
    report = tmp_path / "汇总.xlsx"
    run(*args, "--format", "xlsx", "-o", str(report))
    book = openpyxl.load_workbook(report)
    assert book.sheetnames[0] == "汇总" and book.sheetnames[-1] == "说明"
    assert book.sheetnames[1:3] == ["明细-螅镇", "明细-坑镇"] and len(book.sheetnames) == 2 + 10  # one per unit
    summary = book["汇总"]
    assert summary["A1"].value == "佳县2020年度目标责任考核得分与等次"  # title row, then the header
    assert summary.freeze_panes == "A3" and summary.cell(3, 3).value == "螅镇" and summary.cell(2, 11).value == "标记"
    assert summary.page_setup.fitToWidth == 1 and summary.print_title_rows == "$2:$2"
    assert "B3:B9" not in {str(r) for r in summary.merged_cells} and "A3:A9" in {str(r) for r in summary.merged_cells}
    unit = book["明细-坑镇"]
    assert unit.page_setup.fitToHeight == 1  # the unit's statement prints on one page
    texts = [str(c.value) for row in unit.iter_rows() for c in row if c.value is not None]
    assert any("92.5" in t for t in texts) and any("第二十四条" in t for t in texts) and "扣分" in texts
    assert any("第二十四条" in str(c.value) for row in book["说明"].iter_rows() for c in row)
    about = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert "默认只含 per_unit" in about[1] and "未列入" in about[2]  # which frameworks were scored
    assert book["说明"].cell(about.index("参数") + 1, 1).font.bold


def test_errors_stop_scoring_unless_partial(db: Path, results: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    path, _ = results
    broken = tmp_path / "坏.xlsx"
    book = openpyxl.load_workbook(path)
    lines = book["指标完成情况"]
    lines.cell(4, _columns(lines)["completion_pct"], "很好")
    book.save(broken)
    args = ["score", "--region", "佳县", "--year", "2020", "--results", str(broken), "--db", str(db)]
    failed = run(*args, code=1)
    assert "指标完成情况 第4行" in failed.output
    partial = json.loads(run(*args, "--allow-partial", "--json").stdout)
    assert partial["partial"] is True and partial["sheet_errors"]


def test_the_committed_example_matches_hand_calculation(db: Path) -> None:
    """examples/佳县2020年度考核结果.xlsx (scripts/make_example_results.py, cases in examples/README.md)."""
    example = ROOT / "examples" / "佳县2020年度考核结果.xlsx"
    out = run("score", "--region", "佳县", "--year", "2020", "--results", str(example), "--db", str(db), "--json")
    units = {u["unit"]: u for u in json.loads(out.stdout)["units"]}
    assert len(units) == 10 and all(u["grade"] for u in units.values())
    assert not any(flag.startswith("needs_review") for u in units.values() for flag in u["flags"])
    for unit in units.values():
        parts = unit["target_weighted"] + (unit["social"] or 0) + unit["bonus"] - unit["deductions"]
        assert parts == pytest.approx(unit["total"])
    # 螅镇 (20 lines × 5): completion_pct 100, 95, 88, 102→100, 110→100 (cap) → 5 × 4.83 = 24.15;
    # 15 qualitative scores 4.25 4.5 5 4.5 4.75 4 5 4.25 4.5 5 4.5 4.75 4 5 4.25 = 68.25; Σ 92.4
    # → × 90 ÷ 100 = 83.16; social 1.7 + 2.55 + 1.7 + 2.55 = 8.5; 负面清单 补短板 −1.5 (from the item)
    # → 83.16 + 8.5 − 1.5 = 90.16, 5th of 7 towns → 良好
    xiang = units["螅镇"]
    assert (xiang["target_score"], xiang["deductions"]) == (pytest.approx(92.4), pytest.approx(1.5))
    assert xiang["total"] == pytest.approx(90.16) and (xiang["rank"], xiang["grade"]) == (5, "良好")
    # 通镇: completion_pct 95, 88, 102→100, 110→100, 76 → 5 × 4.59 = 22.95; qualitative 5 4.5 4.75 4
    # 5 4.25 4.5 5 4.5 4.75 4 5 4.25 4.5 5 = 69; Σ 91.95 → 82.755; social 1.64 + 2.46 + 1.64 + 2.46
    # = 8.2 → 90.955, 4th by total, but 一票否决 → 较差
    tong = units["通镇"]
    assert tong["total"] == pytest.approx(90.955) and (tong["rank"], tong["grade"]) == (4, "较差")
    assert "veto" in tong["flags"]
    # 县林业局 (10 lines, actual ÷ target): 5.6/5 → 5 (cap); 374/440 = 85 % → 4.25; 0.2/0.2 → 10;
    # 33.54/43 = 78 % → 7.8; 550/500 → 10; 960/1000 → 9.6; 4.8/4 = 120 % → 10; 68.25/65 → 10;
    # 20 × 88 % = 17.6; 改革创新 102 % → 10; Σ 94.25 → × 85 ÷ 100 = 80.1125; social 2.4 + 3.2 + 2.4
    # + 4 = 12; 加分 1 → 93.1125, 1st of 3 departments, 良好: quota floor(0.3 × 3) = 0
    forestry = units["县林业局"]
    assert (forestry["target_score"], forestry["bonus"]) == (pytest.approx(94.25), 1)
    assert forestry["total"] == pytest.approx(93.1125) and (forestry["rank"], forestry["grade"]) == (1, "良好")
    # 县财政局: the city-imposed 隐性债务 item, 0.5 × 2 = 1
    assert units["县财政局"]["deductions"] == pytest.approx(1)
    # towns by total: 王家砭镇 92.21, 金明寺镇 92.05 (主要负责人被调整: not 优秀), 店镇 91.28 → the
    # two 优秀 (floor(0.3 × 7) = 2) are 王家砭镇 and 店镇; 乌镇 last on both components → 一般
    excellent = sorted(u["unit"] for u in units.values() if u["grade"] == "优秀")
    assert excellent == ["店镇", "王家砭镇"]
    assert units["金明寺镇"]["grade"] == "良好" and "principal_removed" in units["金明寺镇"]["flags"]
    assert units["乌镇"]["grade"] == "一般" and "last_in_both_components" in units["乌镇"]["flags"]
    assert [u["grade"] for u in units.values() if u["category"] == "dept"] == ["良好"] * 3


@pytest.fixture(scope="module")
def region_rules_db(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store with two rule values stated for 佳县, as if a 佳县 办法 had been ingested."""
    from sqlite_utils import Database

    path = tmp_path_factory.mktemp("region-rules") / "kaohe.db"
    shutil.copy(db, path)
    store = Database(path)
    document_id = next(store.query("select id from documents limit 1"))["id"]
    store["rule_values"].insert_all([
        {"document_id": document_id, "region": "佳县", "field": "poor_below", "value": json.dumps(85.0),
         "article": "第十七条", "quote": "总分低于85分的为较差"},
        {"document_id": document_id, "region": "佳县", "field": "social_components.dept",
         "value": json.dumps({"peer": 4, "superior": 4, "representatives": 3, "public": 4}),
         "article": "第十二条", "quote": "同级互评4分、上级评价4分、各界代表评价3分、群众评价4分"},
    ])  # fmt: skip
    return path


def test_rules_file_is_laid_over_the_region_rules(
    region_rules_db: Path, results: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    path, _ = results
    rules_file = tmp_path / "本次.toml"
    rules_file.write_text("threshold = 0.65\n", "utf-8")
    args = ["score", "--region", "佳县", "--year", "2020", "--results", str(path), "--db", str(region_rules_db)]
    report = json.loads(run(*args, "--rules", str(rules_file), "--json").stdout)
    rules = report["rules"]
    assert rules["threshold"] == 0.65 and rules["citations"]["threshold"]["source"] == str(rules_file)
    # the region's value stays underneath the file: 85, cited to its article (the default is 80)
    assert rules["poor_below"] == 85 and rules["citations"]["poor_below"]["article"] == "第十七条"
    units = {u["unit"]: u for u in report["units"]}
    # 金明寺镇: 80 × 0.9 + 10 = 82 — 良好 under the default line of 80, 较差 under the region's 85
    assert units["金明寺镇"]["total"] == pytest.approx(82) and units["金明寺镇"]["grade"] == "较差"


def test_template_takes_the_region_social_maxima(region_rules_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    run("template", "--region", "佳县", "--year", "2020", "-o", str(out), "--db", str(region_rules_db))
    social = openpyxl.load_workbook(out)["社会评价"]
    notes = {social.cell(row, 1).value: social.cell(row, 6).value for row in range(2, social.max_row + 1)}
    assert notes["县财政局"] == "县直部门：同级互评≤4，上级评价≤4，各界代表≤3，群众评价≤4"
    assert notes["螅镇"] == "镇（办）：同级互评≤2，上级评价≤3，各界代表≤2，群众评价≤3"  # not stated: default


def test_score_selects_like_template(db: Path, results: tuple[Path, dict[str, int]]) -> None:
    path, _ = results
    args = ["score", "--region", "佳县", "--year", "2020", "--results", str(path), "--db", str(db)]
    # the sheet holds the assessed units' lines; scored against the breakdown alone they are unknown
    failed = run(*args, "--kind", "breakdown", code=1)
    assert "按 --kind 只含 breakdown" in failed.stderr and "指标完成情况 第3行，列 指标编号" in failed.stderr
