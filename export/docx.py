"""The 一览表 as a .docx government attachment (GB/T 9704 look).

``附件`` at the top left in 黑体 三号, the title centred in 方正小标宋简体 二号, then the table:
header row in 黑体 repeated on every page (``w:tblHeader``), rows that do not split across pages,
the 考核内容 cell merged over its category's rows, body in 仿宋_GB2312 小四 (a table's size; 三号
is the body text's). A department grouping gives a 黑体 heading and a table with a 小计 row per
unit. 说明 lines follow; page numbers ``— 1 —`` in the footer. A4, landscape when the table is
wider than a portrait page's 156 mm text block.

Fonts are named as Chinese offices name them; the font table gives each an ``altName`` fallback
(仿宋_GB2312 → 仿宋, 方正小标宋简体 → 黑体…) for machines without them. Runs set ``w:eastAsia``:
without it Word renders Chinese text in the theme's East Asian font, whatever ``w:ascii`` says.
"""

from __future__ import annotations

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

FANGSONG, HEITI, XIAOBIAOSONG = "仿宋_GB2312", "黑体", "方正小标宋简体"
FALLBACKS = {FANGSONG: "仿宋", XIAOBIAOSONG: "黑体", HEITI: "SimHei", "仿宋": "FangSong"}
_WEIGHTS = {"序号": 13, "考核内容": 26, "考核指标": 68, "分值": 13, "分工": 13, "牵头单位": 52, "配合单位": 34,
            "来源": 24}  # fmt: skip
_ROW_HEIGHT = Mm(8)
_CENTERED = {"序号", "考核内容", "分值", "分工"}
_PORTRAIT_TEXT_WIDTH = 156  # mm, GB/T 9704 版心
_TABLE_SIZE, _SOURCE_SIZE = 12, 10.5  # 小四, 五号


def write_docx(breakdown: Breakdown, path: Path) -> None:
    """Write the 一览表 to ``path`` as a government attachment."""
    document = new_document()
    text_width = _page_setup(document, sum(_WEIGHTS.get(h, 20) for h in breakdown.headers))
    _font_fallbacks(document)
    _paragraph(document, "附件", HEITI, 16)
    _paragraph(document, "", FANGSONG, 16)
    _paragraph(document, breakdown.title, XIAOBIAOSONG, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "", FANGSONG, 12)
    widths = _column_widths(breakdown.headers, text_width)
    for number, section in enumerate(breakdown.sections, start=1):
        if section.department is not None or section.title:
            heading = _paragraph(document, f"{chinese_ordinal(number)}、{section.heading()}", HEITI, 14)
            heading.paragraph_format.space_before = Pt(6 if number > 1 else 0)
            heading.paragraph_format.keep_with_next = True
        table = _table(document, breakdown, section, widths)
        if section.department is not None:
            _total_row(table, "小计（牵头指标）" if breakdown.by == "dept" else "小计", section.carried_points)
        elif len(breakdown.sections) == 1:
            _total_row(table, "合计", breakdown.total_points)
    if breakdown.by == "category" and len(breakdown.sections) > 1:
        _paragraph(document, f"合计：{breakdown.total_points:g}分", HEITI, 12)
    _notes(document, breakdown)
    _page_numbers(document)
    document.save(str(path))


def _page_setup(document: Document, table_weight: int) -> float:
    """A4 (landscape if the table is wide); returns the text width in mm."""
    section = document.sections[0]
    landscape = table_weight > _PORTRAIT_TEXT_WIDTH
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = (Mm(25), Mm(22)) if landscape else (Mm(37), Mm(35))
    section.left_margin, section.right_margin = (Mm(25), Mm(25)) if landscape else (Mm(28), Mm(26))
    section.footer_distance = Mm(10)
    return (297 - 50) if landscape else _PORTRAIT_TEXT_WIDTH


def _column_widths(headers: list[str], text_width: float) -> list[Mm]:
    weights = [_WEIGHTS.get(h, 20) for h in headers]
    return [Mm(text_width * w / sum(weights)) for w in weights]


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


def _table(document: Document, breakdown: Breakdown, section: BreakdownSection, widths: list[Mm]) -> Table:
    headers = breakdown.headers
    table = document.add_table(rows=1 + len(section.rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid (w:gridCol) is what LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _row_flag(row, "w:cantSplit")
        row.height, row.height_rule = _ROW_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _paragraph(cell, header, HEITI, _TABLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, paragraph=cell.paragraphs[0])
    _row_flag(table.rows[0], "w:tblHeader")
    runs = dict(section.category_runs())
    for offset, row in enumerate(section.rows):
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
    row.height, row.height_rule = _ROW_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
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


def _page_numbers(document: Document) -> None:
    """``— 1 —`` centred in the footer (宋体 四号)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("— ", None, " —"):
        run = paragraph.add_run(text or "")
        run.font.size = Pt(14)
        _set_fonts(run._r.get_or_add_rPr(), "宋体")
        if text is None:
            for kind, instruction in (("begin", None), (None, " PAGE "), ("end", None)):
                element = OxmlElement("w:fldChar" if kind else "w:instrText")
                if kind:
                    element.set(qn("w:fldCharType"), kind)
                else:
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
