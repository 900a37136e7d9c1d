"""The committed example progress forms (examples/progress/README.md) give the colours the README says."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, SAMPLES
from docx import Document as DocxDocument
from openpyxl import load_workbook

from cli import cli
from ingest.pipeline import ingest_paths
from store import Store

EXAMPLES = ROOT / "examples" / "progress"
PLACE = ["--region", "佳县", "--year", "2020"]


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_examples_as_the_readme_runs_them(tmp_path: Path) -> None:
    db = tmp_path / "kaohe.db"
    store = Store(db)
    try:
        ingest_paths([SAMPLES / "佳县2020年度目标责任考核指标.docx"], store)
    finally:
        store.close()
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
