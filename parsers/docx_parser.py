"""Word backend (.docx, .docm, .dotx): the body's paragraphs and tables in reading order.

python-docx opens the package; everything after that works on the lxml
elements of ``w:body`` directly, because python-docx's ``row.cells`` repeats a
merged cell at every grid position it covers and is slow on long tables.

Decisions worth knowing:

* Headers, footers and footnotes live in other parts and are never read. In the
  body, the results of ``PAGE``/``NUMPAGES`` fields are dropped, and so is a
  paragraph that is only a page number (``— 1 —``, ``-3-``, ``第2页 共5页``).
* Text is kept as written: ``考    核    内    容`` keeps its spaces (a header
  spaced on purpose; later stages normalise headers). Only each line's ends are
  stripped, which also removes U+3000 indentation.
* ``w:br``/``w:cr`` are visible line breaks and become ``"\\n"``; ``w:tab`` is
  ``"\\t"``. A cell's paragraphs are joined with ``"\\n"``; empty lines are dropped.
* Tables are rebuilt from the ``w:tc`` elements: ``w:gridSpan`` is a colspan,
  ``w:vMerge`` (``restart``, then ``continue`` or bare) a rowspan, and the legacy
  ``w:hMerge`` a colspan too. Grid positions no ``w:tc`` covers (``w:gridBefore``,
  ``w:gridAfter``, rows missing trailing cells) become empty cells, so every
  position of the grid belongs to exactly one cell. Text found in a ``continue``
  cell is appended to the merged cell rather than lost.
* A table inside a cell becomes its own ``Table`` block placed right after the
  outer table (depth first); the outer cell keeps only its own paragraphs, with
  no marker.
* Content controls (``w:sdt``), ``w:customXml`` and tracked insertions are read;
  tracked deletions, hidden runs (direct ``w:vanish``) and ``mc:Fallback``
  copies are not. Text boxes become paragraphs placed before the paragraph that
  anchors them (a 红头 issuer mark is often a text box anchored at the top).
* Word's automatic numbering (``第一章``, ``一、`` from ``w:numPr``) is not in the
  text and is not reconstructed.
* Limits (``parsers.limits``): the ZIP directory is checked before anything is
  inflated (every part's declared size and compression ratio, their total); only
  the main document part is read, in chunks up to ``max_xml_mb``; a DTD (the
  vehicle of entity bombs, never written by Word) is refused; paragraphs and table
  grid positions are counted while the body is walked. ``w:gridSpan``,
  ``w:gridBefore`` and ``w:gridAfter`` are clamped to Word's own maximum of 63 columns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex
from lxml import etree

from normalize.text import is_page_number
from parsers.detect import fingerprint
from parsers.document import Block, Cell, Document, Paragraph, ParseWarning, Table
from parsers.docx_package import load_body
from parsers.limits import Budget

logger = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
W_P, W_TBL, W_TR, W_TC, W_R, W_T = (f"{_W}{n}" for n in ("p", "tbl", "tr", "tc", "r", "t"))
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
W_TXBX_CONTENT, W_ALT_CHUNK = f"{_W}txbxContent", f"{_W}altChunk"

# Elements whose content is not visible text of the paragraph they sit in.
_SKIPPED = frozenset({f"{_W}{n}" for n in ("del", "moveFrom", "pPr", "rPr", "instrText", "delText")} | {_MC_FALLBACK})
_LINE_BREAKS = frozenset({f"{_W}br", f"{_W}cr"})
_TABS = frozenset({f"{_W}tab", f"{_W}ptab"})
_PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES"})
_DASH = r"[—\-－–―~～]"
# What remains of "— PAGE —" or "第 PAGE 页 共 NUMPAGES 页" once the field results are dropped.
_PAGE_FIELD_RESIDUE = regex.compile(rf"^(?:{_DASH}|[\s第页共,，/])*$")
_MAX_GRID = 63  # Word's maximum number of table columns


def parse(path: Path) -> Document:
    """Read a Word document's body into paragraphs and tables, in reading order."""
    path = Path(path)
    ctx = _Context(Budget(path))
    body = load_body(path, ctx.budget.limits)
    blocks = list(_walk_blocks(body, ctx))
    return Document(source=fingerprint(path, "docx"), blocks=blocks, warnings=ctx.warnings)


@dataclass
class _Context:
    """What the walk carries along: the document's warnings and its budget of paragraphs and cells."""

    budget: Budget
    warnings: list[ParseWarning] = field(default_factory=list)


