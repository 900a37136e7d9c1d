"""CLI tables fit the terminal by wrapping, never by cutting (issue 14 point 6)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from cli import cli, ingest_command
from textview.table import column_widths, display_width, render_table, terminal_width, wrap

SOURCE = "佳县2020年度目标责任考核指标.docx|html|pdf|txt 表1行38（pdf 第4页）"
ROWS = [
    ("营造林面积：完成营造林面积4万亩以上，其中人工造林2万亩", 2, "县林业局", "县自然资源局、各乡镇", SOURCE),
    ("安全生产：见专项责任书。", 3, "县应急管理局", "", "柞水县2022年度考核指标申报通知.html 表1行2"),
]
HEADERS = ["指标", "分值", "牵头单位", "配合单位", "来源"]


def cells_of(table: str) -> list[list[str]]:
    """The table read back: each row's cells, their wrapped lines joined (spaces dropped)."""
    lines = table.splitlines()
    spans, at = [], 0
    for dashes in lines[1].split("  "):
        spans.append((at, at + len(dashes)))
        at += len(dashes) + 2
    rows: list[list[str]] = []
    for line in ["", *lines[2:]]:
        if not line:
            rows.append([""] * len(spans))
            continue
        position = 0
        for ch in line:
            column = next(i for i, (start, end) in enumerate(spans) if position < end)
            rows[-1][column] += ch
            position += display_width(ch)
    return [[cell.replace(" ", "") for cell in row] for row in rows]


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_every_line_fits_and_nothing_is_cut(width: int) -> None:
    table = render_table(HEADERS, ROWS, width=width)
    assert max(display_width(line) for line in table.splitlines()) <= width
    expected = [[str(value).replace(" ", "") for value in row] for row in ROWS]
    assert cells_of(table) == expected


def test_a_wide_terminal_keeps_each_row_on_one_line() -> None:
    table = render_table(HEADERS, ROWS, width=300)
    assert len(table.splitlines()) == 2 + len(ROWS)
    assert SOURCE in table


def test_wrapped_rows_are_separated_and_keep_citations_and_extensions_whole() -> None:
    lines = render_table(HEADERS, ROWS, width=80).splitlines()
    assert "" in lines  # a blank line between rows that take several lines
    text = "\n".join(lines)
    assert all(word in text for word in (".docx", "|html", "|pdf", "|txt", "表1行38", "第4页"))  # broken only between


def test_wrap_breaks_chinese_anywhere_and_latin_words_only_when_they_are_too_long() -> None:
    assert wrap("营造林面积4万亩以上", 6) == ["营造林", "面积4", "万亩以", "上"]
    assert wrap("见 a.docx|html", 8) == ["见 a", ".docx", "|html"]  # longer than a line: broken before . and |
    assert wrap("abcdefghijkl", 5) == ["abcde", "fghij", "kl"]  # and by characters when nothing else helps
    assert wrap("一二三四五六七八九十，十一", 20) == ["一二三四五六七八九", "十，十一"]  # no line starts with ，
    assert wrap("名称 report.docx", 12) == ["名称", "report.docx"]
    assert wrap("第一行\n第二行", 20) == ["第一行", "第二行"]


def test_narrow_columns_keep_their_width_and_the_widest_share_what_is_left() -> None:
    assert column_widths([4, 40, 30], [4, 6, 6], 50) == [4, 23, 23]
    assert column_widths([4, 10], [4, 6], 50) == [4, 10]
    assert column_widths([20, 20], [6, 6], 4) == [6, 6]  # never below the floor


def test_terminal_width_is_columns_or_100_for_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    assert terminal_width() == 72
    monkeypatch.delenv("COLUMNS")
    assert terminal_width() == 100  # pytest captures stdout: not a terminal


@pytest.mark.parametrize("columns", [70, 100, 160])
def test_owner_output_fits_the_terminal(tmp_path_factory: pytest.TempPathFactory, columns: int) -> None:
    folder = tmp_path_factory.mktemp("notice")
    for suffix in ("docx", "txt"):
        name = f"佳县2020年度目标责任考核指标.{suffix}"
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    db = folder / "k.db"
    CliRunner().invoke(ingest_command, [str(folder), "--db", str(db), "-s"], catch_exceptions=False)
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(cli, ["owner", "营造林", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert max(display_width(line) for line in result.stdout.splitlines()) <= columns
    if columns >= 100:
        assert ".docx|txt" in result.stdout  # the copies' extensions are never cut


def test_a_terminal_narrower_than_a_character_still_ends() -> None:
    assert wrap("中文", 1) == ["中", "文"]
    assert render_table(["表头"], [("中文abc",)], width=3)
