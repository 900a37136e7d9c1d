"""Cutting a stream of cells copied one per line into rows, and judging the cut.

The web-text reader (``parsers.web_text``) knows the header's width and each line's kind
(``parsers.web_cells``). :func:`cut_rows` finds where rows start by dynamic programming over
(line, column): the next line goes right of the current cell in the same row, opens a new row
at any column, or goes on with the current cell. What each choice costs:

* a missing cell at a row's end (``MISSING_COST``) or between two of its cells (``INNER_COST``);
  a missing cell at a row's start, or right after the sequence number that opens the row, is
  cheaper (``COVERED_COST``): a category cell merged over the rows below is missing from a web
  copy, and such cells are nearly always a left block;
* a line going on with the cell above (``MERGE_COST``), unless it is an organ under an organ in
  a column of organs: several units stacked one per line in one cell (``STACK_COST``, and the
  line still counts for its column); a row opened by such a second organ costs as much;
* each line's fit to its column, plus a small bonus when an organ's level (``县``/``市``/``区``…)
  is the one its column mostly has, or when the column's cells list several organs
  (:func:`organ_bonus`: which of two unit columns a stacked name belongs to).

:func:`read_stream` cuts twice (by the header's words, then knowing what the columns hold); its
score is the value of the best cut, by which ``parsers.web_header`` compares header readings.
:func:`inconsistency` says when a cut cannot be trusted: too many cells misfit, rows are fragments
(no cell of evidence; a row whose left block is covered by merges, below a complete row or one
of its own shape, is none), cells are missing or run over several lines (organs stacked one per
line excepted).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from parsers.web_cells import EVIDENCE, EVIDENCE_ROLES, SEQ_KINDS, UNIT_SPLIT, fit, kind, profiles

__all__ = [
    "Reading", "Span", "cut_rows", "inconsistency", "is_fragment", "join_lines", "misfits", "organ_bonus",
    "preview", "read_stream", "texts",
]  # fmt: skip

Span = tuple[int, int, int]  # a cell cut from a stream: (first line, last line, column)

MISSING_COST = 0.5  # per missing cell at a row's end
INNER_COST = 0.8  # per missing cell between two of a row's cells: merged cells are mostly a left block
COVERED_COST = 0.2  # per missing cell at a row's start (a category cell merged over the rows below)
MERGE_COST = 0.5  # per line that goes on with the cell above instead of being a cell
STACK_COST = 0.6  # an organ under an organ in the same cell (units stacked one per line)
LEVEL_BONUS = 0.1  # an organ of the level its column mostly has (县…, 市…)
LEVEL_SHARE = 0.6
LIST_BONUS = 0.05  # an organ in a column whose cells list several organs
LEVEL = re.compile(r"^[省市县区镇乡]")

_SAME, _NEW, _MERGE = 0, 1, 2
WRAPS = frozenset({"text", "unit", "item_ar", "item_cn"})  # a cell that may go on over the next line
WRAP_TAILS = frozenset({"text", "unit"})  # … and what that next line may look like

Matrix = list[list[float]]
Back = list[list[tuple[int, int]]]


def _level(text: str) -> str:
    first = next((p for p in UNIT_SPLIT.split(text.strip()) if p), "")
    match = LEVEL.match(first)
    return match.group() if match else ""


def _organ_column(cells: list[str]) -> tuple[str, float]:
    """The level most of a column's organ cells have (``""`` when none does), and the share listing several."""
    organs = [cell for cell in cells if cell.strip() and "unit" in {kind(line) for line in cell.split("\n")}]
    if not organs:
        return "", 0.0
    top, count = Counter(_level(cell) for cell in organs).most_common(1)[0]
    several = sum(len([p for p in UNIT_SPLIT.split(cell) if p]) > 1 for cell in organs)
    return (top if count >= LEVEL_SHARE * len(organs) else ""), several / len(organs)


def organ_bonus(data: list[str], kinds: list[str], rows: list[list[str]], n_cols: int) -> Matrix:
    """Per line and column, for an organ line: which of the unit columns it belongs to.

    From ``rows``, a first reading of the table: ``LEVEL_BONUS`` when the organ has the level
    most of the column's organs have (``县…`` under ``县…``), minus it for another level; up to
    ``LIST_BONUS`` in a column whose cells list several organs (where stacked names go).
    """
    columns = [_organ_column([row[col] for row in rows]) for col in range(n_cols)]
    bonus: Matrix = []
    for text, cell_kind in zip(data, kinds, strict=True):
        level = _level(text) if cell_kind == "unit" else ""
        bonus.append([0.0] * n_cols if cell_kind != "unit" else [_organ_fit(level, *c) for c in columns])
    return bonus


