"""Tables in text copied from a web page (.txt), for the plain-text backend.

A browser or a crawler turns an HTML table into text in several ways; the txt backend
calls :func:`read_table` at each line that is not one of the seed layouts:

* **pipe rows, one per line**: ``| a | b | c |`` (outer pipes optional, a ``|---|`` rule
  skipped); a line of bars alone adds that many empty cells to the row above.
* **pipe cells, one per line**: a cell's text ends (``text  |``) or follows (``| text``) a
  bar, a text may sit on the line after its bar and run over several lines (one character per
  line is vertical text, joined). A line of bars alone followed by a line starting with text
  ends a row (``||`` / ``|||||`` pad a row to the page's widest row, ``| `` opens the next
  one). Without such lines there are no row marks at all: the cells are cut into rows as
  cells one per line are. A blank line ends the block unless its lines are all one blank
  line apart; a pager (``第 [1] [2] 页 共[5]页``) is skipped.
* **cells one per line**: a run of at least three header cells (``序号`` / ``考核内容`` /
  ``分值`` / ``责任单位``: short, no digits, a header word; a line opening a header cell split
  over two lines, ``2015年`` / ``目 标``, counts) fixes the row width, then the data cells follow
  one per line (blank lines end the table, unless the header's cells are one blank line apart).
  The header is read against the rows' width (``parsers.web_header``: a spanning first cell
  when the rows are wider, split cells joined when they are narrower). Rows are cut where the
  cells' kinds fit the columns best (``parsers.web_cut``: a sequence number in the 序号 column,
  a bare number in the points column, ``万亩`` in a 单位 column, organs in a unit column, organs
  stacked one per line in one cell; missing cells mostly a left block); columns whose header
  says nothing are learnt from a first cut. A lone ``（一）…`` cell is a section row. Fragments
  at the end (the text after the table) are left out. The reading is refused (the lines stay
  paragraphs, with a ``table_unread`` warning) when cells contradict what their header
  announces, when short rows without any evidence are more than a fifth, or when too many
  cells are missing or run over several lines.

Cells covered by a rowspan in the page are simply missing from a web copy. A short row's
cells are placed by kind: each column has a profile of the kinds in the complete rows (and
the header's words when the header is complete), and a short row takes the columns that fit
its cells best; the literal left-aligned reading wins ties, so cells only move on evidence
(``2.`` under a column of ``1.``/``1.xxx`` items, not under ``（一）…`` categories; ``……``
under the cell above it). A short header is placed the same way from its words. Every short
row is reported as a ``short_row`` warning, as for the seed layouts; a reading with a row of
more than ``MAX_COLS`` cells has lost its rows and is refused.

TAB-separated rows whose cell holds a line break arrive as a row cut over two lines, or as
lines without TABs between two rows: :func:`continue_tab_row` (``parsers.web_tabs``) joins them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from parsers import web_cells as wc
from parsers import web_cut, web_header
from parsers.document import Cell, ParseWarning, Table
from parsers.web_tabs import continue_tab_row, wrapped_cell_warning

__all__ = ["continue_tab_row", "read_table", "wrapped_cell_warning"]

log = logging.getLogger(__name__)

MIN_HEADER_CELLS = 3  # a run of header cells one per line
MAX_GAP_LINES = 8  # bar-less lines inside a pipe block (a cell over several lines)
RULE_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# A page's pager: `第 [1] [2] [3] 页 共[5]页`.
PAGER = re.compile(r"^\s*(?:第\s*(?:\[?\s*\d+\s*\]?\s*)+页|共\s*\[?\s*\d+\s*\]?\s*页)[\s\d\[\]第共页]*$")
MAX_COLS = 24  # no assessment table is wider: a wider reading has lost its rows
ELLIPSIS = re.compile(r"^(?:…+|\.{3,})$")
DOC_BREAK = re.compile(r"^\s*(?:附\s*件\s*\d*\s*[：:]?\s*$|第[一二三四五六七八九十百]+[章条])")

# --- rows known: place the short ones --------------------------------------------------------


@dataclass
class _Row:
    cells: list[str]  # as read, trailing empty cells included
    line: int  # index of the row's first line


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _grid(rows: list[_Row], context: _Context) -> Table | None:
    """A table from rows of known extent; short rows placed by the kinds of the complete rows."""
    trimmed = [_trimmed(row.cells) for row in rows]
    n_cols = max(len(cells) for cells in trimmed)
    if n_cols < 2 or sum(1 for cells in trimmed if cells) < 2:
        return None
    if n_cols > MAX_COLS:
        context.refuse(rows[0].line, rows[-1].line + 1, f"一行就有 {n_cols} 格，说明没能分出各行")
        return None
    header = wc.is_header_row(trimmed[0])
    roles = [wc.header_role(c) for c in trimmed[0]] if header else None
    complete = [cells for cells in trimmed[int(header) :] if len(cells) == n_cols]
    profiles = wc.profiles(complete, roles if roles and len(roles) == n_cols else None, n_cols)
    grid: list[list[str]] = []
    for r, (row, cells) in enumerate(zip(rows, trimmed, strict=True)):
        kinds = [wc.ROLE_KIND[wc.header_role(c)] for c in cells] if r == 0 and header else [wc.kind(c) for c in cells]
        columns = wc.place_cells(kinds, profiles)
        if len(cells) == 1 and ELLIPSIS.match(cells[0]) and grid:  # `……` goes on with the list above
            columns = (next((c for c, text in enumerate(grid[-1]) if text), 0),)
        texts = [""] * n_cols
        for text, col in zip(cells, columns, strict=True):
            texts[col] = text
        grid.append(texts)
        if len(cells) < n_cols and (columns != tuple(range(len(cells))) or len(row.cells) < n_cols):
            context.short_row(len(grid) - 1, row.line, cells, columns, n_cols)
    return context.table(grid)


# --- warnings and building -------------------------------------------------------------------


@dataclass
class _Context:
    lines: list[str]
    numbers: list[int]
    number: int  # the table's number in the document
    warnings: list[ParseWarning]

    def short_row(self, r: int, line: int, cells: list[str], columns: tuple[int, ...], n_cols: int) -> None:
        where = (
            "靠左排列"
            if columns == tuple(range(len(cells)))
            else "按内容类型放在第 " + "、".join(str(c + 1) for c in columns) + " 列"
        )
        self.warnings.append(
            ParseWarning(
                code="short_row",
                message=f"表{self.number}行{r}（文件第 {self.numbers[line]} 行，{web_cut.preview(cells)}）："
                f"表头 {n_cols} 列，此行只有 {len(cells)} 格，{where}，缺的格留空",
            )
        )

    def refuse(self, start: int, end: int, reason: str) -> None:
        self.warnings.append(
            ParseWarning(
                code="table_unread",
                message=f"文件第 {self.numbers[start]}–{self.numbers[end - 1]} 行像是从网页复制的表格，"
                f"但未能可靠地读出（{reason}），按段落保留",
            )
        )

    @staticmethod
    def table(grid: list[list[str]], spans: dict[tuple[int, int], int] | None = None) -> Table:
        """The table of a grid of texts; ``spans[(r, c)]`` columns for a cell spanning to its right."""
        spans = spans or {}
        cells, covered = [], set()
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if (r, c) not in covered:
                    span = spans.get((r, c), 1)
                    cells.append(Cell(text=text, row=r, col=c, colspan=span))
                    covered.update((r, c + k) for k in range(1, span))
        return Table.from_cells(cells)


def _trailing_junk(rows: list[list[web_cut.Span]], kinds: list[str], profiles: list[dict[str, float]]) -> bool:
    row = rows[-1]
    return web_cut.is_fragment(row, kinds, profiles, rows[-2]) or web_cut.misfits(row, kinds, profiles) > 0


def _cut_table(
    header: list[str], data: list[str], data_lines: list[int], context: _Context, *, trim: bool
) -> tuple[Table | None, int, str]:
    """Header + data cells → (table, number of data cells used, reason when refused)."""
    kinds = [wc.kind(t) for t in data]
    head = web_header.read_header(header, data, kinds)
    n_cols, roles = len(head.roles), head.roles
    if all(role in ("label", "any") for role in roles):
        return None, 0, "表头中没有可用来分行的列（序号、分值、单位）"
    if not data:
        return None, 0, "表头下没有内容"
    reading = web_cut.read_stream(data, kinds, roles)
    rows, priors = reading.rows, reading.priors
    while trim and len(rows) > 2 and _trailing_junk(rows, kinds, priors):
        rows.pop()  # text after the table
    reason = web_cut.inconsistency(rows, kinds, priors)  # judged by what the header words say, not by what was learned
    if reason:
        return None, 0, reason
    grid, spans = [list(head.texts)], {(0, 0): head.span}
    for row, texts in zip(rows, web_cut.texts(rows, data, n_cols), strict=True):
        cells = [texts[col] for _, _, col in row]
        columns, span = _section_row(row, kinds, head.span, n_cols)
        grid.append([""] * n_cols)
        for text, col in zip(cells, columns, strict=True):
            grid[-1][col] = text
        if span > 1:
            spans[(len(grid) - 1, 0)] = span
        elif len(row) < n_cols:
            context.short_row(len(grid) - 1, data_lines[row[0][0]], cells, columns, n_cols)
    return context.table(grid, spans), rows[-1][-1][1] + 1, ""


def _section_row(row: list[web_cut.Span], kinds: list[str], span: int, n_cols: int) -> tuple[tuple[int, ...], int]:
    """The row's columns, and how many its first cell spans (a section row shaped like the header)."""
    columns = tuple(col for *_, col in row)
    if kinds[row[0][0]] != "item_cn":
        return columns, 1
    if len(row) == 1:  # a section row alone on its line: in the first column, the others empty
        return (0,), 1
    if 0 < columns[0] < span:  # `一、核心指标…` under a header cell spanning the first columns
        return (0, *columns[1:]), columns[0] + 1
    return columns, 1


