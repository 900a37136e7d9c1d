"""OCR'd table cells checked where their columns are known (issue 17): units, points, doubtful readings.

Only cells read by OCR (``Cell.confidence`` is not None) are looked at. A document read from its text layer has
none, ``OcrReview.of`` gives None for it and nothing here runs. In the data rows of an indicator table:

* a unit in an owner column (responsible, cooperating, assigning) that the region does not know — not in the
  registry (canonical names, aliases, rules), the region's or the year's roster, nor written in a text-layer cell
  of the same document — is matched against those names with ``normalize.ocr_fix.closest_unit``. Accepted: the
  cell reads the corrected name (``ocr_unit_corrected``). Not: the text stays exactly as read
  (``ocr_unit_unknown``); a unit is never invented. A unit read alike in another confident OCR cell
  (``LOW_CONFIDENCE`` or above) and close to no known unit is a real unit the registry lacks: kept, no warning.
  Confident OCR cells are no candidates, though: OCR repeats its misreading of a glyph, often confidently, and a
  misread name written twice must neither vouch for itself nor make its odd characters look like a unit's.
* a points cell is read with ``read_points`` (``O.5`` → 0.5, ``l`` → 1). One that is no number stays as read, so
  the row takes no points from it (``ocr_points_unread``).
* any other name, points or owner cell read below ``LOW_CONFIDENCE`` is flagged (``ocr_low_confidence``).

The rows are read from a corrected copy of the table: the document keeps what OCR read, the indicators get the
corrected names (so a misreading is never learnt as a unit's spelling), and each change is a warning that names the
page, table, row and column for the clerk to check against the paper.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict

from frameworks.checks import label, short_name
from frameworks.columns import ColumnRoles, header_key
from frameworks.model import Framework, FrameworkWarning, WarningCode
from frameworks.rows import cell_grid, row_cells
from frameworks.units import UnitResolver, names_no_unit
from normalize.departments import parse_unit_list, split_colocation, split_units
from normalize.ocr_fix import ClosestUnit, closest_unit, read_points
from normalize.points import parse_points_cell
from normalize.unit_shape import is_filler, looks_like_unit
from parsers.document import Cell, Document, Table

log = logging.getLogger(__name__)

# Below this, a cell's weakest character is worth a look. RapidOCR treats lines under 0.5 as noise (its default
# ``text_score``; kaohe keeps them from 0.3 so they can be flagged here), and clean print reads at 0.95 or more: on the
# scans of 佳县 2020 page 3 (tests/data/scans, flatbed and phone photo, ~700 characters each) 99% of the characters
# do, and only 3–5 a page fall below 0.8. So 0.8 sits well inside the gap: a few looks a page for the clerk, not a
# flag on every cell. Those scans have no misread characters to calibrate on; tune it once scans with some do.
LOW_CONFIDENCE = 0.80
_UNIT_ROLES = frozenset({"responsible", "cooperating", "assigning"})
_CHECKED_ROLES = _UNIT_ROLES | {"item", "detail", "points"}
_CellKey = tuple[int, int, int]  # table index, row, column
Found = tuple[WarningCode, str]  # a code and the message after the place of the cell


class OcrReview:
    """The OCR checks for one document: what its trusted cells name, the region's known units, the warnings."""

    def __init__(self, document: Document, resolver: UnitResolver) -> None:
        self.resolver = resolver
        self.region = resolver.region
        self.text_layer, self.confident = _trusted_units(document)

    @classmethod
    def of(cls, document: Document, resolver: UnitResolver) -> OcrReview | None:
        """The review of a document with OCR'd cells; None for a text-layer document (nothing to check)."""
        ocr = any(cell.confidence is not None for table in document.tables for row in table.rows for cell in row)
        return cls(document, resolver) if ocr else None

    @functools.cached_property
    def known(self) -> tuple[str, ...]:
        """What an OCR'd unit is matched against: the registry's and the rosters' names that resolve in the region
        (re-levelled to 区/旗 in a district or banner) and the units written in the document's text-layer cells."""
        names = {n for n in self.resolver.known_names if self.resolver.canonical(n)[1]}
        names |= self.text_layer
        level = (self.region or "")[-1:]
        if level in ("区", "旗"):
            names |= {level + n[1:] for n in names if n.startswith("县")}
        return tuple(sorted(names))

    def check(self, table: Table, table_index: int, start: int, roles: ColumnRoles, framework: Framework) -> Table:
        """``table`` with its OCR'd cells from row ``start`` read and corrected; warnings go to ``framework``."""
        header = [header_key(h) for h in roles.headers]
        grid = cell_grid(table)
        rows: list[list[Cell]] = []
        for r, cells in enumerate(table.rows):
            texts = row_cells(table, r, grid).texts
            if r < start or [header_key(t) for t in texts] == header:
                rows.append(cells)  # a header, also when repeated after a page break
                continue
            rows.append([self._cell(cell, table, table_index, roles, framework) for cell in cells])
        return table.model_copy(update={"rows": rows})

    def _cell(self, cell: Cell, table: Table, table_index: int, roles: ColumnRoles, framework: Framework) -> Cell:
        role = roles.roles[cell.col] if cell.col < len(roles.roles) else "other"
        text = cell.text.strip()
        if cell.confidence is None or role not in _CHECKED_ROLES or not text or is_filler(text):
            return cell
        found: list[Found] = []
        if role in _UNIT_ROLES:
            text, found = self._units(cell.text, (table_index, cell.row, cell.col))
        elif role == "points":
            text, found = _points(cell.text)
        if not found and cell.confidence < LOW_CONFIDENCE:
            doubt = f"识别可信度 {cell.confidence:.0%}：「{short_name(cell.text)}」，请核对原件"
            found = [("ocr_low_confidence", doubt)]
        page = table.row_pages[cell.row] if cell.row < len(table.row_pages) else table.page
        column = header_key(roles.headers[cell.col]) or f"第 {cell.col + 1} 列"
        where = f"{f'第 {page} 页 ' if page else ''}表 {table_index + 1} 第 {cell.row} 行「{column}」"
        prefix = f"{label(framework)} / {where}："
        framework.warnings += [FrameworkWarning(code=code, message=prefix + message) for code, message in found]
        return cell if text == cell.text else cell.model_copy(update={"text": text})

    def _units(self, text: str, key: _CellKey) -> tuple[str, list[Found]]:
        """The cell with each unknown unit corrected where exactly one known name is close; what was done.

        A corrected cell is written again as its units joined by ``、`` (and its ``等…`` tail), each as written
        but the corrected ones; a cell without a correction keeps its text."""
        units = parse_unit_list(text)
        found: list[Found] = []
        parts: list[str] = []
        for mention in units.mentions:
            parts.append(mention.as_written)
            name = mention.text
            if mention.special or names_no_unit(mention) or self.resolver.canonical(name)[1] or name in self.text_layer:
                continue
            match = closest_unit(name, self.known)
            if match.best is not None:
                parts[-1] = match.best + mention.as_written[len(split_colocation(mention.as_written)[0]) :]
            elif not match.close and self.confident.get(name, set()) - {key}:
                continue  # read alike in another confident cell, and no known unit is close: a unit of its own
            found.append(_unit_note(name, match))
        if any(code == "ocr_unit_corrected" for code, _ in found):
            text = "、".join(parts) + (units.tail or "")
        return text, found


