"""The page layout of every workbook and document kaohe writes (score, diff, template, breakdown).

One look, decided here and nowhere else: A4, landscape when the table is wider than a portrait
page, scaled to the page width; a title row; the header row frozen and repeated on every printed
page; thin borders; column widths from the content (a Chinese character counts double, a number
never wraps: its column is as wide as its widest number); text wrapped; in the footer the source
notice(s) and the date generated on the left, ``第 1 页，共 3 页`` on the right.

Pagination is decided here too, so that a category or unit label merged over several rows is
never cut by a page break: rows get explicit heights (openpyxl cannot measure text, and Excel does
not re-measure merged rows), the page breaks are computed from those heights and the scale that
fits the columns to the page width, and a merge that crosses a break is split there, its label
repeated at the top of the next page. A sheet gets manual row breaks at those places (Excel, WPS
and LibreOffice keep them when fitting to the width); a .docx table is cut into one table per page
(:func:`paginate` with the ``docx_*`` estimates, used by ``export/docx.py``). The estimates err on
the tall side: a page ends a little early rather than late.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from textview.table import display_width

BODY_FONT = "仿宋"  # on every Chinese Windows; 仿宋_GB2312 often is not
HEAD_FONT = "黑体"
PAGE_NUMBERS = "第 &P 页，共 &N 页"  # Excel's header/footer codes: this page, all pages
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
BAND_FILL = PatternFill("solid", fgColor="F2F2F2")
HIGHLIGHT_FILL = PatternFill("solid", fgColor="FFE699")  # a changed field (diff)
_THIN = Side(style="thin")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

_A4 = (595.3, 841.9)  # points
_MARGINS = {"left": 0.5, "right": 0.5, "top": 0.7, "bottom": 0.75, "header": 0.3, "footer": 0.3}  # inches
_SAFETY = 0.92  # share of the page height the (pessimistic) estimates may fill
_PORTRAIT_MAX_WIDTH = 100  # column-width units that still print readably on a portrait page
_FOOTER_MAX = 100  # display width of the footer's source line


def new_workbook() -> Workbook:
    """A workbook whose default font is Arial 10: column widths are counted in its digit width, the
    same 7 pixels in Excel, WPS and LibreOffice (Liberation Sans), so the page scale is predictable."""
    book = Workbook()
    book._fonts[0] = Font(name="Arial", size=10)  # the Normal style's font (openpyxl keeps it at index 0)
    book._named_styles["Normal"].font = Font(name="Arial", size=10)
    return book


def today() -> str:
    return date.today().isoformat()


def footer_line(sources: Iterable[str | None] = (), generated: str | None = None) -> str:
    """``来源：佳县2020年度目标责任考核指标.docx；生成日期：2025-01-02`` (file names only; a long list
    ends in ``等 N 个文件``)."""
    names = list(dict.fromkeys(Path(s).name for s in sources if s))
    shown: list[str] = []
    for name in names:
        if shown and display_width("、".join([*shown, name])) > _FOOTER_MAX - 30:
            break
        shown.append(name)
    listed = "、".join(shown) + (f"等 {len(names)} 个文件" if len(shown) < len(names) else "")
    when = f"生成日期：{generated or today()}"
    return f"来源：{listed}；{when}" if listed else when


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_text(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def text_units(text: str, size: float = 11) -> float:
    """Column-width units (about a digit at 11 pt) the longest line of ``text`` needs at ``size`` pt."""
    return max((display_width(part) for part in text.split("\n")), default=0) * size / 10.5


def line_count(text: str, width: float, size: float = 11) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` units wide (a little pessimistic)."""
    usable = max(width - 1.5, 2.0)
    return sum(max(1, math.ceil(display_width(part) * size / 10.5 / usable)) for part in text.split("\n"))


def line_height(size: float) -> float:
    """Points per wrapped line at ``size`` pt (CJK fonts are tall: Noto CJK is about 1.45 em)."""
    return round(size * 1.4, 1)


def fit_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    limits: dict[str, tuple[float, float]] | None = None,
    size: float = 11,
    default_max: float = 40,
) -> list[float]:
    """Column widths from the content: the longest line (Chinese counts double) within the column's
    ``limits`` (low, high). A column of numbers is as wide as its widest number, so none wraps; its
    header may take two lines."""
    widths = []
    for index, header in enumerate(headers):
        values = [row[index] for row in rows if index < len(row) and row[index] not in (None, "")]
        numbers = [v for v in values if is_number(v)]
        low, high = (limits or {}).get(header, (4.0, default_max))
        head = text_units(header, size)
        if numbers and len(numbers) == len(values):
            widest = max(text_units(number_text(v), size) for v in numbers)  # type: ignore[arg-type]
            widths.append(round(max(widest + 3, math.ceil(head / 2) + 2, low), 1))
            continue
        longest = max((text_units(str(v), size) for v in values), default=0)
        widths.append(round(min(max(longest + 2, min(head, 16) + 2, low), max(high, low)), 1))
    return widths


