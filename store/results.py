"""Answers the store gives: public JSON contracts of the query commands."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FrameworkRef(BaseModel):
    id: int
    title: str | None
    region: str | None
    year: int | None
    assessee: str | None


class SourceRef(BaseModel):
    file: str
    page: int | None
    table: int
    row: int


class IndicatorAnswer(BaseModel):
    """One indicator with its owners: the row of ``kaohe owner --json``."""

    id: int
    indicator: str
    name: str | None = None
    points: float | None
    kind: str
    lead: str | None
    lead_as_written: str | None
    role: str
    cooperating: list[str] = Field(default_factory=list)
    assessors: list[str] = Field(default_factory=list)  # units that assess the work (考核单位), when another carries it
    inherited: bool
    category: str | None
    category_path: list[str] = Field(default_factory=list)
    targets: list[dict[str, object]] = Field(default_factory=list)
    criteria: str | None = None  # 评分标准
    sub_scores: list[float] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)  # further weightings by column header
    deadline: str | None = None
    framework: FrameworkRef
    source: SourceRef
    relation: str | None = None  # in a department view: lead, cooperating, assessor or assessee
    match: str | None = None  # substring or fuzzy
    # The same indicator in the notice's other stored files (owner/search: one answer per indicator of a notice).
    copies: list[SourceRef] = Field(default_factory=list)


class AnswerPage(BaseModel):
    """One page of ``kaohe owner`` answers, and how many there are in all (copies of a notice count once)."""

    answers: list[IndicatorAnswer]
    total: int
    offset: int = 0
    match: str | None = None  # substring or fuzzy; None when nothing matched


class FrameworkSummary(BaseModel):
    id: int
    title: str | None
    kind: str
    region: str | None
    year: int | None
    group: str | None
    assessee: str | None
    document: str
    indicators: int
    points: float | None
    declared_total: float | None


class WarningRow(BaseModel):
    document: str
    framework_id: int | None
    code: str
    message: str


class MentionRow(BaseModel):
    """A paragraph that names a unit in prose."""

    document: str
    title: str | None
    block: int
    unit: str
    context: str
    region: str | None = None
    year: int | None = None  # the notice's assessment year (else its date's)
    doc_number: str | None = None
    date: str | None = None


class RosterRow(BaseModel):
    """One assessed unit of a year's roster."""

    region: str | None
    year: int | None
    category: str
    unit: str  # canonical
    as_written: str


class SaveResult(BaseModel):
    """What writing one document did: added, replaced (same path, new content), unchanged or duplicate."""

    status: str
    document_id: int | None
    frameworks: int = 0
    indicators: int = 0
    deductions: int = 0
    warnings: int = 0
    duplicate_of: str | None = None


class IndicatorInfo(BaseModel):
    """What scoring needs to know of one stored indicator (store/scoring_queries.py reads it; scoring.model
    re-exports it)."""

    id: int
    framework_id: int
    framework_kind: str
    framework_title: str | None = None
    region: str | None = None
    year: int | None = None
    group: str | None = None
    assessee: str | None = None
    text: str
    name: str | None = None
    category: str | None = None
    points: float | None = None
    kind: str  # indicator | deduction | veto | bonus
    lead: str | None = None
    targets: list[dict] = Field(default_factory=list)  # normalize.targets.Target dumps
