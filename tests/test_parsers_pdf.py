"""PDF backend: a LibreOffice-made notice with a 60-row table over three pages, plus broken PDFs.

The main fixture builds a .docx with python-docx (merges, a repeated header row,
multi-paragraph cells) and converts it once per session with ``soffice``.
``tests/data/pdf/encrypted.pdf`` was made with
``qpdf --encrypt secret owner-secret 256 -- hello.pdf encrypted.pdf`` from a
one-line Helvetica page (``_text_pdf`` below); the other odd PDFs are built here.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
import regex
from conftest import pdf_bytes
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from PIL import Image as image

from parsers import docx_parser
from parsers import parse as parse_any
from parsers.document import Document, Table
from parsers.errors import ParseError
from parsers.pdf_lines import is_page_number
from parsers.pdf_parser import cid_ratio, parse
from parsers.pdf_tables import TableBuilder, Wrap, join_cell_parts, page_table_from_boxes

DATA = Path(__file__).parent / "data" / "pdf"

# The 60-row table: (first row, last row, text) of each vertical merge, 1-based data rows.
CATEGORIES = [(1, 20, "经济发展（30分）"), (21, 45, "社会民生（40分）"), (46, 60, "生态环境（30分）")]
UNIT_SPANS = [
    (3, 5, "县发展和改革局"),
    (12, 14, "县统计局"),
    (17, 24, "县财政局"),
    (30, 35, "县人力资源和社会保障局"),
    (40, 44, "县教育体育和科技局"),
    (53, 58, "县生态环境局"),
]
HMERGE_ROW, HMERGE_TEXT = 52, "小计：本类指标由各责任单位共同负责"
MULTI_PARAGRAPH = {
    9: ["1.完成固定资产投资任务", "2.新开工项目不少于10个"],
    26: ["（1）城镇新增就业1200人", "（2）农村劳动力转移就业"],
}
HEADER = ["类别", "指标任务", "责任单位"]
TITLE = "柞水县2022年度目标责任考核指标分解表"
BODY = (
    "根据《柞水县年度目标责任考核工作办法》（柞办发〔2022〕17号）规定，现将2022年度PM2.5浓度等市考指标任务"
    "分解到各责任单位，请各单位对照任务清单认真抓好落实，确保全面完成全年目标任务。"
)
HAN_SPACE_HAN = regex.compile(r"\p{Han}\s+\p{Han}")


def _task(i: int) -> list[str]:
    if i in MULTI_PARAGRAPH:
        return MULTI_PARAGRAPH[i]
    if i % 7 == 0:  # long enough to wrap inside the cell
        return [f"第{i}项：推进重点项目建设，完成年度投资计划，项目开工率达到{80 + i % 20}%以上，确保按期竣工投产"]
    return [f"第{i}项指标任务GDP增长{i}%"]


def _set_up_page(doc: WordDocument) -> None:
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"  # Latin and digits in one font, Han in another
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().find(qn("w:rFonts")).set(qn("w:eastAsia"), "Noto Serif CJK SC")
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.text = "— 1 —"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _add_long_table(doc: WordDocument) -> None:
    table = doc.add_table(rows=61, cols=3)
    table.style = "Table Grid"
    for column, width in zip(table.columns, (Cm(3), Cm(9), Cm(3.8)), strict=True):
        column.width = width
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for i in range(1, 61):
        first, *more = _task(i)
        table.cell(i, 1).text = first
        for extra in more:
            table.cell(i, 1).add_paragraph(extra)
        table.cell(i, 2).text = f"责任单位{i}"
    for top, bottom, text in CATEGORIES:
        table.cell(top, 0).merge(table.cell(bottom, 0)).text = text
    for top, bottom, text in UNIT_SPANS:
        table.cell(top, 2).merge(table.cell(bottom, 2)).text = text
    table.cell(HMERGE_ROW, 1).merge(table.cell(HMERGE_ROW, 2)).text = HMERGE_TEXT


def _build_docx(path: Path) -> None:
    doc = WordDocument()
    _set_up_page(doc)
    doc.add_paragraph(TITLE).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(BODY)
    _add_long_table(doc)
    doc.add_paragraph("二、县考部门共性指标")
    small = doc.add_table(rows=4, cols=4)
    small.style = "Table Grid"
    rows = [["序号", "指标", "分值", "备注"], ["1", "党建工作", "20", ""], ["2", "平安建设", "10", "一票否决"]]
    for r, values in enumerate([*rows, ["3", "营商环境", "10", "PM2.5 达标"]]):
        for c, value in enumerate(values):
            small.cell(r, c).text = value
    doc.add_paragraph("柞水县考核委员会办公室")
    doc.save(str(path))


@pytest.fixture(scope="session")
def notice_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(docx, pdf) of the generated notice; the PDF made by LibreOffice."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: cannot make the test PDF")
    folder = tmp_path_factory.mktemp("pdf")
    docx_path = folder / "notice.docx"
    _build_docx(docx_path)
    profile = (folder / "lo-profile").as_uri()  # a private profile: other soffice runs cannot block this one
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*command, str(folder), str(docx_path)], capture_output=True, timeout=180, check=True)
    return docx_path, folder / "notice.pdf"


@pytest.fixture(scope="session")
def notice(notice_files: tuple[Path, Path]) -> Document:
    return parse(notice_files[1])


@pytest.fixture(scope="session")
def long_table(notice: Document) -> Table:
    return notice.tables[0]


def test_blocks_in_reading_order_with_pages(notice: Document) -> None:
    assert [b.type for b in notice.blocks] == ["paragraph", "paragraph", "table", "paragraph", "table", "paragraph"]
    texts = [(p.text, p.page) for p in notice.paragraphs]
    assert texts[0] == (TITLE, 1)
    assert texts[1] == (BODY, 1)  # three wrapped lines joined, no spaces around 2022 / PM2.5
    assert texts[2][0] == "二、县考部门共性指标" and texts[2][1] == notice.source.pages
    assert notice.source.format == "pdf" and notice.source.pages is not None and notice.source.pages >= 2
    assert notice.warnings == []


def test_page_numbers_are_dropped(notice: Document) -> None:
    assert not any("—" in p.text for p in notice.paragraphs)


def test_long_table_is_one_table_with_header_once(notice: Document, long_table: Table) -> None:
    assert len(notice.tables) == 2
    assert (long_table.n_rows, long_table.n_cols) == (61, 3)
    grid = long_table.text_grid()
    assert grid[0] == HEADER
    assert sum(row == HEADER for row in grid) == 1


def test_row_pages_increase_over_several_pages(long_table: Table) -> None:
    pages = long_table.row_pages
    assert len(pages) == long_table.n_rows and pages[0] == 1 == long_table.page
    assert all(a is not None and b is not None and a <= b for a, b in pairwise(pages))
    assert pages[-1] is not None and pages[-1] >= 2


@pytest.mark.parametrize(("top", "bottom", "text"), CATEGORIES)
def test_category_merges(long_table: Table, top: int, bottom: int, text: str) -> None:
    cell = long_table.cell_at(top, 0)
    assert cell is not None and (cell.row, cell.rowspan, cell.text) == (top, bottom - top + 1, text)


@pytest.mark.parametrize(("top", "bottom", "text"), UNIT_SPANS)
def test_unit_merges(long_table: Table, top: int, bottom: int, text: str) -> None:
    cell = long_table.cell_at(top, 2)
    assert cell is not None and (cell.row, cell.rowspan, cell.text) == (top, bottom - top + 1, text)


def test_merges_crossing_a_page_break_are_continued(long_table: Table) -> None:
    crossing = [
        (top, bottom, col)
        for col, spans in ((0, CATEGORIES), (2, UNIT_SPANS))
        for top, bottom, _ in spans
        if long_table.row_pages[top] != long_table.row_pages[bottom]
    ]
    assert len(crossing) >= 2  # the layout puts page breaks inside at least two merges
    for top, bottom, col in crossing:
        cell = long_table.cell_at(bottom, col)
        assert cell is not None and cell.row == top and cell.rowspan == bottom - top + 1


def test_horizontal_merge(long_table: Table) -> None:
    cell = long_table.cell_at(HMERGE_ROW, 2)
    assert cell is not None and (cell.col, cell.colspan, cell.text) == (1, 2, HMERGE_TEXT)


def test_task_cells_including_rows_split_by_a_page_break(long_table: Table) -> None:
    for i in range(1, 61):
        cell = long_table.cell_at(i, 1)
        assert cell is not None
        expected = HMERGE_TEXT if i == HMERGE_ROW else "\n".join(_task(i))
        assert cell.text == expected, f"row {i}"
        if i not in (HMERGE_ROW, *(top for top, _, _ in UNIT_SPANS)) and not any(
            top < i <= bottom for top, bottom, _ in UNIT_SPANS
        ):
            unit = long_table.cell_at(i, 2)
            assert unit is not None and unit.text == f"责任单位{i}"


def test_no_spaces_between_han_characters(notice: Document) -> None:
    texts = [p.text for p in notice.paragraphs]
    texts += [cell.text for table in notice.tables for row in table.rows for cell in row]
    assert not [t for t in texts if HAN_SPACE_HAN.search(t)]
    assert notice.tables[1].text_grid()[3] == ["3", "营商环境", "10", "PM2.5 达标"]  # a typed space is kept


def test_same_grid_as_the_word_backend(notice_files: tuple[Path, Path], notice: Document) -> None:
    from_word = docx_parser.parse(notice_files[0])

    def cells(doc: Document) -> list[list[tuple[int, int, int, int, str]]]:
        return [sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for r in t.rows for c in r) for t in doc.tables]

    assert cells(notice) == cells(from_word)
    assert [p.text for p in notice.paragraphs] == [p.text for p in from_word.paragraphs]


SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "佳县2020年度目标责任考核指标"


def test_sample_notice_has_the_grids_of_its_docx() -> None:
    """The committed sample printed by LibreOffice: same tables, spans and texts (spacing aside)."""

    def grids(doc: Document) -> list[list[tuple[int, int, int, int, str]]]:
        return [
            sorted((c.row, c.col, c.rowspan, c.colspan, "".join(c.text.split())) for r in t.rows for c in r)
            for t in doc.tables
        ]

    from_pdf = parse(SAMPLE.with_suffix(".pdf"))
    assert grids(from_pdf) == grids(docx_parser.parse(SAMPLE.with_suffix(".docx")))
    assert all(len(set(t.row_pages)) >= 1 and None not in t.row_pages for t in from_pdf.tables)
    # The page breaks that fall inside a row: 店镇 (tables[4]) inside the merged 安全/稳定 cell,
    # 金明寺镇 (水利工作) and 王家砭镇 (创建工作) between an indicator's name and its points.
    dian, jinmingsi, wangjiabian = from_pdf.tables[4], from_pdf.tables[6], from_pdf.tables[8]
    assert (dian.cell_at(7, 0).text, dian.cell_at(7, 0).rowspan) == ("安全\n稳定\n30分", 6)  # type: ignore[union-attr]
    assert dian.cell_at(7, 1).text == "综治维稳扫黑除恶5分"  # type: ignore[union-attr]
    assert dian.row_pages[7] + 1 == dian.row_pages[8]
    assert jinmingsi.cell_at(3, 1).text == "水利工作\n5分" and jinmingsi.row_pages[3] + 1 == jinmingsi.row_pages[4]  # type: ignore[union-attr]
    assert wangjiabian.cell_at(19, 1).text == "创建工作\n5分" and wangjiabian.n_rows == 21  # type: ignore[union-attr]
    assert wangjiabian.row_pages[19] + 1 == wangjiabian.row_pages[20]


def test_registry_parses_pdf_by_content(notice_files: tuple[Path, Path], tmp_path: Path) -> None:
    renamed = tmp_path / "notice.bin"
    renamed.write_bytes(notice_files[1].read_bytes())
    document = parse_any(renamed)
    assert document.source.format == "pdf" and len(document.tables) == 2


# --- broken and text-less PDFs ---------------------------------------------------------------


def _text_pdf(content: bytes, *fonts: bytes) -> bytes:
    resources = b"/Resources << /Font << /F1 5 0 R >> >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R %s >>" % resources
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    return pdf_bytes(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, stream, *fonts]
    )


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# A CID font with no ToUnicode map: pdfminer can only report (cid:N).
UNMAPPED_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap /DW 1000 /FontDescriptor 7 0 R"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
    b"<< /Type /FontDescriptor /FontName /NoMap /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0"
    b" /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
)


def test_encrypted_pdf_needs_a_password() -> None:
    path = DATA / "encrypted.pdf"
    with pytest.raises(ParseError, match="PDF 已加密，需要密码才能打开") as error:
        parse(path)
    assert (
        error.value.path == str(path)
        and error.value.hint == "请用密码打开后另存一份未加密的副本，或向发文单位索取未加密的文件"
    )


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_truncated_pdf(tmp_path: Path, cut: float) -> None:
    data = _text_pdf(b"BT /F1 24 Tf 72 700 Td (Hello kaohe) Tj ET", HELVETICA)
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ParseError, match=r"cut\.pdf：不是有效的 PDF 文件（.*），文件可能已损坏或未下载完整；"):
        parse(path)


def test_pdf_header_then_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    with pytest.raises(ParseError, match=r"garbage\.pdf：不是有效的 PDF 文件"):
        parse(path)


def _text_page_then_white_scan(tmp_path: Path) -> Path:
    scan = io.BytesIO()
    image.new("RGB", (200, 280), "white").save(scan, format="PDF")
    merged = pdfium.PdfDocument(_text_pdf(b"BT /F1 24 Tf 72 700 Td (Hello kaohe) Tj ET", HELVETICA))
    merged.import_pages(pdfium.PdfDocument(scan.getvalue()))
    path = tmp_path / "scan.pdf"
    merged.save(str(path))
    return path


def test_blank_scanned_page_warns_and_other_pages_are_kept(tmp_path: Path) -> None:
    document = parse(_text_page_then_white_scan(tmp_path))
    assert [(p.text, p.page) for p in document.paragraphs] == [("Hello kaohe", 1)]
    assert [(w.code, w.page) for w in document.warnings] == [("ocr_no_text", 2)]
    assert document.warnings[0].message == "第 2 页经文字识别没有读出文字（空白页、照片或无法辨认），此页未读取"
    assert document.source.ocr_pages == []


def test_without_ocr_a_scanned_page_gets_no_text_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAOHE_OCR", "off")
    document = parse(_text_page_then_white_scan(tmp_path))
    assert [(p.text, p.page) for p in document.paragraphs] == [("Hello kaohe", 1)]
    assert [(w.code, w.page) for w in document.warnings] == [("no_text_layer", 2)]
    expected = "第 2 页没有文字层（可能是扫描件）：文字识别已关闭（KAOHE_OCR=off），此页未读取"
    assert document.warnings[0].message == expected
    assert document.source.ocr_engine is None


def test_cid_garbage_page_is_not_stored(tmp_path: Path) -> None:
    path = tmp_path / "cid.pdf"
    path.write_bytes(_text_pdf(b"BT /F1 12 Tf 72 700 Td <0011002200330044005500660077> Tj ET", *UNMAPPED_FONT))
    with pdfplumber.open(path) as pdf:  # the premise: pdfminer really reports (cid:N) here
        assert pdf.pages[0].chars[0]["text"] == "(cid:17)"
    document = parse(path)
    assert document.blocks == []  # the font has no glyphs either: OCR reads nothing
    assert [(w.code, w.page) for w in document.warnings] == [("cid_garbage", 1), ("ocr_no_text", 1)]


# fmt: off
CID_RATIOS = (
    (["(cid:12)", "(cid:7)", " "], 1.0),
    (["考", "核", "(cid:3)", "办"], 0.25),
    (["考", "核"], 0.0),
    ([], 0.0),
)
PAGE_NUMBERS = (
    ("— 3 —", True), ("-3-", True), ("－ 12 －", True), ("3", True), ("第3页 共10页", True), ("3/10", True),
    ("3.", False), ("2022年", False), ("一、总则", False),
)
# fmt: on


@pytest.mark.parametrize(("texts", "ratio"), CID_RATIOS)
def test_cid_ratio(texts: list[str], ratio: float) -> None:
    assert cid_ratio(texts) == ratio


@pytest.mark.parametrize(("text", "expected"), PAGE_NUMBERS)
def test_is_page_number(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


# --- table geometry and stitching on synthetic pieces -----------------------------------------

COLUMNS = (0.0, 40.0, 200.0, 260.0)


def _piece(page: int, cells: list[tuple[int, int, int, int, str]], columns: tuple[float, ...] = COLUMNS):
    """A page's table piece from (row, col, rowspan, colspan, text), rows 20 pt high."""
    boxes = [(columns[c], 100 + 20 * r, columns[c + cs], 100 + 20 * (r + rs)) for r, c, rs, cs, _ in cells]
    piece = page_table_from_boxes(boxes, page)
    assert piece is not None
    texts = {(r, c): text for r, c, _, _, text in cells}
    for cell in piece.cells:
        cell.text = texts[(cell.row, cell.col)]
    return piece


