"""Hand-worked examples from the rules (rules-default.md A1–A4): each expected number is computed
by hand in the comment next to it, using the default rules file."""

from __future__ import annotations

import pytest

from scoring.completion import completion_ratio
from scoring.engine import score, score_line
from scoring.explain import check_parts, explain_unit
from scoring.grades import quota_size
from scoring.model import (
    BonusEvent,
    DeductionEvent,
    IndicatorInfo,
    LineResult,
    ResultsSheet,
    SocialScore,
    UnitEntry,
    VetoEvent,
)
from scoring.rules import load_default_rules

RULES = load_default_rules()
FULL_SOCIAL = {"town": (2, 3, 2, 3), "dept": (3, 4, 3, 5), "resident": (None, 9, 6, 15)}


def info(points: float = 10, comparator: str = ">=", value: float | None = 100, id: int = 1, **extra) -> IndicatorInfo:
    targets = [] if comparator is None else [{"comparator": comparator, "value": value, "unit": "万元", "raw": "x"}]
    return IndicatorInfo(
        id=id, framework_id=1, framework_kind="per_unit", text=f"指标{id}", points=points, kind="indicator",
        targets=targets, **extra,
    )  # fmt: skip


def line(**values) -> LineResult:
    return LineResult(row=2, indicator_id=values.pop("indicator_id", 1), unit=values.pop("unit", "甲镇"), **values)


def social(unit: str, category: str = "town", scale: float = 1.0) -> SocialScore:
    peer, superior, reps, public = FULL_SOCIAL[category]
    return SocialScore(
        row=2, unit=unit, peer=None if peer is None else peer * scale, superior=superior * scale,
        representatives=reps * scale, public=public * scale,
    )  # fmt: skip


def sheet_for(completions: dict[str, float], category: str = "town", **events) -> tuple[list, ResultsSheet]:
    """One 100-point indicator per unit, filled with completion_pct; full social marks."""
    infos = [info(points=100)]
    lines = [line(unit=u, completion_pct=c) for u, c in completions.items()]
    units = [UnitEntry(row=2, unit=u, category=category) for u in completions]
    soc = [social(u, category) for u in completions]
    return infos, ResultsSheet(path="t", lines=lines, social=soc, units=units, **events)


# ------------------------------------------------------------------ lines (U09–U15)


def test_below_threshold_scores_zero():
    # 59.9% < 60% → 0 (U09)
    scored = score_line(info(points=10), line(completion_pct=59.9), RULES)
    assert scored.score == 0 and scored.rule == "U09" and not scored.needs_review


def test_exactly_threshold_scores_by_tie_break():
    # 60% is both 60%以上 and 60%以下; tie-break inclusive → 0.6 × 10 = 6, and a step says so
    scored = score_line(info(points=10), line(completion_pct=60), RULES)
    assert scored.score == pytest.approx(6.0)
    assert any("平局" in s.label for s in scored.steps)


def test_exactly_threshold_exclusive_scores_zero():
    # threshold_inclusive = false → 60% scores 0
    rules = RULES.model_copy(update={"threshold_inclusive": False})
    assert score_line(info(points=10), line(completion_pct=60), rules).score == 0


def test_full_completion_scores_full_weight():
    # 100% → 10 × 1 = 10
    assert score_line(info(points=10), line(completion_pct=100), RULES).score == pytest.approx(10)


def test_over_fulfilment_capped_by_default():
    # 120% → min(1.2, cap 1.0) × 10 = 10, rule U10
    scored = score_line(info(points=10), line(completion_pct=120), RULES)
    assert scored.score == pytest.approx(10) and scored.rule == "U10"


def test_over_fulfilment_literal_without_cap():
    # cap = None → 1.2 × 10 = 12
    rules = RULES.model_copy(update={"cap": None})
    assert score_line(info(points=10), line(completion_pct=120), rules).score == pytest.approx(12)


def test_actual_against_growth_target():
    # 增长7%, actual growth 5.6 → r = 5.6 / 7 = 0.8 → 0.8 × 5 = 4
    scored = score_line(info(points=5, comparator="growth>=", value=7), line(actual=5.6), RULES)
    assert scored.completion_pct == pytest.approx(80) and scored.score == pytest.approx(4)


def test_lower_is_better_met():
    # 控制在4.3%以内, actual 4.0 ≤ 4.3 → r = 1 → 8 points (U11)
    scored = score_line(info(points=8, comparator="<=", value=4.3), line(actual=4.0), RULES)
    assert scored.score == pytest.approx(8) and scored.rule == "U11"


