"""Plain-text notices (.txt): decode, clean up, then split into paragraphs and tables.

Decoding: UTF-8 (with or without BOM, recorded as ``utf-8`` / ``utf-8-sig``), then GB18030
(which covers GBK and GB2312, recorded as ``gb18030``). A UTF-8 file damaged in a few places
(e.g. cut inside a character) is still read as UTF-8 with U+FFFD and an ``encoding_errors``
warning rather than mis-read as GB18030. Bytes that fit neither raise ``EncodingError``.
UTF-16 (Notepad's "Unicode"; LE or BE, with or without BOM, ``parsers.detect.utf16_encoding``)
is decoded and recorded as ``utf-16-le`` / ``utf-16-be``; UTF-16 that does not decode is refused
naming it. NUL bytes in narrow text (padding, a damaged save) are removed with a ``nul_bytes``
warning. A file with nothing but whitespace (or nothing left after clean-up) raises
``ParseError``: there is no notice to read.

Size: a file over ``max_text_mb`` is refused before it is read (``parsers.limits``); the text is
then held once, split into lines lazily (no whole-text copies per clean-up step), and a table's
grid is counted against ``max_cells`` before it is padded.

Clean-up, before any structure is read (DOMAIN.md §1.3–1.4):

* line endings normalised; page-number lines (``— 3 —``, ``-3-``, ``－ 3 －``), lines made only
  of rule characters or ★, and lines holding only ``[image: …]`` are deleted. The blank lines
  around a deleted line merge into one run (the longest of them), so a page number inside a
  table neither ends the table nor splits a cell or a row;
* markdown residue: ``**bold**`` markers, a leading ``-``/``*``/``+`` bullet (``- 附件：``) and
  inline ``[image: …]`` are removed; ``<p>…</p>`` / ``<br>`` inside a cell or a line become
  line breaks inside that cell (or separate paragraphs).

Paragraphs: one per non-empty line outside tables, stripped, otherwise kept as written (a
sentence broken across a blank line stays broken; later stages normalise for matching).

Tables, two layouts (no spans in plain text: every cell is 1×1; an empty cell is recorded as
``""`` — whether it stood for a vertical merge is decided downstream):

* **cell per line** (seed 002): a line starting with TAB opens a cell, other lines continue
  it, blank lines included. A TAB line after blank lines opens a new *chunk*; the first chunk
  is the header and fixes the column count. A chunk normally is a row, but a row shorter than
  the header absorbs the next chunk when the two together still fit (blank lines also occur
  between the cells of one row: ``\\t职能`` / blank / ``工作`` / ``\\t…`` / blank / blank /
  ``\\t10``). A TAB line preceded by spaces (`` \\t基层党组织建设``) always opens a row: in seed
  002 it marks row starts that have no blank line before them. Chunks equal to the header
  (repeated after a page break) are dropped. The table ends at a non-TAB line that follows two
  or more blank lines (true of every table end in seed 002; one blank line is a continuation,
  e.g. ``\\t经济发展`` / blank / ``（20分）``). Needs ≥ 2 columns and ≥ 2 rows, otherwise the
  lines are paragraphs (e.g. TAB-indented prose).
* **TAB-separated within a line** (seed 000, browser copies): consecutive lines with a TAB
  between cells; a leading / trailing TAB is an empty first / last cell. Blank lines are crossed
  only when the next line has the header's width. Lines without TABs between two rows continue
  a cell that held a line break (``web_text.continue_tab_row``). Short rows stay left-aligned
  unless the kinds of the complete rows place them (a browser drops cells covered by a merge).

Tables copied from a web page as text (``|``-separated, one cell per line under a header) are
read by ``parsers.web_text``.

Known limit: text after a single blank line below a cell-per-line table is read as part of
the last cell (seed 002 always leaves two blank lines; nothing distinguishes the two cases).

Cell-per-line rows shorter than the header are horizontal merges: the export writes a merged
cell's text once and drops the columns it covers (a vertical continuation, by contrast, is
written as a lone TAB). So the first cell stays in the first column, and the gaps follow the
cells that spanned them: each cell goes to a column of its kind (bare numbers to a score column,
text elsewhere), the last cell to the last column when the kinds allow it. In seed 002's township
tables ``脱贫攻坚分5分`` and ``自然资源和规划工作5分`` span the category and item columns (the
block totals then add up to 100); in the 驻佳 common table the last column holds the only score,
so its short text rows leave it empty. Every padded row gets a ``short_row`` warning naming it;
longer rows keep their extra cells (the other rows are padded with empty cells to the same
width) and get a ``long_row`` warning.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from normalize.text import is_page_number
from parsers import web_cells, web_text
from parsers.detect import fingerprint
from parsers.document import Block, Cell, Document, Paragraph, ParseWarning, Table
from parsers.errors import ParseError, unreadable
from parsers.limits import Budget, check_file_size, limits
from parsers.text_decode import decode

log = logging.getLogger(__name__)

RULE_CHARS = frozenset("—─━-_=＝~～*★☆ \u3000")
IMAGE = re.compile(r"\[image:[^\]]*\]", re.IGNORECASE)
BOLD = re.compile(r"\*\*(.+?)\*\*")
BULLET = re.compile(r"^([ \u3000]*)[-*+][ \u3000]+(?=\S)")
HTML_BREAK = re.compile(r"\s*(?:</?p\b[^>]*>|<br\s*/?>)\s*", re.IGNORECASE)
NUMBER = re.compile(r"^[-+－]?\d+(?:\.\d+)?\s*分?$")
ROW_START_MARK = re.compile(r"^[ \u3000]+\t")  # spaces before the TAB: a row start (seed 002)
LINE_END = re.compile(r"\r\n|[\r\n\f]")
MAX_PLACEMENTS = 20_000  # ways to place a short row's cells tried at most; beyond, the row stays left-aligned

_REMOVED = None  # placeholder for a deleted line while blank runs are merged


def parse(path: Path) -> Document:
    """Read a plain-text notice into a ``Document`` (metadata is filled later)."""
    path = Path(path)
    lim = limits()
    try:
        check_file_size(path, "max_text_mb", lim)
        raw = path.read_bytes()
    except OSError as e:
        raise unreadable(path, e) from e
    text, encoding, warnings = decode(raw, path)
    del raw
    if not text or text.isspace():
        raise ParseError(path, "文件中只有空白字符，没有文字", "请确认保存的是通知正文")
    lines, numbers = clean_lines(text)
    del text
    blocks, structure_warnings = read_blocks(lines, numbers, Budget(path, lim))
    if not blocks:
        raise ParseError(path, "去掉页码、分隔线和标记后没有剩下任何文字", "请确认保存的是通知正文")
    return Document(
        source=fingerprint(path, "txt", encoding=encoding),
        blocks=blocks,
        warnings=warnings + structure_warnings,
    )


# -- clean-up ---------------------------------------------------------------------------------


def clean_lines(text: str) -> tuple[list[str], list[int]]:
    """Lines with artefacts deleted and markdown residue stripped (tabs kept), and their 1-based line numbers."""
    marked: list[str | None] = []
    for line in _iter_lines(text):
        if "\t" not in line:
            without_images = IMAGE.sub("", line)
            if is_page_number(line) or _is_rule_line(line) or (line.strip() and not without_images.strip()):
                marked.append(_REMOVED)
                continue
            line = BULLET.sub(r"\1", without_images)
        else:
            line = IMAGE.sub("", line)
        marked.append(BOLD.sub(r"\1", line))
    return _merge_blank_runs(marked)


def _iter_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` split at CRLF, CR, LF and form feed, one at a time (no copy of the whole text)."""
    start = 0
    for match in LINE_END.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