def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """``w:p``, ``w:tbl`` (and ``w:altChunk``) children, looking through content controls."""
    for child in container:
        tag = child.tag
        if tag in (W_P, W_TBL, W_ALT_CHUNK):
            yield child
        elif tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _block_children(content)
        elif tag == W_CUSTOM_XML:
            yield from _block_children(child)


def _walk_blocks(container: etree._Element, ctx: _Context) -> Iterator[Block]:
    for child in _block_children(container):
        if child.tag == W_P:
            yield from _paragraph_blocks(child, ctx)
        elif child.tag == W_TBL:
            yield from _table_blocks(child, ctx)
        else:
            message = "文档中嵌入的外部内容（w:altChunk）未读取：用 Word 打开后另存为 .docx，可把它变为正文"
            ctx.warnings.append(ParseWarning(code="docx_alt_chunk", message=message))


# --- paragraphs -------------------------------------------------------------------------------


@dataclass
class _Field:
    instruction: str = ""

    @property
    def is_page_number(self) -> bool:
        words = self.instruction.split()
        return bool(words) and words[0].upper() in _PAGE_FIELDS


@dataclass
class _ParagraphText:
    """What one ``w:p`` holds: its visible text and the text boxes anchored in it."""

    parts: list[str] = field(default_factory=list)
    fields: list[_Field] = field(default_factory=list)
    text_boxes: list[etree._Element] = field(default_factory=list)
    dropped_page_field: bool = False

    @property
    def in_page_field(self) -> bool:
        return any(f.is_page_number for f in self.fields)

    def text(self) -> str:
        return _clean_lines("".join(self.parts))


