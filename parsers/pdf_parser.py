"""PDF backend: text outside tables as paragraphs, ruled tables rebuilt from their cell boxes.

One pass per page: ``page.find_tables()`` once (its cell boxes give the grid,
see ``parsers.pdf_tables``), then every char goes to the cell whose box holds
its centre, or to the page text. Pages are closed as soon as they are read.

Decisions worth knowing:

* **Lines**: chars are grouped into lines by vertical overlap and sorted by x,
  whatever their font (宋体 Han next to Times New Roman digits stay in order).
  Space glyphs the PDF draws are kept, except between two CJK chars
  (``squeeze_cjk_spaces``); a gap over 0.15 em adds a space only between two
  non-CJK chars (``GDP growth``), never beside Han (``2022年度PM2.5浓度``); a
  gap over 1.5 em (``办公室      2022年3月21日``) stays one space in body
  text. In table cells all spaces between CJK chars go (spread-out headers).
* **Paragraphs**: a line continues the previous one unless the next line
  starts with a number (``1.`` ``（2）`` ``一、`` ``第三条``, not ``1.5``), the
  font size changes, a blank line separates them, or its first word (with
  any closing marks that may not start a line) plus half an em would have
  fitted on the previous line, so that line was ended on purpose. In body
  text an indented line also starts a paragraph, except under a full line
  with the same indent (hanging indents of 附件说明, unless that line ends a
  sentence) or the same centre (a wrapped centred title). Body paragraphs
  may continue over a page break when no table intervenes.
* **Cells**: the free width of a line counts left and right of it (centred
  cells). A line ending with ``。；：`` does *not* end a paragraph by itself:
  a full line so ending is more often a sentence going on (``…1000亩。（1分）``)
  and a short one is caught by the fit rule. Paragraphs are joined with
  ``"\n"``. PDF cannot tell ``经济发展\n（20分）`` from a wrap when the first
  line fills the cell; such texts come out joined.
* **Tables**: rules for stitching pieces across pages are in
  ``parsers.pdf_tables``; a ``续表`` line above a continuation is dropped.
* **Page numbers** (``— 3 —``, ``-3-``, ``3``, ``第3页``) are dropped when they
  are the first or last line of a page.
* **Encryption**: a PDF with only an owner password (permissions such as "no
  copying", but no password to open it) is read like any other; one that needs a
  password to open is refused, and so, naming it, is one whose encryption pdfminer
  cannot decode. **Pages**: more than ``max_pdf_pages`` (``parsers.limits``) are
  refused from the page tree's count, before any page is read; a page whose
  content streams inflate past ``max_page_content_mb`` is refused before pdfminer
  inflates and interprets it.
* **No text**: a page without text but with images gets a ``no_text_layer``
  warning; a page whose chars are mostly ``(cid:NNN)`` gets ``cid_garbage``
  and its text is not stored.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import regex
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from normalize.text import is_page_number as page_number_line
from normalize.text import join_paragraphs, squeeze_cjk_spaces
from parsers.detect import fingerprint
from parsers.document import Block, Document, Paragraph, ParseWarning
from parsers.errors import ParseError, unreadable
from parsers.pdf_limits import check_contents, check_pages
from parsers.pdf_tables import (
    NUMBERED_START,
    GridCell,
    PageTable,
    TableBuilder,
    Wrap,
    page_table_from_boxes,
)

logger = logging.getLogger(__name__)

CELL_PADDING = 6.0  # points between a cell's ruling and its text (Word/WPS default 5.4)
SENTENCE_END = tuple("。！？!?")
CID_GARBAGE_RATIO = 0.3  # share of (cid:N) chars above which a page's text is garbage
_DAMAGED_HINT = "请重新下载，或用 PDF 阅读器打开后另存一份"
_CJK_CHAR = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]")
_CONTINUED_TABLE = regex.compile(r"^[（(]?\s*续\s*表\s*\d*\s*[）)]?\s*$")
_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’,.;:!?)%")  # kinsoku: these move down with the char before


@dataclass
class Line:
    """One visual line of text on a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_word_width: float
    page: int