def _cells(table: Table) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for row in table.rows for c in row)


HEAD = [(0, 0, 1, 1, "类别"), (0, 1, 1, 1, "指标"), (0, 2, 1, 1, "单位")]


def test_grid_from_boxes_with_merges_and_snapping() -> None:
    boxes = [(0, 0, 40, 20), (40.8, 0, 100, 20), (0, 20, 40, 60.6), (40, 20, 100, 40), (40, 40, 100, 60)]
    piece = page_table_from_boxes(boxes, 1)
    assert piece is not None and (piece.n_rows, piece.n_cols) == (3, 2)
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in piece.cells][2] == (1, 0, 2, 1)
    assert piece.cell_at_point(20, 50) is piece.cells[2]
    assert page_table_from_boxes([(0, 0, 100, 20)], 1) is None  # a frame around text, not a table


def test_repeated_header_dropped_and_split_row_joined() -> None:
    builder = TableBuilder(
        _piece(
            1,
            [
                *HEAD,
                (1, 0, 2, 1, "经济"),
                (1, 1, 1, 1, "甲"),
                (1, 2, 1, 1, "财政局"),
                (2, 1, 1, 1, "（1）就业"),
                (2, 2, 1, 1, "人社局"),
            ],
        )
    )
    builder.append(
        _piece(
            2,
            [
                *HEAD,
                (1, 0, 2, 1, ""),
                (1, 1, 1, 1, "（2）转移"),
                (1, 2, 1, 1, ""),
                (2, 1, 1, 1, "丙"),
                (2, 2, 1, 1, "农业局"),
            ],
        )
    )
    table = builder.to_table()
    assert table.row_pages == [1, 1, 1, 2]
    assert _cells(table) == [
        *sorted(HEAD),
        (1, 0, 3, 1, "经济"),
        (1, 1, 1, 1, "甲"),
        (1, 2, 1, 1, "财政局"),
        (2, 1, 1, 1, "（1）就业\n（2）转移"),
        (2, 2, 1, 1, "人社局"),
        (3, 1, 1, 1, "丙"),
        (3, 2, 1, 1, "农业局"),
    ]


