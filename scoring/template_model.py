"""The results template's content model: the rows and reference items ``scoring/template.py`` picks.

Imported by the layout (``scoring/template_layout.py``), the writers (``scoring/template.py`` for .csv,
``scoring/template_xlsx.py`` for .xlsx) and the checks; it imports none of them.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from scoring.model import SocialComponents, UnitCategory

# 第二十五条 (rules-default.md S01–S04); the engine's RuleSet may differ — pass ``social_max``.
DEFAULT_SOCIAL_MAX: dict[UnitCategory, SocialComponents] = {
    "town": SocialComponents(peer=2, superior=3, representatives=2, public=3),
    "dept": SocialComponents(peer=3, superior=4, representatives=3, public=5),
    "resident": SocialComponents(peer=None, superior=9, representatives=6, public=15),
}


class TemplateLine(BaseModel):
    indicator_id: int
    unit: str
    indicator: str  # indicator_label(): name and text, as results_io matches it
    points: float | None = None
    target: str = ""
    framework_id: int
    framework_kind: str
    # Prefilled from the unit's latest monthly progress report of the year (kaohe progress add), if any
    actual: float | None = None
    completion_pct: float | None = None
    note: str | None = None  # which report the figures come from (报送 2020-11)


class ReferenceItem(BaseModel):
    """A deduction / veto / bonus item, listed beside the rows to fill."""

    indicator_id: int
    item: str
    points: float | None = None
    kind: str  # deduction | veto | bonus


class TemplateUnit(BaseModel):
    unit: str
    category: UnitCategory


class PrefilledDeduction(BaseModel):
    """A deduction kaohe already knows of (a late monthly progress report), written into the deductions sheet."""

    unit: str
    amount: float
    reason: str


class TemplateContent(BaseModel):
    framework_ids: list[int] = Field(default_factory=list)
    region: str | None = None  # for the title: the region and year most indicators belong to
    year: int | None = None
    sources: list[str] = Field(default_factory=list)  # the frameworks' titles, for the footer
    lines: list[TemplateLine] = Field(default_factory=list)
    units: list[TemplateUnit] = Field(default_factory=list)
    deduction_items: list[ReferenceItem] = Field(default_factory=list)
    deductions: list[PrefilledDeduction] = Field(default_factory=list)  # rows filled in already
    veto_items: list[ReferenceItem] = Field(default_factory=list)
    bonus_items: list[ReferenceItem] = Field(default_factory=list)
    social_max: dict[UnitCategory, SocialComponents] = Field(default_factory=lambda: dict(DEFAULT_SOCIAL_MAX))
    notes: list[str] = Field(default_factory=list)  # what was left out and why (说明 sheet)