def _clean_lines(raw: str) -> str:
    lines = (line.strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def _read_paragraph(p: etree._Element) -> _ParagraphText:
    out = _ParagraphText()
    _collect(p, out, hidden=False)
    return out


def _collect(element: etree._Element, out: _ParagraphText, *, hidden: bool) -> None:  # noqa: C901
    for child in element:
        tag = child.tag
        if tag in _SKIPPED:
            if tag == f"{_W}instrText" and out.fields:
                out.fields[-1].instruction += child.text or ""
            continue
        if tag == W_T:
            if hidden or out.in_page_field:
                out.dropped_page_field |= out.in_page_field
            else:
                out.parts.append(child.text or "")
        elif tag in _LINE_BREAKS or tag in _TABS:
            if not hidden and not out.in_page_field:
                out.parts.append("\n" if tag in _LINE_BREAKS else "\t")
        elif tag == f"{_W}noBreakHyphen":
            out.parts.append("-")
        elif tag == f"{_W}fldChar":
            _field_char(child, out)
        elif tag == f"{_W}fldSimple":
            if _Field(child.get(f"{_W}instr", "")).is_page_number:
                out.dropped_page_field = True
            else:
                _collect(child, out, hidden=hidden)
        elif tag == W_TXBX_CONTENT:
            out.text_boxes.append(child)
        elif tag == W_R:
            _collect(child, out, hidden=hidden or _is_hidden(child))
        elif isinstance(tag, str):  # hyperlinks, insertions, smart tags, drawings, AlternateContent ...
            _collect(child, out, hidden=hidden)


def _field_char(element: etree._Element, out: _ParagraphText) -> None:
    kind = element.get(f"{_W}fldCharType")
    if kind == "begin":
        out.fields.append(_Field())
    elif kind == "end" and out.fields:
        out.fields.pop()


def _is_hidden(run: etree._Element) -> bool:
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(f"{_W}val", "true") not in ("0", "false", "off")


def _paragraph_blocks(p: etree._Element, ctx: _Context, *, in_cell: bool = False) -> Iterator[Block]:
    content = _read_paragraph(p)
    for box in content.text_boxes:
        yield from _walk_blocks(box, ctx)
    text = content.text()
    if not text or (content.dropped_page_field and _PAGE_FIELD_RESIDUE.match(text)):
        return
    if not in_cell and is_page_number(text):  # a page number typed into the body, not a cell value
        return
    if not in_cell:
        ctx.budget.paragraph()
    yield Paragraph(text=text)


# --- tables -----------------------------------------------------------------------------------


@dataclass
class _Span:
    """A cell being built: where it starts, how far it spans, its paragraphs."""

    row: int
    col: int
    colspan: int
    texts: list[str]
    rowspan: int = 1

    def to_cell(self) -> Cell:
        return Cell(text="\n".join(self.texts), row=self.row, col=self.col, rowspan=self.rowspan, colspan=self.colspan)


def _table_blocks(tbl: etree._Element, ctx: _Context) -> Iterator[Block]:
    """The table, then the tables nested in its cells (depth first)."""
    nested: list[Block] = []
    table = _build_table(tbl, nested, ctx)
    if table is not None:
        yield table
    yield from nested


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    yield from _looking_through_controls(tbl, W_TR)


def _row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    yield from _looking_through_controls(tr, W_TC)


def _looking_through_controls(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _looking_through_controls(content, tag)
        elif child.tag == W_CUSTOM_XML:
            yield from _looking_through_controls(child, tag)


def _int_val(parent: etree._Element | None, path: str, default: int) -> int:
    element = parent.find(path) if parent is not None else None
    if element is None:
        return default
    try:
        return int(element.get(f"{_W}val", default))
    except ValueError:
        return default


def _merge_val(tc_pr: etree._Element | None, name: str) -> str | None:
    """``"restart"``, ``"continue"`` (also for a bare element) or ``None`` for no merge."""
    element = tc_pr.find(f"{_W}{name}") if tc_pr is not None else None
    if element is None:
        return None
    return "restart" if element.get(f"{_W}val") == "restart" else "continue"


def _build_table(tbl: etree._Element, nested: list[Block], ctx: _Context) -> Table | None:
    spans: list[_Span] = []
    above: dict[int, _Span] = {}  # start column -> the cell there in the previous row
    n_rows = n_cols = 0
    for r, tr in enumerate(_rows(tbl)):
        n_rows = r + 1
        tr_pr = tr.find(f"{_W}trPr")
        col = min(_int_val(tr_pr, f"{_W}gridBefore", 0), _MAX_GRID)
        current: dict[int, _Span] = {}
        previous: _Span | None = None
        for tc in _row_cells(tr):
            tc_pr = tc.find(f"{_W}tcPr")
            colspan = min(max(1, _int_val(tc_pr, f"{_W}gridSpan", 1)), _MAX_GRID)
            texts = _cell_texts(tc, nested, ctx)
            merged_into = _merge_target(tc_pr, above.get(col), previous, col, colspan)
            if merged_into is None:
                merged_into = _Span(row=r, col=col, colspan=colspan, texts=texts)
                spans.append(merged_into)
            else:
                merged_into.texts.extend(texts)
            current[merged_into.col] = merged_into
            previous = merged_into
            col += colspan
        n_cols = max(n_cols, col + min(_int_val(tr_pr, f"{_W}gridAfter", 0), _MAX_GRID))
        above = current
    if n_rows == 0:
        return None
    ctx.budget.table(n_rows, n_cols)  # before the grid's holes are filled
    cells = [span.to_cell() for span in spans]
    cells += _fill_holes(spans, n_rows, n_cols)
    return Table.from_cells(cells)


def _merge_target(
    tc_pr: etree._Element | None, above: _Span | None, previous: _Span | None, col: int, colspan: int
) -> _Span | None:
    """The cell a ``w:tc`` continues (vertically or, legacy ``w:hMerge``, horizontally), if any."""
    if _merge_val(tc_pr, "vMerge") == "continue":
        if above is not None and above.colspan == colspan:
            above.rowspan += 1
            return above
        logger.debug("vMerge continue at column %d has no matching cell above; kept as its own cell", col)
    horizontal = _merge_val(tc_pr, "hMerge") == "continue"
    if horizontal and previous is not None and previous.rowspan == 1 and previous.col + previous.colspan == col:
        previous.colspan += colspan
        return previous
    return None


def _fill_holes(spans: list[_Span], n_rows: int, n_cols: int) -> list[Cell]:
    """Empty cells for grid positions no ``w:tc`` covers (gridBefore/gridAfter, short rows)."""
    covered = {(r, c) for s in spans for r in range(s.row, s.row + s.rowspan) for c in range(s.col, s.col + s.colspan)}
    return [Cell(text="", row=r, col=c) for r in range(n_rows) for c in range(n_cols) if (r, c) not in covered]


def _cell_texts(tc: etree._Element, nested: list[Block], ctx: _Context) -> list[str]:
    """The non-empty paragraph texts of a cell; its nested tables go to ``nested``."""
    texts: list[str] = []
    for child in _block_children(tc):
        if child.tag == W_P:
            for block in _paragraph_blocks(child, ctx, in_cell=True):
                if isinstance(block, Paragraph):
                    texts.append(block.text)
                else:
                    nested.append(block)  # a table inside a text box inside the cell
        elif child.tag == W_TBL:
            nested.extend(_table_blocks(child, ctx))
    return texts
