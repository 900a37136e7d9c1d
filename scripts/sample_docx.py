"""Write a sample notice as .docx in the GB/T 9704 look (A4, 3号仿宋, red 版头).

Fonts: Word documents from government offices name 仿宋/宋体/黑体/小标宋; those
names are kept for Latin text, and the East Asian font attribute points at the
Noto CJK faces so that LibreOffice renders the Chinese text on any machine
with ``fonts-noto-cjk`` instead of substituting a font without Han glyphs.
The ZIP is rewritten with fixed timestamps so a rebuild is byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from sample_model import Block, Grid, PageBreak, Para

SERIF_CJK = "Noto Serif CJK SC"
SANS_CJK = "Noto Sans CJK SC"
RED = RGBColor(0xE0, 0x00, 0x00)
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)

# role: (font name, East Asian font, size pt, bold, red, alignment, first-line indent in chars, left indent chars)
ROLES: dict[str, tuple[str, str, float, bool, bool, WD_ALIGN_PARAGRAPH, float, float]] = {
    "issuer": ("方正小标宋简体", SERIF_CJK, 30, True, True, CENTER, 0, 0),
    "docno": ("仿宋_GB2312", SERIF_CJK, 16, False, False, CENTER, 0, 0),
    "title": ("方正小标宋简体", SERIF_CJK, 22, True, False, CENTER, 0, 0),
    "recipients": ("仿宋_GB2312", SERIF_CJK, 16, False, False, JUSTIFY, 0, 0),
    "body": ("仿宋_GB2312", SERIF_CJK, 16, False, False, JUSTIFY, 2, 0),
    "heading1": ("黑体", SANS_CJK, 16, False, False, JUSTIFY, 2, 0),
    "heading2": ("楷体_GB2312", SERIF_CJK, 16, True, False, JUSTIFY, 2, 0),
    "attachment_note": ("仿宋_GB2312", SERIF_CJK, 16, False, False, LEFT, 2, 0),
    "attachment_more": ("仿宋_GB2312", SERIF_CJK, 16, False, False, LEFT, 0, 5),
    "signature": ("仿宋_GB2312", SERIF_CJK, 16, False, False, RIGHT, 0, 0),
    "date": ("仿宋_GB2312", SERIF_CJK, 16, False, False, RIGHT, 0, 0),
    "note": ("仿宋_GB2312", SERIF_CJK, 16, False, False, LEFT, 2, 0),
    "attachment_label": ("黑体", SANS_CJK, 16, False, False, LEFT, 0, 0),
    "attachment_title": ("方正小标宋简体", SERIF_CJK, 20, True, False, CENTER, 0, 0),
    "section": ("黑体", SANS_CJK, 15, False, False, CENTER, 0, 0),
    "unit": ("楷体_GB2312", SERIF_CJK, 14, True, False, LEFT, 0, 0),
    "table_title": ("黑体", SANS_CJK, 15, False, False, CENTER, 0, 0),
    "table_note": ("宋体", SERIF_CJK, 10.5, False, False, LEFT, 2, 0),
    "chapter": ("黑体", SANS_CJK, 16, False, False, CENTER, 0, 0),
    "article": ("仿宋_GB2312", SERIF_CJK, 16, False, False, JUSTIFY, 2, 0),
    "imprint": ("仿宋_GB2312", SERIF_CJK, 14, False, False, LEFT, 0, 1),
}
SIGNATURE_RIGHT_INDENT_CHARS = {"signature": 4, "date": 4}
TABLE_FONT = ("宋体", SERIF_CJK, 10.5)


def write_docx(blocks: list[Block], path: Path, *, title: str, author: str, when: dt.datetime) -> None:
    """Render ``blocks`` to ``path`` with fixed document properties."""
    document = new_document()
    _setup_page(document)
    _set_default_font(document)
    pending_break = after_table = False
    for block in blocks:
        if isinstance(block, PageBreak):
            pending_break = True
        elif isinstance(block, Para):
            paragraph = document.add_paragraph()
            _fill_paragraph(paragraph, block)
            if after_table:  # keep the next heading or note off the table's bottom rule
                paragraph.paragraph_format.space_before = Pt(6)
            if pending_break:
                paragraph.paragraph_format.page_break_before = True
                pending_break = False
        elif isinstance(block, Grid):
            if pending_break:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                pending_break = False
            _add_table(document, block)
        after_table = isinstance(block, Grid)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.created = properties.modified = properties.last_printed = when
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_stable_zip(buffer.getvalue()))


def _setup_page(document: object) -> None:
    section = document.sections[0]  # type: ignore[attr-defined]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    footer = section.footer.paragraphs[0]
    footer.alignment = CENTER
    _styled_run(footer, "— ", "宋体", SERIF_CJK, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    _styled_run(footer, " —", "宋体", SERIF_CJK, 14)


def _set_default_font(document: object) -> None:
    normal = document.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = "仿宋_GB2312"
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SERIF_CJK)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)


def _styled_run(paragraph: DocxParagraph, text: str, font: str, east_asian: str, size: float, *, bold: bool = False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    return run


def _fill_paragraph(paragraph: DocxParagraph, block: Para) -> None:
    font, east_asian, size, bold, red, align, indent, left = ROLES[block.role]
    fmt = paragraph.paragraph_format
    paragraph.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(28, size * 1.5)) if block.role != "table_note" else Pt(16)
    fmt.first_line_indent = Pt(size * indent) if indent else None
    fmt.left_indent = Pt(16 * left) if left else None
    if block.role in SIGNATURE_RIGHT_INDENT_CHARS:
        fmt.right_indent = Pt(16 * SIGNATURE_RIGHT_INDENT_CHARS[block.role])
    if block.role in ("title", "attachment_title", "table_title", "chapter", "section"):
        fmt.space_before, fmt.space_after = Pt(8), Pt(8)
    if block.role == "article" and " " in block.text:
        label, rest = block.text.split(" ", 1)
        _styled_run(paragraph, label + " ", "黑体", SANS_CJK, size)
        _styled_run(paragraph, rest, font, east_asian, size)
    else:
        run = _styled_run(paragraph, block.text, font, east_asian, size, bold=bold)
        if red:
            run.font.color.rgb = RED
    if block.rule_below:
        _border(paragraph, "bottom", color="E00000", size=18, space=6)
    if block.role == "imprint":
        _border(paragraph, "top", color="000000", size=8, space=2)
        _border(paragraph, "bottom", color="000000", size=8, space=2)


def _border(paragraph: DocxParagraph, side: str, *, color: str, size: int, space: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", color)):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


def _add_table(document: object, spec: Grid) -> None:
    table_model = spec.table
    table = document.add_table(rows=table_model.n_rows, cols=table_model.n_cols)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, width in enumerate(spec.widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)
    for index, row in enumerate(table.rows):
        if index < spec.header_rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cells in table_model.rows:
        for cell in cells:
            target = table.cell(cell.row, cell.col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
            is_header = cell.row < spec.header_rows
            _fill_cell(target, cell.text, bold=is_header, center=is_header or cell.col in spec.centered_cols)


def _fill_cell(cell: _Cell, text: str, *, bold: bool, center: bool) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    font, east_asian, size = TABLE_FONT
    for index, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = CENTER if center else JUSTIFY
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if line:
            _styled_run(paragraph, line, "黑体" if bold else font, SANS_CJK if bold else east_asian, size)


def _stable_zip(data: bytes) -> bytes:
    """The same ZIP with every entry dated 1980-01-01, so identical content gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
