"""Table geometry for the PDF backend: cell boxes → grid, page pieces → one table.

pdfplumber's ``Table.extract()`` returns ``None`` for every position covered by
a merge and cannot say which merge, so the grid is rebuilt from the cell boxes:
the distinct x and y edges of all cells (near-equal values snapped together)
are the column and row boundaries, and each box maps to
``(row, col, rowspan, colspan)``.

A table that runs over a page break arrives as one piece per page. How the
pieces are stitched (rules chosen for LibreOffice/Word output, see
``TableBuilder``):

* **Continuation**: a piece that is the first block of page N+1 continues the
  table that is the last block of page N when both have the same column edges.
* **Repeated header**: leading rows of the continuation whose cells (texts and
  spans) equal the first rows of the table are dropped.
* **Row split by the page break**: the continuation's first row is joined to
  the table's last row when some cells of that last row that were one row high
  and had text have an *empty* counterpart on the new page (their text ended
  on page N), and those are the leftmost such column or at least half of them
  (a fresh row rarely leaves its first cell, or half of its cells, empty); or
  when every other such cell goes on with text that reads as a wrap: the last
  line on page N was full (the next page's first word would not have fitted)
  and neither ends with ``。；：`` nor is followed by a numbered line, or it is
  the cell's points paragraph (``水利工作`` / ``5分``: only points on the new
  page, none on page N). A cell several rows high with text on the new page
  has no say: it is a merge whose text flowed over the break or a new merge.
  A fresh row whose text cells all happen to follow full lines would be
  joined wrongly.
* **Vertical merge across the break**: LibreOffice draws the covered part of a
  merged cell on the next page as an empty cell; an empty first-row cell
  under a cell that spans rows (or that itself spans rows) extends the span.
  A non-empty one is a new cell unless the row was split: then it is the
  rest of the cell above (a merge's flowed text, ``安全`` / ``稳定\n30分``),
  whose text is appended (joined as a wrap or as a new paragraph) and whose
  span grows by the rows it covers. LibreOffice closes every page's piece
  with a full bottom border and repeats the header above the continuation,
  so the ruling lines do not tell a split row from a fresh one; the texts do.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from normalize.text import join_wrapped
from parsers.document import Cell, Table

logger = logging.getLogger(__name__)

BBox = tuple[float, float, float, float]
SNAP_TOLERANCE = 2.0  # points: edges closer than this are the same ruling
EDGE_MATCH_TOLERANCE = 3.0  # points: column edges of two pieces of one table

# A line starting like this opens a new paragraph: 1. 1、 （1） (1) 一、 （一） 第一条
NUMBERED_START = re.compile(
    r"^\s*(?:\d+\s*[.．、](?!\d)|[（(]\s*[\d一二三四五六七八九十]+\s*[）)]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百零〇\d]+[条章])"
)
PARAGRAPH_END = tuple("。；：;:！？!?")
POINTS_ONLY = re.compile(r"^[（(]?\s*\d+(?:\.\d+)?\s*分\s*[）)]?$")  # 5分 （2分）: a cell's points paragraph
POINTS_MENTION = re.compile(r"\d\s*分")


@dataclass
class GridCell:
    """A cell of one page's piece of a table, at its grid position on that page."""

    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox
    chars: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""
    wrap: Wrap | None = None  # how the text starts and ends, for joining a row split by a page break
    confidence: float | None = None  # OCR'd pages: the lowest confidence of the cell's chars


@dataclass
class Wrap:
    """Geometry of a cell's text at its edges.

    ``room``: free width on the last line (left and right of it, so centred
    text counts too); ``first_word``: the width the first word needs (plus
    half an em). A first word wider than the previous piece's room means the
    text was wrapped there, not ended.
    """

    room: float
    first_word: float


@dataclass
class PageTable:
    """One page's piece of a ruled table."""

    page: int
    bbox: BBox
    col_edges: list[float]
    row_edges: list[float]
    cells: list[GridCell]
    _owner: dict[tuple[int, int], GridCell] = field(default_factory=dict, repr=False)

    @property
    def n_rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1

    def cell_at_point(self, x: float, y: float) -> GridCell | None:
        """The cell whose grid area contains the point, or None outside the grid."""
        col = bisect.bisect_right(self.col_edges, x) - 1
        row = bisect.bisect_right(self.row_edges, y) - 1
        if not (0 <= col < self.n_cols and 0 <= row < self.n_rows):
            return None
        return self._owner.get((row, col))