def parse(path: Path) -> Document:
    """Read a PDF into paragraphs and tables in reading order, page by page."""
    warnings: list[ParseWarning] = []
    items: list[Line | PageTable] = []
    with _open_pdf(path) as pdf:
        check_pages(path, pdf)
        n_pages = len(pdf.pages)
        for page in pdf.pages:
            try:
                check_contents(path, page)
                items.extend(_read_page(page, warnings))
            finally:
                page.close()  # drops the page's cached layout: memory stays flat
    blocks = list(_assemble(items))
    source = fingerprint(path, "pdf", pages=n_pages)
    return Document(source=source, blocks=blocks, warnings=warnings)


@contextmanager
def _open_pdf(path: Path) -> Iterator[PDF]:
    """Open with pdfplumber; pdfminer's failures (wrapped by pdfplumber) become ``ParseError``."""
    try:
        pdf = pdfplumber.open(path)
    except OSError as e:
        raise unreadable(path, e) from e
    except PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, PDFPasswordIncorrect):
            hint = "请用密码打开后另存一份未加密的副本，或向发文单位索取未加密的文件"
            raise ParseError(path, "PDF 已加密，需要密码才能打开", hint) from e
        if isinstance(cause, PDFEncryptionError):
            problem = f"加密的 PDF，其加密方式无法解读（{type(cause).__name__}: {cause}）"
            raise ParseError(path, problem[:300], "请另存一份未加密的副本") from e
        problem = f"不是有效的 PDF 文件（{_cause(cause)}），文件可能已损坏或未下载完整"
        raise ParseError(path, problem, _DAMAGED_HINT) from e
    try:
        with pdf:
            yield pdf
    except (PdfminerException, MalformedPDFException) as e:
        cause = e.args[0] if e.args else e
        raise ParseError(path, f"PDF 已损坏：有一页无法读取（{_cause(cause)}）", _DAMAGED_HINT) from e


def _cause(error: object) -> str:
    """pdfminer's reason, on one short line."""
    return " ".join(f"{type(error).__name__}: {error}".split())[:200]


def cid_ratio(texts: Iterable[str]) -> float:
    """The share of glyphs that pdfminer could not map to Unicode (rendered ``(cid:NNN)``)."""
    total = garbage = 0
    for text in texts:
        if text.isspace():
            continue
        total += 1
        garbage += text.startswith("(cid:")
    return garbage / total if total else 0.0


def is_page_number(text: str) -> bool:
    """At a page's top or bottom even a bare ``3`` or ``3/10`` is a page number."""
    return page_number_line(text, bare=True)


def _read_page(page: Page, warnings: list[ParseWarning]) -> list[Line | PageTable]:
    number = page.page_number
    chars = page.chars
    if not any(not c["text"].isspace() for c in chars):
        if page.images:
            message = f"第 {number} 页没有文字层（可能是扫描件）：kaohe 不做文字识别（OCR），此页未读取"
            warnings.append(ParseWarning(code="no_text_layer", message=message, page=number))
        return []
    ratio = cid_ratio(c["text"] for c in chars)
    if ratio >= CID_GARBAGE_RATIO:
        message = (
            f"第 {number} 页的文字是无法识别的字形（(cid:NNN)，占 {ratio:.0%}）：字体缺少 Unicode 映射，"
            "kaohe 不做文字识别（OCR），此页未读取"
        )
        warnings.append(ParseWarning(code="cid_garbage", message=message, page=number))
        return []
    if ratio:
        chars = [c for c in chars if not c["text"].startswith("(cid:")]
        logger.info("page %d: %.1f%% unmapped (cid:N) glyphs dropped", number, 100 * ratio)
    tables = [t for t in (page_table_from_boxes(f.cells, number) for f in page.find_tables()) if t]
    outside = _distribute_chars(chars, tables)
    for table in tables:
        for cell in table.cells:
            cell.text = _cell_text(cell)
            cell.chars = []
    lines = _drop_page_numbers(group_lines(outside, number))
    return sorted([*lines, *tables], key=lambda item: item.top if isinstance(item, Line) else item.bbox[1])