@dataclass
class _Merge:
    column: int  # from 1
    first: int
    last: int


@dataclass
class SheetLayout:
    """Write one printable sheet row by row, then :meth:`finish` it.

    ``widths`` are column-width units (:func:`fit_widths`). Every row gets its height from its text,
    so :meth:`finish` can paginate; label merges registered with :meth:`merge_down` are split at the
    page breaks and their label repeated at the top of the next page."""

    sheet: Worksheet
    widths: list[float]
    size: float = 11
    header_row: int | None = None
    last_row: int = 0
    breaks: list[int] = field(default_factory=list)  # the rows that start a new page
    _keep: set[int] = field(default_factory=set)
    _merges: list[_Merge] = field(default_factory=list)

    def __post_init__(self) -> None:
        for index, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def _next(self) -> int:
        self.last_row += 1
        return self.last_row

    def _font(self, bold: bool = False, size: float | None = None, color: str | None = None) -> Font:
        return Font(name=HEAD_FONT if bold else BODY_FONT, size=size or self.size, bold=bold, color=color)

    def _across(self, row: int) -> None:
        if self.n_cols > 1:
            self.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=self.n_cols)

    def title(self, text: str, size: float = 16) -> int:
        """The title, centred across the table."""
        row = self._next()
        cell = self.sheet.cell(row=row, column=1, value=text)
        cell.font = Font(name=HEAD_FONT, size=size, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self._across(row)
        self.sheet.row_dimensions[row].height = line_count(text, sum(self.widths), size) * line_height(size) + 10
        self._keep.add(row)
        return row

    def text(
        self,
        text: str,
        *,
        bold: bool = False,
        size: float | None = None,
        boxed: bool = False,
        fill: PatternFill | None = None,
        keep_with_next: bool = False,
        center: bool = False,
    ) -> int:
        """A paragraph across the page width, wrapped (说明 lines, subtitles, section headings)."""
        row = self._next()
        size = size or self.size
        cell = self.sheet.cell(row=row, column=1, value=text)
        cell.font = self._font(bold=bold, size=size)
        cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True)
        for col in range(1, self.n_cols + 1):
            if boxed:
                self.sheet.cell(row=row, column=col).border = BOX
            if fill is not None:
                self.sheet.cell(row=row, column=col).fill = fill
        self._across(row)
        self.sheet.row_dimensions[row].height = line_count(text, sum(self.widths) - 2, size) * line_height(size) + 6
        if keep_with_next:
            self._keep.add(row)
        return row

    def blank(self, height: float = 8) -> int:
        row = self._next()
        self.sheet.row_dimensions[row].height = height
        self._keep.add(row)  # a blank line never ends a page
        return row

    def header(self, headers: Sequence[str], *, repeat: bool = True, colors: dict[int, str] | None = None) -> int:
        """The header row: bold, shaded, centred; frozen, and (``repeat``) printed on every page."""
        row = self.row(list(headers), bold=True, fill=HEADER_FILL, center=range(len(headers)), colors=colors)
        self._keep.add(row)
        if repeat:
            self.header_row = row
            self.sheet.freeze_panes = f"A{row + 1}"
        return row

    def row(
        self,
        values: Sequence[object],
        *,
        bold: bool = False,
        fill: PatternFill | None = None,
        center: Iterable[int] = (),
        highlight: Iterable[int] = (),
        colors: dict[int, str] | None = None,
        number_format: str | None = None,
        skip_height: Iterable[int] = (),
        keep_with_next: bool = False,
    ) -> int:
        """One table row (columns from 0): text wraps, numbers stay numbers and never wrap."""
        row = self._next()
        center, highlight, skip = set(center), set(highlight), set(skip_height)
        lines = 1
        for col, value in enumerate(values):
            cell = self.sheet.cell(row=row, column=col + 1, value=None if value == "" else value)
            cell.border = BOX
            cell.font = self._font(bold=bold or col in highlight, color=(colors or {}).get(col))
            if is_number(value):
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=False)
                if number_format and isinstance(value, float):
                    cell.number_format = number_format
            else:
                horizontal = "center" if col in center else "left"
                cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
                if col not in skip and value not in (None, "") and col < self.n_cols:
                    lines = max(lines, line_count(str(value), self.widths[col], self.size))
            if col in highlight:
                cell.fill = HIGHLIGHT_FILL
            elif fill is not None:
                cell.fill = fill
        self.sheet.row_dimensions[row].height = lines * line_height(self.size) + 4
        if keep_with_next:
            self._keep.add(row)
        return row

    def keep_with_next(self, row: int) -> None:
        """No page break between ``row`` and the next one (a last row and its total)."""
        self._keep.add(row)

    def merge_across(self, row: int, first: int, last: int) -> None:
        """Merge columns ``first``..``last`` (from 0) of ``row``."""
        if last > first:
            self.sheet.merge_cells(start_row=row, start_column=first + 1, end_row=row, end_column=last + 1)

    def merge_down(self, column: int, first_row: int, last_row: int) -> None:
        """The label in ``column`` (from 0) of ``first_row`` merged down to ``last_row``, split at page breaks."""
        if last_row > first_row:
            self._merges.append(_Merge(column + 1, first_row, last_row))

    # -- page setup

    def landscape(self) -> bool:
        return sum(self.widths) > _PORTRAIT_MAX_WIDTH

    def scale(self, landscape: bool) -> float:
        """The print scale that fits the columns to the page width (at most 1)."""
        page_width = (_A4[1] if landscape else _A4[0]) - 72 * (_MARGINS["left"] + _MARGINS["right"])
        content = sum((w * 7 + 5) * 0.75 for w in self.widths) + 4
        return min(1.0, page_width / content)

    def _height(self, row: int) -> float:
        return self.sheet.row_dimensions[row].height or 15.0

    def paginate(self, landscape: bool) -> list[int]:
        """The rows that start a new page."""
        page = (_A4[0] if landscape else _A4[1]) - 72 * (_MARGINS["top"] + _MARGINS["bottom"])
        capacity = page * _SAFETY / self.scale(landscape)
        repeat = self._height(self.header_row) if self.header_row else 0.0
        body = (self.header_row or 0) + 1  # the title and header: once, on the first page
        heights = [self._height(r) for r in range(1, self.last_row + 1)]
        keep = {r - body for r in self._keep if r >= body}
        starts = paginate(heights[body - 1 :], capacity - sum(heights[: body - 1]), capacity - repeat, keep)
        return [body + s for s in starts]

    def _pieces(self, merge: _Merge, breaks: list[int]) -> list[tuple[int, int]]:
        cuts = [merge.first] + [b for b in breaks if merge.first < b <= merge.last] + [merge.last + 1]
        return [(start, end - 1) for start, end in pairwise(cuts)]

    def _grow_split_labels(self, breaks: list[int]) -> bool:
        """Give each piece of a split label the height its text needs; True when a row grew."""
        grew = False
        for merge in self._merges:
            label = str(self.sheet.cell(row=merge.first, column=merge.column).value or "")
            needed = line_count(label, self.widths[merge.column - 1], self.size) * line_height(self.size) + 4
            for start, last in self._pieces(merge, breaks):
                have = sum(self._height(r) for r in range(start, last + 1))
                if have < needed - 0.5:
                    self.sheet.row_dimensions[last].height = self._height(last) + (needed - have)
                    grew = True
        return grew

    def _split_merges(self, breaks: list[int]) -> None:
        for merge in self._merges:
            label = self.sheet.cell(row=merge.first, column=merge.column).value
            for start, last in self._pieces(merge, breaks):
                cell = self.sheet.cell(row=start, column=merge.column, value=label)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                cell.font, cell.border = self._font(), BOX
                if last > start:
                    self.sheet.merge_cells(start_row=start, start_column=merge.column, end_row=last,
                                           end_column=merge.column)  # fmt: skip

    def finish(self, footer: str, *, landscape: bool | None = None, one_page: bool = False) -> None:
        """A4, landscape when wide, fit to the page width (``one_page``: to one page), the header row
        on every page, page breaks that split no label, the footer line and page numbers."""
        landscape = self.landscape() if landscape is None else landscape
        breaks: list[int] = []
        if not one_page:
            breaks = self.paginate(landscape)
            for _ in range(3):  # a label split at a break may need taller rows: paginate again
                if not self._grow_split_labels(breaks):
                    break
                breaks = self.paginate(landscape)
            for row in breaks:
                self.sheet.row_breaks.append(Break(id=row - 1))  # a break after row id
        self.breaks = breaks
        self._split_merges(breaks)
        setup = self.sheet.page_setup
        setup.orientation = "landscape" if landscape else "portrait"
        setup.paperSize = self.sheet.PAPERSIZE_A4
        setup.fitToWidth, setup.fitToHeight = 1, 1 if one_page else 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if self.header_row and not one_page:
            self.sheet.print_title_rows = f"{self.header_row}:{self.header_row}"
        self.sheet.print_options.horizontalCentered = True
        for side, inches in _MARGINS.items():
            setattr(self.sheet.page_margins, side, inches)
        self.sheet.oddFooter.left.text = footer.replace("&", "&&")
        self.sheet.oddFooter.left.size = 8
        self.sheet.oddFooter.right.text = PAGE_NUMBERS
        self.sheet.oddFooter.right.size = 9


