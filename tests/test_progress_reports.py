"""一月一汇总 and 一季一通报 (issue 18, part 4): the ranking, the counts, the workbook, the 通报, the chart."""

from __future__ import annotations

import logging
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.chart import BarChart

from progress import bulletin as bulletin_module
from progress.bulletin import progress_chart, write_bulletin
from progress.levels import Period
from progress.reports import (
    CATEGORIES,
    LAGGING_SHEET,
    RANKING,
    Quarter,
    bulletin_title,
    category_counts,
    lagging_rows,
    rank_units,
    row_score,
    summary_title,
    write_summary,
)
from progress.status import StatusRow

FORESTRY, WATER, FINANCE, TRANSPORT, STATISTICS = "县林业局", "县水利局", "县财政局", "县交通运输局", "县统计局"
JUNE, MAY = Period(year=2020, month=6), Period(year=2020, month=5)
NOTICE = "/收件/佳县2020年度目标责任考核指标.docx"
TITLE = "佳县2020年6月目标责任考核指标进展汇总"
BULLETIN = "关于佳县2020年第二季度目标责任考核指标进展情况的通报"
ISSUER = "佳县目标责任考核办公室"

# fmt: off
# indicator, unit, level, completion, category: 财政 (100+120)/2 = 110; 林业 and 交通 90 (a tie, 林业 first in
# the rows); 水利 (100 qualitative green + 40)/2 = 70; 统计 nothing reported, 0.
JUNE_ROWS = (
    (1, FORESTRY, "green", 50.0, "生态文明"),
    (2, FORESTRY, "yellow", 40.0, "生态文明"),
    (3, WATER, "green", None, "生态文明"),
    (4, WATER, "red", 20.0, "经济发展"),
    (5, FINANCE, "green", 50.0, "经济发展"),
    (6, FINANCE, "green", 60.0, "经济发展"),
    (7, TRANSPORT, "yellow", 45.0, "经济发展"),
    (8, TRANSPORT, "yellow", 45.0, None),
    (9, STATISTICS, "missing", None, "经济发展"),
    (10, STATISTICS, "missing", None, None),
)
# fmt: on


def _row(
    indicator: int, unit: str, level: str, completion: float | None, category: str | None, expected: float = 50.0
) -> StatusRow:
    reported = level != "missing"
    reason = "未按时报送（2020年6月完成情况应于7月15日前报送）"
    if reported:
        reason = f"填报完成 {completion:g}%，应完成 {expected:g}%" if completion is not None else "报送进展“按计划推进”"
    return StatusRow(
        indicator_id=indicator, indicator=f"考核指标{indicator}", unit=unit, role="牵头", category=category,
        target=f"目标值{indicator} ≥ 100 万元", actual=completion, completion_pct=completion,
        expected_pct=expected, level=level, reason=reason, reported_at="2020-07-10" if reported else None,
        on_time=reported,
    )  # fmt: skip


@pytest.fixture
def june() -> list[StatusRow]:
    return [_row(*spec) for spec in JUNE_ROWS]


@pytest.fixture
def may() -> list[StatusRow]:
    """May's rows (expected 5/12): 林业 and 财政 behind where they are in June, 水利 ahead, 统计 absent."""
    specs = [(i, u, "green", 41.67, c) for i, u, _, _, c in JUNE_ROWS if u in (FORESTRY, FINANCE, TRANSPORT)]
    specs += [(3, WATER, "green", None, "生态文明"), (4, WATER, "green", 41.67, "经济发展")]
    return [_row(*spec, expected=41.67) for spec in specs]


# ------------------------------------------------------------------ figures


def test_units_ranked_by_progress_ties_share_a_rank(june: list[StatusRow]) -> None:
    standings = rank_units(june)
    assert [(s.rank, s.unit, s.progress) for s in standings] == [
        (1, FINANCE, 110.0), (2, FORESTRY, 90.0), (2, TRANSPORT, 90.0), (4, WATER, 70.0), (5, STATISTICS, 0.0),
    ]  # fmt: skip
    water = standings[3]
    assert (water.indicators, water.reported, water.green, water.yellow, water.red, water.missing) == (2, 2, 1, 0, 1, 0)
    assert (standings[-1].reported, standings[-1].missing) == (0, 2)


def test_a_pair_given_twice_counts_once(june: list[StatusRow]) -> None:
    doubled = rank_units([*june, _row(9, STATISTICS, "green", 50.0, None)])
    assert doubled == rank_units(june)