def test_clean_break_extends_spans_without_joining_rows() -> None:
    builder = TableBuilder(
        _piece(1, [(0, 0, 2, 1, "生态"), (0, 1, 1, 1, "甲"), (0, 2, 2, 1, "环境局"), (1, 1, 1, 1, "乙")])
    )
    builder.append(
        _piece(2, [(0, 0, 2, 1, ""), (0, 1, 1, 1, "丙"), (0, 2, 1, 1, ""), (1, 1, 1, 1, "丁"), (1, 2, 1, 1, "水利局")])
    )
    assert _cells(builder.to_table()) == [
        (0, 0, 4, 1, "生态"),
        (0, 1, 1, 1, "甲"),
        (0, 2, 3, 1, "环境局"),
        (1, 1, 1, 1, "乙"),
        (2, 1, 1, 1, "丙"),
        (3, 1, 1, 1, "丁"),
        (3, 2, 1, 1, "水利局"),
    ]


def test_fresh_row_with_one_empty_remark_is_not_joined() -> None:
    columns = (0.0, 30.0, 150.0, 190.0, 260.0)
    builder = TableBuilder(
        _piece(1, [(0, 0, 1, 1, "1"), (0, 1, 1, 1, "党建"), (0, 2, 1, 1, "20"), (0, 3, 1, 1, "否决")], columns)
    )
    builder.append(_piece(2, [(0, 0, 1, 1, "2"), (0, 1, 1, 1, "平安"), (0, 2, 1, 1, "10"), (0, 3, 1, 1, "")], columns))
    assert builder.to_table().n_rows == 2


