"""The logical content of a sample notice, shared by every writer.

A sample is a list of blocks: ``Para`` (a paragraph with a layout role),
``Grid`` (a table) and ``PAGE_BREAK``. Tables are written compactly as rows of
strings in which ``UP`` marks a position covered by the cell above (a vertical
merge) and ``LEFT`` one covered by the cell to the left (a horizontal merge);
``grid`` turns them into the project's own ``parsers.document.Table``, so the
samples and the parsers share one definition of a merged cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers.document import Cell, Table

UP = "↑"  # covered by the cell above
LEFT = "←"  # covered by the cell to the left


@dataclass(frozen=True)
class Para:
    """A paragraph; ``role`` picks its layout (see ``sample_docx.ROLES``)."""

    text: str
    role: str = "body"
    rule_below: bool = False  # the red 版头 separator line under this paragraph


@dataclass(frozen=True)
class Grid:
    """A table with its column widths (mm) and header rows."""

    table: Table
    widths_mm: tuple[float, ...]
    header_rows: int = 1
    txt_repeat_header_before: int | None = None  # body row before which the .txt repeats the header
    centered_cols: tuple[int, ...] = field(default=())


class PageBreak:
    """A hard page break (attachments start on a new page)."""


PAGE_BREAK = PageBreak()
Block = Para | Grid | PageBreak


def grid(
    rows: Sequence[tuple[str, ...]],
    widths_mm: tuple[float, ...],
    *,
    header_rows: int = 1,
    txt_repeat_header_before: int | None = None,
    centered_cols: tuple[int, ...] = (),
) -> Grid:
    """Build a ``Grid`` from rows of texts with ``UP``/``LEFT`` markers."""
    n_cols = len(rows[0])
    for index, row in enumerate(rows):
        if len(row) != n_cols:
            raise ValueError(f"row {index} has {len(row)} entries, expected {n_cols}: {row[:2]}")
    cells = [
        Cell(text=text, row=r, col=c, rowspan=_rowspan(rows, r, c), colspan=_colspan(row, c))
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
        if text not in (UP, LEFT)
    ]
    table = Table.from_cells(cells)
    covered = sum(cell.rowspan * cell.colspan for cell in cells)
    if covered != len(rows) * n_cols:
        raise ValueError("a merge marker points at no cell (UP under LEFT, or a marker in row/column 0)")
    return Grid(table, widths_mm, header_rows, txt_repeat_header_before, centered_cols)


def _colspan(row: tuple[str, ...], col: int) -> int:
    span = 1
    while col + span < len(row) and row[col + span] == LEFT:
        span += 1
    return span


def _rowspan(rows: Sequence[tuple[str, ...]], row: int, col: int) -> int:
    span = 1
    while row + span < len(rows) and rows[row + span][col] == UP:
        span += 1
    return span


def position_text(table: Table) -> list[list[str | None]]:
    """Per grid position: the cell's text at its origin, ``None`` where a merge covers it."""
    return table.text_grid()
