"""What table understanding produces: frameworks of indicators with owners."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from frameworks.columns import ColumnReading
from normalize.points import GradedDeduction
from normalize.targets import Target

IndicatorKind = Literal["indicator", "deduction", "veto", "bonus"]
UnitRole = Literal["responsible", "assigning"]
FrameworkKind = Literal["breakdown", "negative_list", "common", "per_unit", "template"]
# What a framework's consistency checks can report (frameworks/checks.py); the README lists each with one line.
WarningCode = Literal[
    "points_mismatch",  # a category's declared points against the sum of its items
    "total_mismatch",  # the table's declared total against the sum of all items
    "missing_points",  # indicators without points where the others have them
    "unknown_units",  # unit names the registry does not know
    "outside_roster",  # owners not in the year's roster of assessed units
    "same_indicator_twice",  # the same indicator listed for two different units
    "no_unit_column",  # no column of responsible units was recognised
    "no_points",  # the table gives no points at all
    "uncertain_reading",  # the column reading is close to another reading
    "sub_scores_mismatch",  # the （N分） parts of a row's criteria against its points
    "weighting_mismatch",  # a further weighting column against its declared total
    # OCR'd cells (frameworks/ocr_review.py), each naming page, table, row and column:
    "ocr_unit_corrected",  # a misread unit name corrected to the one known unit it is close to
    "ocr_unit_unknown",  # a unit name the region does not know, kept as read (none close, or several)
    "ocr_points_unread",  # a points cell that does not read as a number: the row takes no points from it
    "ocr_low_confidence",  # a name, points or owner cell read with low confidence
]


class Provenance(BaseModel):
    """Where a row came from, so a user can cite it: file, page, table and row (from 0)."""

    file: str
    page: int | None = None
    table: int
    row: int


class Indicator(BaseModel):
    seq: int
    category_path: list[str] = Field(default_factory=list)
    name: str | None = None  # the item name when the table has a separate detail column
    text: str
    points: float | None = None
    points_from: Literal["column", "inline", "name", "category"] | None = None
    kind: IndicatorKind = "indicator"
    graded: list[GradedDeduction] = Field(default_factory=list)
    criteria: str | None = None  # 评分标准: how the row is scored, when the table says so apart
    sub_scores: list[float] = Field(default_factory=list)  # the （N分） parts inside the criteria
    weights: dict[str, float] = Field(default_factory=dict)  # further weightings, by column header
    target_text: str | None = None  # a 目标值 column's cell
    deadline: str | None = None  # 完成时限
    targets: list[Target] = Field(default_factory=list)
    lead: str | None = None  # canonical name of the first unit named for the row
    lead_as_written: str | None = None
    cooperating: list[str] = Field(default_factory=list)
    cooperating_as_written: list[str] = Field(default_factory=list)
    assessors: list[str] = Field(default_factory=list)  # units that assess the work another unit carries
    assessors_as_written: list[str] = Field(default_factory=list)
    unresolved_units: list[str] = Field(default_factory=list)
    role: UnitRole = "responsible"
    inherited: bool = False  # the owner (or category) continues from a row above
    source: Provenance

    @property
    def category(self) -> str | None:
        return self.category_path[-1] if self.category_path else None


class Category(BaseModel):
    path: list[str]
    declared_points: float | None = None

    @property
    def name(self) -> str:
        return self.path[-1]


class FrameworkWarning(BaseModel):
    """A consistency warning: a stable English ``code`` for programs, a Chinese ``message`` for people.

    The message reads on its own: it names the framework (and the category or indicator) it is about.
    """

    code: WarningCode
    message: str

    def __str__(self) -> str:
        return self.message


class Framework(BaseModel):
    seq: int  # order in the document
    title: str | None = None
    kind: FrameworkKind = "template"
    region: str | None = None
    year: int | None = None
    group: str | None = None  # e.g. （五）经济发展部门
    assessee: str | None = None  # canonical unit that a per-unit table assesses
    assessee_as_written: str | None = None
    declared_total: float | None = None
    tables: list[int] = Field(default_factory=list)
    columns: dict[str, str] = Field(default_factory=dict)  # header text -> role, for the record
    reading: list[ColumnReading] = Field(default_factory=list)  # each column's role with its evidence
    reading_margin: float | None = None  # how far the reading is ahead of the next best one
    weight_totals: dict[str, float] = Field(default_factory=dict)  # declared totals of further weightings
    categories: list[Category] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    warnings: list[FrameworkWarning] = Field(default_factory=list)