def _unit_note(read: str, match: ClosestUnit) -> Found:
    """What was done with a unit the region does not know: corrected, or kept as read (and why)."""
    if match.best is not None:
        return "ocr_unit_corrected", f"识别为「{read}」，已按单位名录更正为「{match.best}」，请核对"
    if len(match.close) > 1:
        rivals = "、".join(match.close)
        return "ocr_unit_unknown", f"识别为「{read}」，名录中有几个相近的单位（{rivals}），无法确定，按原样保存，请核对"
    if match.close:
        near = match.close[0]
        return "ocr_unit_unknown", f"识别为「{read}」，与名录中的「{near}」相近，但可能是另一个单位，按原样保存，请核对"
    return "ocr_unit_unknown", f"识别为「{read}」，名录中没有相近的单位，按原样保存，请核对"


def _points(text: str) -> tuple[str, list[Found]]:
    """A points cell as the number it reads as (``O.5`` → ``0.5``), or as read with a warning."""
    value = read_points(text)
    if value is None:
        return text, [("ocr_points_unread", f"识别为「{short_name(text)}」，不是数字，未作为分值，请核对原件")]
    return (text if parse_points_cell(text) == value else f"{value:g}"), []


def _trusted_units(document: Document) -> tuple[set[str], dict[str, set[_CellKey]]]:
    """Units written in text-layer cells; and in confident OCR cells, with the cells they are written in.

    Only cells that are a list of unit names count, so an indicator's words never become a unit."""
    text_layer: set[str] = set()
    confident: dict[str, set[_CellKey]] = defaultdict(set)
    for t, table in enumerate(document.tables):
        for cell in (c for row in table.rows for c in row):
            if cell.confidence is not None and cell.confidence < LOW_CONFIDENCE:
                continue
            mentions = [m for m in split_units(cell.text) if not m.special]
            if not mentions or not all(looks_like_unit(m.text) for m in mentions):
                continue
            for mention in mentions:
                if cell.confidence is None:
                    text_layer.add(mention.text)
                else:
                    confident[mention.text].add((t, cell.row, cell.col))
    return text_layer, dict(confident)
