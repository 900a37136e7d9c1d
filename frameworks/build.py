"""A document's tables and headings into frameworks of indicators."""

from __future__ import annotations

import logging
from typing import NamedTuple

import regex

from frameworks.checks import check_framework
from frameworks.columns import ColumnRoles, header_key, is_header_row, read_columns
from frameworks.model import Framework, FrameworkKind, Provenance
from frameworks.ocr_review import OcrReview
from frameworks.roster import RosterEntry
from frameworks.rows import RowReader, cell_grid, row_cells, total_of
from frameworks.sections import classify_heading
from frameworks.units import UnitResolver
from frameworks.vocabulary import is_header_word
from normalize.departments import DepartmentRegistry, default_registry, detect_region
from normalize.points import parse_points_cell
from parsers.document import Document, Paragraph, Table

log = logging.getLogger(__name__)

_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年度?")
_MAX_HEADER_ROWS = 2


class _Context:
    """Headings seen since the last table: title, group, assessee."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.group: str | None = None
        self.assessee: str | None = None
        self.assessee_as_written: str | None = None


class Place(NamedTuple):
    """Where and when a notice applies: its county/district and assessment year."""

    region: str | None
    year: int | None


def locate(document: Document) -> Place:
    return Place(region=document_region(document), year=document_year(document))


def extract_frameworks(
    document: Document,
    registry: DepartmentRegistry | None = None,
    roster: list[RosterEntry] | None = None,
    place: Place | None = None,
) -> list[Framework]:
    """Every framework in ``document``, in reading order, with consistency warnings.

    ``roster`` is the year's list of assessed units (see ``frameworks.roster``); owners outside it are reported.
    ``place`` saves locating the document again when the caller already has (see ``locate``).
    """
    registry = registry or default_registry()
    region, year = place or locate(document)
    resolver = UnitResolver(registry, region, [e.unit for e in roster or []])
    review = OcrReview.of(document, resolver)  # None unless the document has OCR'd cells
    context = _Context()
    frameworks: list[Framework] = []
    current: tuple[Framework, RowReader, ColumnRoles] | None = None
    for table_index, block in enumerate_tables(document):
        if isinstance(block, Paragraph):
            if _apply_heading(block.text, context, resolver):
                current = None
            continue
        title_rows = _count_title_rows(block)
        header_rows = _count_header_rows(block, title_rows, resolver)
        if header_rows == 0 and current is not None and block.n_cols == len(current[2].roles):
            _read_rows(block, table_index, title_rows, current, document, review)
            current[0].tables.append(table_index)
            continue
        if header_rows == 0:
            log.debug("table %d has no header row and continues nothing: skipped", table_index)
            continue
        if title_rows:
            context.title = _title_row_text(block) or context.title
        start = title_rows + header_rows
        roles = read_columns(_below(block, title_rows), header_rows, is_unit=resolver.known_names.__contains__)
        if not _is_indicator_table(roles):
            continue
        framework = _new_framework(len(frameworks), roles, context, region, year, table_index)
        reader = RowReader(roles, resolver, framework.assessee, negative=framework.kind == "negative_list")
        current = (framework, reader, roles)
        frameworks.append(framework)
        _read_rows(block, table_index, start, current, document, review)
    for framework in frameworks:
        _points_from_categories(framework)
        check_framework(framework, resolver.roster)
    return frameworks


def _points_from_categories(framework: Framework) -> None:
    """A category cell's points (`经济发展5分`) belong to its only indicator when that has none."""
    for category in framework.categories:
        if category.declared_points is None:
            continue
        inside = [i for i in framework.indicators if i.category_path[: len(category.path)] == category.path]
        if len(inside) == 1 and inside[0].kind == "indicator" and inside[0].points is None:
            inside[0].points, inside[0].points_from = category.declared_points, "category"


def enumerate_tables(document: Document) -> list[tuple[int, Paragraph | Table]]:
    """Blocks paired with their table index (the n-th table of the document; -1 for paragraphs)."""
    out: list[tuple[int, Paragraph | Table]] = []
    index = 0
    for block in document.blocks:
        if isinstance(block, Table):
            out.append((index, block))
            index += 1
        else:
            out.append((-1, block))
    return out


def document_region(document: Document) -> str | None:
    meta = document.metadata
    head = " ".join(filter(None, [meta.issuer, meta.title, *meta.co_issuers]))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row)
    return detect_region(head) or detect_region(body) or detect_region(cells)


def document_year(document: Document) -> int | None:
    for text in [document.metadata.title or "", *(p.text for p in document.paragraphs[:30])]:
        if m := regex.search(r"((?:19|20)\d{2})\s*年度", text):
            return int(m[1])
    if document.metadata.date:
        return int(document.metadata.date[:4])
    return None


