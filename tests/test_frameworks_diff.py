"""Pure matching and diff cases: real edits pair, unrelated indicators never do, low confidence is flagged."""

from __future__ import annotations

import pytest

from frameworks.diff import DiffIndicator, changed_fields, diff_indicators
from frameworks.matching import HIGH_CONFIDENCE, MatchItem, indicator_key, match, numbers_in
from frameworks.yearly import pair_frameworks, pick_copies
from store.results import FrameworkSummary


def ind(
    text: str, points: float | None = 1, lead: str | None = "县发展改革和科技局", **fields: object
) -> DiffIndicator:
    return DiffIndicator.of(text, points=points, lead=lead, category=fields.pop("category", "经济发展"), **fields)


def test_key_abstracts_numbers_units_points_and_punctuation() -> None:
    assert indicator_key("生产总值增长7%（2分）") == indicator_key("生产总值增长6.5%") == "生产总值增长#"
    assert indicator_key("进出口贸易总额达到3000万元(0.5分）") == indicator_key("进出口贸易总额达到0.5亿元")
    assert indicator_key("断面水质均达到Ⅱ类") == indicator_key("断面水质均达到Ⅲ类")
    assert numbers_in("生产总值增长7%（2分）") == ["7%"]


def test_new_target_is_a_change_not_a_removal_and_an_addition() -> None:
    result = diff_indicators([ind("生产总值增长7%", 2)], [ind("生产总值增长6.5%", 2)])
    assert (result.added, result.removed, result.unchanged) == ([], [], 0)
    (change,) = result.changed
    assert change.fields == ["target"] and change.confidence == 1.0 and not change.low_confidence
    assert (change.details["target"].before, change.details["target"].after) == ("增长≥7%", "增长≥6.5%")


@pytest.mark.parametrize(
    ("before", "after", "fields"),
    [
        (ind("进出口贸易总额达到3000万元"), ind("进出口贸易总额达到0.5亿元"), ["target"]),  # unit
        (ind("城镇登记失业率控制在4.3%以内"), ind("城镇登记失业率低于4.3%"), ["target", "wording"]),  # comparator
        (ind("营造林面积4万亩", 2), ind("营造林面积4万亩", 3), ["points"]),
        (ind("营造林面积4万亩", lead="县林业局"), ind("营造林面积4万亩", lead="县自然资源和规划局"), ["lead"]),
        (
            ind("营造林面积4万亩", cooperating=["县林业局", "县农业农村局"]),
            ind("营造林面积4万亩", cooperating=["县农业农村局", "县林业局"]),
            [],
        ),  # order of cooperating units
        (ind("营造林面积4万亩", cooperating=["县林业局"]), ind("营造林面积4万亩"), ["cooperating"]),
        (ind("营造林面积4万亩", category="生态文明"), ind("营造林面积4万亩", category="乡村振兴"), ["category"]),
        (ind("非公经济增加值占GDP比重达到55%"), ind("民营经济增加值占GDP比重达到55%"), ["wording"]),
        (ind("建成扶贫农场（工厂）1个。"), ind("建成扶贫农场(工厂)1个"), []),  # punctuation only
    ],
)
def test_changed_fields(before: DiffIndicator, after: DiffIndicator, fields: list[str]) -> None:
    assert changed_fields(before, after) == fields


def test_unrelated_indicators_sharing_a_unit_a_number_or_a_category_never_pair() -> None:
    old = [ind("营造林面积4万亩", 2, "县林业局"), ind("道路交通事故死亡人数不超过2人", 0.5, "县交通运输局")]
    new = [ind("森林覆盖率达到4%", 2, "县林业局"), ind("城镇新增就业2人", 0.5, "县交通运输局")]
    result = diff_indicators(old, new)
    assert result.changed == [] and result.unchanged == 0
    assert [i.indicator for i in result.removed] == [i.indicator for i in old]
    assert [i.indicator for i in result.added] == [i.indicator for i in new]


def test_pairs_are_one_to_one_and_exact_text_wins() -> None:
    old = [MatchItem("招商引资省外实际到位资金14亿元"), MatchItem("招商引资省内实际到位资金3亿元")]
    new = [MatchItem("招商引资省内实际到位资金4亿元"), MatchItem("招商引资省外实际到位资金15亿元")]
    assert [(p.old, p.new, p.score) for p in match(old, new)] == [(0, 1, 100.0), (1, 0, 100.0)]
    # Only one of the two survives: the other is removed, not paired with its neighbour.
    assert [(p.old, p.new) for p in match(old, new[:1])] == [(1, 0)]


def test_a_weak_pair_is_flagged_low_confidence() -> None:
    result = diff_indicators([ind("水果总产量增长2.6%", 0.5)], [ind("水果总产量达到30万吨", 0.5)])
    (change,) = result.changed
    assert change.low_confidence and change.confidence < HIGH_CONFIDENCE / 100
    assert change.fields == ["target", "wording"] and result.low_confidence_pairs == 1


def test_department_and_category_totals() -> None:
    old = [ind("生产总值增长7%", 2, "县发展改革和科技局"), ind("营造林面积4万亩", 2, "县林业局", category="生态文明")]
    new = [
        ind("生产总值增长6.5%", 3, "县发展改革和科技局"),
        ind("营造林面积4万亩", 2, "县自然资源和规划局", category="生态文明"),
    ]
    result = diff_indicators(old, new)
    departments = {d.department: (d.points_change, d.indicators_gained, d.indicators_lost) for d in result.departments}
    assert departments == {"县发展改革和科技局": (1, 0, 0), "县林业局": (-2, 0, 1), "县自然资源和规划局": (2, 1, 0)}
    categories = {c.category: (c.points_before, c.points_after) for c in result.categories}
    assert categories == {"经济发展": (2, 3), "生态文明": (2, 2)}


def summary(
    id_: int, title: str, document: str, kind: str = "breakdown", assessee: str | None = None
) -> FrameworkSummary:
    return FrameworkSummary(
        id=id_,
        title=title,
        kind=kind,
        region="佳县",
        year=int(title[:4]) if title[:2] == "20" else None,
        group=None,
        assessee=assessee,
        document=document,
        indicators=1,
        points=1,
        declared_total=None,
    )


def test_copies_of_one_notice_give_one_framework_from_the_preferred_format() -> None:
    picked = pick_copies(
        [
            summary(1, "2020年度市考核县指标任务分解", "/a/佳县.pdf"),
            summary(2, "2020年度市考核县指标任务分解", "/a/佳县.docx"),
        ]
    )
    (side,) = picked.values()
    assert (side.id, side.copies) == (2, ["/a/佳县.pdf"])


def test_frameworks_pair_across_years_by_title_without_years() -> None:
    old = [
        summary(1, "2020年度市考核县指标任务分解", "/a/2020.docx"),
        summary(2, "负面清单考核指标", "/a/2020.docx", "negative_list"),
    ]
    new = [
        summary(3, "2021年度市考核县指标任务分解", "/a/2021.docx"),
        summary(4, "县直部门目标责任考核指标", "/a/2021.docx", "per_unit", "县财政局"),
    ]
    pairs, removed, added = pair_frameworks(old, new)
    assert [(a.id, b.id) for a, b in pairs] == [(1, 3)]
    assert [f.id for f in removed] == [2] and [f.id for f in added] == [4]