def paginate(heights: Sequence[float], first: float, rest: float, keep: Iterable[int] = ()) -> list[int]:
    """Where pages start (indices into ``heights``): ``first`` is the room on the first page, ``rest``
    on each other. An item in ``keep`` stays on the page of the item after it."""
    keep = set(keep)
    starts: list[int] = []
    room, used = first, 0.0
    for index, height in enumerate(heights):
        if used + height > room and used > 0:
            start = index
            while start - 1 in keep and start - 1 > (starts[-1] if starts else 0):
                start -= 1  # a heading goes with what follows it
            starts.append(start)
            room, used = rest, sum(heights[start:index])
        used += height
    return starts


def sheet_name(text: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    clean = "".join("－" if ch in "[]:*?/\\" else ch for ch in text).strip("'") or "表"
    name, used = clean[:31], set(taken)
    number = 2
    while name in used:
        suffix = f"({number})"
        name, number = clean[: 31 - len(suffix)] + suffix, number + 1
    return name


# ---------------------------------------------------------------------------------------------
# .docx: the same page, in millimetres

DOCX_CELL_MARGIN_MM = 1.9  # Word's default left/right cell margin (0.08")
DOCX_PAGE_NUMBERS = ("第 ", "PAGE", " 页，共 ", "NUMPAGES", " 页")  # text and field codes, in order
_PT_MM = 25.4 / 72


@dataclass(frozen=True)
class DocxPage:
    landscape: bool
    width: float  # mm
    height: float
    top: float
    bottom: float
    left: float
    right: float
    footer: float = 10.0  # distance of the footer from the page's edge

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom


def docx_page(table_mm: float) -> DocxPage:
    """A4, landscape when the table is wider than a portrait page's 156 mm text block (GB/T 9704)."""
    if table_mm > 156:
        return DocxPage(True, 297, 210, 22, 26, 24, 24)
    return DocxPage(False, 210, 297, 37, 35, 28, 26)


def docx_number_mm(texts: Iterable[str], size: float) -> float:
    """The width (mm) a column needs so that none of ``texts`` (numbers, a short header) wraps."""
    widest = max((display_width(t) for t in texts), default=1)
    return widest * size * _PT_MM * 0.62 + 2 * DOCX_CELL_MARGIN_MM + 2


def docx_widths(weights: Sequence[float], minimums: Sequence[float], text_width: float) -> list[float]:
    """Column widths (mm) in proportion to ``weights``, each at least its ``minimums`` entry."""
    fixed: list[float | None] = [None] * len(weights)
    while True:
        free = text_width - sum(f for f in fixed if f is not None)
        share = sum(w for w, f in zip(weights, fixed, strict=True) if f is None) or 1
        widths = [free * w / share if f is None else f for w, f in zip(weights, fixed, strict=True)]
        short = [i for i, (w, m) in enumerate(zip(widths, minimums, strict=True)) if w < m and fixed[i] is None]
        if not short:
            return widths
        for i in short:
            fixed[i] = minimums[i]


def docx_lines(text: str, width_mm: float, size: float) -> int:
    """Lines ``text`` takes in a cell ``width_mm`` wide at ``size`` pt (a little pessimistic)."""
    usable = max(width_mm - 2 * DOCX_CELL_MARGIN_MM, 3.0)
    per_unit = size * _PT_MM / 2 * 1.05  # mm per display-width unit
    return sum(max(1, math.ceil(display_width(part) * per_unit / usable)) for part in text.split("\n"))


def docx_line_mm(size: float) -> float:
    return size * 1.3 * _PT_MM  # LibreOffice draws 12 pt Noto CJK lines 1.17 em apart


def docx_row_mm(cells: Sequence[str], widths_mm: Sequence[float], size: float, minimum: float) -> float:
    """The estimated height (mm) of a table row whose cells hold ``cells``."""
    lines = max((docx_lines(t, w, size) for t, w in zip(cells, widths_mm, strict=False) if t), default=1)
    return max(minimum, lines * docx_line_mm(size) + 1.0)