def _apply_heading(text: str, context: _Context, resolver: UnitResolver) -> bool:
    """Update the context from a paragraph; True when it ends the framework being read."""
    heading = classify_heading(text, is_unit=lambda name: resolver.canonical(name)[1])
    if heading.kind == "title":
        context.title, context.group, context.assessee = heading.text, None, None
    elif heading.kind == "group":
        context.group, context.assessee = heading.text, None
    elif heading.kind == "assessee":
        context.assessee = resolver.canonical(heading.text)[0]
        context.assessee_as_written = heading.text
    else:
        return len(text.strip()) > 40
    return True


_ASSESSEE_CLASS = regex.compile(r"考核对象|对象类别|单位类别|考核类别")


def _is_indicator_table(roles: ColumnRoles) -> bool:
    """Indicators need a column naming them and something said about them (points, units, requirements);
    a table keyed by assessee class (a 办法's weights) is a rule, not a framework."""
    item = roles.first("item")
    if item is None or _ASSESSEE_CLASS.search(header_key(roles.headers[0])):
        return False
    about = ("points", "deduction", "responsible", "assigning", "detail", "criteria", "target")
    return any(role in roles.roles for role in about) or roles.reading[item].score >= 3


def _count_title_rows(table: Table) -> int:
    """Leading rows that are one cell across the table (the table's own title row) before its header."""
    count = 0
    for r in range(min(2, table.n_rows - 1)):
        cells = [c for c in table.rows[r] if c.text.strip()]
        if len(cells) != 1 or cells[0].colspan < table.n_cols or table.n_cols < 2:
            break
        count += 1
    return count


def _title_row_text(table: Table) -> str | None:
    cells = [c for c in table.rows[0] if c.text.strip()]
    return header_key(cells[0].text) if cells else None


def _below(table: Table, rows: int) -> Table:
    """The table without its first ``rows`` rows (title rows), rows renumbered from 0."""
    if rows == 0:
        return table
    cells = [c.model_copy(update={"row": c.row - rows}) for cells in table.rows[rows:] for c in cells]
    return Table.from_cells(cells, page=table.page, row_pages=table.row_pages[rows:])


def _count_header_rows(table: Table, start: int, resolver: UnitResolver) -> int:
    count = 0
    for r in range(start, min(start + _MAX_HEADER_ROWS, table.n_rows)):
        texts = row_cells(table, r).texts
        if not is_header_row(texts) or _names_a_unit(texts, resolver):
            break
        count += 1
    return count


def _names_a_unit(texts: list[str], resolver: UnitResolver) -> bool:
    """A data row that happens to be made of short words (seed 000: ``高质量发展重点指标 | … | 县发改局``)."""
    return any(t and not is_header_word(t) and resolver.canonical(header_key(t))[1] for t in texts)


def _new_framework(
    seq: int, roles: ColumnRoles, context: _Context, region: str | None, year: int | None, table_index: int
) -> Framework:
    title = context.title
    if title and (m := _YEAR.search(title)):
        year = int(m[1])
    return Framework(
        seq=seq,
        title=title,
        kind=_kind(roles, context),
        region=region,
        year=year,
        group=context.group,
        assessee=context.assessee,
        assessee_as_written=context.assessee_as_written,
        tables=[table_index],
        columns={c.header or f"（第{c.col + 1}列）": c.role for c in roles.reading},
        reading=roles.reading,
        reading_margin=roles.margin,
    )


def _kind(roles: ColumnRoles, context: _Context) -> FrameworkKind:
    title = context.title or ""
    if roles.first("deduction") is not None or regex.search(r"负面清单|减分", title):
        return "negative_list"
    if context.assessee:
        return "per_unit"
    if "共性" in title:
        return "common"
    if roles.first("responsible") is not None:
        return "breakdown"
    return "template" if roles.first("assigning") is not None else "common"


def _read_rows(
    table: Table,
    table_index: int,
    start: int,
    current: tuple[Framework, RowReader, ColumnRoles],
    document: Document,
    review: OcrReview | None = None,
) -> None:
    framework, reader, roles = current
    if review is not None:
        table = review.check(table, table_index, start, roles, framework)  # OCR'd cells corrected, with warnings
    header = [header_key(h) for h in roles.headers]
    grid = cell_grid(table)
    for r in range(start, table.n_rows):
        cells = row_cells(table, r, grid)
        if not any(cells.texts):
            continue
        if header_key(cells.texts[0]) == header[0] and [header_key(t) for t in cells.texts] == header:
            continue  # a header repeated after a page break
        total = total_of(cells, roles)
        if total is not False:
            if isinstance(total, float):
                framework.declared_total = total
            for col in roles.all("weight"):
                if (value := parse_points_cell(cells.texts[col])) is not None:
                    framework.weight_totals[header_key(roles.headers[col])] = value
            continue
        section_row = reader.read_section(cells)
        if section_row and not reader.section_body(cells):
            continue
        page = table.row_pages[r] if r < len(table.row_pages) else table.page
        source = Provenance(file=document.source.path, page=page, table=table_index, row=r)
        indicator = reader.read(cells, len(framework.indicators), source, section_row=section_row)
        if indicator is not None:
            framework.indicators.append(indicator)
    framework.categories = list(reader.categories.values())
