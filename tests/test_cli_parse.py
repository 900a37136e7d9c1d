"""``kaohe parse``: the documented JSON contract (README "JSON contracts"), the readable
outline, and help text on every command."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from cli import cli, ingest_command
from parsers import Document, parse

MAIN_DOCX = SAMPLES / "佳县2020年度目标责任考核指标.docx"
MAIN_PDF = SAMPLES / "佳县2020年度目标责任考核指标.pdf"
TITLE = "佳县考核委员会办公室关于印发《2020年度目标责任考核指标》的通知"

SOURCE_KEYS = {"path", "sha256", "format", "size", "encoding", "pages", "converted_with", "ocr_pages", "ocr_engine"}
METADATA_KEYS = {"issuer", "co_issuers", "doc_number", "title", "date", "recipients", "attachments", "cc"}
METADATA_KEYS |= {"printed_by", "printed_date", "doc_number_parts", "wenzhong", "genre", "assessment_year"}
CELL_KEYS = {"text", "row", "col", "rowspan", "colspan", "confidence"}


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), prog_name="kaohe", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


@pytest.fixture(scope="module")
def docx_json() -> tuple[str, dict[str, Any]]:
    stdout = run("parse", "--json", str(MAIN_DOCX))
    return stdout, json.loads(stdout)


@pytest.fixture(scope="module")
def pdf_json() -> dict[str, Any]:
    return json.loads(run("parse", "--json", str(MAIN_PDF)))  # type: ignore[no-any-return]


def test_top_level_keys(docx_json: tuple[str, dict[str, Any]]) -> None:
    assert list(docx_json[1]) == ["source", "metadata", "blocks", "warnings"]


def test_json_is_utf8_not_escaped(docx_json: tuple[str, dict[str, Any]]) -> None:
    stdout, _ = docx_json
    assert "佳考办发〔2020〕5号" in stdout and "\\u" not in stdout


def test_source_fingerprints_the_file(docx_json: tuple[str, dict[str, Any]]) -> None:
    source = docx_json[1]["source"]
    assert set(source) >= SOURCE_KEYS
    data = MAIN_DOCX.read_bytes()
    assert source["path"] == str(MAIN_DOCX)
    assert source["sha256"] == hashlib.sha256(data).hexdigest()
    assert (source["format"], source["size"]) == ("docx", len(data))


def test_metadata_fields(docx_json: tuple[str, dict[str, Any]]) -> None:
    meta = docx_json[1]["metadata"]
    assert set(meta) >= METADATA_KEYS
    assert (meta["issuer"], meta["co_issuers"]) == ("佳县考核委员会办公室", [])
    assert meta["doc_number"] == "佳考办发〔2020〕5号"
    assert meta["doc_number_parts"] == {"code": "佳考办发", "year": 2020, "seq": 5}
    assert (meta["title"], meta["date"]) == (TITLE, "2020-04-20")
    assert isinstance(meta["recipients"], list) and meta["recipients"]
    assert len(meta["attachments"]) == 2


def check_table(block: dict[str, Any]) -> None:
    """rows[r] lists the cells starting in row r; spans stay inside the grid; no overlaps."""
    assert set(block) >= {"rows", "n_cols", "page", "row_pages"}
    n_rows, n_cols = len(block["rows"]), block["n_cols"]
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(block["rows"]):
        for cell in row:
            assert set(cell) == CELL_KEYS
            assert isinstance(cell["text"], str)
            assert cell["row"] == r and 0 <= cell["col"] < n_cols
            assert cell["rowspan"] >= 1 and cell["colspan"] >= 1
            assert r + cell["rowspan"] <= n_rows and cell["col"] + cell["colspan"] <= n_cols
            area = {(r + i, cell["col"] + j) for i in range(cell["rowspan"]) for j in range(cell["colspan"])}
            assert not area & covered
            covered |= area


def test_blocks_are_paragraphs_and_tables(docx_json: tuple[str, dict[str, Any]]) -> None:
    blocks = docx_json[1]["blocks"]
    assert {b["type"] for b in blocks} == {"paragraph", "table"}
    for block in blocks:
        if block["type"] == "paragraph":
            assert isinstance(block["text"], str) and block["text"]
        else:
            check_table(block)


def test_first_table_header_is_row_0_and_merges_are_spans(docx_json: tuple[str, dict[str, Any]]) -> None:
    table = next(b for b in docx_json[1]["blocks"] if b["type"] == "table")
    assert [c["text"] for c in table["rows"][0]] == ["考核内容", "考核指标", "责任单位"]
    category = table["rows"][1][0]
    assert (category["text"], category["row"], category["col"]) == ("经济发展\n（20分）", 1, 0)
    assert category["rowspan"] == 12 and category["colspan"] == 1
    assert 0 not in [c["col"] for c in table["rows"][2]]  # covered by the category cell: no cell there


def test_pdf_json_has_pages(pdf_json: dict[str, Any]) -> None:
    assert pdf_json["source"]["format"] == "pdf" and pdf_json["source"]["pages"] >= 10
    tables = [b for b in pdf_json["blocks"] if b["type"] == "table"]
    for table in tables:
        check_table(table)
        assert len(table["row_pages"]) == len(table["rows"]) and table["page"] == table["row_pages"][0]
    assert all(isinstance(b["page"], int) for b in pdf_json["blocks"])
    assert pdf_json["warnings"] == []


def test_json_round_trips_to_the_document(docx_json: tuple[str, dict[str, Any]]) -> None:
    assert Document.model_validate_json(docx_json[0]) == parse(MAIN_DOCX)


def test_warnings_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "named.docx"
    path.write_text("关于印发考核办法的通知\n", encoding="utf-8")
    warnings = json.loads(run("parse", "--json", str(path)))["warnings"]
    assert [(w["code"], set(w)) for w in warnings] == [("extension_mismatch", {"code", "message", "page"})]


def test_outline_shows_title_and_tables() -> None:
    outline = run("parse", str(MAIN_DOCX))
    assert f"  标题：{TITLE}" in outline.splitlines()
    assert re.search(r"^\[\d+\] 表格 49 行 × 3 列$", outline, re.M)
    assert re.search(r"^\s+0 \| c0 考核内容 \| c1 考核指标 \| c2 责任单位$", outline, re.M)


# --- help ---------------------------------------------------------------------------------------


def test_top_level_help_lists_every_command() -> None:
    output = run("--help")
    assert output.startswith("用法: kaohe ")
    for name in cli.commands:
        assert re.search(rf"^\s+{name}\s+\S", output, re.M), f"{name} missing from kaohe --help"


@pytest.mark.parametrize("name", sorted(cli.commands))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help_text(name: str, flag: str) -> None:
    command = cli.commands[name]
    assert command.help and command.help.strip(), f"kaohe {name} has no docstring"
    output = run(name, flag)
    assert output.startswith(f"用法: kaohe {name} ")
    first_line = command.help.strip().splitlines()[0]
    assert "".join(first_line.split()) in "".join(output.split())  # the help re-wraps the text
    assert "示例：" in output


def test_kaohe_ingest_entry_point_has_help() -> None:
    result = CliRunner().invoke(ingest_command, ["--help"], prog_name="kaohe-ingest", catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("用法: kaohe-ingest ")
    assert isinstance(ingest_command, click.Command) and ingest_command.help
