"""Scanned pages into the same lines and table pieces as a PDF's text layer.

A page image is prepared (``parsers.ocr_image``: seal, photo, orientation, skew), its ruled tables
are found (``parsers.ocr_grid``), the ruling lines are painted out so no detected text line runs
across one, and the engine's characters become chars in PDF points (1 px = 72/dpi pt) carrying
their confidence. From there the PDF backend's own rules apply unchanged (``parsers.pdf_lines``,
``parsers.pdf_tables``): chars into cells and lines, table pieces joined over page breaks with
repeated headers dropped, paragraphs in reading order — so metadata and tables are understood as
for any other format.

Sizes: OCR line heights jitter by a point or two, and the paragraph rules start a new paragraph on a
change of font size, so each page's line heights are clustered and every line takes its cluster's.

Pages are read one at a time (memory stays at one page image); each page done is announced to the
listeners registered with :func:`parsers.progress.page_listener` (the CLI's progress line on stderr, the ingest
worker's heartbeat that keeps its time limit per page rather than per file).
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from parsers.document import ParseWarning
from parsers.ocr_engine import OcrEngine, OcrLine, OcrUnavailable, load_engine
from parsers.ocr_grid import find_tables
from parsers.ocr_image import needed_turn, prepare, turned
from parsers.pdf_lines import Line, lay_out_page
from parsers.pdf_tables import PageTable, page_table_from_boxes, snap_edges
from parsers.progress import PageProgress, announce

logger = logging.getLogger(__name__)

DEFAULT_DPI = 200  # measured in benchmarks/bench_ocr.py: 150 misreads small table text, 300 costs 2× for nothing
LINE_HEIGHT_TO_SIZE = 1.3  # a detected line box is about 1.3 em high (the detector pads the glyphs)
SIZE_TOLERANCE = 1.5  # points: line sizes closer than this are one font size
MAX_LINE_SHARE = 0.1  # of the page's height: a 二号 title line is 3 %; taller boxes are pictures


@dataclass
class OcrReading:
    pages: dict[int, list[Line | PageTable]] = field(default_factory=dict)  # page number → its items
    engine: str | None = None


def ocr_dpi() -> int:
    try:
        return max(72, min(600, int(os.environ.get("KAOHE_OCR_DPI", DEFAULT_DPI))))
    except ValueError:
        return DEFAULT_DPI


def ocr_pdf_pages(path: Path, numbers: list[int], warnings: list[ParseWarning]) -> OcrReading:
    """OCR the listed pages (1-based) of a PDF, rendered with pdfium at :func:`ocr_dpi`."""
    import pypdfium2 as pdfium

    dpi = ocr_dpi()
    document = pdfium.PdfDocument(str(path))

    def render(number: int) -> tuple[np.ndarray, float | None]:
        page = document[number - 1]
        try:
            rgb = np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"))
        finally:
            page.close()
        return np.ascontiguousarray(rgb[:, :, ::-1]), float(dpi)

    try:
        return read_pages(path, numbers, render, warnings)
    finally:
        document.close()


def ocr_threads() -> int:
    """Pages read at once: one per core (``KAOHE_OCR_THREADS`` to change)."""
    try:
        return max(1, int(os.environ.get("KAOHE_OCR_THREADS", 0)) or os.cpu_count() or 1)
    except ValueError:
        return os.cpu_count() or 1


def read_pages(
    path: Path, numbers: list[int], load: Callable[[int], tuple[np.ndarray, float | None]], warnings: list[ParseWarning]
) -> OcrReading:
    """OCR pages, :func:`ocr_threads` at a time; ``load(number)`` gives a page's image (BGR or grey) and dpi.

    ``load`` runs in the calling thread only (pdfium is not thread-safe), and at most two pages per
    thread wait in memory.
    """
    try:
        name = load_engine().name  # here, before the page threads exist (see ocr_engine._one_malloc_arena)
    except OcrUnavailable as e:
        warnings.extend(_unread(number, e.reason) for number in numbers)
        return OcrReading()
    reading = OcrReading(engine=name)
    threads = min(ocr_threads(), len(numbers))
    with ThreadPoolExecutor(threads, thread_name_prefix="kaohe-ocr") as pool:
        pending: deque[tuple[int, Future[tuple[list[Line | PageTable], list[ParseWarning], float]]]] = deque()
        queue = iter(numbers)
        done = 0
        while True:
            while len(pending) < 2 * threads and (number := next(queue, None)) is not None:
                image, dpi = load(number)
                pending.append((number, pool.submit(_read_timed, image, dpi, number)))
            if not pending:
                break
            number, future = pending.popleft()
            items, page_warnings, seconds = future.result()
            warnings.extend(page_warnings)
            if items:
                reading.pages[number] = items
            done += 1
            announce(PageProgress(path.name, number, done, len(numbers), seconds))
    return reading


def _read_timed(
    image: np.ndarray, dpi: float | None, number: int
) -> tuple[list[Line | PageTable], list[ParseWarning], float]:
    started = time.perf_counter()
    warnings: list[ParseWarning] = []
    try:
        engine = load_engine()
    except OcrUnavailable as e:
        return [], [_unread(number, e.reason)], time.perf_counter() - started
    items = read_page(image, dpi, number, engine, warnings)
    return items, warnings, time.perf_counter() - started


def _unread(number: int, reason: str) -> ParseWarning:
    message = f"第 {number} 页没有文字层（可能是扫描件）：{reason}，此页未读取"
    return ParseWarning(code="no_text_layer", message=message, page=number)


def read_page(
    image: np.ndarray, dpi: float | None, number: int, engine: OcrEngine, warnings: list[ParseWarning]
) -> list[Line | PageTable]:
    """One page image into its lines and table pieces (PDF points), or [] with a warning when it has no text."""
    page = prepare(image, dpi)
    for _ in range(3):  # upright, or turned a quarter and then, if need be, half a turn more
        grid = find_tables(page.gray)
        clean = page.gray.copy()
        clean[grid.rules > 0] = 255
        lines = [line for line in engine.read(clean) if _is_text_line(line, clean.shape[0])]
        turn = needed_turn(clean, [line.box for line in lines], engine)
        if not turn:
            break
        page = turned(page, turn)
    scale = 72 / page.dpi
    tables = [
        table
        for boxes in grid.tables
        if (table := page_table_from_boxes([_scaled(box, scale) for box in boxes], number)) is not None
    ]
    logger.debug("page %d: %d lines, %d tables, turned %d°, skew %.2f°", number, len(lines), len(tables),
                 page.rotation, page.skew)  # fmt: skip
    items = lay_out_page(_chars(lines, scale), tables, number) if lines else []
    if not any(isinstance(item, PageTable) or item.text for item in items):
        message = f"第 {number} 页经文字识别没有读出文字（空白页、照片或无法辨认），此页未读取"
        warnings.append(ParseWarning(code="ocr_no_text", message=message, page=number))
        return []
    return items


def _is_text_line(line: OcrLine, page_height: int) -> bool:
    """A line no taller than a tenth of the page: the detector sometimes boxes a whole grey area or picture."""
    return line.box[3] - line.box[1] <= MAX_LINE_SHARE * page_height


def _scaled(box: tuple[float, float, float, float], scale: float) -> tuple[float, float, float, float]:
    return (box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale)


def _chars(lines: list[OcrLine], scale: float) -> list[dict[str, Any]]:
    """The engine's characters as PDF-like chars: points, a font size per line, a confidence each.

    Within a line the recogniser's text is the truth about spaces: its characters' boxes are made to
    touch (the PDF rules would read a gap between narrow digit boxes as a space: ``0. 5分``) and a
    space it recognised becomes a space glyph.
    """
    raw = [(line.box[3] - line.box[1]) * scale / LINE_HEIGHT_TO_SIZE for line in lines]
    sizes = snap_edges(raw, SIZE_TOLERANCE)
    chars = []
    for line, height in zip(lines, raw, strict=True):
        size = min(sizes, key=lambda s: abs(s - height))
        top, bottom = line.box[1] * scale, line.box[3] * scale
        glyphs = [c for c in line.chars if not c.text.isspace()]
        spaced = _spaces_before(line.text, len(glyphs))
        for i, char in enumerate(glyphs):
            x0, x1 = char.box[0] * scale, char.box[2] * scale
            if i + 1 < len(glyphs):
                x1 = max(x1, glyphs[i + 1].box[0] * scale)  # touch the next char: no gap, no guessed space
            if spaced[i] and chars:
                chars.append({**chars[-1], "text": " "})
            chars.append({"text": char.text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size,
                          "confidence": char.confidence})  # fmt: skip
    return chars


def _spaces_before(text: str, glyphs: int) -> list[bool]:
    """For each non-space character of ``text``: whether the recogniser put a space before it."""
    flags: list[bool] = []
    pending = False
    for ch in text:
        if ch.isspace():
            pending = bool(flags)
        else:
            flags.append(pending)
            pending = False
    return (flags + [False] * glyphs)[:glyphs]
