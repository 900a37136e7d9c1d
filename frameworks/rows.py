"""Table rows into indicators: categories, points, deductions, owners and targets.

An empty owner or category cell means the cell above continues: a vertical
merge (explicit in .docx/.pdf/.html, only visible as emptiness in .txt). Both
are filled down; an owner that came from above marks the row ``inherited``.
A filler (``——``, ``/``, ``无``) is not a merge: it says the row has no unit.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from frameworks.columns import ColumnRoles, Role, header_key
from frameworks.model import Category, Indicator, Provenance
from frameworks.units import Owners, UnitResolver
from normalize.points import (
    parse_deduction,
    parse_points_cell,
    split_declared_points,
    split_inline_points,
    strip_ordinal,
)
from normalize.targets import Target, parse_targets
from normalize.unit_shape import is_filler
from parsers.document import Cell, Table

_TOTAL = regex.compile(r"^(?:合计|总计|总分|合计分值|小计)")
_VETO = regex.compile(r"一票否决")
_BONUS = regex.compile(r"加分")
_DEDUCTION = regex.compile(r"减分|扣分|负面清单")
# （5分）, （10分 ）, and the points that open a bracket: （3分，少一次扣1分）.
_SUB_SCORE = regex.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*(?:[)）]|[，,；;])")
# Section ordinals by level: 一、 (1) above （一） (2) above 1. (3).
_SECTION_LEVELS = (
    (regex.compile(r"^\s*[一二三四五六七八九十]+\s*[、．.]"), 1),
    (regex.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]"), 2),
)
_NOT_TEXT_ROLES = frozenset({"points", "weight", "deduction", "seq", "remark", "other", "deadline", "measure"})
# An item cell that only holds its number or an ellipsis: a blank line of a form (1. 2. ……).
_PLACEHOLDER = regex.compile(r"^(?:\d{1,3}[.、．]?|[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]?|[…．.·]{2,})$")
_CHINESE_SEQ = regex.compile(r"^(?:[一二三四五六七八九十]+[、.．]?|[（(][一二三四五六七八九十]+[)）])$")
_SEQ_ONLY = regex.compile(r"^[（(]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）、.．]?$")
# What a section title says about itself: （2项）, （权重占50%）, （共3项）.
_SECTION_NOTE = regex.compile(r"\s*[（(]\s*(?:共?\s*\d+\s*[项个]|权重[^)）]*|占\s*\d+(?:\.\d+)?\s*%)\s*[)）]\s*$")
_BARE_NUMBER = regex.compile(r"^[-+]?\d+(?:\.\d+)?$")


@dataclass
class FillState:
    """Values carried down the rows (and across tables that continue a framework)."""

    categories: dict[int, str] = field(default_factory=dict)  # column -> raw cell text
    units: dict[int, str] = field(default_factory=dict)  # column -> raw cell text ("" after a filler)


@dataclass
class RowCells:
    """One row's cells by column (plain data, made for every row of every table)."""

    texts: list[str]
    fresh: list[bool]  # the cell starts in this row and is non-empty
    covered_left: list[bool] = field(default_factory=list)  # the position is covered by a cell to its left
    spans: list[int] = field(default_factory=list)  # columns the cell starting at this position covers


def cell_grid(table: Table) -> list[list[Cell | None]]:
    """The cell covering each position, found once per table (``Table.cell_at`` searches upwards every time)."""
    grid: list[list[Cell | None]] = [[None] * table.n_cols for _ in range(table.n_rows)]
    for cells in table.rows:
        for cell in cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, table.n_rows)):
                for c in range(cell.col, min(cell.col + cell.colspan, table.n_cols)):
                    grid[r][c] = cell
    return grid


