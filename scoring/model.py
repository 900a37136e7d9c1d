"""The contracts of scoring: the rules in force, the results officials fill in, and the scores.

Three parts of ``scoring/`` meet here and nowhere else:

- ``RuleSet`` — every numeric parameter of an assessment 办法 (rules-default.md, or read from an
  ingested 办法), each value paired with a ``Citation`` saying where it comes from;
- ``ResultsSheet`` — what a filled results template says (completion per indicator line, and the
  unit-level events: negative-list deductions, bonuses, vetoes, social evaluation, override flags),
  every entry remembering the sheet row it was read from;
- ``ScoreReport`` — per line and per unit scores, ranks and grades, each number with the steps
  that produced it (``Step``), so ``kaohe score --explain`` can account for every point.

Percentages are stored as percentages (``completion_pct=85.0`` means 85 %); shares and quotas
inside ``RuleSet`` are fractions (``threshold=0.60``, ``excellent_quota=0.30``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from store.results import IndicatorInfo as IndicatorInfo  # what scoring reads of a stored indicator

UnitCategory = Literal["town", "dept", "resident"]
"""镇（办、街道、中心） / 县直部门（党群和政府系统） / 中央和省市驻县单位."""

CATEGORY_LABELS: dict[str, str] = {"town": "镇（办）", "dept": "县直部门", "resident": "驻县单位"}
GRADES = ("优秀", "良好", "一般", "较差")

# Unit-level override flags an office may set in the results sheet (rules-default.md A4).
UnitFlagName = Literal[
    "criticised_by_city_or_higher",  # G12 通报批评 by 市委/市政府 or higher → 较差
    "refuses_cooperation",  # G14 → 较差
    "principal_removed",  # G06 → not 优秀
    "citywide_general_band",  # G07 → not 优秀
    "citywide_rank_2nd_or_3rd_from_bottom",  # G07 → not 优秀
    "npc_or_cppcc_unsatisfied",  # G08 → at most 一般
    "principal_or_2plus_leaders_sanctioned",  # G09 → 一般
    "citywide_last_band_or_last_place",  # G10 → 一般 or lower
    "city_bonus_share_over_30pct",  # G03 优秀 priority
    "rural_revitalisation_excellent",  # G04 优秀 priority (with the rank condition)
]


# One Chinese label per flag: the results sheet offers them, the score report and --explain show them.
FLAG_LABELS = {
    "veto": "一票否决",
    "criticised_by_city_or_higher": "被市级以上通报批评",
    "refuses_cooperation": "拒不参加或配合考核",
    "below_poor_threshold": "总分低于较差线",
    "last_in_both_components": "目标任务和社会评价均为类别末位",
    "principal_or_2plus_leaders_sanctioned": "主要负责人或2名以上班子成员受处分",
    "citywide_last_band_or_last_place": "全市评价末档或末位",
    "npc_or_cppcc_unsatisfied": "人大/政协评议不满意",
    "last_in_category_target": "目标任务得分类别末位",
    "last_in_category_social": "社会评价得分类别末位",
    "principal_removed": "主要负责人被调整",
    "citywide_general_band": "全市评价一般档次",
    "citywide_rank_2nd_or_3rd_from_bottom": "全市评价倒数第2、3位",
    "city_bonus_share_over_30pct": "市考加分贡献超30%",
    "rural_revitalisation_excellent": "有效衔接工作优秀",
    "rank_provisional": "名次为暂定",
}


# The header row people read: short Chinese names (the longer COLUMN_LABELS are the header cells' comments).
HEADERS: dict[str, str] = {
    "indicator_id": "指标编号", "unit": "单位", "indicator": "考核指标", "points": "分值", "target": "目标值",
    "actual": "完成值", "completion_pct": "完成率(%)", "qualitative_score": "定性评分", "note": "备注",
    "routine_pct": "平时考核(%)", "highlight_pct": "特色亮点(%)", "year_end_pct": "年终考核(%)",
    "amount": "分值", "city_imposed": "致市考扣分(是/否)", "city_linked": "市考加分(是/否)", "reason": "事由",
    "peer": "同级互评", "superior": "上级评价", "representatives": "各界代表评价", "public": "群众评价",
    "category": "类别", "flags": "特殊情形", "ref_indicator_id": "参考：条目编号", "ref_item": "参考：条目内容",
    "ref_points": "参考：分值", "ref_max": "参考：各项满分",
}  # fmt: skip
SECTION_HEADERS: dict[str, dict[str, str]] = {  # where a key means something else in a section
    "负面清单扣分": {"indicator_id": "条目编号", "amount": "扣分"},
    "一票否决": {"indicator_id": "条目编号"},
    "加分": {"amount": "加分"},
}


def column_label(section: str, key: str) -> str:
    """A column key as the sheet's header names it (``indicator_id`` → ``指标编号``); other text as is."""
    return {**HEADERS, **SECTION_HEADERS.get(section, {})}.get(key, key)