def test_lower_is_better_missed():
    # 不超过2人, actual 3 → r = 2/3 = 0.6667 ≥ 0.6 → 6 × 2/3 = 4
    scored = score_line(info(points=6, comparator="<=", value=2), line(actual=3), RULES)
    assert scored.score == pytest.approx(4)


def test_lower_is_better_missed_below_threshold():
    # 不超过2人, actual 4 → r = 0.5 < 0.6 → 0
    assert score_line(info(points=6, comparator="<=", value=2), line(actual=4), RULES).score == 0


def test_lower_is_better_needs_review_when_configured():
    rules = RULES.model_copy(update={"lower_is_better": "needs_review"})
    scored = score_line(info(points=6, comparator="<=", value=2), line(actual=1), rules)
    assert scored.needs_review and scored.score == 0


def test_common_indicator_split():
    # U13: 20 × (0.8 × 90% + 0.2 × 50%) = 20 × (0.72 + 0.10) = 16.4
    scored = score_line(info(points=20), line(routine_pct=90, highlight_pct=50), RULES)
    assert scored.score == pytest.approx(16.4) and scored.rule == "U13"


def test_onsite_split():
    # U15: 10 × (0.4 × 100% + 0.6 × 80%) = 10 × (0.4 + 0.48) = 8.8
    scored = score_line(info(points=10), line(routine_pct=100, year_end_pct=80), RULES)
    assert scored.score == pytest.approx(8.8) and scored.rule == "U15"


def test_qualitative_score_taken_as_given():
    # U12: 3.5 of 5 points as judged
    scored = score_line(info(points=5, comparator="qualitative", value=None), line(qualitative_score=3.5), RULES)
    assert scored.score == 3.5 and scored.rule == "U12"


@pytest.mark.parametrize(
    ("target", "why"),
    [
        (info(comparator="qualitative", value=None), "没有可计算"),
        (info(comparator=">=", value=0), "目标值为 0"),
        (info(comparator="==", value=2), "不能按比例"),
    ],
)
def test_undecidable_completion_needs_review(target, why):
    completion = completion_ratio(line(actual=5), target, RULES)
    assert completion.ratio is None and why in (completion.review or "")
    assert score_line(target, line(actual=5), RULES).needs_review


def test_several_targets_need_completion_pct():
    two = info().model_copy(update={"targets": [{"comparator": ">=", "value": 1}, {"comparator": ">=", "value": 10}]})
    assert score_line(two, line(actual=5), RULES).needs_review
    assert score_line(two, line(completion_pct=80), RULES).score == pytest.approx(8)  # 0.8 × 10


def test_missing_line_scores_zero_with_review():
    # an indicator assigned to 甲镇 without a result row → 0 and needs_review, never silent
    infos = [info(points=60, id=1, assessee="甲镇"), info(points=40, id=2, assessee="甲镇")]
    sheet = ResultsSheet(path="t", lines=[line(completion_pct=100)], social=[social("甲镇")])
    unit = score(infos, sheet, RULES).units[0]
    # target_score = 100 × 60 / 100 = 60
    assert unit.target_score == pytest.approx(60)
    assert any(f == "needs_review:line:2" for f in unit.flags) and unit.grade is None


# ------------------------------------------------------------------ units (U08, A2, A3)


@pytest.mark.parametrize(("category", "weighted"), [("town", 90), ("dept", 85), ("resident", 70)])
def test_weighting_by_category(category, weighted):
    # 100% on every line → target 100 → × 90/85/70 ÷ 100; social full (10/15/30) → total 100
    infos, sheet = sheet_for({"单位甲": 100}, category)
    unit = score(infos, sheet, RULES).units[0]
    assert unit.target_weighted == pytest.approx(weighted)
    assert unit.total == pytest.approx(100)


def test_rescaling_raw_points_to_target_base():
    # raw 800 + 200 = 1000 points; scores 640 + 180 = 820 → 100 × 820 / 1000 = 82 → town × 0.9 = 73.8
    infos = [info(points=800, id=1), info(points=200, id=2)]
    lines = [line(indicator_id=1, completion_pct=80), line(indicator_id=2, completion_pct=90)]
    sheet = ResultsSheet(path="t", lines=lines, social=[social("甲镇")])
    unit = score(infos, sheet, RULES).units[0]
    assert unit.raw_score == pytest.approx(820) and unit.target_score == pytest.approx(82)
    assert unit.target_weighted == pytest.approx(73.8)
    assert unit.total == pytest.approx(83.8)  # 73.8 + 10


