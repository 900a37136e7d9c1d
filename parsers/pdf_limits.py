"""The PDF limits (``parsers.limits``), checked before pdfminer does the work they guard: the pages
in the page tree (``max_pdf_pages``), and what a page's content streams inflate to
(``max_page_content_mb``: pdfplumber keeps some 3 KB per character drawn, so a 200 KB flate
bomb of text operators would cost gigabytes and hours)."""

from __future__ import annotations

import zlib
from itertools import islice
from pathlib import Path

from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfplumber.page import Page
from pdfplumber.pdf import PDF

from parsers.limits import limits

__all__ = ["check_contents", "check_pages"]


def check_pages(path: Path, pdf: PDF) -> None:
    """Refuse more pages than ``max_pdf_pages``: the page tree's /Count, then the pages it really holds."""
    lim = limits()
    try:
        declared = int(resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count", 0)))
    except (AttributeError, TypeError, ValueError):
        declared = 0  # no usable count: the pages are counted as pdfplumber finds them
    if declared > lim.max_pdf_pages:
        raise lim.exceeded(path, "max_pdf_pages", f"该 PDF 有 {declared:,} 页")
    # A count that lies: walk the page tree, no further than one page past the limit.
    if sum(1 for _ in islice(PDFPage.create_pages(pdf.doc), lim.max_pdf_pages + 1)) > lim.max_pdf_pages:
        raise lim.exceeded(path, "max_pdf_pages", f"该 PDF 的页面树中多于 {lim.max_pdf_pages:,} 页")


def check_contents(path: Path, page: Page) -> None:
    """Refuse a page whose content streams inflate past ``max_page_content_mb`` (a flate bomb: 200 KB
    that pdfminer would inflate to gigabytes and interpret for hours), inflating no further than that."""
    lim = limits()
    cap = int(lim.max_page_content_mb * 2**20)
    total = 0
    for stream in page.page_obj.contents:
        total += _inflated_size(resolve1(stream), cap + 1 - total)
        if total > cap:
            found = f"第 {page.page_number} 页的内容流解压后超过 {lim.max_page_content_mb:g} MB"
            raise lim.exceeded(path, "max_page_content_mb", found)


def _inflated_size(stream: object, cap: int) -> int:
    """The size of a content stream once decoded, counted up to ``cap`` (only Flate is inflated here)."""
    if not isinstance(stream, PDFStream):
        return 0
    if stream.data is not None:
        return len(stream.data)
    data = stream.rawdata or b""
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return len(data)
    if stream.decipher is not None and stream.objid is not None and stream.genno is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    try:
        return len(zlib.decompressobj().decompress(data, max(cap, 1)))
    except zlib.error:
        return len(data)  # pdfminer deals with damaged streams itself
