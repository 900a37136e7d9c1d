"""Issue 12 end to end: the reading of a real table explained, assessors stored and asked for,
and a file without an assessment table reported rather than silently added."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from real_set import REAL

from cli import cli, ingest_command

WENZHOU = REAL / "zj-2012-county-dept-projects" / "notice.docx"  # 总牵头单位 beside 考核责任单位


def run(*args: str) -> str:
    result = CliRunner(env={"COLUMNS": "400"}).invoke(cli, list(args), prog_name="kaohe", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_explain_table_names_each_column_role_with_its_evidence() -> None:
    out = run("parse", "--explain-table", str(WENZHOU))
    assert "【2012年度工作绩效考核项目表】表1，9 项指标" in out
    lines = {line.split()[1]: line for line in out.splitlines() if line[:1].isdigit()}
    assert "责任单位" in lines["总牵头单位"] and "9/9 个为单位名称" in lines["总牵头单位"]
    assert "考核单位" in lines["考核责任单位"] and "表头“考核责任单位”" in lines["考核责任单位"]
    assert "评分标准" in lines["赋分办法"]


def test_explain_table_json_contract() -> None:
    (reading,) = json.loads(run("parse", "--explain-table", "--json", str(WENZHOU)))
    assert set(reading) == {"framework", "title", "kind", "tables", "indicators", "margin", "columns", "warnings"}
    column = reading["columns"][4]
    assert set(column) == {"col", "header", "role", "score", "runner_up", "margin", "evidence"}
    assert (column["header"], column["role"]) == ("总牵头单位", "responsible")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("columns") / "k.db"
    result = CliRunner().invoke(ingest_command, [str(WENZHOU), "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def test_owner_json_carries_assessors_apart_from_cooperating_units(db: Path) -> None:
    (answer,) = json.loads(run("owner", "学习型机关", "--db", str(db), "--json"))
    assert (answer["lead"], answer["cooperating"]) == ("县委宣传部", [])
    assert answer["assessors"] == ["县委办公室", "县府办", "县监察局"]
    assert answer["criteria"] == "按排名赋分"


def test_dept_of_an_assessor_lists_what_it_assesses_without_counting_it_as_its_own(db: Path) -> None:
    out = run("dept", "县监察局", "--db", str(db))
    assert "  任务分解 · 2012年度工作绩效考核项目表：负责考核 3 项\n" in out  # counted, never scored
    assert "考核" in out


def test_a_file_without_an_assessment_table_says_so(tmp_path: Path) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text("关于召开考核工作会议的通知\n\n各单位：\n定于下周一召开会议。\n", encoding="utf-8")
    result = CliRunner().invoke(ingest_command, [str(notice), "--db", str(tmp_path / "k.db")], catch_exceptions=False)
    assert result.exit_code == 0
    assert "已导入（0 项指标）" in result.stdout
    assert "0 项指标：未识别出考核指标表（文中没有表格）" in result.stdout


def test_the_web_framework_page_shows_how_its_columns_were_read(db: Path) -> None:
    from web.app import create_app

    client = create_app(db).test_client()
    page = client.get("/framework/1").get_data(as_text=True)
    assert "各列读法" in page
    assert "<td>总牵头单位</td><td>责任单位</td>" in page and "<td>考核责任单位</td><td>考核单位</td>" in page