# fmt: off
SCORES = (
    ("green", 50.0, 50.0, 100.0),    # on schedule
    ("green", 90.0, 50.0, 120.0),    # ahead: at most 1.2 × the pace
    ("red", -10.0, 100.0, 0.0),      # a reduction gone the wrong way: not below 0
    ("yellow", None, 50.0, 50.0),    # no completion: by its colour
    ("red", None, 50.0, 0.0),
    ("missing", None, 50.0, 0.0),    # not reported counts against the unit
)
# fmt: on


@pytest.mark.parametrize(("level", "completion", "expected", "score"), SCORES)
def test_row_score(level: str, completion: float | None, expected: float, score: float) -> None:
    assert row_score(_row(1, FORESTRY, level, completion, None, expected)) == pytest.approx(score)


def test_category_counts(june: list[StatusRow]) -> None:
    counts = {c.category: c for c in category_counts(june)}
    assert list(counts) == ["生态文明", "经济发展", "未分类"]
    economy = counts["经济发展"]
    assert (economy.indicators, economy.items, economy.green, economy.yellow, economy.red, economy.missing) == (
        5, 5, 2, 1, 1, 1,
    )  # fmt: skip
    assert (counts["未分类"].items, counts["未分类"].yellow, counts["未分类"].missing) == (2, 1, 1)


def test_lagging_rows_red_then_yellow_then_missing(june: list[StatusRow]) -> None:
    assert [(r.level, r.indicator_id) for r in lagging_rows(june)] == [
        ("red", 4), ("yellow", 2), ("yellow", 7), ("yellow", 8), ("missing", 9), ("missing", 10),
    ]  # fmt: skip


# fmt: off
QUARTERS = (
    ("2020Q2", 2020, 2), ("2020q2", 2020, 2), ("2020-Q4", 2020, 4), (" 2021Q1 ", 2021, 1),
    ("2020年第二季度", 2020, 2), ("2020年第3季度", 2020, 3), ("2020年四季度", 2020, 4),
)
BAD_QUARTERS = (("2020Q5", "季度应为 1 到 4"), ("2020Q0", "季度应为 1 到 4"), ("2020-06", "无法识别"),
                ("20202", "无法识别"), ("Q2", "无法识别"), ("2020年第五季度", "无法识别"))
# fmt: on


@pytest.mark.parametrize(("text", "year", "number"), QUARTERS)
def test_quarter_parse(text: str, year: int, number: int) -> None:
    quarter = Quarter.parse(text)
    assert (quarter.year, quarter.quarter) == (year, number)
    assert [p.month for p in quarter.months] == [3 * number - 2, 3 * number - 1, 3 * number]


@pytest.mark.parametrize(("text", "message"), BAD_QUARTERS)
def test_quarter_parse_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Quarter.parse(text)


def test_titles() -> None:
    assert summary_title("佳县", JUNE) == TITLE
    assert bulletin_title("佳县", Quarter.parse("2020Q2")) == BULLETIN
    assert str(Quarter.parse("2020年第二季度")) == "2020Q2" and Quarter.parse("2020Q2").label == "2020年第二季度"


# ------------------------------------------------------------------ 一月一汇总


@pytest.fixture
def summary(june: list[StatusRow], tmp_path: Path) -> Path:
    return write_summary(june, JUNE, tmp_path / "月度汇总.xlsx", title=TITLE, sources=[NOTICE])


def _values(sheet: object) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def test_summary_sheets_and_ranking(summary: Path) -> None:
    book = load_workbook(summary)
    assert book.sheetnames == [RANKING, CATEGORIES, LAGGING_SHEET]
    ranking = book[RANKING]
    rows = _values(ranking)
    assert rows[0][0] == f"{TITLE}——单位排名"
    header = next(i for i, r in enumerate(rows) if r[0] == "名次")
    assert rows[header][:9] == ["名次", "单位", "指标数", "已报送", "绿色", "黄色", "红色", "未报送", "进度指数"]
    assert [r[:2] + r[8:9] for r in rows[header + 1 : header + 6]] == [
        [1, FINANCE, 110], [2, FORESTRY, 90], [2, TRANSPORT, 90], [4, WATER, 70], [5, STATISTICS, 0],
    ]  # fmt: skip
    assert rows[header + 4][2:8] == [2, 2, 1, 0, 1, 0]
    charts = ranking._charts
    assert len(charts) == 1 and isinstance(charts[0], BarChart) and charts[0].type == "bar"
    assert charts[0].anchor._from.row >= header + 6  # under the table (0-based row)