def test_pieces_with_other_columns_do_not_continue() -> None:
    builder = TableBuilder(_piece(1, HEAD))
    assert builder.continues_with(_piece(2, HEAD, (0.0, 40.0, 200.0, 260.0)))
    assert not builder.continues_with(_piece(2, HEAD, (0.0, 80.0, 200.0, 260.0)))


def _with_wrap(piece, room: float, first_word: float):  # type: ignore[no-untyped-def]
    for cell in piece.cells:
        cell.wrap = Wrap(room=room, first_word=first_word) if cell.text else None
    return piece


@pytest.mark.parametrize(("room", "joined"), [(3.0, True), (40.0, False)])
def test_row_split_inside_merges_is_joined_only_after_a_full_line(room: float, joined: bool) -> None:
    """Every other column is a merge going on: only the text geometry tells a split row from a new one."""
    first = [(0, 0, 2, 1, "生态"), (0, 1, 1, 1, "甲"), (0, 2, 2, 1, "环境局"), (1, 1, 1, 1, "第56项：推进")]
    builder = TableBuilder(_with_wrap(_piece(1, first), room, 18.0))
    builder.append(
        _with_wrap(
            _piece(2, [(0, 0, 2, 1, ""), (0, 1, 1, 1, "建设"), (0, 2, 2, 1, ""), (1, 1, 1, 1, "乙")]), room, 18.0
        )
    )
    table = builder.to_table()
    assert table.n_rows == (3 if joined else 4)
    assert table.cell_at(1, 1).text == ("第56项：推进建设" if joined else "第56项：推进")  # type: ignore[union-attr]
    assert (table.cell_at(0, 0).rowspan, table.cell_at(0, 2).rowspan) == (table.n_rows, table.n_rows)  # type: ignore[union-attr]


