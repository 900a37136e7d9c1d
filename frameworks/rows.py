"""Table rows into indicators: categories, points, deductions, owners and targets.

An empty owner or category cell means the cell above continues: a vertical
merge (explicit in .docx/.pdf/.html, only visible as emptiness in .txt). Both
are filled down; an owner that came from above marks the row ``inherited``.
"""

from __future__ import annotations

import functools

import regex
from pydantic import BaseModel, Field

from frameworks.columns import ColumnRoles, header_key
from frameworks.model import Category, Indicator, Provenance
from frameworks.units import UnitResolver
from normalize.points import parse_deduction, parse_points_cell, split_declared_points, split_inline_points
from normalize.targets import Target, parse_targets
from parsers.document import Table

_TOTAL = regex.compile(r"^(?:合计|总计|总分|合计分值|小计)")
_VETO = regex.compile(r"一票否决")
_BONUS = regex.compile(r"加分")
_DEDUCTION = regex.compile(r"减分|扣分|负面清单")


class FillState(BaseModel):
    """Values carried down the rows (and across tables that continue a framework)."""

    categories: dict[int, str] = Field(default_factory=dict)  # column -> raw cell text
    units: dict[int, str] = Field(default_factory=dict)  # column -> raw cell text


class RowCells(BaseModel):
    texts: list[str]
    fresh: list[bool]  # the cell starts in this row and is non-empty


def row_cells(table: Table, row: int) -> RowCells:
    """The row's texts by column: a vertical merge repeats its text down, a horizontal one only at its origin."""
    texts, fresh = [], []
    for col in range(table.n_cols):
        cell = table.cell_at(row, col)
        text = cell.text.strip() if cell is not None and cell.col == col else ""
        texts.append(text)
        fresh.append(cell is not None and cell.row == row and bool(text))
    return RowCells(texts=texts, fresh=fresh)


def total_of(cells: RowCells, roles: ColumnRoles) -> float | bool | None:
    """The declared total of a 合计 row, ``True`` if it is a total without a number, else ``False``."""
    first = next((t for t in cells.texts if t), "")
    if not _TOTAL.match(header_key(first)):
        return False
    points_col = roles.first("points")
    if points_col is not None and (value := parse_points_cell(cells.texts[points_col])) is not None:
        return value
    numbers = [parse_points_cell(t) for t in cells.texts[1:] if t]
    found = [n for n in numbers if n is not None]
    if found:
        return found[-1]
    _, inside = split_declared_points(first, allow_bare_number=True)  # 合计 100分 in one merged cell
    return inside if inside is not None else True


