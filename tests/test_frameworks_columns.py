"""Column roles from header words and content (issue 12), on layouts composed in the test.

Each table is written as a .docx with real merged cells (``UP``: covered by the cell above,
``LEFT``: by the cell to the left) and read through the whole parser, so merges, fill-down and
the joint reading are all exercised. The real tables from other provinces are in
``test_real_set.py``; these cases pin one failure class each.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from frameworks import Framework, extract_frameworks
from frameworks.columns import assign_roles
from frameworks.evidence import ColumnProfile
from frameworks.vocabulary import header_hints
from parsers import parse

UP, LEFT = "↑", "←"


def write_table(path: Path, rows: list[tuple[str, ...]], heading: str = "2023年度重点工作考核指标") -> Path:
    document = docx.Document()
    document.add_paragraph(heading)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text not in (UP, LEFT):
                table.cell(r, c).text = text
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == UP:
                top = r - 1
                while rows[top][c] == UP:
                    top -= 1
                table.cell(top, c).merge(table.cell(r, c))
            elif text == LEFT:
                table.cell(r, c - 1).merge(table.cell(r, c))
    document.save(str(path))
    return path


def read(tmp_path: Path, rows: list[tuple[str, ...]], heading: str = "2023年度重点工作考核指标") -> Framework:
    (framework,) = extract_frameworks(parse(write_table(tmp_path / "t.docx", rows, heading)))
    return framework


def roles_of(framework: Framework) -> dict[str, str]:
    return {c.header or f"col{c.col}": c.role for c in framework.reading}


# fmt: off
HEADER_WORDS = [
    ("监考单位", "assigning"), ("数据来源", "assigning"), ("牵头考核部门", "assigning"), ("考核责任单位", "assigning"),
    ("总牵头单位", "responsible"), ("承办单位", "responsible"), ("主责单位", "responsible"),
    ("协办单位", "cooperating"), ("各项分值", "points"), ("标准分", "points"), ("目标任务考核指标权重", "points"),
    ("评分标准", "criteria"), ("完成时限", "deadline"), ("扣分分值", "deduction"), ("指标及分值", "item"),
]
# fmt: on


@pytest.mark.parametrize(("header", "role"), HEADER_WORDS)
def test_header_words_suggest_roles_longest_word_first(header: str, role: str) -> None:
    assert header_hints(header)[0].role == role


def test_without_content_the_header_words_decide() -> None:
    roles = assign_roles(["序号", "考核指标", "分值", "牵头单位", "配合单位"])
    assert roles.roles == ["seq", "item", "points", "responsible", "cooperating"]


def test_content_overrules_an_ambiguous_header() -> None:
    """``单位`` holding %, 万亩 is a unit of measure; the units are in the column without a known header."""
    profiles = [
        ColumnProfile(col=0, rows=4, filled=4, distinct=4, total_length=24),
        ColumnProfile(col=1, rows=4, filled=4, measures=4, distinct=3, total_length=8),
        ColumnProfile(col=2, rows=4, filled=4, units=4, distinct=2, total_length=20),
    ]
    roles = assign_roles(["考核内容", "单位", "承担部门"], profiles)
    assert roles.roles == ["item", "measure", "responsible"]


def test_unit_columns_headed_otherwise_give_owners(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("序号", "重点任务", "主责单位", "协办单位"),
        ("1", "推进河湖长制", "县水利局", "县生态环境分局、县农业农村局"),
        ("2", "农村公路养护", "县交通运输局", "各乡镇"),
        ("3", "农贸市场改造", "县商务局", "——"),
    ])  # fmt: skip
    assert roles_of(framework)["主责单位"] == "responsible" and roles_of(framework)["协办单位"] == "cooperating"
    rows = [(i.text, i.lead, i.cooperating) for i in framework.indicators]
    assert rows == [
        ("推进河湖长制", "县水利局", ["县生态环境分局", "县农业农村局"]),
        ("农村公路养护", "县交通运输局", ["各乡镇"]),
        ("农贸市场改造", "县商务局", []),  # a filler is no unit
    ]


def test_an_assessing_column_alone_leads_as_assigning(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("项目", "指标", "分值", "监考单位"),
        ("经济发展", "地区生产总值增长7%", "10", "县发改局、县统计局"),
        (UP, "固定资产投资增长8%", "8", "县发改局"),
    ])  # fmt: skip
    first = framework.indicators[0]
    assert (first.lead, first.role, first.cooperating, first.assessors) == ("县发改局", "assigning", ["县统计局"], [])


def test_the_assessor_beside_the_carrier_is_never_cooperating(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("项目名称及分值", LEFT, "赋分办法", "总牵头单位", "考核责任单位"),
        ("（一）机关建设（100分）", "学习型机关创建（20分）", "按排名赋分", "县委宣传部", "县委办、县府办"),
        (UP, "廉洁型机关创建（50分）", UP, "县纪委、县财政局", UP),
        (UP, "督考综评（30分）", "按实绩赋分", "县考核办", "——"),
    ])  # fmt: skip
    got = [(i.text, i.points, i.lead, i.cooperating, i.assessors, i.category) for i in framework.indicators]
    assert got == [
        ("学习型机关创建", 20, "县委宣传部", [], ["县委办公室", "县府办"], "机关建设"),
        ("廉洁型机关创建", 50, "县纪委监委", ["县财政局"], ["县委办公室", "县府办"], "机关建设"),
        ("督考综评", 30, "县考核委员会办公室", [], [], "机关建设"),
    ]
    assert framework.categories[0].declared_points == 100


def test_a_unit_merged_over_its_tasks_leads_them_and_the_group_stays_the_category(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("考核项目", LEFT, "考核内容", "分值"),
        ("重点考核部门", "县水利局", "全面落实河长制，河湖“清四乱”常态化", "10"),
        (UP, UP, "完成水土流失治理20平方公里", "10"),
        (UP, "县发改局", "重点项目完成年度投资计划", "15"),
        ("一般考核部门", "县档案馆", "完成档案数字化10万页", "5"),
    ])  # fmt: skip
    assert [c.role for c in framework.reading] == ["category", "responsible", "item", "points"]
    got = [(i.lead, i.category, i.points, i.inherited) for i in framework.indicators]
    assert got == [
        ("县水利局", "重点考核部门", 10, False),
        ("县水利局", "重点考核部门", 10, True),
        ("县发改局", "重点考核部门", 15, False),  # 县发改局 is scoped per county: no region, kept as written
        ("县档案馆", "一般考核部门", 5, False),
    ]


def test_the_points_column_wins_over_sub_scores_in_the_criteria(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("考核指标", "评分标准", "分值", "责任单位"),
        ("项目建设", "开工率（15分）；投资完成率（20分）；竣工率（25分）", "60", "县发改局"),
        ("招商引资", "签约项目（10分）；到位资金（15分）", "30", "县招商局"),
        ("安全生产", "发生较大事故的不得分", "10", "县应急局"),
    ])  # fmt: skip
    got = [(i.text, i.points, i.points_from, i.sub_scores, i.criteria is not None) for i in framework.indicators]
    assert got == [
        ("项目建设", 60, "column", [15, 20, 25], True),
        ("招商引资", 30, "column", [10, 15], True),
        ("安全生产", 10, "column", [], True),
    ]
    assert [(w.code, w.message) for w in framework.warnings if w.code != "unknown_units"] == [
        ("sub_scores_mismatch", "2023年度重点工作考核指标 / 招商引资：评分标准中的分项合计 25 分，分值为 30 分")
    ]  # no points_mismatch: the points column wins over the sub-scores


def test_two_weightings_are_both_kept_and_checked_each_against_its_total(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("考核指标", "目标任务考核指标权重", "发展成效考核指标权重", "数据来源"),
        ("地区生产总值", "20", "30", "市统计局"),
        ("财政收入", "30", "20", "市财政局"),
        ("城镇化率", "50", "40", "市统计局"),
        ("合计", "100", "100", ""),
    ])  # fmt: skip
    got = [(i.points, i.weights) for i in framework.indicators]
    assert got == [(20, {"发展成效考核指标权重": 30}), (30, {"发展成效考核指标权重": 20}),
                   (50, {"发展成效考核指标权重": 40})]  # fmt: skip
    assert framework.declared_total == 100 and framework.weight_totals == {"发展成效考核指标权重": 100}
    assert [(w.code, w.message) for w in framework.warnings if "发展成效" in w.message] == [
        ("weighting_mismatch", "2023年度重点工作考核指标：“发展成效考核指标权重”合计为 100，各项相加为 90")
    ]


def test_section_rows_with_points_in_the_points_column_are_categories(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("序号", "考核项目", "各项分值", "负责考核单位"),
        ("一", "河湖长制基础工作", "16", ""),
        ("1", "完善组织体系", "10", "市河长办"),
        ("2", "强化宣传教育", "6", "市委宣传部、市河长办"),
        ("二", "专项整治", "20", ""),
        ("3", "城乡垃圾治理", "12", "市城管局"),
    ])  # fmt: skip
    assert [(c.path, c.declared_points) for c in framework.categories] == [
        (["河湖长制基础工作"], 16),
        (["专项整治"], 20),
    ]
    assert [(i.text, i.category) for i in framework.indicators] == [
        ("完善组织体系", "河湖长制基础工作"),
        ("强化宣传教育", "河湖长制基础工作"),
        ("城乡垃圾治理", "专项整治"),
    ]
    assert ("points_mismatch", "2023年度重点工作考核指标 / 专项整治：写明 20 分，各项合计 12 分") in [
        (w.code, w.message) for w in framework.warnings
    ]


def test_target_measure_and_deadline_columns_are_not_the_indicator(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("序号", "民生实事", "年度目标", "单位", "责任单位", "完成时限"),
        ("1", "新建农贸市场", "3", "个", "县商务局", "12月底前"),
        ("2", "改造老旧小区", "1200", "户", "县住建局", "10月底前"),
    ])  # fmt: skip
    roles = [c.role for c in framework.reading]
    assert roles == ["seq", "item", "target", "measure", "responsible", "deadline"]
    first = framework.indicators[0]
    assert (first.text, first.target_text, first.deadline, first.lead) == (
        "新建农贸市场",
        "3个",
        "12月底前",
        "县商务局",
    )


def test_a_table_without_unit_column_or_points_says_so(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("考核指标", "目标要求"),
        ("乡村振兴", "完成示范村建设5个"),
        ("人居环境", "农村卫生厕所普及率达到85%"),
    ])  # fmt: skip
    assert [(w.code, w.message) for w in framework.warnings] == [
        ("no_unit_column", "2023年度重点工作考核指标：未识别出责任单位列，本表指标没有牵头单位"),
        ("no_points", "2023年度重点工作考核指标：本表没有分值"),
    ]


def test_people_in_a_unit_column_are_not_units(tmp_path: Path) -> None:
    framework = read(tmp_path, [
        ("工作任务", "分管县领导", "牵头单位及主要负责人"),
        ("城乡低保提标", "陈宣群", "县民政局\n伍泽国"),
        ("残疾人两项补贴提标", "陈宣群", "县残联\n李明"),
    ])  # fmt: skip
    assert [c.role for c in framework.reading] == ["item", "leader", "responsible"]
    assert [(i.lead, i.cooperating) for i in framework.indicators] == [("县民政局", []), ("县残联", [])]