def _distribute_chars(chars: list[dict[str, Any]], tables: list[PageTable]) -> list[dict[str, Any]]:
    """Put each char in the table cell holding its centre; return the chars outside all tables."""
    outside = []
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        cell = None
        for table in tables:
            x0, top, x1, bottom = table.bbox
            if x0 <= x <= x1 and top <= y <= bottom:
                cell = table.cell_at_point(x, y)
                break
        if cell is None:
            outside.append(char)
        else:
            cell.chars.append(char)
    return outside


def _cell_text(cell: GridCell) -> str:
    """Lines of a cell joined into paragraphs; free width counts on both sides (centred cells)."""
    lines = group_lines(cell.chars, 0)
    if not lines:
        return ""
    width = cell.bbox[2] - cell.bbox[0] - 2 * CELL_PADDING
    cell.wrap = Wrap(room=width - (lines[-1].x1 - lines[-1].x0), first_word=_needed_width(lines[0]))
    paragraphs: list[list[str]] = []
    for prev, line in zip([None, *lines], lines, strict=False):
        if prev is None or NUMBERED_START.match(line.text) or _needed_width(line) <= width - (prev.x1 - prev.x0):
            paragraphs.append([])
        paragraphs[-1].append(line.text)
    return squeeze_cjk_spaces(join_paragraphs(paragraphs))


def _needed_width(line: Line) -> float:
    """Room a line's first word needs at the end of the line before (with CJK/Latin spacing)."""
    return line.first_word_width + 0.5 * line.size


def _drop_page_numbers(lines: list[Line]) -> list[Line]:
    ends = {0, len(lines) - 1}
    return [line for i, line in enumerate(lines) if not (i in ends and is_page_number(line.text))]


def group_lines(chars: list[dict[str, Any]], page: int) -> list[Line]:
    """Chars grouped into lines (a char joins a line when its middle lies within the line's first char)."""
    groups: list[tuple[float, float, list[dict[str, Any]]]] = []
    for char in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        middle = (char["top"] + char["bottom"]) / 2
        if groups and groups[-1][0] <= middle <= groups[-1][1]:
            groups[-1][2].append(char)
        else:
            groups.append((char["top"], char["bottom"], [char]))
    lines = [
        _make_line(sorted(group, key=lambda c: c["x0"]), page)
        for *_, group in groups
        if any(not c["text"].isspace() for c in group)
    ]
    return [line for line in lines if line.text]


def _is_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.match(text))


def _make_line(chars: list[dict[str, Any]], page: int) -> Line:
    glyphs = [c for c in chars if not c["text"].isspace()]
    size = max(c["size"] for c in glyphs)
    segments: list[list[str]] = [[]]  # split at wide gaps, which stay a space even between Han chars
    prev: dict[str, Any] | None = None
    for char in chars:
        if char["text"].isspace():
            if segments[-1]:
                segments[-1].append(" ")  # a space glyph in the PDF: kept unless between two CJK chars
            continue
        if prev is not None:
            gap = char["x0"] - prev["x1"]
            if char["text"] == prev["text"] and char["x0"] - prev["x0"] < 0.5 * (prev["x1"] - prev["x0"]):
                continue  # the same glyph drawn twice (fake bold)
            if gap > 1.5 * size:
                segments.append([])
            elif gap > 0.15 * size and not _is_cjk(prev["text"]) and not _is_cjk(char["text"]):
                segments[-1].append(" ")
        segments[-1].append(char["text"])
        prev = char
    texts = (regex.sub(r"\s+", " ", squeeze_cjk_spaces("".join(s))).strip() for s in segments)
    return Line(
        text=" ".join(t for t in texts if t),
        x0=glyphs[0]["x0"],
        x1=max(c["x1"] for c in glyphs),
        top=min(c["top"] for c in glyphs),
        bottom=max(c["bottom"] for c in glyphs),
        size=size,
        first_word_width=_first_word_width(glyphs, size),
        page=page,
    )


