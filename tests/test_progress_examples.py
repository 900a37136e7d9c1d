"""The committed example progress forms (examples/progress/README.md) give the colours the README says."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, SAMPLES, ingested
from docx import Document as DocxDocument
from openpyxl import load_workbook

from cli import cli

EXAMPLES = ROOT / "examples" / "progress"
PLACE = ["--region", "佳县", "--year", "2020"]


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_examples_as_the_readme_runs_them(tmp_path: Path) -> None:
    db = ingested(tmp_path / "kaohe.db", SAMPLES / "佳县2020年度目标责任考核指标.docx")
    run(db, "progress", "add", str(EXAMPLES / "2020-05-县林业局.xlsx"), "--received", "2020-06-12")
    june = [EXAMPLES / f"2020-06-{unit}.xlsx" for unit in ("县林业局", "县交通运输局", "县扶贫办")]
    run(db, "progress", "add", *map(str, june), "--received", "2020-07-14")
    corrected = run(db, "progress", "add", str(EXAMPLES / "2020-06-县林业局（更正）.xlsx"), "--received", "2020-07-15")
    assert "更正报送" in corrected

    def levels(period: str) -> dict[tuple[str, str], str]:
        rows = json.loads(run(db, "progress", "status", "--period", period, *PLACE, "--json"))
        return {(r["unit"], r["indicator"]): r["level"] for r in rows}

    may, june_levels = levels("2020-05"), levels("2020-06")
    assert may[("县林业局", "营造林面积4万亩")] == "yellow"
    assert june_levels[("县林业局", "营造林面积4万亩")] == "green"
    assert june_levels[("县交通运输局", "道路交通事故死亡人数不超过2人")] == "red"
    assert june_levels[("县交通运输局", "农村公路优、良、中等路比例达到75%")] == "green"
    assert june_levels[("县扶贫办", "脱贫攻坚工作成效")] == "green"
    late = json.loads(run(db, "progress", "late", "--period", "2020-06", *PLACE, "--json"))
    statuses = {u["unit"]: u["status"] for u in late["units"]}
    assert statuses["县人力资源和社会保障局"] == "not_reported" and "县林业局" not in statuses

    out = tmp_path / "预警单"
    made = run(db, "progress", "notice", "--period", "2020-06", *PLACE, "--dept", "县交通运输局", "--prefix", "佳考办",
               "--issued", "2020-07-20", "-o", str(out))  # fmt: skip
    assert "督办单 1 份" in made
    (notice,) = out.iterdir()
    assert notice.name.endswith("-县交通运输局-督办单.docx") and notice.name.startswith("佳考办督办〔2020〕6-")
    text = "\n".join(p.text for p in DocxDocument(str(notice)).paragraphs)
    assert "县交通运输局" in text and "佳县考核委员会办公室" in text and "2020年7月20日" in text
    cells = {c.text for t in DocxDocument(str(notice)).tables for row in t.rows for c in row.cells}
    assert any("道路交通事故死亡人数" in c for c in cells)

    summary = tmp_path / "6月汇总.xlsx"
    assert "已写入" in run(db, "progress", "summary", "--period", "2020-06", *PLACE, "-o", str(summary))
    assert load_workbook(summary).sheetnames == ["单位排名", "分类统计", "滞后指标"]
    bulletin = tmp_path / "二季度通报.docx"
    made = run(db, "progress", "bulletin", "--quarter", "2020Q2", *PLACE, "--issued", "2020-07-20", "-o", str(bulletin))
    assert "2 个月有报送" in made
    document = DocxDocument(str(bulletin))
    assert "关于佳县2020年第二季度目标责任考核指标进展情况的通报" in document.paragraphs[0].text
    assert len(document.inline_shapes) == 1


def test_an_office_figure_for_late_reports_feeds_the_results_template(tmp_path: Path) -> None:
    db = ingested(tmp_path / "kaohe.db", SAMPLES / "佳县2020年度目标责任考核指标.docx")
    run(db, "progress", "add", str(EXAMPLES / "2020-06-县林业局.xlsx"), "--received", "2020-07-20")  # 5 days late
    rules = tmp_path / "本县平时考核规则.tsv"
    rules.write_text("field\tvalue\tsource\nlate_deduction\t0.5\t佳考办发〔2020〕5号\n", encoding="utf-8")
    late = json.loads(run(db, "progress", "late", "--period", "2020-06", *PLACE, "--progress-rules", str(rules),
                          "--json"))  # fmt: skip
    forest = next(u for u in late["units"] if u["unit"] == "县林业局")
    assert (forest["status"], forest["deduction"], forest["rule"]) == ("late", 0.5, "佳考办发〔2020〕5号")
    out = tmp_path / "结果.csv"
    made = run(db, "template", *PLACE, "--progress-rules", str(rules), "-o", str(out))
    assert "逾期报送进度的扣分" in made
    text = out.read_text(encoding="utf-8-sig")
    assert "县林业局,,0.5,,2020年6月进度逾期报送（佳考办发〔2020〕5号）" in text
    assert "螅镇,,0.5,,2020年6月进度未报送（佳考办发〔2020〕5号）" in text  # an assessed town that sent nothing
    assert "县交通运输局,,0.5" not in text  # not scored by this template: no deduction here
    default = run(db, "template", *PLACE, "-o", str(out))  # the notices set no figure: nothing deducted
    assert "逾期报送进度的扣分" not in default


def test_late_deductions_read_back_as_deductions_of_the_results_sheet(tmp_path: Path) -> None:
    from scoring.results_io import read_results

    path = tmp_path / "结果.csv"
    path.write_text(
        "[负面清单扣分]\n单位,条目编号,扣分,致市考扣分(是/否),事由\n县林业局,,0.5,,2020年6月进度逾期报送（佳考办发〔2020〕5号）\n",
        encoding="utf-8-sig",
    )
    sheet = read_results(path)
    (event,) = sheet.deductions
    assert (event.unit, event.amount, event.indicator_id) == ("县林业局", 0.5, None)
    assert event.reason == "2020年6月进度逾期报送（佳考办发〔2020〕5号）"
