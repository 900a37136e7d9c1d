"""``kaohe progress`` end to end on the 佳县 2020 sample: forms out, filled forms back, the colours, late units."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES, ingested

from cli import cli
from store import Store
from store.progress_queries import reports

MAIN = SAMPLES / "佳县2020年度目标责任考核指标.docx"
PLACE = ["--region", "佳县", "--year", "2020"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested(tmp_path_factory.mktemp("progress") / "kaohe.db", MAIN)


@pytest.fixture
def fresh(db: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the ingested store, so each test starts without reports."""
    copy = tmp_path / "kaohe.db"
    copy.write_bytes(db.read_bytes())
    yield copy


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def form(db: Path, folder: Path, dept: str, period: str = "2020-06") -> Path:
    result = run("progress", "template", "--period", period, *PLACE, "--dept", dept, "-o", str(folder / "表.xlsx"),
                 "--db", str(db))  # fmt: skip
    assert result.exit_code == 0, result.output
    return folder / "表.xlsx"


def fill(path: Path, values: dict[str, tuple[object, object, object]]) -> Path:
    """Fill the rows whose 考核指标 starts with a key: (累计完成值, 完成率(%), 进展情况)."""
    book = openpyxl.load_workbook(path)
    filled = set()
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows(min_row=3):
            text = str(row[2].value or "")
            for key, (actual, pct, progress) in values.items():
                if text.startswith(key):
                    row[4].value, row[5].value, row[6].value = actual, pct, progress
                    filled.add(key)
    assert filled == set(values), f"not in the form: {set(values) - filled}"
    book.save(path)
    return path


def status(db: Path, *args: str) -> dict[str, dict[str, object]]:
    result = run("progress", "status", "--period", "2020-06", *PLACE, "--json", "--db", str(db), *args)
    assert result.exit_code == 0, result.output
    return {f"{r['unit']}|{r['indicator'][:8]}": r for r in json.loads(result.stdout)}


