"""Plain-text tables for the terminal, aligned for Chinese (wide) characters and wrapped to fit its width.

A cell is never cut: what does not fit its column goes on the next line of the same row, so the part that
tells rows apart (a file extension, an indicator's name) is always there. When any row takes more than one
line, rows are separated by a blank line, so a reader sees where each one ends.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Sequence

import regex

NOT_A_TERMINAL_WIDTH = 100  # columns when the output is a pipe or a file
GAP = "  "  # between columns
MIN_COLUMN = 6  # display columns a wrapped column keeps (three Chinese characters)
# Kept whole on a line when they fit: a Latin word, number or file name (``docx|html|pdf``, ``27.5``) and
# kaohe's own citations (``表1行38``, ``第4页``).
_UNBREAKABLE = regex.compile(r"表\d+行\d+|第\d+页|[\p{Latin}\d.%|_\-/]+")
_NO_LINE_START = frozenset("，。、；：！？）》」』”’…%")  # punctuation a Chinese line does not begin with
_SUB_PIECES = regex.compile(r"(?<=.)(?=[|/]|\.\p{Latin})")  # where a too-long one may break: before | / .ext


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def terminal_width() -> int:
    """The terminal's columns (``$COLUMNS`` first), or ``NOT_A_TERMINAL_WIDTH`` when there is none."""
    return shutil.get_terminal_size((NOT_A_TERMINAL_WIDTH, 24)).columns


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` display columns (its own line breaks kept). A Latin word, number or
    citation moves whole to the next line; one wider than a line breaks before ``|``, ``/`` or ``.ext``, else
    anywhere. A line never starts with closing punctuation (``，。）``): the piece before it comes along."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, last = "", ""  # ``last``: the piece that ends ``line``
        for piece in _pieces(paragraph):
            if display_width(line + piece) <= width:
                line, last = line + piece, piece
            elif display_width(piece) > width:
                lines, line = _break_long(piece, lines, line, width)
                last = ""
            else:
                carried = ""
                if piece[0] in _NO_LINE_START and last and last != line and display_width(last + piece) <= width:
                    line, carried = line[: -len(last)], last
                lines.append(line.rstrip(" "))
                line, last = carried + piece.lstrip(" "), piece
        lines.append(line.rstrip(" "))
    return lines


def _break_long(piece: str, lines: list[str], line: str, width: int) -> tuple[list[str], str]:
    """A piece wider than a line: its parts (split before | / .ext) placed as pieces, each part too wide
    for a line broken by characters."""
    parts = _SUB_PIECES.split(piece)
    for part in parts if len(parts) > 1 else list(piece):
        for sub in wrap(part, width) if display_width(part) > width and len(part) > 1 else [part]:
            if display_width(line + sub) > width and line:
                lines.append(line.rstrip(" "))
                line = ""
            line += sub
    return lines, line


def _pieces(text: str) -> list[str]:
    """Single characters, except runs of Latin letters, digits and file-name punctuation, kept together."""
    out, at = [], 0
    for match in _UNBREAKABLE.finditer(text):
        out += list(text[at : match.start()])
        out.append(match.group())
        at = match.end()
    return out + list(text[at:])


def column_widths(natural: Sequence[int], floors: Sequence[int], room: int) -> list[int]:
    """Widths that fit ``room`` display columns: narrow columns keep their natural width, the widest share
    what is left equally (never below their floor, so a very narrow terminal gets a wider table)."""
    widths = list(natural)
    while sum(widths) > room:
        widest = max(widths)
        wide = [i for i, w in enumerate(widths) if w == widest and w > floors[i]]
        if not wide:
            break
        below = max([w for w in widths if w < widest] + [0])
        excess = sum(widths) - room
        step = max(1, min(widest - below, -(-excess // len(wide))))
        for i in wide:
            widths[i] = max(floors[i], widths[i] - step)
    return widths


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]], width: int | None = None) -> str:
    """A table with a header rule, ``width`` display columns wide at most (default: the terminal's); when it
    does not fit, the widest columns wrap first."""
    room = (width or terminal_width()) - len(GAP) * (len(headers) - 1)
    cells = [[format_cell(v, one_line=False) for v in row] for row in rows]
    natural = [display_width(h) for h in headers]
    for row in cells:
        natural = [max(n, *(display_width(line) for line in c.split("\n"))) for n, c in zip(natural, row, strict=True)]
    floors = [min(n, max(MIN_COLUMN, display_width(h))) for n, h in zip(natural, headers, strict=True)]
    widths = column_widths(natural, floors, room)
    body = [_row_lines(row, widths) for row in cells]
    separated = any(len(lines) > 1 for lines in body)
    out = [*_row_lines(list(headers), widths), GAP.join("-" * w for w in widths)]
    for index, lines in enumerate(body):
        if separated and index:
            out.append("")
        out += lines
    return "\n".join(out)


def _row_lines(values: Sequence[str], widths: Sequence[int]) -> list[str]:
    wrapped = [wrap(v, w) for v, w in zip(values, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    return [
        GAP.join(_pad(w[i] if i < len(w) else "", width) for w, width in zip(wrapped, widths, strict=True)).rstrip()
        for i in range(height)
    ]


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_cell(value: object, *, one_line: bool = True) -> str:
    """A value as table text: no ``None``, ``2`` not ``2.0``, lists joined with 、, on one line if asked."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value).replace("\n", " ") if one_line else str(value)