def _merge_blank_runs(marked: list[str | None]) -> tuple[list[str], list[int]]:
    """Drop deleted lines; blank runs around them merge into the longest of those runs."""
    lines: list[str] = []
    numbers: list[int] = []
    i = 0
    while i < len(marked):
        line = marked[i]
        if line is not None and not _is_blank(line):
            lines.append(line)
            numbers.append(i + 1)
            i += 1
            continue
        runs, run, has_removed, first = [], 0, False, i
        while i < len(marked) and (marked[i] is _REMOVED or _is_blank(marked[i])):
            if marked[i] is _REMOVED:
                has_removed = True
                runs.append(run)
                run = 0
            else:
                run += 1
            i += 1
        runs.append(run)
        kept = max(runs) if has_removed else run
        lines.extend([""] * kept)
        numbers.extend(range(first + 1, first + 1 + kept))
    return lines, numbers


def _is_rule_line(line: str) -> bool:
    """A separator made only of rule characters (at least three) or ★ (版头 / 版记 rules)."""
    chars = line.strip()
    return bool(chars) and set(chars) <= RULE_CHARS and (len(chars) >= 3 or bool(set(chars) & set("★☆")))


def _is_blank(line: str | None) -> bool:
    return line is not None and "\t" not in line and not line.strip()


