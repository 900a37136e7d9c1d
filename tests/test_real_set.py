"""Table understanding on real notices from other provinces (tests/data/real/, issue 12).

Every file is ingested through the whole pipeline and every hand-written expected row is asked
for by its own words, as ``kaohe owner`` does; see ``real_set.py`` for the comparison. The goal
of the issue is the floor here: 90 % of rows found with the right points, lead, cooperating units
and category in .docx/.html/.pdf, and in tables copied from web pages 80 % found with the right
lead. Text with no cell boundaries at all must say that it gave nothing.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from real_set import REAL, FileReport, evaluate, folders, summary

ROW_FLOOR = 0.90  # rows found by their own words with the right points, lead, cooperating units and category
WEB_TEXT_FLOOR = 0.80  # copied web text: rows found by their own words with the right lead
FOLDERS = [folder.name for folder, _ in folders()]


@cache
def reports() -> tuple[FileReport, ...]:
    return tuple(evaluate())


def test_the_set_has_real_tables_from_several_provinces() -> None:
    provinces = {data["province"] for _, data in folders()}
    assert len(FOLDERS) >= 8 and len(provinces) >= 4


@pytest.mark.parametrize("name", FOLDERS)
def test_each_folder_says_where_it_came_from_and_what_to_expect(name: str) -> None:
    folder = REAL / name
    source = (folder / "SOURCE.md").read_text(encoding="utf-8")
    assert "http" in source  # the address it was rebuilt from
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert expected["rows"] and all(row["indicator"] for row in expected["rows"])
    assert all((folder / f).exists() for f in expected["files"])


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_rows_are_found_with_the_right_points_owners_and_category(fmt: str) -> None:
    shares = summary([r for r in reports() if r.format == fmt])[fmt]
    wrong = [f"{r.folder}: {row.indicator[:20]} {[k for k, ok in row.checks.items() if not ok]}"
             for r in reports() if r.format == fmt for row in r.rows if not row.correct]  # fmt: skip
    assert shares["correct"] >= ROW_FLOOR, "\n".join(wrong)


def test_tables_copied_from_web_pages_find_rows_with_their_lead() -> None:
    """Web text in the forms a copied table takes: ``|`` rows or cells, one cell per line, TAB rows."""
    shares = summary([r for r in reports() if r.bucket == "web"])["web"]
    assert shares["found_with_lead"] >= WEB_TEXT_FLOOR


def test_web_text_without_cell_boundaries_is_reported_not_guessed() -> None:
    """A page flattened to one line, cells split by spaces only, a PDF's column blocks: no table is invented."""
    flat = [r for r in reports() if r.bucket == "flat"]
    assert flat and all(any(w.startswith("0 项指标") for w in r.warnings) for r in flat)
    assert not any(row.checks["found"] for r in flat for row in r.rows)


@pytest.mark.parametrize("name", FOLDERS)
def test_the_same_notice_gives_the_same_answers_in_docx_and_html(name: str) -> None:
    """Both are rebuilt from one spec with the same merged cells: whatever is read must be read alike.
    (A PDF may join a cell's lines, ``区政府办⏎区协调办`` → one name: not held to this.)"""
    by_format = {r.format: [(row.indicator, row.checks) for row in r.rows] for r in reports() if r.folder == name}
    assert by_format["docx"] == by_format["html"]


def test_a_file_with_no_recognised_table_says_so() -> None:
    """Every real file yields indicators; none is 'added' silently with nothing in it."""
    silent = [
        f"{r.folder}/{r.file}"
        for r in reports()
        if r.status in ("added", "replaced")
        and not any(row.checks["found"] for row in r.rows)
        and not any("0 项指标" in w for w in r.warnings)
    ]
    assert silent == []