def _with_wraps(piece, wraps: dict[tuple[int, int], tuple[float, float]]):  # type: ignore[no-untyped-def]
    """Set (room, first_word) per (row, col); cells with text not listed have room to spare."""
    for cell in piece.cells:
        room, first_word = wraps.get((cell.row, cell.col), (40.0, 16.0))
        cell.wrap = Wrap(room=room, first_word=first_word) if cell.text else None
    return piece


TOWN_HEAD = [(0, 0, 1, 1, "类别"), (0, 1, 1, 1, "指标及分值"), (0, 2, 1, 1, "目标要求")]


def test_merged_cell_whose_text_flowed_over_a_split_row_stays_one_cell() -> None:
    """LibreOffice flows a merge's text: 安全 on page 1, 稳定/30分 on page 2 in a cell several rows high."""
    page_1 = [*TOWN_HEAD, (1, 0, 1, 1, "脱贫5分"), (1, 1, 1, 1, "甲"), (1, 2, 1, 1, "完成。")]
    page_1 += [(2, 0, 1, 1, "安全"), (2, 1, 1, 1, "综治维稳扫黑除恶"), (2, 2, 1, 1, "见专项责任书。")]
    builder = TableBuilder(_with_wraps(_piece(1, page_1), {(2, 1): (0.0, 16.0)}))
    page_2 = [*TOWN_HEAD, (1, 0, 2, 1, "稳定\n30分"), (1, 1, 1, 1, "5分"), (1, 2, 1, 1, "")]
    page_2 += [(2, 1, 1, 1, "安全生产5分"), (2, 2, 1, 1, "见专项责任书。")]
    builder.append(_with_wraps(_piece(2, page_2), {(1, 1): (65.0, 12.0)}))
    table = builder.to_table()
    assert table.row_pages == [1, 1, 1, 2]
    assert _cells(table)[-5:] == [
        (2, 0, 2, 1, "安全\n稳定\n30分"),
        (2, 1, 1, 1, "综治维稳扫黑除恶5分"),
        (2, 2, 1, 1, "见专项责任书。"),
        (3, 1, 1, 1, "安全生产5分"),
        (3, 2, 1, 1, "见专项责任书。"),
    ]