# --- pipes -----------------------------------------------------------------------------------


def _pipe_end(lines: list[str], start: int) -> int | None:
    """End (exclusive) of a block of at least two lines with bars starting at ``start``."""
    first = lines[start]
    if "|" not in first:
        after = lines[start + 1] if start + 1 < len(lines) else ""
        if not (wc.is_header_cell(first) and after.lstrip().startswith("|") and after.replace("|", "").strip()):
            return None  # only a header cell may stand before the first bar (`序号` / `| 考评指标`)
    spaced = start + 2 < len(lines) and not lines[start + 1].strip() and "|" in lines[start + 2]
    end, gap, barred, i = start + 1, 0, 0, start
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            break
        if not line.strip():  # a blank line ends the block, unless its lines are all one blank line apart
            if spaced and i + 1 < len(lines) and lines[i + 1].strip():
                i += 1
                continue
            break
        if "|" in line:
            end, gap, barred = i + 1, 0, barred + 1
        elif (gap := gap + 1) > MAX_GAP_LINES:
            break
        i += 1
    return end if barred >= 2 else None


def _line_cells(line: str) -> list[str]:
    """The cells of a ``| a | b |`` line (outer bars optional)."""
    text = line.strip()
    parts = text.split("|")
    parts = parts[1:] if text.startswith("|") else parts
    parts = parts[:-1] if text.endswith("|") and parts else parts
    return [part.strip() for part in parts]


