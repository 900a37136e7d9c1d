"""TAB-separated rows copied from a web page whose cells held line breaks.

A browser copies a table as rows of TAB-separated cells; a line break inside a cell arrives as
a row cut over two lines, or as lines without TABs between two rows. The txt backend
(``parsers.txt_parser``) asks :func:`continue_tab_row` whether the lines after a row go on with
it, and reports an uncertain join with :func:`wrapped_cell_warning`.
"""

from __future__ import annotations

from parsers.document import ParseWarning
from parsers.web_cells import EVIDENCE, kind
from parsers.web_cut import join_lines, preview

__all__ = ["continue_tab_row", "wrapped_cell_warning"]

MAX_WRAP_LINES = 6


def wrapped_cell_warning(number: int, r: int, line: int, cells: list[str]) -> ParseWarning:
    return ParseWarning(
        code="wrapped_cell",
        message=f"表{number}行{r}（文件第 {line} 行，{preview(cells)}）："
        "一行不含 TAB 的文字接在了此行最后一个有内容的格后，而不是最后一格",
    )


def continue_tab_row(cells: list[str], lines: list[str], i: int, width: int) -> tuple[list[str], int, bool] | None:
    """Lines from ``i`` that continue the TAB-separated row ``cells`` (a cell with line breaks).

    Lines without TABs must lead straight (no blank line) to the next TAB-separated line. When
    that line completes the short row to ``width`` cells (a browser copies a cell's line break as
    a new line), it is joined in, the text on both sides of the break being text, not numbers or
    organs; otherwise the lines without TABs go to the row's last non-empty cell. Returns the
    row's cells, the next line to read and whether the text went to a cell other than the last
    (an uncertain choice); ``None`` when the lines do not continue the row.
    """
    j = i
    while j < len(lines) and lines[j].strip() and "\t" not in lines[j] and j - i < MAX_WRAP_LINES:
        j += 1
    if j >= len(lines) or "\t" not in lines[j]:
        return None
    wrapped = [lines[k].strip() for k in range(i, j)]
    following = lines[j].split("\t")
    head, tail = following[0].strip(), cells[-1].strip()
    if len(cells) < width and len(cells) + len(following) - 1 == width and _wraps(tail) and _wraps(head):
        return [*cells[:-1], join_lines([tail, *wrapped, head]), *following[1:]], j + 1, False
    if j == i:
        return None
    target = max((c for c, text in enumerate(cells) if text.strip()), default=len(cells) - 1)
    joined = [*cells[:target], join_lines([cells[target], *wrapped]), *cells[target + 1 :]]
    return joined, j, target != len(cells) - 1


def _wraps(text: str) -> bool:
    """Text a line break may cut: not empty, not a number, sequence mark or organ name."""
    return bool(text) and kind(text) not in EVIDENCE
