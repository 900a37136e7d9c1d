"""The committed sample notices: present, recognised, and holding the tables they claim.

The cross-format comparison of parsed content lives elsewhere; these tests read the files
with python-docx and plain string handling only, so they stay independent of the parsers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from docx import Document as open_docx
from docx.oxml.ns import qn

from parsers.detect import detect_format

MAIN = "佳县2020年度目标责任考核指标"
ZHASHUI = "柞水县2022年度考核指标申报通知"
RULES = "柞水县年度目标责任考核工作办法"
MAIN_2021 = "佳县2021年度目标责任考核指标"  # the 2020 市考 table with the documented changes (kaohe diff)

# fmt: off
DETECTED = (
    (f"{MAIN}.docx", "docx"),
    (f"{MAIN}.pdf", "pdf"),
    (f"{MAIN}.txt", "txt"),
    (f"{MAIN}.html", "html"),
    (f"{MAIN}.doc", "doc"),
    (f"{ZHASHUI}.html", "html"),
    (f"{ZHASHUI}.txt", "txt"),
    (f"{RULES}.docx", "docx"),
    (f"{RULES}.wps", "wps"),
    (f"{MAIN_2021}.docx", "docx"),
    (f"{MAIN_2021}.txt", "txt"),
    (f"{MAIN}（扫描件）.pdf", "pdf"),  # pages 1–7 as a copier's image-only scan (scripts/make_scans.py)
)
# table index → (rows incl. header, columns): 市考 48+1, 负面清单 40+1, seven towns 20+1, three departments
MAIN_TABLE_SHAPES = ((49, 3), (41, 4), *((21, 3),) * 7, (15, 3), (14, 3), (12, 3))
TOWNS = ("螅镇", "坑镇", "店镇", "乌镇", "金明寺镇", "通镇", "王家砭镇")
TOWN_TABLES = slice(2, 9)
DEPARTMENT_TABLES = slice(9, None)
# fmt: on


@pytest.mark.parametrize(("name", "fmt"), DETECTED)
def test_sample_is_detected_as_its_format(name: str, fmt: str) -> None:
    path = SAMPLES / name
    with path.open("rb") as f:
        head = f.read(8192)
    assert detect_format(path, head) == fmt


def test_samples_stay_small_and_documented() -> None:
    files = [p for p in SAMPLES.iterdir() if p.is_file()]
    assert {name for name, _ in DETECTED} | {"README.md"} == {p.name for p in files}
    assert sum(p.stat().st_size for p in files) < 2_500_000  # the 7-page scan is 1 MB of it


@pytest.fixture(scope="module")
def main_docx():  # type: ignore[no-untyped-def]
    return open_docx(str(SAMPLES / f"{MAIN}.docx"))


def test_main_docx_table_shapes(main_docx) -> None:  # type: ignore[no-untyped-def]
    shapes = tuple((len(t.rows), len(t.columns)) for t in main_docx.tables)
    assert shapes == MAIN_TABLE_SHAPES


def test_main_docx_merges_are_real(main_docx) -> None:  # type: ignore[no-untyped-def]
    city = main_docx.tables[0]
    # 6 category cells start a vertical merge; the 固定资产投资 row inherits its owner from the row above.
    first_cells = [row._tr.findall(qn("w:tc"))[0] for row in city.rows]
    assert sum(1 for tc in first_cells if _vmerge(tc) == "restart") == 6
    assert _vmerge(city.rows[2]._tr.findall(qn("w:tc"))[2]) == "continue"
    assert city.cell(2, 2).text == city.cell(1, 2).text == "县发展改革和科技局"
    assert city.cell(2, 1).text == "全社会固定资产投资增长12%（6分）"
    # 合计 spans 类别 + 考核内容 in every department table.
    for table in main_docx.tables[DEPARTMENT_TABLES]:
        last = table.rows[-1]._tr.findall(qn("w:tc"))
        assert len(last) == 2 and last[0].find(qn("w:tcPr")).find(qn("w:gridSpan")).get(qn("w:val")) == "2"
        assert table.rows[-1].cells[-1].text == "100"


def test_main_docx_header_rows_repeat(main_docx) -> None:  # type: ignore[no-untyped-def]
    for table in main_docx.tables:
        flags = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
        assert flags[0] and not any(flags[1:])


def test_main_docx_points_match_the_seed(main_docx) -> None:  # type: ignore[no-untyped-def]
    negative = main_docx.tables[1]
    deductions = [row.cells[3].text for row in negative.rows[1:]]
    assert deductions.count("-1.5") == 2 and deductions.count("-0.5") == 37 and deductions[-1] == ""
    assert negative.rows[-1].cells[2].text == "相关单位"
    for table in main_docx.tables[DEPARTMENT_TABLES]:
        assert sum(int(row.cells[2].text) for row in table.rows[1:-1]) == 100


def test_main_docx_has_the_seven_towns_in_order(main_docx) -> None:  # type: ignore[no-untyped-def]
    headings = [p.text for p in main_docx.paragraphs if re.fullmatch(r"\d．\w+镇", p.text)]
    assert headings == [f"{n}．{town}" for n, town in enumerate(TOWNS, start=1)]


def test_main_docx_town_tables_have_20_indicators_of_100_points(main_docx) -> None:  # type: ignore[no-untyped-def]
    towns = main_docx.tables[TOWN_TABLES]
    assert len(towns) == len(TOWNS)
    for table in towns:
        rows = table.rows[1:]
        # An indicator's points close its cell (螅镇's 经济发展 row has them in the category cell).
        points = [_points(row.cells[1].text) or _points(row.cells[0].text) for row in rows]
        assert len(rows) == 20 and sum(points) == 100
        categories = dict.fromkeys(row.cells[0].text for row in rows)
        assert sum(_points(text) for text in categories) == 100
        # 安全/稳定 is one cell over six rows, the merge the PDF carries over a page break in 店镇.
        first_cells = [row._tr.findall(qn("w:tc"))[0] for row in rows]
        assert [_vmerge(tc) for tc in first_cells[6:12]] == ["restart", *["continue"] * 5]
        assert rows[6].cells[0].text == "安全\n稳定\n30分"


def _points(text: str) -> int:
    found = re.search(r"(\d+)分$", text)
    return int(found[1]) if found else 0


def _vmerge(tc) -> str | None:  # type: ignore[no-untyped-def]
    properties = tc.find(qn("w:tcPr"))
    merge = None if properties is None else properties.find(qn("w:vMerge"))
    if merge is None:
        return None
    return merge.get(qn("w:val")) or "continue"


def _seed002_rows(text: str) -> list[list[str]]:
    """Rows of a seed-002 style table: a row starts at a TAB line after a blank line."""
    rows: list[list[str]] = []
    blank_before = True
    for line in text.split("\n"):
        if line.startswith("\t"):
            if blank_before:
                rows.append([])
            rows[-1].append(line[1:])
        blank_before = line == ""
    return rows


def test_main_txt_has_the_48_city_rows_in_seed_layout() -> None:
    text = (SAMPLES / f"{MAIN}.txt").read_text(encoding="utf-8")
    section = text.split("\n2020年度市考核县指标任务分解\n", 1)[1].split("\n负面清单考核指标\n")[0]
    rows = _seed002_rows(section)
    assert rows[0] == ["考核内容", "考核指标", "责任单位"]
    assert len(rows) == 49 and all(len(row) == 3 for row in rows)
    assert sum(1 for row in rows if "分）" in row[1] or "分)" in row[1]) == 45  # three 县域特色 rows have no points
    assert rows[2] == ["", "全社会固定资产投资增长12%（6分）", ""]  # merged cells as lone TABs


def test_main_txt_repeats_the_negative_list_header_once() -> None:
    text = (SAMPLES / f"{MAIN}.txt").read_text(encoding="utf-8")
    section = text.split("\n负面清单考核指标\n", 1)[1].split("\n注：")[0]
    rows = _seed002_rows(section)
    headers = [i for i, row in enumerate(rows) if row[0] == "考核内容"]
    assert headers == [0, 25] and len(rows) == 42


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_main_pdf_splits_tables_with_the_header_repeated() -> None:
    pages = subprocess.run(
        ["pdftotext", "-layout", str(SAMPLES / f"{MAIN}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split("\f")
    with_header = [i for i, page in enumerate(pages) if "考核内容" in page and "责任单位" in page]
    assert len(with_header) >= 4  # 市考 table over 2 pages, 负面清单 over 2+


def test_builder_reproduces_the_committed_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_samples.py"), "--skip-convert", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    built = sorted(p.name for p in tmp_path.iterdir())
    assert len(built) == 8
    for name in built:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), f"{name} is stale: run make samples"


def test_2021_sample_is_the_2020_city_table_with_the_documented_changes() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from sample_changes_2021 import CHANGES

    table = open_docx(str(SAMPLES / f"{MAIN_2021}.docx")).tables
    assert len(table) == 1
    texts = [row.cells[1].text for row in table[0].rows[1:]]
    assert len(texts) == 48 - sum(c.kind == "removed" for c in CHANGES) + sum(c.kind == "added" for c in CHANGES)
    assert "生产总值增长6.5%（3分）" in texts and not any("道路交通事故" in t for t in texts)
