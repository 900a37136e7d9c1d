"""The document model every format backend fills.

A notice is a flat list of blocks in reading order: paragraphs and tables.
A table is a grid of cells; a merged cell appears once, at its top-left
position, with ``rowspan``/``colspan`` > 1, and the positions it covers have
no cell at all. "Covered by a merge" is therefore never confused with
"empty" (an empty cell is a ``Cell`` whose ``text`` is ``""``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

Format = Literal["docx", "pdf", "txt", "html", "doc", "wps", "image"]


class Source(BaseModel):
    """Where a document came from, fingerprinted by the sha256 of its bytes."""

    path: str
    sha256: str
    format: Format
    size: int
    encoding: str | None = None  # text formats: the encoding that decoded the file
    pages: int | None = None  # PDF: page count
    converted_with: str | None = None  # legacy formats: the converter used
    ocr_pages: list[int] = Field(default_factory=list)  # pages read by OCR (scans, images), 1-based
    ocr_engine: str | None = None  # the OCR engine and version that read them


class ParseWarning(BaseModel):
    """Something a reader should know about the file, e.g. a page without text."""

    code: str
    message: str
    page: int | None = None


class DocNumber(BaseModel):
    """The parts of a 发文字号: 机关代字, year, sequence (``柞考办发〔2022〕2号``)."""

    code: str  # 机关代字, e.g. 柞考办发
    year: int
    seq: int


class Metadata(BaseModel):
    """GB/T 9704 elements of a notice (版头, 主体, 版记). Every field is optional."""

    issuer: str | None = None  # 发文机关 (主办机关 of a joint issue)
    co_issuers: list[str] = Field(default_factory=list)  # 联合发文机关
    doc_number: str | None = None  # 发文字号, e.g. 柞考办发〔2022〕2号
    title: str | None = None  # 标题
    recipients: list[str] = Field(default_factory=list)  # 主送机关
    date: str | None = None  # 成文日期, ISO 8601
    attachments: list[str] = Field(default_factory=list)  # 附件说明
    cc: list[str] = Field(default_factory=list)  # 抄送机关
    printed_by: str | None = None  # 印发机关
    printed_date: str | None = None  # 印发日期, ISO 8601
    doc_number_parts: DocNumber | None = None
    wenzhong: str | None = None  # 文种 of the title (通知, 意见, …)
    genre: str | None = None  # content genre of the inner 《…》 title (办法, 一览表, 考核指标, …)
    assessment_year: int | None = None  # the year assessed ("2022年度"), not the issue year
    signers: list[str] = Field(default_factory=list)  # 签发人 (upward documents)


class Cell(BaseModel):
    """One table cell at its top-left grid position (rows/cols from 0)."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    confidence: float | None = None  # OCR: the lowest confidence of its characters (0–1); None from a text layer


class Paragraph(BaseModel):
    type: Literal["paragraph"] = "paragraph"
    text: str
    page: int | None = None  # 1-based, where the format knows pages
    confidence: float | None = None  # OCR: the lowest confidence of its characters (0–1)


class Table(BaseModel):
    """A table: ``rows[r]`` lists the cells that *start* in row ``r``.

    ``row_pages[r]`` is the (1-based) page row ``r`` starts on, where known.
    """

    type: Literal["table"] = "table"
    rows: list[list[Cell]]
    n_cols: int
    page: int | None = None
    row_pages: list[int | None] = Field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @classmethod
    def from_cells(
        cls,
        cells: list[Cell],
        *,
        page: int | None = None,
        row_pages: list[int | None] | None = None,
    ) -> Table:
        """Build a table from origin cells, checking that no two cells overlap."""
        n_rows = max((c.row + c.rowspan for c in cells), default=0)
        n_cols = max((c.col + c.colspan for c in cells), default=0)
        owner: dict[tuple[int, int], Cell] = {}
        rows: list[list[Cell]] = [[] for _ in range(n_rows)]
        for cell in sorted(cells, key=lambda c: (c.row, c.col)):
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    if (r, c) in owner:
                        raise ValueError(f"cells overlap at row {r}, col {c}")
                    owner[(r, c)] = cell
            rows[cell.row].append(cell)
        return cls(rows=rows, n_cols=n_cols, page=page, row_pages=row_pages or [])

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering ``(row, col)``, whether it starts there or spans over it."""
        for r in range(row, -1, -1):
            for cell in self.rows[r]:
                if cell.col <= col < cell.col + cell.colspan and cell.row <= row < cell.row + cell.rowspan:
                    return cell
        return None

    def text_grid(self) -> list[list[str | None]]:
        """A dense grid of texts: a cell's text at its origin, ``None`` where covered."""
        grid: list[list[str | None]] = [[None] * self.n_cols for _ in self.rows]
        for cells in self.rows:
            for cell in cells:
                grid[cell.row][cell.col] = cell.text
        return grid


Block = Annotated[Paragraph | Table, Field(discriminator="type")]


class Document(BaseModel):
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    blocks: list[Block] = Field(default_factory=list)
    warnings: list[ParseWarning] = Field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