def _organ_fit(level: str, usual: str, several: float) -> float:
    same = 0.0 if not (level and usual) else LEVEL_BONUS if level == usual else -LEVEL_BONUS
    return same + LIST_BONUS * several


def _skip_cost(c: int, col: int, opened: bool) -> float:
    """Columns left empty between a cell in ``c`` and the next in ``col`` of the same row."""
    return (COVERED_COST if opened else INNER_COST) * (col - c - 1)


def _step(
    i: int, kinds: list[str], fits: Matrix, previous: list[float], came: list[tuple[int, int]]
) -> tuple[list[float], list[tuple[int, int]]]:
    """Best value and origin of line ``i`` in each column, from the values of line ``i - 1``."""
    n_cols = len(previous)
    opened = [came[c][1] == _NEW and kinds[i - 1] in SEQ_KINDS for c in range(n_cols)]  # a row opened by its number
    trailing = [previous[c] - MISSING_COST * (n_cols - 1 - c) for c in range(n_cols)]
    end = max(range(n_cols), key=lambda c: trailing[c])
    stacked = kinds[i - 1] == kinds[i] == "unit"
    wraps = kinds[i - 1] in WRAPS and kinds[i] in WRAP_TAILS
    values, origins = [], []
    for col in range(n_cols):
        options = [(previous[c] - _skip_cost(c, col, opened[c]), (c, _SAME)) for c in range(col)]
        options.append((trailing[end] - COVERED_COST * col - (STACK_COST if stacked else 0.0), (end, _NEW)))
        value, origin = max(options, key=lambda option: option[0])
        value += fits[i][col]
        if wraps:
            merged = previous[col] - MERGE_COST + min(0.0, fits[i][col])
            if stacked and fits[i][col] > 0:
                merged = max(merged, previous[col] - STACK_COST + fits[i][col])
            if merged > value:
                value, origin = merged, (col, _MERGE)
        values.append(value)
        origins.append(origin)
    return values, origins


def _best(kinds: list[str], fits: Matrix) -> tuple[Matrix, Back]:
    n_cols = len(fits[0])
    best: Matrix = [[fits[0][c] - COVERED_COST * c for c in range(n_cols)]]
    back: Back = [[(-1, _NEW)] * n_cols]
    for i in range(1, len(kinds)):
        values, origins = _step(i, kinds, fits, best[-1], back[-1])
        best.append(values)
        back.append(origins)
    return best, back


def _fits(kinds: list[str], profiles: list[dict[str, float]], bonus: Matrix | None) -> Matrix:
    fits = [[fit(k, p) for p in profiles] for k in kinds]
    if bonus:
        fits = [[f + b for f, b in zip(row, extra, strict=True)] for row, extra in zip(fits, bonus, strict=True)]
    return fits


def _last_column(best: Matrix) -> int:
    n_cols = len(best[-1])
    return max(range(n_cols), key=lambda c: best[-1][c] - MISSING_COST * (n_cols - 1 - c))


def _cut(kinds: list[str], profiles: list[dict[str, float]], bonus: Matrix | None) -> tuple[list[list[Span]], float]:
    best, back = _best(kinds, _fits(kinds, profiles, bonus))
    col = _last_column(best)
    score = best[-1][col] - MISSING_COST * (len(profiles) - 1 - col)
    rows: list[list[Span]] = [[]]
    last = len(kinds) - 1
    for i in range(len(kinds) - 1, -1, -1):
        previous, how = back[i][col]
        if how != _MERGE:
            rows[-1].insert(0, (i, last, col))
            last = i - 1
            if how == _NEW and i:
                rows.append([])
        col = previous
    return rows[::-1], score


def cut_rows(kinds: list[str], profiles: list[dict[str, float]], bonus: Matrix | None = None) -> list[list[Span]]:
    """Rows of cells ``(first line, last line, column)``: where kinds fit columns best."""
    return _cut(kinds, profiles, bonus)[0]


