"""End to end: ingest the 柞水 办法 sample and a 佳县 notice, then `kaohe rules`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES

from cli import cli, ingest_command
from scoring.rules import PARAMS

BANFA = "柞水县年度目标责任考核工作办法.docx"
JSON_KEYS = {"field", "rule_id", "value", "source", "article", "quote", "inferred", "stated_by_document"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rules")
    for name in (BANFA, "佳县2021年度目标责任考核指标.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    db = tmp_path_factory.mktemp("rules_db") / "kaohe.db"  # not the shared basetemp: other modules use it
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def run(*args: str, code: int = 0) -> Result:
    result = CliRunner(env={"COLUMNS": "400"}).invoke(cli, ["rules", *args], catch_exceptions=False)  # a row per line
    assert result.exit_code == code, result.output
    return result


def test_region_rules_cite_the_banfa_articles(db: Path) -> None:
    output = run("--region", "柞水县", "--db", str(db)).output
    lines = {line.split()[0]: line for line in output.splitlines() if line.strip()}
    assert "60%" in lines["量化指标计分门槛（完成率）"] and "办法 第十条" in lines["量化指标计分门槛（完成率）"]
    assert "办法 第十七条（一）" in lines["较差等次分数线（低于）"]
    assert "默认（推定）" in lines["完成率计分上限"]
    assert BANFA in output  # the source file is named under the table
    assert "办法未规定、使用默认值的参数" in output and "单位加分上限" in output.split("办法未规定")[-1]


def test_region_rules_json_contract(db: Path) -> None:
    everything = json.loads(run("--region", "柞水县", "--db", str(db), "--json").stdout)
    rows = [row for row in everything if not row["field"].startswith("progress.")]  # the progress rules follow
    assert [row["field"] for row in rows] == list(PARAMS)
    assert [row["field"] for row in everything[len(rows) :]] == [
        "progress.yellow_gap", "progress.red_gap", "progress.report_day", "progress.late_deduction"
    ]  # fmt: skip
    assert all(set(row) >= JSON_KEYS for row in rows)
    by_field = {row["field"]: row for row in rows}
    town = by_field["weights.town"]
    assert town["value"] == {"target": 90.0, "social": 10.0} and town["article"] == "第九条"
    assert town["source"].endswith(BANFA) and town["stated_by_document"] and not town["inferred"]
    assert "90分" in town["quote"]
    cap = by_field["cap"]
    assert (cap["source"], cap["inferred"], cap["stated_by_document"], cap["quote"]) == ("default", True, False, None)


def test_region_without_banfa_is_all_defaults(db: Path) -> None:
    rows = json.loads(run("--region", "佳县", "--db", str(db), "--json").stdout)
    rows = [row for row in rows if not row["field"].startswith("progress.")]
    assert {row["source"] for row in rows} == {"default"}
    assert not any(row["stated_by_document"] for row in rows)
    assert "佳县未入库考核办法，全部使用默认值" in run("--region", "佳县", "--db", str(db)).output


def test_defaults_and_a_rules_file(tmp_path: Path) -> None:
    assert "默认 第二十四条（一）" in run().output
    path = tmp_path / "本县.toml"
    path.write_text("threshold = 0.65\n[weights.town]\ntarget = 80\nsocial = 20\n", "utf-8")
    rows = {row["field"]: row for row in json.loads(run("--file", str(path), "--json").stdout)}
    assert rows["threshold"]["value"] == 0.65 and rows["threshold"]["source"] == str(path)
    assert "警告：镇（办）：社会评价各项合计 10 ≠ 社会评价权重 20" in run("--file", str(path), "--json").stderr
    assert "不一致" in run("--file", str(path)).output


def test_bad_rules_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("thresold = 0.6\n", "utf-8")
    result = run("--file", str(path), code=2)
    assert "[thresold] 未知的参数" in result.output and str(path) in result.output


def test_missing_store(tmp_path: Path) -> None:
    assert "这里还没有存储" in run("--region", "柞水县", "--db", str(tmp_path / "none.db"), code=1).output