def _pipe_rows(lines: list[str], start: int, end: int) -> list[_Row]:
    body = [k for k in range(start, end) if lines[k].strip() and not RULE_ROW.match(lines[k])]
    body = [k for k in body if not PAGER.match(lines[k])]  # the page's pager
    texts = [k for k in body if lines[k].replace("|", "").strip() and "|" in lines[k]]
    per_line = sum(len(_line_cells(lines[k])) >= 2 for k in texts) * 2 >= len(texts)
    return _rows_per_line(lines, body) if per_line else _rows_by_bars(lines, body)


def _rows_per_line(lines: list[str], body: list[int]) -> list[_Row]:
    """One row per line; a line of bars adds empty cells, a line without bars continues the last cell."""
    rows: list[_Row] = []
    for k in body:
        line = lines[k]
        if "|" in line and not line.replace("|", "").strip():
            if rows:
                rows[-1].cells.extend([""] * line.count("|"))
        elif "|" not in line and rows:
            cells = rows[-1].cells
            target = max((c for c, text in enumerate(cells) if text), default=len(cells) - 1)
            cells[target] = web_cut.join_lines([cells[target], line])
        else:
            rows.append(_Row(_line_cells(line), k))
    return rows


def _rows_by_bars(lines: list[str], body: list[int]) -> list[_Row]:
    """Cells delimited by bars across lines; a line of bars followed by a line starting with text ends a row."""
    rows = [_Row([], body[0])]
    buffer: list[str] = []
    for pos, k in enumerate(body):
        parts = lines[k].split("|")
        for index, part in enumerate(parts):
            if index and (buffer or rows[-1].cells):  # a bar closes the open cell (a leading bar opens a row)
                rows[-1].cells.append(web_cut.join_lines(buffer))
                buffer = []
            if part.strip():
                if not buffer and not rows[-1].cells:
                    rows[-1].line = k
                buffer.append(part)
        after = lines[body[pos + 1]] if pos + 1 < len(body) else ""
        bars_only = not "".join(parts).strip()
        if bars_only and after.strip() and not after.lstrip().startswith("|") and rows[-1].cells:
            rows.append(_Row([], k + 1))
    if buffer:
        rows[-1].cells.append(web_cut.join_lines(buffer))
    return [row for row in rows if any(cell.strip() for cell in row.cells)]


