"""The 预警提示单 and the 督办单 (issue 18): which unit gets which, their numbers, the .docx, one printed page.

The render test converts the notices with LibreOffice (skipped with the reason when ``soffice`` is absent)
and counts the PDF's pages with pdfplumber.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from docx import Document

from progress.levels import Period
from progress.notice import Notice, notice_file_name, notices_for, write_notice, write_notices
from progress.status import StatusRow

JUNE = Period.parse("2020-06")
ISSUER = "佳县考核委员会办公室"
ISSUED = date(2020, 7, 20)

# fmt: off
# (indicator, target): indicators of the 佳县 2020 framework, targets as the store writes them.
INDICATORS = (
    ("生产总值增长7%", "增长7%"),
    ("全社会固定资产投资增长12%", "增长12%"),
    ("社会消费品零售总额增长11.7%", "增长11.7%"),
    ("进出口贸易总额达到3000万元", "达到3000万元"),
    ("城镇居民人均可支配收入增长8.2%", "增长8.2%"),
    ("农村居民人均可支配收入增长8.7%", "增长8.7%"),
    ("城市环境空气质量优良天数不少于290天", "不少于290天"),
    ("规上文化企业营业收入增长8%，新增规上文化企业1个", "增长8%；新增规上文化企业1个"),
)
# fmt: on


def _row(indicator_id: int, unit: str, level: str, completion: float | None = 30.0) -> StatusRow:
    indicator, target = INDICATORS[(indicator_id - 1) % len(INDICATORS)]
    missing = level == "missing"
    return StatusRow(
        indicator_id=indicator_id, indicator=indicator, unit=unit, role="牵头", target=target,
        completion_pct=None if missing else completion, expected_pct=50.0, level=level,  # type: ignore[arg-type]
        reason="未按时报送" if missing else "x", reported_at=None if missing else "2020-07-10", on_time=not missing,
    )  # fmt: skip


def _only(rows: list[StatusRow], previous: list[StatusRow] | None = None) -> Notice | None:
    found = notices_for(rows, previous, JUNE)
    assert len(found) <= 1
    return found[0] if found else None


# ------------------------------------------------------------------ which notice


def test_red_makes_a_supervision_notice() -> None:
    notice = _only([_row(1, "县发改局", "yellow"), _row(2, "县发改局", "red", 10)])
    assert notice is not None and notice.kind == "supervision" and notice.title == "督办单"


def test_yellow_twice_running_makes_a_supervision_notice() -> None:
    notice = _only([_row(1, "县发改局", "yellow"), _row(2, "县发改局", "yellow")], [_row(2, "县发改局", "yellow")])
    assert notice is not None and notice.kind == "supervision" and notice.repeated == [2]


def test_yellow_after_red_is_a_supervision_notice() -> None:
    notice = _only([_row(1, "县发改局", "yellow")], [_row(1, "县发改局", "red", 5)])
    assert notice is not None and notice.kind == "supervision"


def test_yellow_once_makes_a_warning() -> None:
    notice = _only([_row(1, "县发改局", "yellow"), _row(2, "县发改局", "green", 60)], [_row(1, "县发改局", "green")])
    assert notice is not None and notice.kind == "warning" and notice.title == "预警提示单"
    assert [r.indicator_id for r in notice.rows] == [1]  # green rows are not listed


@pytest.mark.parametrize(
    "previous",
    [None, [_row(1, "县统计局", "yellow")], [_row(2, "县发改局", "yellow")], [_row(1, "县发改局", "green")]],
    ids=["no-previous-month", "other-unit", "other-indicator", "green-before"],
)
def test_yellow_twice_means_same_indicator_and_unit(previous: list[StatusRow] | None) -> None:
    notice = _only([_row(1, "县发改局", "yellow")], previous)
    assert notice is not None and notice.kind == "warning" and notice.repeated == []


def test_only_green_gets_no_notice() -> None:
    assert _only([_row(1, "县发改局", "green", 60), _row(2, "县发改局", "green", 55)]) is None


def test_missing_only_is_a_warning_saying_not_reported() -> None:
    previous = [_row(1, "县发改局", "red", 5)]  # not reporting never escalates, even after a red month
    notice = _only([_row(1, "县发改局", "missing"), _row(2, "县发改局", "green", 60)], previous)
    assert notice is not None and notice.kind == "warning"
    assert [r.level for r in notice.rows] == ["missing"]


def test_rows_are_listed_red_first_then_yellow_then_missing() -> None:
    rows = [_row(1, "县发改局", "missing"), _row(2, "县发改局", "yellow"), _row(3, "县发改局", "red", 5),
            _row(4, "县发改局", "yellow"), _row(5, "县发改局", "red", 8)]  # fmt: skip
    notice = _only(rows)
    assert notice is not None
    assert [r.indicator_id for r in notice.rows] == [3, 5, 2, 4, 1]


def test_numbers_count_each_kind_in_unit_order() -> None:
    rows = [_row(1, "县发改局", "yellow"), _row(1, "县统计局", "red", 5), _row(1, "县林业局", "green", 60),
            _row(1, "县商务局", "missing"), _row(1, "县财政局", "yellow"), _row(2, "县统计局", "yellow"),
            _row(1, "县水利局", "red", 5)]  # fmt: skip
    found = notices_for(rows, None, JUNE)
    assert [(n.unit, n.number) for n in found] == [
        ("县发改局", "预警〔2020〕6-01"), ("县统计局", "督办〔2020〕6-01"), ("县商务局", "预警〔2020〕6-02"),
        ("县财政局", "预警〔2020〕6-03"), ("县水利局", "督办〔2020〕6-02"),
    ]  # fmt: skip
    prefixed = notices_for(rows, None, Period.parse("2020-11"), prefix="佳考办")
    assert [n.number for n in prefixed][:2] == ["佳考办预警〔2020〕11-01号", "佳考办督办〔2020〕11-01号"]


# ------------------------------------------------------------------ the .docx


def _docx_text(path: Path) -> tuple[list[str], list[list[str]]]:
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, cells


def _notice(kind_rows: list[StatusRow], previous: list[StatusRow] | None = None) -> Notice:
    notice = _only(kind_rows, previous)
    assert notice is not None
    return notice


def test_supervision_notice_docx(tmp_path: Path) -> None:
    rows = [_row(1, "县发改局", "red", 12.5), _row(2, "县发改局", "yellow", 36), _row(3, "县发改局", "missing")]
    notice = _notice(rows, [_row(2, "县发改局", "yellow")])
    path = write_notice(notice, tmp_path / "n.docx", issuer=ISSUER, issued=ISSUED)
    paragraphs, cells = _docx_text(path)
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "督办单"
    assert "编号：督办〔2020〕6-01" in paragraphs and "致：县发改局" in paragraphs
    assert "2020年6月" in text and "限期整改" in text and "纳入你单位2020年度目标责任考核" in text
    assert "于2020年7月30日前将整改措施" in text and "回复时限：2020年7月30日前" in paragraphs
    assert paragraphs[-2:] == [ISSUER, "2020年7月20日"]
    assert "根据" not in text  # no document is cited unless the office passes one
    assert cells[0] == ["序号", "指标", "目标", "报送\n完成", "应完成", "差距\n(百分点)", "预警"]
    assert cells[1] == ["1", "生产总值增长7%", "增长7%", "12.5%", "50%", "37.5", "红色"]
    assert cells[2] == ["2", "全社会固定资产投资增长12%", "增长12%", "36%", "50%", "14", "黄色（连续两月）"]
    assert cells[3] == ["3", "社会消费品零售总额增长11.7%", "增长11.7%", "—", "50%", "—", "未报送"]


def test_warning_docx_wording_reply_days_and_basis(tmp_path: Path) -> None:
    notice = _notice([_row(4, "县商务局", "yellow", 40)])
    basis = "《佳县年度目标责任考核办法》"
    path = write_notice(notice, tmp_path / "n.docx", issuer=ISSUER, issued=ISSUED, reply_days=5, basis=basis)
    paragraphs, cells = _docx_text(path)
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "预警提示单" and "编号：预警〔2020〕6-01" in paragraphs
    assert f"根据{basis}有关要求" in text and "现予以预警提示" in text
    assert "督办" not in text and "限期整改" not in text
    assert "回复时限：2020年7月25日前" in paragraphs
    assert [row[1] for row in cells[1:]] == ["进出口贸易总额达到3000万元"]


def test_missing_only_docx_asks_for_the_report(tmp_path: Path) -> None:
    notice = _notice([_row(5, "县统计局", "missing"), _row(6, "县统计局", "missing")])
    paragraphs, cells = _docx_text(write_notice(notice, tmp_path / "n.docx", issuer=ISSUER, issued=ISSUED))
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "预警提示单" and "未按时报送" in text and "补报" in text
    assert [row[-1] for row in cells[1:]] == ["未报送", "未报送"]


def test_a_qualitative_row_shows_its_reported_progress(tmp_path: Path) -> None:
    progress = "进度滞后，正在协调项目用地手续，预计三季度开工建设"
    row = _row(2, "县发改局", "yellow", None).model_copy(update={"expected_pct": None, "progress": progress})
    _, cells = _docx_text(write_notice(_notice([row]), tmp_path / "n.docx", issuer=ISSUER, issued=ISSUED))
    assert cells[1][3:] == ["进度滞后，正在协调项目用地手续，预计三季度开工…", "—", "—", "黄色"]


def test_page_is_a4_portrait_with_gbt9704_margins_and_fonts(tmp_path: Path) -> None:
    path = write_notice(_notice([_row(1, "县发改局", "red", 5)]), tmp_path / "n.docx", issuer=ISSUER, issued=ISSUED)
    document = Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    fonts = document.paragraphs[0].runs[0]._r.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"


def test_write_notices_names_files(tmp_path: Path) -> None:
    rows = [_row(1, "县发改局", "red", 5), _row(1, "县/区 统计局", "yellow"), _row(1, "县林业局", "green", 60)]
    found = notices_for(rows, None, JUNE, prefix="佳考办")
    assert notice_file_name(found[1]) == "佳考办预警〔2020〕6-01号-县_区_统计局-预警提示单.docx"
    paths = write_notices(found, tmp_path / "out", issuer=ISSUER, issued=ISSUED)
    assert [p.name for p in paths] == [
        "佳考办督办〔2020〕6-01号-县发改局-督办单.docx",
        "佳考办预警〔2020〕6-01号-县_区_统计局-预警提示单.docx",
    ]
    assert all(p.is_file() for p in paths)


# ------------------------------------------------------------------ printed


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The page texts (whitespace removed) of three notices rendered by LibreOffice: 8 rows, 2 rows, 1 row."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the notices to PDF")
    work = tmp_path_factory.mktemp("notices")
    eight = [_row(i, "县发展和改革局", ("red", "yellow", "yellow", "missing")[i % 4], 20 + i) for i in range(1, 9)]
    cases = {"eight": eight, "two": [_row(1, "县商务局", "yellow"), _row(7, "县商务局", "missing")],
             "one": [_row(8, "县文化和旅游局", "red", 10)]}  # fmt: skip
    for name, rows in cases.items():
        write_notice(_notice(rows), work / f"{name}.docx", issuer=ISSUER, issued=ISSUED)
    profile = (work / "lo-profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
               str(work), *(str(work / f"{name}.docx") for name in cases)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    pages = {}
    for name in cases:
        with pdfplumber.open(work / f"{name}.pdf") as pdf:
            pages[name] = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
    return pages


def test_eight_rows_print_on_one_page(rendered: dict[str, list[str]]) -> None:
    pages = rendered["eight"]
    assert len(pages) == 1
    assert "督办单" in pages[0] and "县发展和改革局" in pages[0]
    assert "生产总值增长7%" in pages[0] and ISSUER in pages[0] and "2020年7月20日" in pages[0]


@pytest.mark.parametrize(("name", "title", "unit"), [("two", "预警提示单", "县商务局"),
                                                     ("one", "督办单", "县文化和旅游局")])  # fmt: skip
def test_short_notices_print_on_one_page(rendered: dict[str, list[str]], name: str, title: str, unit: str) -> None:
    pages = rendered[name]
    assert len(pages) == 1 and title in pages[0] and unit in pages[0]