def _is_cell_line(line: str) -> bool:
    return line.lstrip(" \u3000").startswith("\t")


def _is_inline_row(line: str) -> bool:
    """A TAB between cells within the line (seed 000), not just a TAB opening the line."""
    return "\t" in line.lstrip(" \u3000\t") or line.lstrip(" \u3000").startswith("\t\t")


def _split_breaks(text: str) -> list[str]:
    """HTML paragraph / line breaks (``<p>…</p>``, ``<br>``) as separate stripped lines."""
    return [part.strip() for part in HTML_BREAK.split(text) if part.strip()]


def _cell_text(lines: list[str]) -> str:
    return "\n".join(part for line in lines for part in _split_breaks(line))


# -- structure --------------------------------------------------------------------------------


@dataclass
class _Row:
    cells: list[str]
    line: int  # the file's line (1-based) where the row starts
    starts_row: bool = False  # a marked row start: never absorbed by the previous row
    wrapped_into_inner_cell: bool = False  # a line without TABs went to a cell other than the row's last


def read_blocks(
    lines: list[str], numbers: list[int] | None = None, budget: Budget | None = None
) -> tuple[list[Block], list[ParseWarning]]:
    """Paragraphs and tables in reading order, with warnings about irregular rows.

    ``numbers`` are the lines' numbers in the file (for warnings); by default 1, 2, …. ``budget``
    counts paragraphs and table cells against the limits (``LimitExceeded`` once one is passed).
    """
    numbers = numbers or list(range(1, len(lines) + 1))
    budget = budget or Budget("<text>")
    blocks: list[Block] = []
    warnings: list[ParseWarning] = []
    n_tables, i = 0, 0
    while i < len(lines):
        found = None if _is_blank(lines[i]) else _read_table(lines, numbers, i, n_tables + 1, warnings, budget)
        if found is None:
            paragraphs = [Paragraph(text=text) for text in _split_breaks(lines[i])]
            budget.paragraph(len(paragraphs))
            blocks.extend(paragraphs)
            i += 1
            continue
        table, end = found
        paragraphs = [] if table else _as_paragraphs(lines[i:end])
        budget.paragraph(len(paragraphs))
        blocks.extend([table] if table else paragraphs)
        n_tables += table is not None
        i = end
    return blocks, warnings


