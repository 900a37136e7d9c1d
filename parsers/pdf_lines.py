"""Chars into lines, table cells and blocks: the text rules of the PDF backend, shared with OCR.

Both the PDF text layer and OCR (``parsers.ocr_page``) produce chars as dicts with ``text``, ``x0``,
``x1``, ``top``, ``bottom`` (PDF points) and ``size``; OCR's also carry ``confidence``. The rules for
lines, spaces and paragraphs inside cells are explained in ``parsers.pdf_parser``'s docstring.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import regex

from normalize.text import is_page_number as page_number_line
from normalize.text import join_paragraphs, squeeze_cjk_spaces
from parsers.document import Block, Paragraph
from parsers.pdf_tables import NUMBERED_START, GridCell, PageTable, TableBuilder, Wrap

SENTENCE_END = tuple("。！？!?")
_CONTINUED_TABLE = regex.compile(r"^[（(]?\s*续\s*表\s*\d*\s*[）)]?\s*$")
CELL_PADDING = 6.0  # points between a cell's ruling and its text (Word/WPS default 5.4)
_CJK_CHAR = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]")
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
    confidence: float | None = None  # OCR: the lowest of its chars'


def lay_out_page(chars: list[dict[str, Any]], tables: list[PageTable], number: int) -> list[Line | PageTable]:
    """A page's chars into its tables' cells and its lines, in reading order (top to bottom)."""
    outside = distribute_chars(chars, tables)
    for table in tables:
        for cell in table.cells:
            cell.text = cell_text(cell)
            cell.chars = []
    lines = drop_page_numbers(group_lines(outside, number))
    return sorted([*lines, *tables], key=lambda item: item.top if isinstance(item, Line) else item.bbox[1])


def is_page_number(text: str) -> bool:
    """At a page's top or bottom even a bare ``3`` or ``3/10`` is a page number."""
    return page_number_line(text, bare=True)


def distribute_chars(chars: list[dict[str, Any]], tables: list[PageTable]) -> list[dict[str, Any]]:
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


def cell_text(cell: GridCell) -> str:
    """Lines of a cell joined into paragraphs; free width counts on both sides (centred cells)."""
    lines = group_lines(cell.chars, 0)
    if not lines:
        return ""
    cell.confidence = lowest_confidence(cell.chars)
    width = cell.bbox[2] - cell.bbox[0] - 2 * CELL_PADDING
    cell.wrap = Wrap(room=width - (lines[-1].x1 - lines[-1].x0), first_word=needed_width(lines[0]))
    paragraphs: list[list[str]] = []
    for prev, line in zip([None, *lines], lines, strict=False):
        if prev is None or NUMBERED_START.match(line.text) or needed_width(line) <= width - (prev.x1 - prev.x0):
            paragraphs.append([])
        paragraphs[-1].append(line.text)
    return squeeze_cjk_spaces(join_paragraphs(paragraphs))


def needed_width(line: Line) -> float:
    """Room a line's first word needs at the end of the line before (with CJK/Latin spacing)."""
    return line.first_word_width + 0.5 * line.size


def drop_page_numbers(lines: list[Line]) -> list[Line]:
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


def is_cjk(text: str) -> bool:
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
            elif gap > 0.15 * size and not is_cjk(prev["text"]) and not is_cjk(char["text"]):
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
        confidence=lowest_confidence(glyphs),
    )


# The recogniser is least sure of brackets and commas (（ or (, ， or ,: 43 of the 44 chars under 80 % on our
# scanned sample), which change no name, number or unit; digits, '.', '%' and Han count.
_UNWEIGHED = set("()（）,，;；:：、。“”‘’\"'《》〈〉【】[]—-·")


def lowest_confidence(chars: list[dict[str, Any]]) -> float | None:
    """OCR chars carry a confidence; a cell or line is as sure as its least sure char (punctuation aside)."""
    values = [c["confidence"] for c in chars if c.get("confidence") is not None and c["text"] not in _UNWEIGHED]
    return round(min(values), 3) if values else None


def _first_word_width(chars: list[dict[str, Any]], size: float) -> float:
    """Width of what cannot be separated from a line's start: a CJK char or a Latin run, plus closing marks."""
    first = chars[0]
    end = first["x1"]
    latin = not is_cjk(first["text"])
    for prev, char in pairwise(chars):
        closing = char["text"] in _NO_LINE_START
        if not closing and (not latin or is_cjk(char["text"]) or char["x0"] - prev["x1"] > 0.15 * size):
            break
        end = char["x1"]
    return float(end - first["x0"])


def _starts_body_paragraph(prev: Line, line: Line, left: float, right: float) -> bool:
    """True when ``line`` does not continue ``prev`` (rules in the module docstring)."""
    if NUMBERED_START.match(line.text) or abs(line.size - prev.size) > 1:
        return True
    if line.page == prev.page and line.top - prev.bottom > 1.5 * prev.size:
        return True  # a blank line between
    if needed_width(line) <= right - prev.x1:
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


def assemble(items: list[Line | PageTable]) -> Iterator[Block]:
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
    confidences = [line.confidence for line in lines if line.confidence is not None]
    return Paragraph(
        text=join_paragraphs([[line.text for line in lines]]),
        page=lines[0].page,
        confidence=min(confidences) if confidences else None,
    )