class Citation(BaseModel):
    """Where one rule value comes from."""

    rule_id: str  # the id in rules-default.md (U09, S02, G11…), stable across sources
    article: str | None = None  # 第二十四条(一); None where no article states it
    source: str = "default"  # "default", or the path of the ingested 办法 the value was read from
    document_id: int | None = None
    quote: str | None = None  # the sentence the value was read from (documents only)
    inferred: bool = False  # the 办法 is silent; a documented, configurable default
    note: str | None = None

    def label(self) -> str:
        """Short Chinese citation for explanations: 第二十四条(一)（默认） or 《…》第二十四条."""
        where = self.article or "办法未规定"
        if self.source == "default":
            return f"{where}（默认{'，推定' if self.inferred else ''}）"
        return f"{self.source.rsplit('/', 1)[-1]} {where}"


class CategoryWeights(BaseModel):
    target: float  # points of the 100-point total given to 目标任务考核
    social: float  # points given to 社会评价


class SocialComponents(BaseModel):
    """Maximum points of each social-evaluation component; None where a category does not use it."""

    peer: float | None  # 同级互评
    superior: float | None  # 上级评价
    representatives: float | None  # 各界代表评价
    public: float | None  # 群众评价


class RuleSet(BaseModel):
    """The numeric rules in force for one region (or the defaults).

    ``citations`` maps each field name below (and ``weights.town`` style paths for nested ones)
    to its Citation; ``missing`` lists the parameters the region's 办法 did not state (their
    values are the defaults).
    """

    region: str | None = None
    total_scale: float  # U01 百分制
    target_base: float  # U08 raw framework points are rescaled to this
    weights: dict[UnitCategory, CategoryWeights]  # U02–U07
    threshold: float  # U09 completion below this scores 0
    threshold_inclusive: bool  # U09 tie-break: exactly the threshold scores
    cap: float | None  # U10 completion is capped here; None = literal reading (no cap)
    lower_is_better: Literal["ratio_if_over", "needs_review"]  # U11
    common_split: dict[str, float]  # U13/U14 {"routine": 0.8, "highlight": 0.2}
    onsite_split: dict[str, float]  # U15 {"routine": 0.4, "year_end": 0.6}
    social_components: dict[UnitCategory, SocialComponents]  # S01–S04
    negative_list_applies_to: Literal["total"]  # B06
    city_deduction_multiplier: float  # B04
    city_bonus_multiplier: float  # B05
    bonus_cap: float | None  # unit-level cap on bonus points; None = no cap (the 办法 sets none)
    deduction_cap: float | None  # unit-level cap on deductions; None = no cap
    excellent_quota: float  # G02 share of a category that may be 优秀
    quota_scope: Literal["category", "overall"]  # G02 [inferred]
    quota_rounding: Literal["floor", "round", "ceil"]  # G02 [inferred]
    poor_below: float  # G11 total strictly below this → 较差
    excellent_priority_rank_share: float  # G04 "60%以前"
    # Kept as data for ``kaohe rules`` (the engine may not use them yet); defaults keep older callers valid.
    city_bonus_share_priority: float | None = 0.30  # G03 优先评优: share of the county's 市考 bonus earned
    veto_grade: str = "较差"  # G13 重点工作被"一票否决" → this grade
    cadre_adjustment_cap: float | None = 3.0  # B03 县管科级领导干部加减分 cap (原则上)
    warnings: list[str] = Field(default_factory=list)  # inconsistencies found by the loader (reported, not fixed)
    citations: dict[str, Citation] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)

    def cite(self, field: str) -> str:
        """The citation label of one field, for explanations."""
        citation = self.citations.get(field)
        return citation.label() if citation else "办法未规定"


# ---------------------------------------------------------------------------------------------
# Results filled in by the office


