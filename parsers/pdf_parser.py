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
* **No text**: a page with images and fewer than ``SCAN_MAX_GLYPHS`` glyphs (none,
  or a stamp's or page number's few) is a scan, and a page whose chars are mostly
  ``(cid:NNN)`` gets ``cid_garbage``: both are read by OCR (``parsers.ocr_page``)
  after the text pages, or get ``no_text_layer`` when the engine cannot run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from parsers.detect import fingerprint
from parsers.document import Document, ParseWarning
from parsers.errors import ParseError, unreadable
from parsers.pdf_limits import check_contents, check_pages
from parsers.pdf_lines import Line, assemble, lay_out_page
from parsers.pdf_tables import PageTable, page_table_from_boxes

logger = logging.getLogger(__name__)

CID_GARBAGE_RATIO = 0.3  # share of (cid:N) chars above which a page's text is garbage
SCAN_MAX_GLYPHS = 20  # a page with an image and fewer glyphs than this is a scan (a stamp's, a page number's)
_DAMAGED_HINT = "请重新下载，或用 PDF 阅读器打开后另存一份"


def parse(path: Path) -> Document:
    """Read a PDF into paragraphs and tables in reading order, page by page.

    Pages without a usable text layer (scans, or glyphs without Unicode) are collected and read by
    OCR afterwards (``parsers.ocr_page``), so a mixed PDF reads each page the right way.
    """
    warnings: list[ParseWarning] = []
    pages: dict[int, list[Line | PageTable]] = {}
    scanned: list[int] = []
    with _open_pdf(path) as pdf:
        check_pages(path, pdf)
        n_pages = len(pdf.pages)
        for page in pdf.pages:
            try:
                check_contents(path, page)
                items = _read_page(page, warnings)
                if items is None:
                    scanned.append(page.page_number)
                else:
                    pages[page.page_number] = items
            finally:
                page.close()  # drops the page's cached layout: memory stays flat
    ocr_pages: list[int] = []
    engine_name = None
    if scanned:
        from parsers.ocr_page import ocr_pdf_pages

        reading = ocr_pdf_pages(path, scanned, warnings)
        pages.update(reading.pages)
        ocr_pages, engine_name = sorted(reading.pages), reading.engine
    blocks = list(assemble([item for number in sorted(pages) for item in pages[number]]))
    source = fingerprint(path, "pdf", pages=n_pages, ocr_pages=ocr_pages, ocr_engine=engine_name)
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


def _read_page(page: Page, warnings: list[ParseWarning]) -> list[Line | PageTable] | None:
    """The page's lines and tables from its text layer; None when it has none worth reading (OCR it)."""
    number = page.page_number
    chars = page.chars
    glyphs = sum(1 for c in chars if not c["text"].isspace())
    if glyphs < SCAN_MAX_GLYPHS and page.images:
        return None  # a scan: no text layer, or only a stamp's or page number's few glyphs
    if not glyphs:
        return []
    ratio = cid_ratio(c["text"] for c in chars)
    if ratio >= CID_GARBAGE_RATIO:
        message = (
            f"第 {number} 页的文字是无法识别的字形（(cid:NNN)，占 {ratio:.0%}）：字体缺少 Unicode 映射，改用文字识别"
        )
        warnings.append(ParseWarning(code="cid_garbage", message=message, page=number))
        return None
    if ratio:
        chars = [c for c in chars if not c["text"].startswith("(cid:")]
        logger.info("page %d: %.1f%% unmapped (cid:N) glyphs dropped", number, 100 * ratio)
    tables = [t for t in (page_table_from_boxes(f.cells, number) for f in page.find_tables()) if t]
    return lay_out_page(chars, tables, number)
