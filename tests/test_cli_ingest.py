"""End to end: `kaohe-ingest samples/` then the query commands, through click's CliRunner."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES

from cli import cli, ingest_command

FORMATS = (".docx", ".pdf", ".html", ".txt", ".doc")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """The samples ingested once (without the LibreOffice formats where LibreOffice is missing)."""
    folder = tmp_path_factory.mktemp("samples")
    for path in SAMPLES.iterdir():
        if path.suffix in (".doc", ".wps") and shutil.which("soffice") is None:
            continue
        if path.is_file() and path.suffix != ".md":
            shutil.copy(path, folder / path.name)
    db = tmp_path_factory.mktemp("store") / "kaohe.db"  # its own: the base folder is shared by modules
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db, result


@pytest.fixture(scope="module")
def db(ingested: tuple[Path, Result]) -> Path:
    return ingested[0]


def run(*args: str) -> Result:
    result = CliRunner(env={"COLUMNS": "400"}).invoke(cli, list(args), catch_exceptions=False)  # a row per line
    assert result.exit_code == 0, result.output
    return result


def owner_json(db: Path, query: str) -> list[dict[str, object]]:
    return json.loads(run("owner", query, "--db", str(db), "--json").stdout)  # type: ignore[no-any-return]


def by_format(answers: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    """Each file's citation (an answer's source or one of its copies) by format, with the answer's fields."""
    return {
        Path(src["file"]).suffix: {**a, "source": src}  # type: ignore[dict-item]
        for a in answers
        for src in [a["source"], *a["copies"]]  # type: ignore[list-item]
    }


def test_ingest_summary_then_nothing_to_do(ingested: tuple[Path, Result]) -> None:
    db, first = ingested
    expected_files = len([p for p in SAMPLES.iterdir() if p.suffix != ".md"])
    if shutil.which("soffice") is None:
        expected_files -= 2
    assert f"共 {expected_files} 个文件：导入 {expected_files} 个，未变 0 个，重复 0 个，失败 0 个" in first.stdout
    assert "2020年度市考核县指标任务分解 / 生态文明：写明 20 分，各项合计 19 分" in first.stdout
    (stored,) = sqlite3.connect(db).execute("select path from documents limit 1").fetchone()
    again = CliRunner().invoke(ingest_command, [str(Path(stored).parent), "--db", str(db)])
    assert again.exit_code == 0
    assert f"共 {expected_files} 个文件：导入 0 个，未变 {expected_files} 个" in again.stdout


@pytest.mark.parametrize(
    ("query", "lead", "points", "kind", "inherited"),
    [
        ("营造林面积", "县林业局", 2, "indicator", False),
        ("全社会固定资产投资", "县发展改革和科技局", 6, "indicator", True),
        ("隐性债务", "县财政局", -0.5, "deduction", False),
    ],
)
def test_owner_answers_the_same_from_every_format(
    db: Path, query: str, lead: str, points: float, kind: str, inherited: bool
) -> None:
    answers = [a for a in owner_json(db, query) if a["framework"]["assessee"] is None]  # type: ignore[index]
    found = by_format(answers)
    expected = [f for f in FORMATS if f != ".doc" or shutil.which("soffice")]
    assert sorted(found) == sorted(expected)
    for suffix, answer in found.items():
        assert (answer["lead"], answer["points"], answer["kind"], answer["inherited"]) == (
            lead,
            points,
            kind,
            inherited,
        ), suffix
        assert answer["framework"]["region"] == "佳县" and answer["framework"]["year"] == 2020  # type: ignore[index]


def test_owner_json_contract(db: Path) -> None:
    (answer, *_) = owner_json(db, "营造林面积")
    assert set(answer) >= {
        "indicator", "points", "kind", "lead", "lead_as_written", "role", "cooperating", "inherited",
        "category", "framework", "source",
    }  # fmt: skip
    assert set(answer["framework"]) >= {"id", "title", "region", "year", "assessee"}  # type: ignore[arg-type]
    assert set(answer["source"]) >= {"file", "page", "table", "row"}  # type: ignore[arg-type]
    assert answer["role"] == "responsible" and answer["category"] == "生态文明"
    pdf = by_format(owner_json(db, "营造林面积"))[".pdf"]
    assert isinstance(pdf["source"]["page"], int)  # type: ignore[index]


def test_owner_table_cites_every_copy_once(db: Path) -> None:
    out = run("owner", "营造林面积", "--db", str(db)).stdout
    line = next(line for line in out.splitlines() if line.startswith("营造林面积4万亩") and "佳县 2020" in line)
    assert "县林业局" in line and "佳县2020年度目标责任考核指标." in line and "html" in line and "表1行38" in line


def test_dept_accepts_an_alias_per_region(db: Path) -> None:
    for region, bureau in (("佳县", "县发展改革和科技局"), ("柞水县", "县发展和改革局")):  # one short form, two bureaus
        answers = json.loads(run("dept", "县发改局", "--region", region, "--db", str(db), "--json").stdout)
        assert {(a["framework"]["region"], a["lead"]) for a in answers} == {(region, bureau)}
    both = CliRunner().invoke(cli, ["dept", "县发改局", "--db", str(db), "--json"])
    assert both.exit_code == 1 and both.stdout == ""  # never merged on a guess
    table = run("dept", "县林业局", "--db", str(db)).stdout
    own = "本单位考核表：承担 10 项，计 100 分（满分 100 分）"
    assert f"【县直部门目标责任考核指标】佳县 2020 县林业局 — {own}" in table


def test_frameworks_json_contract(db: Path) -> None:
    items = json.loads(run("frameworks", "--db", str(db), "--json").stdout)
    assert set(items[0]) >= {"id", "title", "region", "year", "assessee", "document", "indicators"}
    city = [f for f in items if f["title"] == "2020年度市考核县指标任务分解"]
    assert {f["indicators"] for f in city} == {48}
    assert run("frameworks", "--db", str(db), "--region", "柞水县").stdout.count("柞水县") >= 4


def test_search_and_warnings(db: Path) -> None:
    assert "未完成隐性债务化解任务的" in run("search", "债务", "--db", str(db)).stdout
    warnings = json.loads(run("warnings", "--db", str(db), "--json", "--document", "佳县").stdout)
    ecology = "2020年度市考核县指标任务分解 / 生态文明：写明 20 分，各项合计 19 分"
    assert {"code": "points_mismatch", "message": ecology} in [{k: w[k] for k in ("code", "message")} for w in warnings]


def test_a_bad_file_fails_alone_with_a_clear_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "佳县2020年度目标责任考核指标.txt", folder / "good.txt")
    (folder / "bad.pdf").write_bytes(b"\x00\x01 not a pdf at all")
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 1
    assert "错误：" in result.stderr and "bad.pdf：不是有效的 .pdf 文件" in result.stderr
    assert "Traceback" not in result.output
    assert "导入 1 个" in result.stdout and "失败 1 个" in result.stdout


def test_queries_without_a_store_say_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["owner", "营造林", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "这里还没有存储；请先运行 kaohe-ingest" in result.stderr


@pytest.mark.parametrize("command", ["parse", "ingest", "owner", "dept", "frameworks", "search", "warnings"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert "示例：" in result.stdout


def test_dept_lists_mentions_in_prose(db: Path) -> None:
    out = run("dept", "县纪委", "--db", str(db)).stdout
    assert "正文提及" in out and "县纪委（监委）" in out
    assert "党风廉政建设  40" in out
