"""The 一览表 as a .docx government attachment (GB/T 9704 look).

``附件`` at the top left in 黑体 三号, the title centred in 方正小标宋简体 二号, then the table:
header row in 黑体 repeated on every page (``w:tblHeader``), rows that do not split across pages,
the 考核内容 cell merged over its category's rows, body in 仿宋_GB2312 小四 (a table's size; 三号
is the body text's). A department grouping gives a 黑体 heading and a table with a 小计 row per
unit. 说明 lines follow. The page is ``export/layout.py``'s: A4, landscape when the table is wider
than a portrait page's 156 mm text block; the source notice(s), the date and ``第 1 页，共 3 页``
in the footer; a table cut where the estimated page ends (one table per page, so a category label
is repeated at the top of the next page instead of being cut); number columns wide enough for
their widest number.

Fonts are named as Chinese offices name them; the font table gives each an ``altName`` fallback
(仿宋_GB2312 → 仿宋, 方正小标宋简体 → 黑体…) for machines without them. Runs set ``w:eastAsia``:
without it Word renders Chinese text in the theme's East Asian font, whatever ``w:ascii`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from export.breakdown import Breakdown, BreakdownSection, chinese_ordinal
from export.layout import (
    DOCX_PAGE_NUMBERS,
    DocxPage,
    docx_line_mm,
    docx_lines,
    docx_number_mm,
    docx_page,
    docx_row_mm,
    docx_widths,
    footer_line,
)

FANGSONG, HEITI, XIAOBIAOSONG = "仿宋_GB2312", "黑体", "方正小标宋简体"
FALLBACKS = {FANGSONG: "仿宋", XIAOBIAOSONG: "黑体", HEITI: "SimHei", "仿宋": "FangSong"}
_WEIGHTS = {"序号": 13, "考核内容": 26, "考核指标": 68, "分值": 13, "分工": 13, "牵头单位": 52, "配合单位": 34,
            "来源": 24}  # fmt: skip
_ROW_MM = 8.0
_CENTERED = {"序号", "考核内容", "分值", "分工"}
_NUMBER_COLUMNS = {"序号", "分值"}
_TABLE_SIZE, _SOURCE_SIZE = 12, 10.5  # 小四, 五号


def write_docx(breakdown: Breakdown, path: Path) -> None:
    """Write the 一览表 to ``path`` as a government attachment."""
    document = new_document()
    headers = breakdown.headers
    page = docx_page(sum(_WEIGHTS.get(h, 20) for h in headers))
    _page_setup(document, page)
    _font_fallbacks(document)
    cursor = _Cursor(page.text_height * 0.92)
    for text, font, size, align in (("附件", HEITI, 16, None), ("", FANGSONG, 16, None),
                                    (breakdown.title, XIAOBIAOSONG, 22, WD_ALIGN_PARAGRAPH.CENTER),
                                    ("", FANGSONG, 12, None)):  # fmt: skip
        _paragraph(document, text, font, size, align=align or WD_ALIGN_PARAGRAPH.LEFT)
        cursor.used += docx_lines(text, page.text_width, size) * docx_line_mm(size)
    widths = _column_widths(breakdown, page.text_width)
    for number, section in enumerate(breakdown.sections, start=1):
        heading = None
        if section.department is not None or section.title:
            heading = _paragraph(document, f"{chinese_ordinal(number)}、{section.heading()}", HEITI, 14)
            heading.paragraph_format.space_before = Pt(6 if number > 1 else 0)
            heading.paragraph_format.keep_with_next = True
        total = None
        if section.department is not None:
            total = ("小计（牵头指标）" if breakdown.by == "dept" else "小计", section.carried_points)
        elif len(breakdown.sections) == 1:
            total = ("合计", breakdown.total_points)
        _tables(document, breakdown, section, widths, cursor, heading, total)
    if breakdown.by == "category" and len(breakdown.sections) > 1:
        _paragraph(document, f"合计：{breakdown.total_points:g}分", HEITI, 12)
    _notes(document, breakdown)
    _footer(document, footer_line(breakdown.documents))
    document.save(str(path))


@dataclass
class _Cursor:
    """How much of the current page (mm) the document has used so far, by estimate."""

    room: float
    used: float = 0.0

    def fits(self, height: float) -> bool:
        return self.used + height <= self.room

    def new_page(self) -> None:
        self.used = 0.0


def _page_setup(document: Document, page: DocxPage) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width), Mm(page.height)
    section.top_margin, section.bottom_margin = Mm(page.top), Mm(page.bottom)
    section.left_margin, section.right_margin = Mm(page.left), Mm(page.right)
    section.footer_distance = Mm(page.footer)


def _column_widths(breakdown: Breakdown, text_width: float) -> list[float]:
    """Widths (mm) in proportion to ``_WEIGHTS``; a number column as wide as its widest number."""
    headers = breakdown.headers
    weights = [_WEIGHTS.get(h, 20) for h in headers]
    rows = [breakdown.cells(r) for s in breakdown.sections for r in s.rows]
    minimums = [0.0] * len(headers)
    for index, header in enumerate(headers):
        if header in _NUMBER_COLUMNS:
            texts = [header, *(str(row[index]) for row in rows if row[index] is not None)]
            texts += [f"{s.carried_points:g}" for s in breakdown.sections] + [f"{breakdown.total_points:g}"]
            minimums[index] = docx_number_mm(texts, _TABLE_SIZE)
    return docx_widths(weights, minimums, text_width)


def _set_fonts(run_properties: object, font: str) -> None:
    fonts = run_properties.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)


def _paragraph(
    container: Document | _Cell,
    text: str,
    font: str,
    size: float,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    bold: bool = False,
    paragraph: Paragraph | None = None,
) -> Paragraph:
    """A paragraph of one run (lines of ``text`` as line breaks) in ``font`` at ``size`` pt."""
    paragraph = paragraph if paragraph is not None else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if index:
            run.add_break()
        run.add_text(line)
        run.font.size, run.font.bold = Pt(size), bold or None
        _set_fonts(run._r.get_or_add_rPr(), font)
    return paragraph


def _tables(
    document: Document,
    breakdown: Breakdown,
    section: BreakdownSection,
    widths: list[float],
    cursor: _Cursor,
    heading: Paragraph | None,
    total: tuple[str, float] | None,
) -> None:
    """The section's rows as one table per page: where the estimate says a page ends, the table
    ends, a new one starts on the next page with the header row, and a category label merged over
    rows on both pages is repeated at the top of the new one."""
    headers = breakdown.headers
    cells = [["" if v is None else str(v) for v in breakdown.cells(row)] for row in section.rows]
    header_mm = docx_row_mm(headers, widths, _TABLE_SIZE, _ROW_MM)
    spread = {start + i for start, length in section.category_runs() if length > 1 for i in range(1, length)}
    for index in spread:  # a merged label's lines spread over its rows: only a run's first row counts it
        cells[index][1] = ""
    heights = [docx_row_mm(c, widths, _TABLE_SIZE, _ROW_MM) for c in cells]
    label_mm = [docx_row_mm(["", breakdown.cells(row)[1] or ""], widths[:2], _TABLE_SIZE, _ROW_MM)
                for row in section.rows]  # fmt: skip
    heading_mm = docx_line_mm(14) * 1.3 if heading is not None else 0.0
    first_row = heights[0] if heights else _ROW_MM
    if not cursor.fits(heading_mm + header_mm + first_row):
        if heading is not None:
            heading.paragraph_format.page_break_before = True
        else:
            _page_break(document)
        cursor.new_page()
    cursor.used += heading_mm + header_mm
    chunks, start = [], 0
    for index, height in enumerate(heights):
        last = index == len(heights) - 1
        need = height + (_ROW_MM if last and total else 0)  # the total row stays with the last row
        if not cursor.fits(need) and index > start:
            chunks.append((start, index))
            start = index
            cursor.new_page()
            cursor.used += header_mm
            height = max(height, label_mm[index])  # a label repeated here needs its own lines
        cursor.used += height
    chunks.append((start, len(heights)))
    if total:
        cursor.used += _ROW_MM
    for number, (first, end) in enumerate(chunks):
        if number:
            _page_break(document)
        table = _table(document, breakdown, section, widths, first, end)
        if total and number == len(chunks) - 1:
            _total_row(table, *total)


def _page_break(document: Document) -> None:
    """An empty, tiny paragraph that starts a new page (Word needs a paragraph between two tables)."""
    paragraph = _paragraph(document, "", FANGSONG, 1)
    paragraph.paragraph_format.page_break_before = True


def boxed_table(document: Document, rows: int, widths: list[float]) -> Table:
    """An empty ruled table of ``rows`` rows, centred, its columns ``widths`` mm wide and fixed."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid (w:gridCol) is what LibreOffice lays out by
    return table