def test_template_lists_every_unit_with_its_indicators(db: Path, tmp_path: Path) -> None:
    result = run("progress", "template", "--period", "2020-06", *PLACE, "-o", str(tmp_path / "6月.xlsx"),
                 "--db", str(db))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "报送截止 2020-07-15" in result.output
    book = openpyxl.load_workbook(tmp_path / "6月.xlsx")
    assert book.sheetnames[0] == "说明" and "县林业局" in book.sheetnames
    rows = [r for r in book["县林业局"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert any(str(r[2]).startswith("营造林面积4万亩") and r[3] == "营造林面积4万亩" for r in rows)
    csv = run("progress", "template", "--period", "2020-06", *PLACE, "-o", str(tmp_path / "6月.csv"), "--db", str(db))
    assert csv.exit_code == 0
    assert (
        (tmp_path / "6月.csv")
        .read_bytes()
        .startswith("\ufeff指标编号,单位,考核指标,目标值,累计完成值,完成率(%),进展情况,存在问题,下步措施".encode())
    )


def test_reports_read_back_give_the_three_colours(fresh: Path, tmp_path: Path) -> None:
    forest = fill(form(fresh, tmp_path, "县林业局"), {"营造林面积4万亩": (1.2, None, "春季造林完成")})
    assert run("progress", "add", str(forest), "--received", "2020-07-10", "--db", str(fresh)).exit_code == 0
    traffic = fill(form(fresh, tmp_path, "县交通运输局"), {"道路交通事故死亡人数不超过2人": (3, None, None)})
    assert run("progress", "add", str(traffic), "--received", "2020-07-14", "--db", str(fresh)).exit_code == 0
    poverty = fill(form(fresh, tmp_path, "县扶贫办"), {"脱贫攻坚工作成效": (None, None, "按计划推进")})
    assert run("progress", "add", str(poverty), "--received", "2020-07-15", "--db", str(fresh)).exit_code == 0
    rows = status(fresh)
    forest_row = rows["县林业局|营造林面积4万亩"]
    assert (forest_row["completion_pct"], forest_row["expected_pct"], forest_row["level"]) == (30, 50, "yellow")
    assert forest_row["reported_at"] == "2020-07-10" and forest_row["on_time"]
    assert rows["县交通运输局|道路交通事故死亡"]["level"] == "red"  # a ceiling exceeded
    assert rows["县扶贫办|脱贫攻坚工作成效"]["level"] == "green"  # qualitative: by its reported progress
    assert rows["县林业局|新建矮化密植示范"]["level"] == "missing"
    for key in ("indicator_id", "indicator", "unit", "target", "actual", "completion_pct", "expected_pct", "level"):
        assert key in forest_row
    red = status(fresh, "--level", "red")
    assert list(red) == ["县交通运输局|道路交通事故死亡"]


def test_a_corrected_form_replaces_the_earlier_one_and_keeps_it(fresh: Path, tmp_path: Path) -> None:
    first = fill(form(fresh, tmp_path, "县林业局"), {"营造林面积4万亩": (1.2, None, None)})
    assert run("progress", "add", str(first), "--received", "2020-07-10", "--db", str(fresh)).exit_code == 0
    again = fill(form(fresh, tmp_path, "县林业局"), {"营造林面积4万亩": (2.4, None, None)})
    result = run("progress", "add", str(again), "--received", "2020-07-12", "--db", str(fresh))
    assert result.exit_code == 0 and "更正报送" in result.output
    assert status(fresh)["县林业局|营造林面积4万亩"]["level"] == "green"  # 60 % of the year's target, 50 % due
    store = Store(fresh, read_only=True)
    try:
        history = reports(store.db, period="2020-06", unit="县林业局", current_only=False)
    finally:
        store.close()
    assert sorted((r.actual, r.current) for r in history if r.actual is not None) == [(1.2, False), (2.4, True)]


def test_a_bad_form_stores_nothing_and_names_every_cell(fresh: Path, tmp_path: Path) -> None:
    path = fill(form(fresh, tmp_path, "县林业局"), {"营造林面积4万亩": ("很多", 2000, None)})
    result = run("progress", "add", str(path), "--db", str(fresh))
    assert result.exit_code == 1
    assert "未存入任何内容" in result.stderr
    assert (
        "工作表「县林业局」第" in result.stderr
        and "「累计完成值」" in result.stderr
        and "「完成率(%)」" in result.stderr
    )
    assert all(r["level"] == "missing" for r in status(fresh).values())


def test_a_unit_reporting_for_an_indicator_it_does_not_own_is_refused(fresh: Path, tmp_path: Path) -> None:
    path = fill(form(fresh, tmp_path, "县林业局"), {"营造林面积4万亩": (1, None, None)})
    book = openpyxl.load_workbook(path)
    sheet = book["县林业局"]
    sheet.protection.sheet = False
    sheet["B3"] = "县财政局"
    book.save(path)
    result = run("progress", "add", str(path), "--db", str(fresh))
    assert result.exit_code == 1 and "县财政局" in result.stderr


def test_late_lists_units_not_reported_by_the_15th(fresh: Path, tmp_path: Path) -> None:
    forest = fill(form(fresh, tmp_path, "县林业局"), {"营造林面积4万亩": (1.2, None, None)})
    assert run("progress", "add", str(forest), "--received", "2020-07-10", "--db", str(fresh)).exit_code == 0
    traffic = fill(form(fresh, tmp_path, "县交通运输局"), {"道路交通事故死亡人数不超过2人": (1, None, None)})
    assert run("progress", "add", str(traffic), "--received", "2020-07-20", "--db", str(fresh)).exit_code == 0
    result = run("progress", "late", "--period", "2020-06", *PLACE, "--json", "--db", str(fresh))
    assert result.exit_code == 0, result.output
    late = json.loads(result.stdout)
    assert late["deadline"] == "2020-07-15"
    units = {u["unit"]: u["status"] for u in late["units"]}
    assert "县林业局" not in units
    assert units["县交通运输局"] == "late" and units["县人力资源和社会保障局"] == "not_reported"
    text = run("progress", "late", "--period", "2020-06", *PLACE, "--db", str(fresh))
    assert "逾期报送" in text.output and "宁办字〔2019〕88号" in text.output


def test_rules_show_the_progress_thresholds_with_their_source() -> None:
    result = run("rules")
    assert result.exit_code == 0
    assert "平时考核（月度进度、三色预警）参数" in result.output and "宁办字〔2019〕88号" in result.output
    fields = {r["field"] for r in json.loads(run("rules", "--json").stdout)}
    assert {"progress.yellow_gap", "progress.red_gap", "progress.report_day"} <= fields


def test_bad_period_is_one_chinese_error_line() -> None:
    result = run("progress", "status", "--period", "2020-13", *PLACE)
    assert result.exit_code == 2 and "月份应在 1 到 12 之间" in result.output


def test_year_end_template_takes_the_latest_progress_report(fresh: Path, tmp_path: Path) -> None:
    for period, actual in (("2020-06", 1.2), ("2020-11", 3.9)):
        path = fill(form(fresh, tmp_path, "县林业局", period), {"营造林面积4万亩": (actual, None, None)})
        assert run("progress", "add", str(path), "--db", str(fresh)).exit_code == 0
    out = tmp_path / "结果.csv"
    result = run("template", *PLACE, "--kind", "breakdown", "-o", str(out), "--db", str(fresh))
    assert result.exit_code == 0, result.output
    assert "1 行的完成值取自最近一次月度进度报送" in result.output
    line = next(r for r in out.read_text(encoding="utf-8-sig").splitlines() if "营造林面积4万亩" in r)
    assert ",3.9," in line and "取自 2020-11 月度进度报送" in line


def test_a_schedule_sets_what_is_expected(fresh: Path, tmp_path: Path) -> None:
    forest = fill(form(fresh, tmp_path, "县林业局"), {"营造林面积4万亩": (1.2, None, None)})
    assert run("progress", "add", str(forest), "--received", "2020-07-10", "--db", str(fresh)).exit_code == 0
    indicator = status(fresh)["县林业局|营造林面积4万亩"]["indicator_id"]
    plan = tmp_path / "计划.csv"
    plan.write_text(f"指标编号,一季度,二季度,三季度,四季度\n{indicator},0,30%,70,100\n", encoding="utf-8-sig")
    row = status(fresh, "--schedule", str(plan))["县林业局|营造林面积4万亩"]
    assert (row["expected_pct"], row["level"]) == (30, "green")  # 30 % done, 30 % planned by June
    may = run("progress", "status", "--period", "2020-05", *PLACE, "--schedule", str(plan), "--json", "--db",
              str(fresh))  # fmt: skip
    expected = {r["indicator_id"]: r["expected_pct"] for r in json.loads(may.stdout) if r["unit"] == "县林业局"}
    assert expected[indicator] == 20  # two thirds of the way from 0 (March) to 30 (June)
    plan.write_text("指标编号,二季度\nabc,30\n", encoding="utf-8-sig")
    bad = run("progress", "status", "--period", "2020-06", *PLACE, "--schedule", str(plan), "--db", str(fresh))
    assert bad.exit_code == 1 and "第 2 行「指标编号」：abc 不是编号" in bad.output


def test_a_zip_bomb_posing_as_a_form_is_refused_before_it_is_opened(fresh: Path, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "2020-06-县林业局.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 2**20))  # 300 MB of zeros, ~300 KB on disk
    result = run("progress", "add", str(path), "--db", str(fresh))
    assert result.exit_code == 1 and "超出限制" in result.stderr and "未存入任何内容" in result.stderr


def test_a_file_that_is_no_workbook_is_one_error_not_a_traceback(fresh: Path, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "2020-06-县林业局.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("说明.txt", "这不是工作簿")
    result = run("progress", "add", str(path), "--db", str(fresh))
    assert result.exit_code == 1 and not isinstance(result.exception, KeyError)
    assert "无法读取工作簿" in result.stderr and "未存入任何内容" in result.stderr


def test_the_cli_offers_the_levels_the_judge_gives() -> None:
    from commands.progress import LEVELS as OFFERED
    from progress.levels import LEVELS

    assert OFFERED == LEVELS