class LineResult(BaseModel):
    """One filled row of the 指标完成情况 sheet: a unit's result on one indicator."""

    row: int  # 1-based row number in the sheet (the header is row 1), for error messages
    indicator_id: int
    unit: str
    actual: float | None = None  # the achieved value, in the target's unit
    completion_pct: float | None = None  # given directly (overrides actual)
    qualitative_score: float | None = None  # points awarded (0..points) for a non-quantified indicator
    routine_pct: float | None = None  # 平时 / 日常 score as % (U13, U15)
    highlight_pct: float | None = None  # 特色亮点 as % (U13)
    year_end_pct: float | None = None  # 年终实地考核 as % (U15)
    note: str | None = None
    indicator: str | None = None  # the sheet's indicator text (resolves ids of a sheet made from another store)


class DeductionEvent(BaseModel):
    """A negative-list deduction (负面清单) or other 减分 for a unit. ``amount`` is positive."""

    row: int
    unit: str
    amount: float | None = None  # None until check_results takes it from the negative-list item's points
    indicator_id: int | None = None  # the negative-list item, when it is one
    city_imposed: bool = False  # the unit caused a 市考 deduction → × city_deduction_multiplier
    reason: str | None = None
    item: str | None = None  # the negative-list item's text as the sheet lists it (resolves foreign ids)


class BonusEvent(BaseModel):
    row: int
    unit: str
    amount: float  # positive
    city_linked: bool = False  # a 市考 bonus earned by the unit → × city_bonus_multiplier
    reason: str | None = None


class VetoEvent(BaseModel):
    row: int
    unit: str
    indicator_id: int | None = None
    reason: str | None = None
    item: str | None = None  # the veto item's text as the sheet lists it (resolves foreign ids)


class SocialScore(BaseModel):
    """Social-evaluation points per component (already on each component's own scale)."""

    row: int
    unit: str
    peer: float | None = None
    superior: float | None = None
    representatives: float | None = None
    public: float | None = None


class UnitEntry(BaseModel):
    """One row of the 单位情况 sheet: the unit's category and override flags."""

    row: int
    unit: str
    category: UnitCategory | None = None
    flags: list[UnitFlagName] = Field(default_factory=list)
    note: str | None = None


class SheetError(BaseModel):
    sheet: str  # sheet (xlsx) or section (csv) name, in Chinese as the file has it
    row: int
    column: str | None = None
    message: str

    def __str__(self) -> str:

        column = f"，列 {column_label(self.sheet, self.column)}" if self.column else ""
        return f"{self.sheet} 第{self.row}行{column}：{self.message}"


class ResultsSheet(BaseModel):
    path: str
    framework_ids: list[int] = Field(default_factory=list)  # as recorded in the template, if any
    lines: list[LineResult] = Field(default_factory=list)
    deductions: list[DeductionEvent] = Field(default_factory=list)
    bonuses: list[BonusEvent] = Field(default_factory=list)
    vetoes: list[VetoEvent] = Field(default_factory=list)
    social: list[SocialScore] = Field(default_factory=list)
    units: list[UnitEntry] = Field(default_factory=list)
    errors: list[SheetError] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Scores


class Step(BaseModel):
    """One number in an explanation: what it is, its value, and the rule behind it."""

    label: str  # Chinese, e.g. "完成率 85% ≥ 60%，按比例计分"
    value: float | None = None
    rule_id: str | None = None
    citation: str | None = None  # RuleSet.cite(...) label


class LineScore(BaseModel):
    indicator_id: int
    unit: str
    indicator: str
    framework_id: int
    points: float
    completion_pct: float | None = None
    score: float
    rule: str  # rule id applied (U09, U10, U11, U12, U13, U15) or "missing"
    needs_review: bool = False
    steps: list[Step] = Field(default_factory=list)


class UnitScore(BaseModel):
    unit: str
    category: UnitCategory
    raw_points: float  # Σ indicator points of the unit's lines
    raw_score: float  # Σ line scores
    target_score: float  # on the target_base (100) scale
    target_weighted: float  # target_score × weight ÷ base
    social: float | None
    deductions: float  # positive number subtracted
    bonus: float
    total: float
    rank: int | None = None  # within its category (1 = best); ties share a rank
    grade: str | None = None  # 优秀 / 良好 / 一般 / 较差, None with needs review
    flags: list[str] = Field(default_factory=list)  # e.g. veto, below_80, needs_review:…
    lines: list[LineScore] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)


class ScoreReport(BaseModel):
    region: str | None = None
    year: int | None = None
    framework_ids: list[int] = Field(default_factory=list)
    rules: RuleSet
    units: list[UnitScore] = Field(default_factory=list)