def test_summary_categories_and_lagging(summary: Path) -> None:
    book = load_workbook(summary)
    categories = _values(book[CATEGORIES])
    assert ["经济发展", 5, 5, 2, 1, 1, 1] in categories
    assert ["合计", 10, 10, 4, 3, 1, 2] in categories
    lagging = book[LAGGING_SHEET]
    rows = _values(lagging)
    header = next(i for i, r in enumerate(rows) if r[0] == "单位")
    assert rows[header] == ["单位", "考核指标", "目标值", "完成值", "完成率(%)", "应完成(%)", "预警", "原因"]
    body = rows[header + 1 :]
    assert [(r[0], r[6]) for r in body] == [(WATER, "红"), (FORESTRY, "黄"), (TRANSPORT, "黄"), (TRANSPORT, "黄"),
                                            (STATISTICS, "未报"), (STATISTICS, "未报")]  # fmt: skip
    assert body[0][3:6] == [20, 20, 50]
    fills = [lagging.cell(row=header + 2 + n, column=7).fill.fgColor.rgb for n in range(len(body))]
    assert [f[-6:] for f in fills] == ["FF5050", "FFFF00", "FFFF00", "FFFF00", "BFBFBF", "BFBFBF"]


def test_summary_print_setup(summary: Path) -> None:
    book = load_workbook(summary)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.print_title_rows, sheet.title  # the header row on every printed page
        assert "佳县2020年度目标责任考核指标.docx" in sheet.oddFooter.left.text
        assert sheet.oddFooter.right.text == "第 &P 页，共 &N 页"


def test_summary_without_rows(tmp_path: Path) -> None:
    book = load_workbook(write_summary([], JUNE, tmp_path / "空.xlsx", title=TITLE))
    assert book.sheetnames == [RANKING, CATEGORIES, LAGGING_SHEET]
    assert not book[RANKING]._charts
    assert ["无黄色、红色预警及未报送的指标。"] in [r[:1] for r in _values(book[LAGGING_SHEET])]


# ------------------------------------------------------------------ 一季一通报


@pytest.fixture
def bulletin(june: list[StatusRow], may: list[StatusRow], tmp_path: Path) -> Path:
    return write_bulletin([(MAY, may), (JUNE, june)], "2020Q2", tmp_path / "通报.docx", issuer=ISSUER,
                          title=BULLETIN, sources=[NOTICE], issued=date(2020, 7, 20))  # fmt: skip


def _cells(table: object) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def test_bulletin_text(bulletin: Path) -> None:
    document = Document(str(bulletin))
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[0] == BULLETIN and lines[1] == "各有关单位："
    text = "".join(lines)
    assert "根据各单位报送的5月、6月工作进展" in text
    assert "5个单位共承担考核指标10项，按责任单位计10项" in text
    assert "进度正常（绿色）4项，占40%；进度滞后（黄色）3项；严重滞后（红色）1项；未按时报送2项" in text
    assert f"排名靠前的是{FINANCE}（110.0）、{FORESTRY}（90.0）、{TRANSPORT}（90.0）" in text
    assert f"排名靠后的是{WATER}（70.0）、{STATISTICS}（0.0）" in text
    assert "与5月相比，进度指数上升的单位1个，下降的3个，持平的0个" in text
    assert f"{STATISTICS}未报送6月工作进展" in text
    assert f"请{FORESTRY}、{TRANSPORT}、{WATER}认真分析指标进度滞后的原因" in text
    assert f"请{STATISTICS}在下月报送时一并补报6月未报送指标的工作进展" in text
    at = lines.index(ISSUER)
    assert lines[at - 1 : at + 2] == ["附件：滞后指标清单", ISSUER, "2020年7月20日"]