def _read_pipes(start: int, end: int, context: _Context) -> Table | None:
    rows = _pipe_rows(context.lines, start, end)
    if len(rows) != 1:
        return _grid(rows, context) if rows else None
    cells = _trimmed(rows[0].cells)  # no row marks: a stream of cells under a header
    n_header = web_header.header_length(cells)
    if n_header < MIN_HEADER_CELLS:
        context.refuse(start, end, "没有表头行可确定列数")
        return None
    data = cells[n_header:]
    table, _, reason = _cut_table(cells[:n_header], data, [rows[0].line] * len(data), context, trim=False)
    if table is None:
        context.refuse(start, end, reason)
    return table


# --- cells one per line ----------------------------------------------------------------------


def _cell_lines(lines: list[str], start: int) -> tuple[list[int], int]:
    """Indices of the block's cell lines and the number of header cells among them.

    Blank lines end the block, unless the header's cells are themselves one blank line apart
    (then two blank lines end it). A line that is no header cell alone stays in the header when
    it opens a header cell split over two lines (``2015年`` / ``目 标``).
    """
    spaced = start + 2 < len(lines) and not lines[start + 1].strip() and wc.is_header_cell(lines[start + 2])
    cells: list[int] = []
    n_header = -1
    i = start
    while i < len(lines):
        line = lines[i]
        if "\t" in line or "|" in line or (cells and DOC_BREAK.match(line)):
            break
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        in_header = wc.is_header_cell(line) or (j < len(lines) and web_header.opens_split_cell(line, lines[j]))
        if n_header < 0 and not in_header:
            n_header = len(cells)
            if n_header < MIN_HEADER_CELLS:
                break  # no header: no need to read on
        cells.append(i)
        if j - i - 1 > int(spaced) or j == len(lines):
            break
        i = j
    return cells, (len(cells) if n_header < 0 else n_header)


def _read_cells(start: int, context: _Context) -> tuple[Table | None, int] | None:
    lines = context.lines
    cells, n_header = _cell_lines(lines, start)
    if n_header < MIN_HEADER_CELLS:
        return None
    header = [lines[k].strip() for k in cells[:n_header]]
    data_lines = cells[n_header:]
    data = [lines[k].strip() for k in data_lines]
    table, used, reason = _cut_table(header, data, data_lines, context, trim=True)
    if table is None:
        if len(data) >= 2 * n_header:  # enough cells to have been a table: say why it is not one
            context.refuse(start, cells[-1] + 1, reason)
            return None, cells[-1] + 1
        return None
    return table, data_lines[used - 1] + 1


# --- entry points ----------------------------------------------------------------------------


def read_table(
    lines: list[str], numbers: list[int], start: int, number: int
) -> tuple[Table | None, int, list[ParseWarning]] | None:
    """The web-copied table starting at ``lines[start]``, or ``None`` when none starts there.

    Returns ``(table, end, warnings)``; ``table`` is ``None`` when the lines look like a table but
    cannot be read consistently (they stay paragraphs up to ``end``, and a warning says why).
    """
    context = _Context(lines, numbers, number, [])
    end = _pipe_end(lines, start)
    if end is not None:
        table = _read_pipes(start, end, context)
        return (table, end, context.warnings) if table or context.warnings else None
    if not wc.is_header_cell(lines[start]):
        return None
    found = _read_cells(start, context)
    return (found[0], found[1], context.warnings) if found else None