@pytest.mark.parametrize(
    ("name", "rest", "joined"),
    [
        ("水利工作", "5分", True),  # the cell's points paragraph went over the break
        ("水利工作5分", "5分", False),  # page 1 already has the points: a new row's cell
        ("水利工作", "科技工作", False),  # a new indicator
    ],
)
def test_row_split_with_its_points_paragraph_on_the_next_page(name: str, rest: str, joined: bool) -> None:
    """The target wraps mid-sentence; the indicator's name and points are two paragraphs on two pages."""
    page_1 = [*TOWN_HEAD, (1, 0, 2, 1, "乡村振兴\n20分"), (1, 1, 1, 1, "林业工作\n5分"), (1, 2, 1, 1, "植树。")]
    page_1 += [(2, 1, 1, 1, name), (2, 2, 1, 1, "水保治理面积1.55km²，严格落")]
    builder = TableBuilder(_with_wraps(_piece(1, page_1), {(2, 2): (-1.0, 16.0)}))
    page_2 = [*TOWN_HEAD, (1, 0, 2, 1, ""), (1, 1, 1, 1, rest), (1, 2, 1, 1, "实河长制。")]
    page_2 += [(2, 1, 1, 1, "科技工作\n5分"), (2, 2, 1, 1, "研发。")]
    builder.append(_with_wraps(_piece(2, page_2), {(1, 1): (65.0, 12.0)}))
    table = builder.to_table()
    assert table.n_rows == (4 if joined else 5)
    assert table.cell_at(1, 0).rowspan == table.n_rows - 1  # type: ignore[union-attr]
    if joined:
        assert table.cell_at(2, 1).text == f"{name}\n{rest}"  # type: ignore[union-attr]
        assert table.cell_at(2, 2).text == "水保治理面积1.55km²，严格落实河长制。"  # type: ignore[union-attr]