def test_bulletin_tables_and_picture(bulletin: Path) -> None:
    document = Document(str(bulletin))
    ranking, lagging = (_cells(t) for t in document.tables)
    assert ranking[0] == ["名次", "单位", "指标数", "绿色", "黄色", "红色", "未报送", "进度\n指数", "较5月"]
    assert ranking[1] == ["1", FINANCE, "2", "2", "0", "0", "0", "110.0", "↑10.0"]
    assert ranking[3][:2] == ["2", TRANSPORT] and ranking[4][-1] == "↓30.0" and ranking[5][-1] == "—"
    assert len(document.inline_shapes) == 1  # 图1
    assert lagging[0] == ["序号", "单位", "考核指标", "目标值", "完成值", "完成率", "应完成", "预警", "原因"]
    assert [row[1] for row in lagging[1:]] == [WATER, FORESTRY, TRANSPORT, TRANSPORT, STATISTICS, STATISTICS]
    assert lagging[1][4:8] == ["20", "20%", "50%", "红"]
    shade = document.tables[1].rows[1].cells[7]._tc.tcPr.find(qn("w:shd"))
    assert shade.get(qn("w:fill")) == "FF5050"
    assert document.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]  # 附件


def test_bulletin_of_one_month_has_no_trend(june: list[StatusRow], tmp_path: Path) -> None:
    path = write_bulletin([(JUNE, june)], "2020Q2", tmp_path / "通报.docx", issuer=ISSUER, title=BULLETIN)
    document = Document(str(path))
    assert _cells(document.tables[0])[0][-1] == "进度\n指数"
    assert "与5月相比" not in "".join(p.text for p in document.paragraphs)


def test_bulletin_refuses_months_outside_the_quarter(june: list[StatusRow], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2020年6月不属于2020年第三季度"):
        write_bulletin([(JUNE, june)], "2020Q3", tmp_path / "x.docx", issuer=ISSUER, title=BULLETIN)
    with pytest.raises(ValueError, match="没有任何指标进展数据"):
        write_bulletin([(JUNE, [])], "2020Q2", tmp_path / "x.docx", issuer=ISSUER, title=BULLETIN)
    with pytest.raises(ValueError, match="无法识别"):
        write_bulletin([(JUNE, june)], "2020-06", tmp_path / "x.docx", issuer=ISSUER, title=BULLETIN)


# ------------------------------------------------------------------ the chart


def test_chart_without_a_cjk_font_numbers_the_bars(
    june: list[StatusRow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(bulletin_module, "_font_candidates", lambda: iter([(str(tmp_path / "none.ttf"), 0)]))
    bulletin_module.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="progress.bulletin"):
            picture, named = progress_chart(rank_units(june))
            path = write_bulletin([(JUNE, june)], "2020Q2", tmp_path / "通报.docx", issuer=ISSUER, title=BULLETIN)
    finally:
        bulletin_module.cjk_font.cache_clear()
    assert picture.startswith(b"\x89PNG") and not named
    assert "未找到中文字体" in caplog.text
    assert "条形旁数字为表1名次" in "".join(p.text for p in Document(str(path)).paragraphs)


def test_font_check_refuses_a_latin_font() -> None:
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin.is_file():
        pytest.skip("DejaVuSans is not installed")
    assert not bulletin_module._draws_chinese(str(latin), 0)
    found = bulletin_module.cjk_font()
    if found is None:
        pytest.skip("no CJK font on this machine")
    assert bulletin_module._draws_chinese(*found)
    assert progress_chart(rank_units([_row(1, FORESTRY, "green", 50.0, None)]))[1]


# ------------------------------------------------------------------ rendered by LibreOffice


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each report's PDF text (whitespace removed), one LibreOffice run for both."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the reports to PDF")
    work = tmp_path_factory.mktemp("reports")
    rows = [_row(*spec) for spec in JUNE_ROWS]
    write_summary(rows, JUNE, work / "summary.xlsx", title=TITLE, sources=[NOTICE])
    write_bulletin([(JUNE, rows)], "2020Q2", work / "bulletin.docx", issuer=ISSUER, title=BULLETIN, sources=[NOTICE])
    profile = (work / "lo-profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
               str(work), str(work / "summary.xlsx"), str(work / "bulletin.docx")]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    texts = {}
    for name in ("summary", "bulletin"):
        with pdfplumber.open(work / f"{name}.pdf") as pdf:
            texts[name] = "".join("".join((page.extract_text() or "").split()) for page in pdf.pages)
    return texts


@pytest.mark.slow
def test_summary_renders(pdf_text: dict[str, str]) -> None:
    text = pdf_text["summary"]
    assert f"{TITLE}——单位排名" in text and FORESTRY in text and "第1页，共3页" in text


@pytest.mark.slow
def test_bulletin_renders(pdf_text: dict[str, str]) -> None:
    text = pdf_text["bulletin"]
    assert BULLETIN in text and STATISTICS in text and "滞后指标清单" in text