def _read_table(
    lines: list[str], numbers: list[int], i: int, number: int, warnings: list[ParseWarning], budget: Budget
) -> tuple[Table | None, int] | None:
    """The table starting at line ``i`` (``None`` in the pair when its lines stay paragraphs), or ``None``."""
    line = lines[i]
    if _is_inline_row(line) or _is_cell_line(line):
        rows, end = (_inline_rows if _is_inline_row(line) else _cell_rows)(lines, numbers, i)
        evidence = not _is_inline_row(line)
        return (_build_table(rows, number, warnings, align_by_evidence=evidence, budget=budget) if rows else None), end
    web = web_text.read_table(lines, numbers, i, number)  # tables copied from a web page
    if web is None:
        return None
    if web[0] is not None:
        budget.table(web[0].n_rows, web[0].n_cols)
    warnings.extend(web[2])
    return web[0], web[1]


def _as_paragraphs(lines: list[str]) -> list[Paragraph]:
    return [Paragraph(text=text) for line in lines for text in _split_breaks(line)]


def _cell_rows(lines: list[str], numbers: list[int], start: int) -> tuple[list[_Row], int]:
    """Chunks of the cell-per-line layout: TAB lines after a blank line open a chunk."""
    chunks: list[tuple[int, bool, list[list[str]]]] = []  # (line, marked row start, cells' lines)
    blanks = 0
    i = start
    while i < len(lines):
        line = lines[i]
        if _is_blank(line):
            blanks += 1
        elif _is_cell_line(line):
            marked = bool(ROW_START_MARK.match(line))
            if not chunks or blanks or marked:
                chunks.append((numbers[i], marked, []))
            chunks[-1][2].extend([part] for part in line.split("\t")[1:])
            blanks = 0
        elif blanks >= 2:
            break
        else:
            chunks[-1][2][-1].append(line)
            blanks = 0
        i += 1
    rows = [_Row([_cell_text(cell) for cell in cells], line_no, marked) for line_no, marked, cells in chunks]
    return rows, i - blanks


def _inline_rows(lines: list[str], numbers: list[int], start: int) -> tuple[list[_Row], int]:
    """Rows of the TAB-separated layout; blank lines crossed only before a row of header width."""
    rows: list[_Row] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if _is_blank(line):
            nxt = next((k for k in range(i, len(lines)) if not _is_blank(lines[k])), len(lines))
            if nxt < len(lines) and _is_inline_row(lines[nxt]) and len(lines[nxt].split("\t")) == len(rows[0].cells):
                i = nxt
                continue
            break
        short = len(rows) > 1 and len(rows[-1].cells) < len(rows[0].cells)
        if rows and ("\t" not in line or short):  # a cell's line break, copied from a web page
            wrapped = web_text.continue_tab_row(rows[-1].cells, lines, i, len(rows[0].cells))
            if wrapped is not None:
                rows[-1].cells, i, uncertain = wrapped
                rows[-1].wrapped_into_inner_cell |= uncertain
                continue
        if "\t" not in line:
            break
        rows.append(_Row(line.split("\t"), numbers[i]))
        i += 1
    for row in rows:
        row.cells = [_cell_text([part]) for part in row.cells]
    return rows, i


def _build_table(
    chunks: list[_Row], number: int, warnings: list[ParseWarning], *, align_by_evidence: bool, budget: Budget
) -> Table | None:
    """The table from its chunks, or ``None`` when they do not look like a table.

    TAB-separated rows lose only trailing cells, so their short rows are always left-aligned.
    """
    header = chunks[0]
    n_cols = len(header.cells)
    rows = [header]
    for chunk in chunks[1:]:
        last = rows[-1]
        if _same_cells(chunk, header):
            log.debug("table %d: repeated header at line %d dropped", number, chunk.line)
        elif (
            len(rows) > 1
            and not chunk.starts_row
            and len(last.cells) < n_cols
            and len(last.cells) + len(chunk.cells) <= n_cols
        ):
            last.cells.extend(chunk.cells)
        else:
            rows.append(chunk)
    if n_cols < 2 or len(rows) < 2:
        return None
    budget.table(len(rows), max(len(row.cells) for row in rows))  # before the rows are padded to that width
    grid = _align_rows(rows, n_cols, number, warnings, align_by_evidence)
    cells = [Cell(text=text, row=r, col=c) for r, texts in enumerate(grid) for c, text in enumerate(texts)]
    return Table.from_cells(cells)


