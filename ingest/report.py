"""Plain-text tables for the terminal, aligned for Chinese (wide) characters."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns, with an ellipsis when cut."""
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 40, clip_last: bool = True
) -> str:
    """A table with a header rule; cells wider than ``max_width`` are clipped (the last column too, if asked)."""
    last = len(headers) - 1
    cells = [
        [format_cell(v) if i == last and not clip_last else clip(format_cell(v), max_width) for i, v in enumerate(row)]
        for row in rows
    ]
    widths = [display_width(h) for h in headers]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = [_line(headers, widths), "  ".join("-" * w for w in widths)]
    lines.extend(_line(row, widths) for row in cells)
    return "\n".join(lines)


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=True)).rstrip()


def format_cell(value: object, *, one_line: bool = True) -> str:
    """A value as table text: no ``None``, ``2`` not ``2.0``, lists joined with 、, on one line if asked."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value).replace("\n", " ") if one_line else str(value)
