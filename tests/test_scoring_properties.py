"""Property tests for the scoring engine (hypothesis): monotonicity, quotas, sums, rank order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import score, score_line
from scoring.explain import check_parts
from scoring.grades import quota_size
from scoring.model import (
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
completion = st.floats(min_value=0, max_value=200, allow_nan=False)
points = st.floats(min_value=0.5, max_value=100, allow_nan=False)
categories = st.sampled_from(["town", "dept", "resident"])


def _info(id: int, weight: float, comparator: str = ">=") -> IndicatorInfo:
    return IndicatorInfo(
        id=id, framework_id=1, framework_kind="per_unit", text=f"指标{id}", points=weight, kind="indicator",
        targets=[{"comparator": comparator, "value": 50.0}],
    )  # fmt: skip


@given(points, completion, completion, st.sampled_from([1.0, None]))
def test_more_completion_never_lowers_a_line(weight, a, b, cap):
    rules = RULES.model_copy(update={"cap": cap})
    low, high = sorted((a, b))
    first = score_line(_info(1, weight), LineResult(row=2, indicator_id=1, unit="甲", completion_pct=low), rules)
    second = score_line(_info(1, weight), LineResult(row=2, indicator_id=1, unit="甲", completion_pct=high), rules)
    assert second.score >= first.score


@given(points, st.floats(min_value=0, max_value=500, allow_nan=False), st.floats(min_value=0, max_value=500))
def test_lower_is_better_never_rewards_a_worse_actual(weight, a, b):
    # for 控制在…以内 a lower actual is more completion
    better, worse = sorted((a, b))
    info = _info(1, weight, "<=")
    first = score_line(info, LineResult(row=2, indicator_id=1, unit="甲", actual=worse), RULES)
    second = score_line(info, LineResult(row=2, indicator_id=1, unit="甲", actual=better), RULES)
    assert second.score >= first.score


@st.composite
def sheets(draw):
    """2–12 units in up to three categories, two indicators each, random events."""
    n_units = draw(st.integers(min_value=2, max_value=12))
    infos = [_info(1, draw(points)), _info(2, draw(points))]
    lines, units, socials, deductions, vetoes = [], [], [], [], []
    for n in range(n_units):
        name, category = f"单位{n}", draw(categories)
        units.append(UnitEntry(row=n + 2, unit=name, category=category))
        for indicator in (1, 2):
            lines.append(LineResult(row=n + 2, indicator_id=indicator, unit=name, completion_pct=draw(completion)))
        maxima = RULES.social_components[category]
        fraction = draw(st.sampled_from([0.5, 0.8, 1.0]))
        values = {k: None if getattr(maxima, k) is None else getattr(maxima, k) * fraction for k in maxima.__dict__}
        socials.append(SocialScore(row=n + 2, unit=name, **values))
        if draw(st.booleans()):
            amount = draw(st.sampled_from([0.5, 1.5]))
            deductions.append(DeductionEvent(row=n + 2, unit=name, amount=amount, city_imposed=draw(st.booleans())))
        if draw(st.integers(0, 9)) == 0:
            vetoes.append(VetoEvent(row=n + 2, unit=name))
    sheet = ResultsSheet(
        path="p", lines=lines, units=units, social=socials, deductions=deductions, vetoes=vetoes,
    )  # fmt: skip
    return infos, sheet


@settings(max_examples=60, deadline=None)
@given(sheets())
def test_grades_never_exceed_quota_and_ranks_follow_totals(case):
    infos, sheet = case
    report = score(infos, sheet, RULES)
    for category in ("town", "dept", "resident"):
        members = [u for u in report.units if u.category == category]
        excellent = [u for u in members if u.grade == "优秀"]
        assert len(excellent) <= quota_size(len(members), RULES)
        ordered = sorted(members, key=lambda u: u.rank)
        totals = [round(u.total, 6) for u in ordered]
        assert totals == sorted(totals, reverse=True)
        for unit in members:  # ties share the rank; a lower total never ranks better
            assert all((other.rank < unit.rank) == (round(other.total, 6) > round(unit.total, 6)) for other in members)


@settings(max_examples=60, deadline=None)
@given(sheets())
def test_totals_equal_the_sum_of_their_explained_parts(case):
    infos, sheet = case
    for unit in score(infos, sheet, RULES).units:
        assert check_parts(unit)
        assert abs(sum(line.score for line in unit.lines) - unit.raw_score) < 1e-9
        if "veto" in unit.flags:
            assert unit.grade == "较差"
        if unit.grade == "优秀":
            assert unit.total >= RULES.poor_below and "last_in_category_target" not in unit.flags


@settings(max_examples=40, deadline=None)
@given(sheets(), st.integers(min_value=0, max_value=11), st.floats(min_value=1, max_value=50))
def test_more_completion_never_lowers_a_unit(case, which, extra):
    infos, sheet = case
    before = {u.unit: u for u in score(infos, sheet, RULES).units}
    target = sheet.lines[which % len(sheet.lines)]
    raised = sheet.model_copy(deep=True)
    raised.lines[which % len(sheet.lines)].completion_pct = (target.completion_pct or 0) + extra
    after = {u.unit: u for u in score(infos, raised, RULES).units}
    assert after[target.unit].total >= before[target.unit].total - 1e-9
    assert after[target.unit].target_score >= before[target.unit].target_score - 1e-9
