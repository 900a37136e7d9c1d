"""The header of a table copied from a web page, read against the rows under it.

A stream of cells (one per line, or between bars without row marks) has a header whose cells
are the first lines. Two ways those lines differ from the table's columns, decided by the width
of the rows below (``parsers.web_text`` cuts them):

* **a header narrower than the rows**: ``指 标`` spans the 序号 and name columns, and every data
  row has one cell more than the header. When the data's sequence numbers 1, 2, 3… are mostly
  the same number of cells apart, that distance is the rows' width (:func:`sequence_width`); when
  it exceeds the header by ``k`` (at most ``MAX_EXTRA``) and the first header cell is no 序号,
  that cell covers the sequence column and ``k`` more (:func:`widened`). A section row with the
  header's shape (``一、核心指标…`` where the header's first cell stands) spans the same columns.
* **a header cell split over two lines**: ``考核责任`` / ``单位``, ``2015年`` / ``目 标``, ``区政府`` /
  ``分管领导``: a fragment that names no column alone (``单位``, ``目标``, ``分管领导``, see
  ``FRAGMENT``) after a line that is no complete header either (it ends with a modifier such as
  ``责任``, or is no header cell at all), the two making one header cell (:func:`split_cells`).
  Such lines are joined when the rows are narrower than the header's lines: by the sequence
  numbers' distance when there is one, otherwise when the cut under the joined header is the
  better one (the score of ``parsers.web_cut.read_stream``). A bare ``单位`` over a column of
  ``万亩``/``%`` in rows as wide as the header stays a column of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers import web_cells as wc
from parsers import web_cut

__all__ = ["Header", "header_length", "opens_split_cell", "read_header", "sequence_width", "split_cells", "widened"]

MAX_EXTRA = 2  # a header cell spans at most this many columns more than it seems
MIN_GAPS = 2  # sequence numbers needed to tell the rows' width: three, two distances
GAP_SHARE = 0.6  # the share of distances that must be the rows' width
FRAGMENT = re.compile(r"^(?:分管|主要|责任|牵头|配合)?(?:单位|部门|目标|领导|负责人)$")
INCOMPLETE = re.compile(r"(?:责任|牵头|配合|考核|分管|主办|协办|年度?|政府|党委)$")
INCOMPLETE_MAX_CHARS = 6


@dataclass
class Header:
    texts: list[str]  # one per column, "" under a spanning first cell
    roles: list[str]
    span: int = 1  # columns the first cell covers


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def opens_split_cell(line: str, following: str) -> bool:
    """``line`` + ``following`` are one header cell split over two lines (``考核责任`` / ``单位``)."""
    a, b = _compact(line), _compact(following)
    return (
        bool(FRAGMENT.match(b))
        and 0 < len(a) <= INCOMPLETE_MAX_CHARS
        and (bool(INCOMPLETE.search(a)) or not wc.is_header_cell(a))
        and wc.is_header_cell(a + b)
    )


def header_length(cells: list[str]) -> int:
    """How many of the first cells are header cells (one opening a cell split over two counts)."""
    for n, text in enumerate(cells):
        if not wc.is_header_cell(text) and not (n + 1 < len(cells) and opens_split_cell(text, cells[n + 1])):
            return n
    return len(cells)


def split_cells(header: list[str]) -> list[int]:
    """Indices ``j`` where ``header[j]`` and ``header[j + 1]`` may be one cell split over two lines."""
    return [j for j in range(len(header) - 1) if opens_split_cell(header[j], header[j + 1])]


def _joined(header: list[str], j: int) -> list[str]:
    return [*header[:j], f"{header[j].strip()}\n{header[j + 1].strip()}", *header[j + 2 :]]


def _number(text: str) -> int | None:
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else None


def sequence_width(data: list[str], kinds: list[str]) -> int | None:
    """The rows' width told by the sequence numbers 1, 2, 3… among the cells, or ``None``.

    For a width ``w``, the numbers are followed from 1: the next one is the first ``n + 1`` at
    least ``w`` cells on (a weight ``5`` just before the row numbered 5 is skipped; rows between
    two numbers, such as section rows, make their distance longer). The width is the one that
    most of the distances keep exactly, over at least ``MIN_GAPS`` of them.
    """
    where: dict[int, list[int]] = {}
    for i, (text, cell_kind) in enumerate(zip(data, kinds, strict=True)):
        if cell_kind in ("int", "seq_ar") and (n := _number(text)) is not None:
            where.setdefault(n, []).append(i)
    widths = {q - p for n in where for p in where[n] for q in where.get(n + 1, []) if q - p >= 2}
    best, best_exact = None, 0
    for width in sorted(widths):
        distances = _distances(where, width)
        exact = distances.count(width)
        if len(distances) >= MIN_GAPS and exact >= GAP_SHARE * len(distances) and exact > best_exact:
            best, best_exact = width, exact
    return best


def _distances(where: dict[int, list[int]], width: int) -> list[int]:
    """Distances between the numbers 1, 2, 3… followed at ``width`` cells or more from each other."""
    distances: list[int] = []
    p, n = (where.get(1) or [None])[0], 1
    while p is not None:
        q = next((q for q in where.get(n + 1, []) if q - p >= width), None)
        if q is not None:
            distances.append(q - p)
        p, n = q, n + 1
    return distances


def widened(header: list[str], width: int) -> Header | None:
    """The header with its first cell over the sequence column and the columns the rows have more."""
    extra = width - len(header)
    roles = [wc.header_role(h) for h in header]
    if not 1 <= extra <= MAX_EXTRA or "seq" in roles:
        return None
    return Header([header[0], *[""] * extra, *header[1:]], ["seq", *[roles[0]] * extra, *roles[1:]], extra + 1)


def _plain(header: list[str]) -> Header:
    return Header(list(header), [wc.header_role(h) for h in header])


def _score(header: Header, data: list[str], kinds: list[str]) -> float:
    """How well the data is cut under ``header`` (the header readings are compared by it)."""
    return web_cut.read_stream(data, kinds, header.roles).score if data else 0.0


def read_header(header: list[str], data: list[str], kinds: list[str]) -> Header:
    """The header's columns, read against the rows' width (see the module's docstring)."""
    plain = _plain(header)
    width = sequence_width(data, kinds) if data else None
    if width is not None and width > len(header):
        wide = widened(header, width)
        return wide if wide and _score(wide, data, kinds) > _score(plain, data, kinds) else plain
    while candidates := split_cells(plain.texts):
        options = [_plain(_joined(plain.texts, j)) for j in candidates]
        if width is not None:  # the rows' width is known: join only down to it
            options = [o for o in options if len(o.texts) >= width]
        best = max(options, key=lambda o: _score(o, data, kinds), default=None)
        if best is None or (width is None and _score(best, data, kinds) <= _score(plain, data, kinds)):
            break
        plain = best
    return plain