def test_city_deduction_doubled_not_added_twice():
    # B04: 市考 −1.5 caused by the unit → 2 × 1.5 = 3 (not 1.5 + 3); total 100 − 3 = 97
    events = {"deductions": [DeductionEvent(row=2, unit="甲镇", amount=-1.5, city_imposed=True, reason="市考负面清单")]}
    infos, sheet = sheet_for({"甲镇": 100}, **events)
    unit = score(infos, sheet, RULES).units[0]
    assert unit.deductions == pytest.approx(3) and unit.total == pytest.approx(97)


def test_bonus_and_city_linked_bonus():
    # 0.5 ordinary + 1 × 2 city-linked = 2.5
    # completion 80% → target 80 → weighted 72; social 10; 72 + 10 + 2.5 = 84.5
    events = {
        "bonuses": [
            BonusEvent(row=2, unit="甲镇", amount=0.5, reason="表彰"),
            BonusEvent(row=3, unit="甲镇", amount=1, city_linked=True, reason="市考加分"),
        ]
    }
    infos, sheet = sheet_for({"甲镇": 80}, **events)
    unit = score(infos, sheet, RULES).units[0]
    assert unit.bonus == pytest.approx(2.5) and unit.total == pytest.approx(84.5)


def test_bonus_cap():
    # cap 1: 0.5 + 2 = 2.5 → 1
    rules = RULES.model_copy(update={"bonus_cap": 1.0})
    events = {"bonuses": [BonusEvent(row=2, unit="甲镇", amount=0.5), BonusEvent(row=3, unit="甲镇", amount=2)]}
    infos, sheet = sheet_for({"甲镇": 100}, **events)
    assert score(infos, sheet, rules).units[0].bonus == pytest.approx(1)


def test_social_out_of_range_and_missing_need_review():
    infos, sheet = sheet_for({"甲镇": 100, "乙镇": 100})
    sheet.social[0].public = 4  # town public max 3
    sheet.social.pop()  # 乙镇 has none
    report = score(infos, sheet, RULES)
    assert all(u.social is None and u.grade is None for u in report.units)


def test_explained_parts_add_up():
    events = {"deductions": [DeductionEvent(row=2, unit="甲镇", amount=0.3, city_imposed=True)]}
    infos, sheet = sheet_for({"甲镇": 77.7}, **events)
    unit = score(infos, sheet, RULES).units[0]
    assert check_parts(unit)
    text = explain_unit(unit)
    assert "完成率" in text and "总分" in text and "第二十四条" in text and "× 2 倍" in text


# ------------------------------------------------------------------ grades (A4)


def test_veto_forces_poor_despite_high_total():
    # total 100, but 一票否决 → 较差 (G13)
    infos, sheet = sheet_for({"甲镇": 100, "乙镇": 90}, vetoes=[VetoEvent(row=2, unit="甲镇")])
    unit = score(infos, sheet, RULES).units[0]
    assert unit.total == pytest.approx(100) and unit.grade == "较差" and "veto" in unit.flags


def test_poor_below_80_is_strict():
    # 79.99 → 较差 (G11); 80 → 良好. Via social: target 100% → 90, social 10 → 100; subtract deductions
    infos, sheet = sheet_for({"甲镇": 100, "乙镇": 100})
    sheet.deductions = [DeductionEvent(row=2, unit="甲镇", amount=20.01), DeductionEvent(row=3, unit="乙镇", amount=20)]
    by_unit = {u.unit: u for u in score(infos, sheet, RULES).units}
    assert by_unit["甲镇"].total == pytest.approx(79.99) and by_unit["甲镇"].grade == "较差"
    assert by_unit["乙镇"].total == pytest.approx(80) and by_unit["乙镇"].grade == "良好"


def test_quota_of_seven_is_two():
    # 0.3 × 7 = 2.1 → floor 2; 10 → 3; 3 → 0
    assert quota_size(7, RULES) == 2 and quota_size(10, RULES) == 3 and quota_size(3, RULES) == 0
    completions = {f"{n}镇": 100 - n for n in range(7)}  # 100, 99, … 94 → distinct totals
    infos, sheet = sheet_for(completions)
    grades = [u.grade for u in sorted(score(infos, sheet, RULES).units, key=lambda u: u.rank)]
    assert grades == ["优秀", "优秀", "良好", "良好", "良好", "良好", "良好"]


def test_tie_at_quota_boundary_needs_review():
    # 7 units, quota 2: ranks 1, then three tied at rank 2 for one slot → the three get no grade
    infos, sheet = sheet_for({"A镇": 100, "B镇": 95, "C镇": 95, "D镇": 95, "E镇": 90, "F镇": 85, "G镇": 84})
    by_unit = {u.unit: u for u in score(infos, sheet, RULES).units}
    assert by_unit["A镇"].grade == "优秀"
    for name in ("B镇", "C镇", "D镇"):
        assert by_unit[name].grade is None and "needs_review:quota_tie" in by_unit[name].flags
        assert by_unit[name].rank == 2
    assert by_unit["E镇"].rank == 5 and by_unit["E镇"].grade == "良好"


