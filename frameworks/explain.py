"""How a document's tables were read: each framework's column roles with their evidence."""

from __future__ import annotations

from pydantic import BaseModel, Field

from frameworks.build import extract_frameworks
from frameworks.columns import ColumnReading
from parsers.document import Document


class TableReading(BaseModel):
    """One framework's reading, for ``kaohe parse --explain-table``."""

    framework: int
    title: str | None
    kind: str
    tables: list[int]  # from 0, in document order
    indicators: int
    margin: float | None  # how far the reading is ahead of the best reading with another indicator column
    columns: list[ColumnReading] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # the messages (their codes: kaohe warnings --json)


def table_readings(document: Document) -> list[TableReading]:
    return [
        TableReading(
            framework=f.seq,
            title=f.title,
            kind=f.kind,
            tables=f.tables,
            indicators=len(f.indicators),
            margin=f.reading_margin,
            columns=f.reading,
            warnings=[w.message for w in f.warnings],
        )
        for f in extract_frameworks(document)
    ]