def test_fresh_row_opening_a_new_merge_with_an_empty_target_is_not_joined() -> None:
    """A new category at the top of the page is not the rest of the one-row category above it."""
    builder = TableBuilder(_piece(1, [*TOWN_HEAD, (1, 0, 1, 1, "经济5分"), (1, 1, 1, 1, "招商"), (1, 2, 1, 1, "完成")]))
    page_2 = [*TOWN_HEAD, (1, 0, 2, 1, "民生\n35分"), (1, 1, 1, 1, "教育"), (1, 2, 1, 1, "")]
    builder.append(_with_wraps(_piece(2, [*page_2, (2, 1, 1, 1, "卫生"), (2, 2, 1, 1, "完成")]), {}))
    table = builder.to_table()
    assert table.n_rows == 4
    assert (table.cell_at(1, 0).text, table.cell_at(2, 0).text) == ("经济5分", "民生\n35分")  # type: ignore[union-attr]


# fmt: off
CELL_PARTS = (
    ("推进重点项目建", "设，完成投资", True, "推进重点项目建设，完成投资"),
    ("完成投资任务。", "新开工项目", False, "完成投资任务。\n新开工项目"),
    ("1.甲\n2.乙方", "案落实\n3.丙", True, "1.甲\n2.乙方案落实\n3.丙"),
    ("GDP", "growth", True, "GDP growth"),
    ("经济", "", False, "经济"),
)
# fmt: on


@pytest.mark.parametrize(("first", "second", "wrapped", "joined"), CELL_PARTS)
def test_join_cell_parts(first: str, second: str, wrapped: bool, joined: str) -> None:
    assert join_cell_parts(first, second, wrapped=wrapped) == joined