def row_cells(table: Table, row: int, grid: list[list[Cell | None]] | None = None) -> RowCells:
    """The row's texts by column: a vertical merge repeats its text down, a horizontal one only at its origin."""
    texts, fresh, covered_left, spans = [], [], [], []
    for col in range(table.n_cols):
        cell = grid[row][col] if grid is not None else table.cell_at(row, col)
        text = cell.text.strip() if cell is not None and cell.col == col else ""
        texts.append(text)
        fresh.append(cell is not None and cell.row == row and bool(text))
        covered_left.append(cell is not None and cell.col < col)
        spans.append(cell.colspan if cell is not None and cell.col == col else 0)
    return RowCells(texts=texts, fresh=fresh, covered_left=covered_left, spans=spans)


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
        self.sections: list[tuple[int, str]] = []  # (level, name): section rows above the table's own categories
        self.section_column: int | None = None  # where the last section row had its title
        # Columns by role, looked up on every row: once here rather than by scanning the roles each time.
        self._columns: dict[str, tuple[int, ...]] = {}
        for col, role in enumerate(roles.roles):
            self._columns[role] = (*self._columns.get(role, ()), col)

    def _first(self, role: Role) -> int | None:
        cols = self._columns.get(role)
        return cols[0] if cols else None

    def _all(self, role: Role) -> tuple[int, ...]:
        return self._columns.get(role, ())

    # ---------------------------------------------------------------- sections

    def read_section(self, cells: RowCells) -> bool:
        """A row that only names a section (``一、巩固成果，提升工作实效  31``) opens a category."""
        text_col = self._section_text_column(cells)
        if text_col is None:
            return False
        self.section_column = text_col
        name, points = split_declared_points(cells.texts[text_col], allow_bare_number=True)
        while _SECTION_NOTE.search(name):
            name = _SECTION_NOTE.sub("", name)
        points_col = self._first("points")
        if points is None and points_col is not None and points_col != text_col:
            points = parse_points_cell(cells.texts[points_col])
        seq = self._first("seq")
        numbering = f"{cells.texts[seq]}、" if seq is not None and cells.texts[seq] else cells.texts[text_col]
        level = next((lvl for pattern, lvl in _SECTION_LEVELS if pattern.match(numbering)), 1)
        self.sections = [(lvl, n) for lvl, n in self.sections if lvl < level] + [(level, name)]
        self.state.categories.clear()
        self.state.units.clear()
        path = tuple(n for _, n in self.sections)
        self.categories.setdefault(path, Category(path=list(path), declared_points=points))
        return True

    def _section_text_column(self, cells: RowCells) -> int | None:
        """The column holding a section row's title, or None when the row is not one."""
        if len(cells.texts) < 2:
            return None
        if cells.fresh[0] and not any(cells.texts[1:]):
            return 0  # one cell across the row
        roles = self.roles.roles
        texts = [
            c
            for c, t in enumerate(cells.texts)
            if t
            and cells.fresh[c]
            and (roles[c] not in _NOT_TEXT_ROLES or (roles[c] == "seq" and not _SEQ_ONLY.match(t)))
        ]
        if not texts:
            return None
        seq = self._first("seq")
        if self.roles.chinese_seq_sections and seq is not None and _CHINESE_SEQ.match(cells.texts[seq]):
            return texts[0]  # 一 | 河湖长制基础工作 | 16 among rows numbered 1, 2, 3 (its own unit or not)
        if len(texts) != 1 or any(cells.fresh[c] for c in self._all("responsible") + self._all("assigning")):
            return None
        col, item = texts[0], self._first("item")
        text = cells.texts[col]
        if item is not None and col != item and not cells.texts[item] and roles[col] != "category":
            return col  # a title in the sequence column above empty item cells
        ordinal = any(pattern.match(text) for pattern, _ in _SECTION_LEVELS)
        if ordinal and (col == item or roles[col] == "category") and not self._row_has_body(cells, col):
            return col
        return None

    def section_body(self, cells: RowCells) -> bool:
        """A section row that also states an indicator of its own (``三、综合奖扣分项目 | 上级评比情况 | …``)."""
        item, detail = self._first("item"), self._first("detail")
        return any(
            c is not None and c != self.section_column and cells.fresh[c] and not _is_title_span(cells, c)
            for c in (item, detail)
        )

    def _row_has_body(self, cells: RowCells, col: int) -> bool:
        """Any other text cell (detail, criteria, target) filled: the row is an indicator after all."""
        for c, role in enumerate(self.roles.roles):
            if c != col and role in ("item", "detail", "criteria", "target") and cells.texts[c]:
                return True
        return False

    # ---------------------------------------------------------------- rows

    def read(self, cells: RowCells, seq: int, source: Provenance, *, section_row: bool = False) -> Indicator | None:
        """The row's indicator; ``section_row``: the row also opened a section (its left cells are the title)."""
        row_name = None if section_row else self._row_name(cells)
        if section_row:
            path, consumed = [name for _, name in self.sections], None
        else:
            path, consumed = self._category_path(cells, skip=row_name[0] if row_name else None)
        name, name_points, text, from_category = self._texts(cells, consumed)
        if from_category is not None:
            path = path[:-1]
        if row_name is not None:
            name, name_points = split_declared_points(row_name[1])
            text = text or name
        if not text:
            return None
        indicator = Indicator(seq=seq, category_path=path, name=name, text=text, source=source)
        self._details(indicator, cells)
        self._points(indicator, cells, name_points)
        self._owners(indicator, cells)
        targets_from = f"{name or indicator.text}{indicator.target_text}" if indicator.target_text else indicator.text
        indicator.targets = list(_targets_of(targets_from))
        return indicator

    def _row_name(self, cells: RowCells) -> tuple[int, str] | None:
        """A category cell spread over the unit column names its row, not a group: the rows common to
        every unit (``组织领导`` across 考核项目) in a table whose other rows name a unit there."""
        units = self._all("responsible") + self._all("assigning")
        for col in self._all("category"):
            if cells.fresh[col] and any(col < u < col + cells.spans[col] for u in units):
                return col, cells.texts[col]
        return None

    def _category_path(self, cells: RowCells, skip: int | None = None) -> tuple[list[str], int | None]:
        """The category names for this row, after filling down; and the deepest fresh category column."""
        cols = [c for c in self._all("category") if c != skip]
        deepest_fresh = None
        for depth, col in enumerate(cols):
            text = cells.texts[col]
            if text and (cells.fresh[col] or self.state.categories.get(col) != text):
                self.state.categories[col] = text
                for deeper in cols[depth + 1 :]:
                    self.state.categories.pop(deeper, None)
                deepest_fresh = col
        path: list[str] = [name for _, name in self.sections]
        for col in cols:
            raw = self.state.categories.get(col)
            if not raw or is_filler(raw):
                continue
            name, points = split_declared_points(raw)
            if not name:
                continue
            path.append(name)
            key = tuple(path)
            if key not in self.categories:
                self.categories[key] = Category(path=list(path), declared_points=points)
        return path, deepest_fresh

    def _texts(self, cells: RowCells, deepest_fresh: int | None) -> tuple[str | None, float | None, str, int | None]:
        """(item name, points written with the name, indicator text, category column used as the text)."""
        item_col, detail_col = self._first("item"), self._first("detail")
        item = _cell(cells, item_col)
        placeholder = bool(_PLACEHOLDER.match(header_key(item)))
        if placeholder:
            item = ""
        name, name_points = split_declared_points(item) if item else (None, None)
        text = _cell(cells, detail_col) if detail_col is not None else strip_ordinal(item or "").rstrip("*＊※")
        if detail_col is None:
            name = None
        elif not text and name:
            text, name = strip_ordinal(item), None
        categories = self._all("category")
        fresh_category = deepest_fresh is not None and (
            deepest_fresh != categories[0] or (placeholder and cells.fresh[deepest_fresh])
        )
        if not text and fresh_category:
            # A template row whose indicator column is empty (or holds only a number to fill in)
            # names the item in its category cell; the form's further blank lines are no indicators.
            assert deepest_fresh is not None
            own_name, own_points = split_declared_points(cells.texts[deepest_fresh])
            self.state.categories.pop(deepest_fresh, None)
            return None, own_points, own_name, deepest_fresh
        return name, name_points, text, None

    def _details(self, indicator: Indicator, cells: RowCells) -> None:
        """Criteria with their （N分） parts, target, deadline and further weightings."""
        indicator.criteria = _cell(cells, self._first("criteria")) or None
        indicator.target_text = _cell(cells, self._first("target")) or None
        indicator.deadline = _cell(cells, self._first("deadline")) or None
        measure = _cell(cells, self._first("measure"))
        if indicator.target_text and measure and _BARE_NUMBER.match(indicator.target_text):
            indicator.target_text += measure  # 0.07 | 万亩 → 0.07万亩
        for col in self._all("weight"):
            text = cells.texts[col].rstrip("%％")  # 权重 70%
            if cells.fresh[col] and (value := parse_points_cell(text)) is not None:
                indicator.weights[header_key(self.roles.headers[col])] = value
        if indicator.criteria:
            indicator.sub_scores = [float(v) for v in _SUB_SCORE.findall(indicator.criteria)]

    def _points(self, indicator: Indicator, cells: RowCells, name_points: float | None) -> None:
        points_col, deduction_col = self._first("points"), self._first("deduction")
        column_value = None
        if points_col is not None and cells.fresh[points_col]:  # a points cell merged over rows counts once
            column_value = parse_points_cell(cells.texts[points_col])
        text, inline = split_inline_points(indicator.text)
        if column_value is not None:
            indicator.points, indicator.points_from = column_value, "column"
            if not indicator.sub_scores and len(parts := _SUB_SCORE.findall(indicator.text)) > 1:
                indicator.sub_scores = [float(v) for v in parts]  # the text's （N分） are parts of the column's
        elif inline is not None:
            indicator.text, indicator.points, indicator.points_from = text, inline, "inline"
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
        carrying, carried_over = self._unit_cells(cells, self._all("responsible"))
        assessing, assessed_over = self._unit_cells(cells, self._all("assigning"))
        helping, _ = self._unit_cells(cells, self._all("cooperating"))
        extra = self.units.resolve_cells(helping, self.assessee)
        if not self._all("responsible") and assessing:
            # The only unit column assesses the work: its unit is the lead, as the one who sets the task.
            carrying, carried_over, assessing = assessing, assessed_over, []
            indicator.role = "assigning"
        owners = self.units.resolve_cells(carrying, assessee=self.assessee)
        assessors = self.units.resolve_cells(assessing, assessee=self.assessee)
        if owners.names:
            indicator.lead, indicator.lead_as_written = owners.names[0], owners.written[0]
            indicator.cooperating = owners.names[1:] + [n for n in extra.names if n not in owners.names]
            indicator.cooperating_as_written = owners.written[1:] + [
                w for n, w in zip(extra.names, extra.written, strict=True) if n not in owners.names
            ]
            indicator.inherited = carried_over
        elif self.assessee:
            indicator.lead = indicator.lead_as_written = self.assessee
            indicator.role = "responsible"
            indicator.cooperating, indicator.cooperating_as_written = extra.names, extra.written
        else:
            indicator.role = "responsible"
        indicator.assessors, indicator.assessors_as_written = _without(assessors, indicator.lead)
        indicator.unresolved_units = owners.unresolved + extra.unresolved + assessors.unresolved

    def _unit_cells(self, cells: RowCells, cols: list[int]) -> tuple[list[str], bool]:
        """The unit texts of ``cols`` for this row after filling down; and whether any came from above."""
        written: list[str] = []
        inherited = False
        for col in cols:
            text = cells.texts[col]
            if cells.covered_left[col]:
                text = self.state.units[col] = ""  # spanned by a cell to the left: this row names no unit here
            elif text and cells.fresh[col]:
                self.state.units[col] = "" if is_filler(text) else text
                text = self.state.units[col]
            elif self.state.units.get(col):
                text, inherited = self.state.units[col], True
            elif is_filler(text):
                text = ""
            if text:
                written.append(text)
        return written, inherited and bool(written)


def _is_title_span(cells: RowCells, col: int) -> bool:
    """The cell at ``col`` is the section title itself, spread over the row from the left."""
    return any(cells.spans[c] > col - c for c in range(col) if cells.fresh[c])


def _cell(cells: RowCells, col: int | None) -> str:
    """A cell's text, fillers read as empty."""
    if col is None:
        return ""
    text = cells.texts[col]
    return "" if is_filler(text) else text


def _without(owners: Owners, lead: str | None) -> tuple[list[str], list[str]]:
    pairs = [(n, w) for n, w in zip(owners.names, owners.written, strict=True) if n != lead]
    return [n for n, _ in pairs], [w for _, w in pairs]


@functools.lru_cache(maxsize=8192)
def _targets_of(text: str) -> tuple[Target, ...]:
    """Targets are frozen, so rows with the same text (a third of seed 002's: the township tables
    repeat their tasks) share one parse."""
    return tuple(parse_targets(text))