def snap_edges(values: Sequence[float], tolerance: float = SNAP_TOLERANCE) -> list[float]:
    """Distinct coordinates, with values within ``tolerance`` of a cluster's first merged (mean kept)."""
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][0] <= tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [sum(c) / len(c) for c in clusters]


def _nearest(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def page_table_from_boxes(boxes: Sequence[BBox], page: int) -> PageTable | None:
    """The grid of a ruled table from its cell boxes; None for a lone box (a frame, not a table)."""
    if len(boxes) < 2:
        return None
    col_edges = snap_edges([x for b in boxes for x in (b[0], b[2])])
    row_edges = snap_edges([y for b in boxes for y in (b[1], b[3])])
    owner: dict[tuple[int, int], GridCell] = {}
    cells: list[GridCell] = []
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        col, col_end = _nearest(col_edges, box[0]), _nearest(col_edges, box[2])
        row, row_end = _nearest(row_edges, box[1]), _nearest(row_edges, box[3])
        if col_end <= col or row_end <= row:
            continue  # a sliver thinner than the snap tolerance
        area = [(r, c) for r in range(row, row_end) for c in range(col, col_end)]
        if any(pos in owner for pos in area):
            logger.debug("page %d: overlapping cell box %s skipped", page, box)
            continue
        cell = GridCell(row, col, row_end - row, col_end - col, box)
        cells.append(cell)
        owner.update(dict.fromkeys(area, cell))
    _fill_holes(col_edges, row_edges, owner, cells)
    bbox = (col_edges[0], row_edges[0], col_edges[-1], row_edges[-1])
    return PageTable(page, bbox, col_edges, row_edges, cells, owner)


def _fill_holes(
    col_edges: list[float], row_edges: list[float], owner: dict[tuple[int, int], GridCell], cells: list[GridCell]
) -> None:
    """Give every grid position no box covers an empty cell: a missing cell is not a merge."""
    for row in range(len(row_edges) - 1):
        for col in range(len(col_edges) - 1):
            if (row, col) not in owner:
                box = (col_edges[col], row_edges[row], col_edges[col + 1], row_edges[row + 1])
                owner[(row, col)] = cell = GridCell(row, col, 1, 1, box)
                cells.append(cell)


def join_cell_parts(first: str, second: str, *, wrapped: bool) -> str:
    """Text of a cell continued on the next page: the same paragraph wrapped, or a new one."""
    if not first or not second:
        return first or second
    if not wrapped:
        return f"{first}\n{second}"
    head, _, last_line = first.rpartition("\n")
    first_line, *rest = second.split("\n", 1)
    return "\n".join([part for part in (head, join_wrapped([last_line, first_line])) if part] + rest)


@dataclass
class _Span:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    wrap: Wrap | None = None
    confidence: float | None = None

    @classmethod
    def of(cls, cell: GridCell, row_shift: int = 0) -> _Span:
        return cls(cell.row - row_shift, cell.col, cell.rowspan, cell.colspan, cell.text, cell.wrap, cell.confidence)

    def wraps_into(self, cell: _Span) -> bool:
        """True when ``cell``'s text reads as this cell's last line wrapped onto the next page."""
        if not (self.text and cell.text and self.wrap and cell.wrap) or NUMBERED_START.match(cell.text):
            return False
        return cell.wrap.first_word > self.wrap.room

    def reads_on_into(self, cell: _Span) -> bool:
        """True when ``cell``'s text reads as the rest of this cell's, not as a new row's.

        Either a wrap mid-sentence (a full line ending a sentence may as well end the row), or the
        points of a name whose page-N part has none (``水利工作`` / ``5分``: the cell's last paragraph).
        """
        if self.wraps_into(cell) and not self.text.endswith(PARAGRAPH_END):
            return True
        return bool(POINTS_ONLY.match(cell.text)) and not POINTS_MENTION.search(self.text)


def _header_signature(
    cells: Sequence[GridCell | _Span], n_rows: int
) -> frozenset[tuple[int, int, int, int, str]] | None:
    """The cells of the first ``n_rows`` rows, or None when a cell there reaches below them."""
    signature = set()
    for cell in cells:
        if cell.row < n_rows:
            if cell.row + cell.rowspan > n_rows:
                return None
            # Spacing and line breaks aside: OCR may read a repeated header cell as two lines on one page
            # and one on the next (扣分\n分值 / 扣分分值).
            signature.add((cell.row, cell.col, cell.rowspan, cell.colspan, "".join(cell.text.split())))
    return frozenset(signature)


class TableBuilder:
    """Accumulates the pieces of one table, page after page (rules in the module docstring)."""

    def __init__(self, first: PageTable) -> None:
        self.col_edges = first.col_edges
        self.n_cols = first.n_cols
        self.page = first.page
        self.spans = [_Span.of(c) for c in first.cells]
        self.row_pages: list[int | None] = [first.page] * first.n_rows
        self._first_piece = [replace(s) for s in self.spans]  # a copy: later pages extend spans

    @property
    def n_rows(self) -> int:
        return len(self.row_pages)

    def continues_with(self, piece: PageTable) -> bool:
        """Same column edges: the piece is this table continued (the caller checks page positions)."""
        if piece.n_cols != self.n_cols:
            return False
        return all(abs(a - b) <= EDGE_MATCH_TOLERANCE for a, b in zip(piece.col_edges, self.col_edges, strict=True))

    def append(self, piece: PageTable) -> None:
        """Add the next page's piece: drop its repeated header, join a split row, extend spans."""
        skip = self._repeated_header_rows(piece)
        rows = [_Span.of(c, skip) for c in piece.cells if c.row >= skip]
        n_rows = piece.n_rows - skip
        if n_rows <= 0:
            return
        first_row = {c.col: c for c in rows if c.row == 0}
        last_row = self._last_row_cells()
        split = self._row_was_split(first_row, last_row)
        offset = self.n_rows - 1 if split else self.n_rows
        for cell in rows:
            above = last_row.get(cell.col) if cell.row == 0 else None
            if above is not None and above.colspan == cell.colspan and (split or self._continues_span(cell, above)):
                above.text = join_cell_parts(above.text, cell.text, wrapped=above.wraps_into(cell))
                above.wrap = cell.wrap if cell.text else above.wrap
                above.confidence = _lower(above.confidence, cell.confidence)
                above.rowspan += cell.rowspan - (1 if split else 0)
                continue
            cell.row += offset
            self.spans.append(cell)
        self.row_pages.extend([piece.page] * (n_rows - (1 if split else 0)))
        logger.debug("table continued on page %d: %d header rows dropped, split row: %s", piece.page, skip, split)

    def _repeated_header_rows(self, piece: PageTable) -> int:
        for n in range(min(piece.n_rows, len(self.row_pages)), 0, -1):
            mine = _header_signature(self._first_piece, n)
            theirs = _header_signature(piece.cells, n)
            if mine is not None and mine == theirs and any(text for *_, text in mine):
                return n
        return 0

    def _last_row_cells(self) -> dict[int, _Span]:
        """The cells covering the last row, by their first column."""
        last = self.n_rows - 1
        return {s.col: s for s in self.spans if s.row <= last < s.row + s.rowspan}

    def _row_was_split(self, first_row: dict[int, _Span], last_row: dict[int, _Span]) -> bool:
        if any(col not in first_row or first_row[col].colspan != last_row[col].colspan for col in last_row):
            return False  # different column structure: never join
        last = self.n_rows - 1
        # Cells that start in the last row, have text, and are not merges going on (an empty cell
        # several rows high under them on the new page).
        single = sorted(
            col
            for col, s in last_row.items()
            if s.row == last and s.text and (first_row[col].text or first_row[col].rowspan == 1)
        )
        if not single:
            return False
        ended = [col for col in single if not first_row[col].text]
        if ended and (ended[0] == single[0] or 2 * len(ended) >= len(single)):
            return True
        # A cell several rows high with text on the new page is either a merge whose text flowed over
        # the break (row split) or a new merge (fresh row): it cannot vote.
        going_on = [col for col in single if col not in ended and first_row[col].rowspan == 1]
        return bool(going_on) and all(last_row[col].reads_on_into(first_row[col]) for col in going_on)

    def _continues_span(self, cell: _Span, above: _Span) -> bool:
        return not cell.text and (above.rowspan > 1 or cell.rowspan > 1)

    def to_table(self) -> Table:
        cells = [
            Cell(text=s.text, row=s.row, col=s.col, rowspan=s.rowspan, colspan=s.colspan, confidence=s.confidence)
            for s in self.spans
        ]
        return Table.from_cells(cells, page=self.page, row_pages=self.row_pages)


def _lower(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)