def _same_cells(a: _Row, b: _Row) -> bool:
    return [re.sub(r"\s+", "", t) for t in a.cells] == [re.sub(r"\s+", "", t) for t in b.cells]


def _align_rows(
    rows: list[_Row], n_cols: int, number: int, warnings: list[ParseWarning], align_by_evidence: bool
) -> list[list[str]]:
    """Dense rows of texts: short rows placed by the table's own evidence, long rows kept."""
    complete = [row.cells for row in rows[1:] if len(row.cells) == n_cols]
    grid: list[list[str]] = []
    for r, row in enumerate(rows):
        if row.wrapped_into_inner_cell:
            warnings.append(web_text.wrapped_cell_warning(number, r, row.line, row.cells))
        if len(row.cells) < n_cols:
            place = _place_short_row if align_by_evidence else web_cells.place_short_row  # a browser drops cells
            columns = place(row.cells, complete, rows[0].cells)
            texts = [""] * n_cols
            for text, col in zip(row.cells, columns, strict=True):
                texts[col] = text
            where = _placement(columns, len(row.cells), n_cols)
            warnings.append(
                ParseWarning(
                    code="short_row",
                    message=f"表{number}行{r}（文件第 {row.line} 行，{_preview(row.cells)}）："
                    f"表头 {n_cols} 列，此行只有 {len(row.cells)} 格，{where}，缺的格留空",
                )
            )
            grid.append(texts)
        else:
            if len(row.cells) > n_cols:
                warnings.append(
                    ParseWarning(
                        code="long_row",
                        message=f"表{number}行{r}（文件第 {row.line} 行，{_preview(row.cells)}）："
                        f"表头 {n_cols} 列，此行有 {len(row.cells)} 格，多出的格保留（其他行在末尾补空单元格）",
                    )
                )
            grid.append(list(row.cells))
    width = max(len(texts) for texts in grid)
    return [texts + [""] * (width - len(texts)) for texts in grid]


def _place_short_row(cells: list[str], complete: list[list[str]], header: list[str]) -> tuple[int, ...]:
    """Columns for a short row's cells: the first in column 0, kinds matching, the last cell last if it can be."""
    n_cols = len(header)
    if not complete or math.comb(n_cols - 1, len(cells) - 1) > MAX_PLACEMENTS:  # 40 columns, 20 cells: 7·10¹⁰
        return tuple(range(len(cells)))
    numeric_col = [_mostly_numbers([row[c] for row in complete]) for c in range(n_cols)]

    def score(columns: tuple[int, ...]) -> float:
        kinds = sum(
            (1 if bool(NUMBER.match(text)) == numeric_col[col] else -1)
            for text, col in zip(cells, columns, strict=True)
            if text
        )
        return kinds + (0.5 if columns[-1] == n_cols - 1 else 0.0)

    placements = (c for c in itertools.combinations(range(n_cols), len(cells)) if c[0] == 0)
    # max() keeps the first of equal scores, and combinations() yields left-aligned first.
    return max(placements, key=score)


def _placement(columns: tuple[int, ...], n_cells: int, n_cols: int) -> str:
    if columns == tuple(range(n_cells)):
        return "靠左排列"
    if columns == tuple(range(n_cols - n_cells, n_cols)):
        return "靠右排列"
    return "放在第 " + "、".join(str(c + 1) for c in columns) + " 列"


def _mostly_numbers(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return bool(filled) and sum(1 for t in filled if NUMBER.match(t)) * 2 > len(filled)


def _preview(cells: list[str]) -> str:
    first = next((t for t in cells if t), "")
    first = first.replace("\n", " ")
    return f"“{first[:20]}…”" if len(first) > 20 else f"“{first}”"