class RowReader:
    """Reads the data rows of one framework's tables, keeping fill-down state."""

    def __init__(self, roles: ColumnRoles, units: UnitResolver, assessee: str | None, negative: bool) -> None:
        self.roles = roles
        self.units = units
        self.assessee = assessee
        self.negative = negative
        self.state = FillState()
        self.categories: dict[tuple[str, ...], Category] = {}
        self.section: str | None = None  # a full-width section row above the table's own categories

    def read_section(self, cells: RowCells) -> bool:
        """A row with text in its first cell only (``一、巩固成果，提升工作实效  31``) opens a section."""
        if not cells.fresh[0] or any(cells.texts[1:]) or len(cells.texts) < 2:
            return False
        name, points = split_declared_points(cells.texts[0], allow_bare_number=True)
        self.section = name
        self.state.categories.clear()
        self.categories.setdefault((name,), Category(path=[name], declared_points=points))
        return True

    def read(self, cells: RowCells, seq: int, source: Provenance) -> Indicator | None:
        path, consumed = self._category_path(cells)
        name, name_points, text, from_category = self._texts(cells, consumed)
        if from_category is not None:
            path = path[:-1]
        if not text:
            return None
        indicator = Indicator(seq=seq, category_path=path, name=name, text=text, source=source)
        self._points(indicator, cells, name_points)
        self._owners(indicator, cells)
        indicator.targets = list(_targets_of(indicator.text))
        return indicator

    def _category_path(self, cells: RowCells) -> tuple[list[str], int | None]:
        """The category names for this row, after filling down; and the deepest fresh category column."""
        cols = self.roles.all("category")
        deepest_fresh = None
        for depth, col in enumerate(cols):
            text = cells.texts[col]
            if text and (cells.fresh[col] or self.state.categories.get(col) != text):
                self.state.categories[col] = text
                for deeper in cols[depth + 1 :]:
                    self.state.categories.pop(deeper, None)
                deepest_fresh = col
        path: list[str] = [self.section] if self.section else []
        for col in cols:
            raw = self.state.categories.get(col)
            if not raw:
                continue
            name, points = split_declared_points(raw)
            path.append(name)
            key = tuple(path)
            if key not in self.categories:
                self.categories[key] = Category(path=list(path), declared_points=points)
        return path, deepest_fresh

    def _texts(self, cells: RowCells, deepest_fresh: int | None) -> tuple[str | None, float | None, str, int | None]:
        """(item name, points written with the name, indicator text, category column used as the text)."""
        item_col, ind_col = self.roles.first("item"), self.roles.first("indicator")
        detail_col = self.roles.first("detail")
        name, name_points = None, None
        if item_col is not None and cells.texts[item_col]:
            name, name_points = split_declared_points(cells.texts[item_col])
        text_col = detail_col if detail_col is not None else ind_col
        text = cells.texts[text_col] if text_col is not None else ""
        if not text and name:
            text, name = name, None
        if not text and deepest_fresh is not None and deepest_fresh != self.roles.all("category")[0]:
            # A template row whose indicator column is empty names the item in its sub-category cell.
            own_name, own_points = split_declared_points(cells.texts[deepest_fresh])
            self.state.categories.pop(deepest_fresh, None)
            return None, own_points, own_name, deepest_fresh
        return name, name_points, text, None

    def _points(self, indicator: Indicator, cells: RowCells, name_points: float | None) -> None:
        points_col, deduction_col = self.roles.first("points"), self.roles.first("deduction")
        text, inline = split_inline_points(indicator.text)
        if inline is not None:
            indicator.text = text
        if points_col is not None and (value := parse_points_cell(cells.texts[points_col])) is not None:
            indicator.points, indicator.points_from = value, "column"
        elif inline is not None:
            indicator.points, indicator.points_from = inline, "inline"
        elif name_points is not None:
            indicator.points, indicator.points_from = name_points, "name"
        value_cell = cells.texts[deduction_col] if deduction_col is not None else None
        in_deduction_block = any(_DEDUCTION.search(c) for c in indicator.category_path)
        if self.negative or value_cell or in_deduction_block:
            deduction = parse_deduction(indicator.text, value_cell or None)
            indicator.kind = "deduction"
            if deduction is not None:
                indicator.kind = deduction.kind
                indicator.graded = deduction.graded
                if deduction.points is not None:
                    indicator.points = deduction.points
                    indicator.points_from = "column" if value_cell else "inline"
        context = " ".join([*indicator.category_path, indicator.text])
        if _VETO.search(context):
            indicator.kind = "veto"
        elif indicator.kind == "indicator" and any(_BONUS.search(c) for c in indicator.category_path):
            indicator.kind = "bonus"

    def _owners(self, indicator: Indicator, cells: RowCells) -> None:
        inherited = False
        written: list[str] = []
        for col in self.roles.units:
            text = cells.texts[col]
            if text and cells.fresh[col]:
                self.state.units[col] = text
            elif self.state.units.get(col):
                text, inherited = self.state.units[col], True
            if text:
                written.append(text)
                if self.roles.roles[col] == "assigning" and not indicator.lead_as_written:
                    indicator.role = "assigning"
        owners = self.units.resolve_cells(written, assessee=self.assessee)
        cooperating_cols = self.roles.all("cooperating")
        extra = self.units.resolve_cells([cells.texts[c] for c in cooperating_cols if cells.texts[c]], self.assessee)
        if owners.names:
            indicator.lead, indicator.lead_as_written = owners.names[0], owners.written[0]
            indicator.cooperating = owners.names[1:] + extra.names
            indicator.cooperating_as_written = owners.written[1:] + extra.written
            indicator.inherited = inherited
        elif self.assessee:
            indicator.lead = indicator.lead_as_written = self.assessee
            indicator.cooperating, indicator.cooperating_as_written = extra.names, extra.written
        indicator.unresolved_units = owners.unresolved + extra.unresolved


@functools.lru_cache(maxsize=8192)
def _targets_of(text: str) -> tuple[Target, ...]:
    """Targets are frozen, so rows with the same text (a third of seed 002's: the township tables
    repeat their tasks) share one parse."""
    return tuple(parse_targets(text))