def _first_word_width(chars: list[dict[str, Any]], size: float) -> float:
    """Width of what cannot be separated from a line's start: a CJK char or a Latin run, plus closing marks."""
    first = chars[0]
    end = first["x1"]
    latin = not _is_cjk(first["text"])
    for prev, char in pairwise(chars):
        closing = char["text"] in _NO_LINE_START
        if not closing and (not latin or _is_cjk(char["text"]) or char["x0"] - prev["x1"] > 0.15 * size):
            break
        end = char["x1"]
    return float(end - first["x0"])


def _starts_body_paragraph(prev: Line, line: Line, left: float, right: float) -> bool:
    """True when ``line`` does not continue ``prev`` (rules in the module docstring)."""
    if NUMBERED_START.match(line.text) or abs(line.size - prev.size) > 1:
        return True
    if line.page == prev.page and line.top - prev.bottom > 1.5 * prev.size:
        return True  # a blank line between
    if _needed_width(line) <= right - prev.x1:
        return True  # its first word would have fitted: prev ended on purpose
    if line.x0 <= left + 0.8 * line.size:
        return False  # a wrapped line back at the margin
    same_indent = abs(line.x0 - prev.x0) < 0.5 * line.size and not prev.text.endswith(SENTENCE_END)
    same_centre = abs((line.x0 + line.x1) - (prev.x0 + prev.x1)) < 2 * line.size
    return not (same_indent or same_centre)  # else an indented first line


def _shared_extreme(values: list[float], *, lowest: bool) -> float:
    """The lowest (or highest) coordinate at least two lines share, else the extreme one."""
    counts = Counter(round(v) for v in values)
    shared = [v for v, n in counts.items() if n >= 2]
    pick = min if lowest else max
    return float(pick(shared)) if shared else pick(values)


def _drop_continuation_labels(items: list[Line | PageTable]) -> list[Line | PageTable]:
    """Drop a ``续表`` line between the pieces of a table at the top of the next page."""
    keep = []
    for i, item in enumerate(items):
        if (
            isinstance(item, Line)
            and _CONTINUED_TABLE.match(item.text)
            and 0 < i < len(items) - 1
            and isinstance(before := items[i - 1], PageTable)
            and isinstance(after := items[i + 1], PageTable)
            and before.page == item.page - 1 == after.page - 1
        ):
            continue
        keep.append(item)
    return keep


def _assemble(items: list[Line | PageTable]) -> Iterator[Block]:
    """Lines into paragraphs and table pieces into tables, in reading order."""
    items = _drop_continuation_labels(items)
    body = [item for item in items if isinstance(item, Line)]
    left = _shared_extreme([line.x0 for line in body], lowest=True) if body else 0.0
    right = _shared_extreme([line.x1 for line in body], lowest=False) + 0.5 if body else 0.0
    paragraph: list[Line] = []
    builder: TableBuilder | None = None
    previous: Line | PageTable | None = None
    for item in items:
        if isinstance(item, Line):
            if builder is not None:
                yield builder.to_table()
                builder = None
            if paragraph and _starts_body_paragraph(paragraph[-1], item, left, right):
                yield _paragraph(paragraph)
                paragraph = []
            paragraph.append(item)
        else:
            if paragraph:
                yield _paragraph(paragraph)
                paragraph = []
            continued = isinstance(previous, PageTable) and previous.page == item.page - 1
            if builder is not None and continued and builder.continues_with(item):
                builder.append(item)
            else:
                if builder is not None:
                    yield builder.to_table()
                builder = TableBuilder(item)
        previous = item
    if paragraph:
        yield _paragraph(paragraph)
    if builder is not None:
        yield builder.to_table()


def _paragraph(lines: list[Line]) -> Paragraph:
    return Paragraph(text=join_paragraphs([[line.text for line in lines]]), page=lines[0].page)