def _table(
    document: Document, breakdown: Breakdown, section: BreakdownSection, widths: list[float], first: int, end: int
) -> Table:
    """Rows ``first``..``end`` (exclusive) of the section, under the header row."""
    headers = breakdown.headers
    rows = section.rows[first:end]
    table = boxed_table(document, 1 + len(rows), widths)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _row_flag(row, "w:cantSplit")
        row.height, row.height_rule = Mm(_ROW_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _paragraph(cell, header, HEITI, _TABLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, paragraph=cell.paragraphs[0])
    _row_flag(table.rows[0], "w:tblHeader")
    runs = _runs_within(section, first, end)
    for offset, row in enumerate(rows):
        cells = table.rows[offset + 1].cells
        for index, (cell, value) in enumerate(zip(cells, breakdown.cells(row), strict=True)):
            if index == 1 and offset not in runs:
                continue  # covered by the category cell above
            align = WD_ALIGN_PARAGRAPH.CENTER if headers[index] in _CENTERED else WD_ALIGN_PARAGRAPH.LEFT
            size = _SOURCE_SIZE if headers[index] == "来源" else _TABLE_SIZE
            text = "" if value is None else str(value)
            _paragraph(cell, text, FANGSONG, size, align, paragraph=cell.paragraphs[0])
    for start, length in runs.items():
        if length > 1:
            merged = table.cell(start + 1, 1).merge(table.cell(start + length, 1))
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def _runs_within(section: BreakdownSection, first: int, end: int) -> dict[int, int]:
    """The category runs of rows ``first``..``end`` (offsets from ``first``): a run cut by the
    chunk's start begins again at its first row, so the label is repeated there."""
    runs: dict[int, int] = {}
    for start, length in section.category_runs():
        lo, hi = max(start, first), min(start + length, end)
        if lo < hi:
            runs[lo - first] = hi - lo
    return runs


def _row_flag(row: object, flag: str) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement(flag)
    element.set(qn("w:val"), "true")
    properties.append(element)


def _total_row(table: Table, label: str, points: float) -> None:
    headers = [c.text for c in table.rows[0].cells]
    at = headers.index("分值")
    row = table.add_row()
    _row_flag(row, "w:cantSplit")
    row.height, row.height_rule = Mm(_ROW_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
    cells = row.cells
    label_cell = cells[0].merge(cells[at - 1])
    _paragraph(label_cell, label, HEITI, _TABLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, paragraph=label_cell.paragraphs[0])
    value = f"{points:g}"
    _paragraph(cells[at], value, HEITI, _TABLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, paragraph=cells[at].paragraphs[0])
    if at + 1 < len(cells):
        cells[at + 1].merge(cells[-1])


def _notes(document: Document, breakdown: Breakdown) -> None:
    _paragraph(document, "", FANGSONG, 12)
    for number, line in enumerate(breakdown.notes(), start=1):
        lead = "说明：" if number == 1 else "　　　"
        paragraph = _paragraph(document, f"{lead}{number}. {line}", FANGSONG, 12)
        paragraph.paragraph_format.left_indent = Pt(36)
        paragraph.paragraph_format.first_line_indent = Pt(-36)


def _footer(document: Document, line: str) -> None:
    """The source notice(s) and date generated, then ``第 1 页，共 3 页`` centred (fields PAGE, NUMPAGES)."""
    footer = document.sections[0].footer
    _paragraph(footer, line, FANGSONG, 9, paragraph=footer.paragraphs[0])
    paragraph = footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in DOCX_PAGE_NUMBERS:
        run = paragraph.add_run("" if part.isupper() else part)
        run.font.size = Pt(10.5)
        _set_fonts(run._r.get_or_add_rPr(), "宋体")
        if part.isupper():
            for kind, instruction in (("begin", None), (None, f" {part} "), ("separate", None), (None, "1"),
                                      ("end", None)):  # fmt: skip
                if kind:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                elif instruction == "1":
                    element = OxmlElement("w:t")
                    element.text = "1"
                else:
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = instruction
                run._r.append(element)


def _font_fallbacks(document: Document) -> None:
    """Declare the Chinese fonts with an ``altName`` in the font table (used when one is missing)."""
    part = document.part.part_related_by(RT.FONT_TABLE)  # a plain Part in python-docx: edit its bytes
    root = parse_xml(part.blob)
    for name, alternative in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(alt)
        font.append(charset)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