def join_lines(parts: list[str]) -> str:
    """A cell's lines: stripped; a column of single characters (vertical text) joined without breaks."""
    parts = [p.strip() for p in parts if p.strip()]
    return "".join(parts) if len(parts) > 1 and all(len(p) == 1 for p in parts) else "\n".join(parts)


def preview(cells: list[str]) -> str:
    """The first non-empty cell, shortened, for a warning."""
    first = next((t for t in cells if t.strip()), "").replace("\n", " ")
    return f"“{first[:20]}…”" if len(first) > 20 else f"“{first}”"


def texts(rows: list[list[Span]], data: list[str], n_cols: int) -> list[list[str]]:
    """The rows' texts, ``""`` in the columns a row has no cell in."""
    grid = []
    for row in rows:
        cells = [""] * n_cols
        for first, last, col in row:
            cells[col] = join_lines(data[first : last + 1])
        grid.append(cells)
    return grid


@dataclass
class Reading:
    rows: list[list[Span]]
    priors: list[dict[str, float]]  # what the header words say about each column
    score: float  # the value of the cut: the lines' fits minus what its missing and continued cells cost


def read_stream(data: list[str], kinds: list[str], roles: list[str]) -> Reading:
    """The cut of ``data`` under a header of ``roles``.

    Cut twice: first by what the header words say, then knowing what the columns without a
    telling header (``label``, ``any``) hold in the first cut, and the organs' usual levels.
    """
    n_cols = len(roles)
    priors = profiles([], roles, n_cols)
    first = texts(cut_rows(kinds, priors), data, n_cols)
    learned = profiles(first, roles, n_cols)
    columns = [p if role in EVIDENCE_ROLES else q for p, q, role in zip(priors, learned, roles, strict=True)]
    rows, score = _cut(kinds, columns, organ_bonus(data, kinds, first, n_cols))
    return Reading(rows, priors, score)


# --- judging a cut -----------------------------------------------------------------------------


def is_fragment(
    row: list[Span], kinds: list[str], profiles: list[dict[str, float]], previous: list[Span] | None = None
) -> bool:
    """A short row with no cell of evidence (a number, sequence or organ) in its column.

    A section row is fine, and so is a row whose left block is covered by merged cells: two cells
    or more up to the last column, below a complete row or a row of the same shape.
    """
    n_cols = len(profiles)
    if len(row) == n_cols or (len(row) == 1 and kinds[row[0][0]] == "item_cn"):
        return False
    columns = [c for *_, c in row]
    right_block = len(row) >= 2 and columns == list(range(n_cols - len(row), n_cols))
    if previous and right_block and (len(previous) == n_cols or [c for *_, c in previous] == columns):
        return False
    return not any(kinds[i] in EVIDENCE and fit(kinds[i], profiles[c]) >= 0.5 for i, _, c in row)


def misfits(row: list[Span], kinds: list[str], profiles: list[dict[str, float]]) -> int:
    return sum(fit(kinds[i], profiles[c]) < -0.5 for i, _, c in row if kinds[i] != "empty")


def _continued(first: int, last: int, kinds: list[str]) -> bool:
    """A cell over several lines, other than organs stacked one per line."""
    return last > first and any(kinds[i] != "unit" for i in range(first, last + 1))


def inconsistency(rows: list[list[Span]], kinds: list[str], profiles: list[dict[str, float]]) -> str:
    """Why the reading cannot be trusted, or ``""``."""
    n_cols = len(profiles)
    if len(rows) < 2:
        return "表头下排不出两行"
    cells = sum(len(row) for row in rows)
    bad = sum(misfits(row, kinds, profiles) for row in rows)
    if bad * 10 > cells:
        return f"{cells} 格中有 {bad} 格与所在列不符"
    fragments = sum(is_fragment(row, kinds, profiles, rows[r - 1] if r else None) for r, row in enumerate(rows))
    if fragments * 5 > len(rows):
        return f"{len(rows)} 行中有 {fragments} 行是没有依据的残行"
    if (n_cols * len(rows) - cells) * 5 > 2 * n_cols * len(rows):
        return "缺的格太多"
    continued = sum(_continued(first, last, kinds) for row in rows for first, last, _ in row)
    if continued * 5 > cells:
        return f"{cells} 格中有 {continued} 格要跨行"
    return ""