def test_last_in_category_barred_from_excellent():
    # 4 units, ceil quota → 0.3 × 4 = 1.2 → 2 slots; the 2nd on total is last on social → G05 bars it
    rules = RULES.model_copy(update={"quota_rounding": "ceil"})
    infos, sheet = sheet_for({"A镇": 100, "B镇": 100, "C镇": 90, "D镇": 80})
    sheet.social[1] = social("B镇", scale=0.5)  # B: 90 + 5 = 95, last on social
    by_unit = {u.unit: u for u in score(infos, sheet, rules).units}
    assert "last_in_category_social" in by_unit["B镇"].flags and by_unit["B镇"].grade == "良好"
    # A (100) and C (81 + 10 = 91) take the two slots; D is last on target → barred anyway
    assert by_unit["A镇"].grade == "优秀" and by_unit["C镇"].grade == "优秀"


def test_priority_g03_goes_first():
    # 7 units, 2 slots; the 5th unit contributed > 30 % of the city bonus → 优秀 ahead of the 2nd
    infos, sheet = sheet_for({f"{n}镇": 100 - n for n in range(7)})
    sheet.units[4].flags = ["city_bonus_share_over_30pct"]
    grades = {u.unit: u.grade for u in score(infos, sheet, RULES).units}
    assert grades["0镇"] == "优秀" and grades["4镇"] == "优秀" and grades["1镇"] == "良好"


def test_sanctioned_forces_general_and_npc_caps():
    infos, sheet = sheet_for({"A镇": 100, "B镇": 99, "C镇": 98})
    sheet.units[0].flags = ["principal_or_2plus_leaders_sanctioned"]
    sheet.units[1].flags = ["npc_or_cppcc_unsatisfied"]
    grades = {u.unit: u.grade for u in score(infos, sheet, RULES).units}
    assert grades == {"A镇": "一般", "B镇": "一般", "C镇": "良好"}


def test_last_on_both_components_is_general():
    infos, sheet = sheet_for({"A镇": 100, "B镇": 90, "C镇": 85})
    sheet.social[2] = social("C镇", scale=0.9)  # C last on target (85) and on social (9)
    unit = next(u for u in score(infos, sheet, RULES).units if u.unit == "C镇")
    assert "last_in_both_components" in unit.flags and unit.grade == "一般"


def test_criticised_forces_poor_even_with_review():
    infos, sheet = sheet_for({"A镇": 100})
    sheet.social.clear()
    sheet.units[0].flags = ["criticised_by_city_or_higher"]
    unit = score(infos, sheet, RULES).units[0]
    assert unit.grade == "较差" and any(f.startswith("needs_review") for f in unit.flags)


def test_priority_g04_needs_rank_within_top_share():
    # 7 units, 2 slots; 0.6 × 7 = 4.2 → rank 4 qualifies for the G04 priority, rank 5 does not
    infos, sheet = sheet_for({f"{n}镇": 100 - n for n in range(7)})
    sheet.units[3].flags = ["rural_revitalisation_excellent"]  # rank 4 → 优秀 with rank 1
    sheet.units[4].flags = ["rural_revitalisation_excellent"]  # rank 5 → no priority
    by_unit = {u.unit: u for u in score(infos, sheet, RULES).units}
    grades = {name: unit.grade for name, unit in by_unit.items()}
    assert [grades[f"{n}镇"] for n in range(7)] == ["优秀", "良好", "良好", "优秀", "良好", "良好", "良好"]
    assert "G04" in by_unit["3镇"].steps[-1].label


def test_unit_needing_review_reserves_its_excellent_slot():
    # 7 units, 2 slots; the top unit has a deduction without amount → grade None, its slot is held,
    # so rank 3 stays 良好 (provisional totals count missing points as 0, see scoring/grades.py)
    infos, sheet = sheet_for({f"{n}镇": 100 - n for n in range(7)})
    sheet.deductions = [DeductionEvent(row=2, unit="0镇", amount=None)]
    by_unit = {u.unit: u for u in score(infos, sheet, RULES).units}
    assert by_unit["0镇"].grade is None and "needs_review:excellent_slot_reserved" in by_unit["0镇"].flags
    assert by_unit["1镇"].grade == "优秀" and by_unit["2镇"].grade == "良好"
