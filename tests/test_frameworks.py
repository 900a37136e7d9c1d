"""Table understanding on real notices: the seeds (ground truth) and our samples."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from conftest import SAMPLES, seed_path

from frameworks import Framework, Indicator, extract_frameworks
from parsers import parse

MAIN = SAMPLES / "佳县2020年度目标责任考核指标"


@pytest.fixture(scope="module")
def seed_002() -> list[Framework]:
    return extract_frameworks(parse(seed_path("002")))


def by_text(framework: Framework, fragment: str) -> Indicator:
    matches = [i for i in framework.indicators if fragment in i.text]
    assert len(matches) == 1, [i.text for i in matches]
    return matches[0]


def test_seed_002_city_level_breakdown(seed_002: list[Framework]) -> None:
    city = seed_002[0]
    assert (city.kind, city.title, city.region, city.year) == (
        "breakdown",
        "2020年度市考核县指标任务分解",
        "佳县",
        2020,
    )
    assert len(city.indicators) == 48
    assert [c.name for c in city.categories] == [
        "经济发展",
        "民生保障",
        "乡村振兴",
        "文化建设",
        "生态文明",
        "县域特色指标",
    ]
    assert [c.declared_points for c in city.categories] == [20, 10, 36, 4, 20, 10]
    warnings = [(w.code, w.message) for w in city.warnings]
    assert ("points_mismatch", "2020年度市考核县指标任务分解 / 生态文明：写明 20 分，各项合计 19 分") in warnings
    assert ("points_mismatch", "2020年度市考核县指标任务分解 / 县域特色指标：写明 10 分，各项合计 7 分") in warnings
    (missing,) = [m for code, m in warnings if code == "missing_points"]
    # each name whole, or cut at a clause end (at most 30 characters) and marked with …
    assert missing == (
        "2020年度市考核县指标任务分解 / 县域特色指标：3 项指标没有分值："
        "反映毛主席在佳县一百天长篇小说《曙光》启动创作；在县政务服务中心设立“园区审批窗口”…；广佳“区中园”标准化厂房项目建成…"
    )


def test_seed_002_owners_points_and_inheritance(seed_002: list[Framework]) -> None:
    city = seed_002[0]
    forest = by_text(city, "营造林面积")
    assert (forest.lead, forest.points, forest.inherited) == ("县林业局", 2, False)
    investment = by_text(city, "全社会固定资产投资")
    assert (investment.lead, investment.points, investment.inherited) == ("县发展改革和科技局", 6, True)
    assert investment.category_path == ["经济发展"]
    gdp = by_text(city, "生产总值增长7%")
    assert gdp.text == "生产总值增长7%" and gdp.points_from == "inline"
    assert [(t.comparator, t.value, t.unit) for t in gdp.targets] == [("growth>=", 7.0, "%")]
    shared = by_text(city, "妇幼保健院")
    assert shared.lead == "县发展改革和科技局"  # written 县发改局: the 佳县 alias
    assert shared.cooperating == ["县卫生健康局", "县民政局"]


def test_seed_002_negative_list(seed_002: list[Framework]) -> None:
    negative = seed_002[1]
    assert negative.kind == "negative_list" and len(negative.indicators) == 40
    assert all(i.kind == "deduction" for i in negative.indicators)
    debt = by_text(negative, "隐性债务")
    assert (debt.lead, debt.points) == ("县财政局", -0.5)
    fixed = [i.points for i in negative.indicators if not i.graded]
    assert (fixed.count(-1.5), fixed.count(-0.5)) == (2, 37)
    graded = negative.indicators[-1]
    assert graded.lead_as_written == "相关单位" and graded.points == -1.5
    assert [g.points for g in graded.graded] == [-1.5, -1.0, -0.5]
    ecology = by_text(negative, "未完成生态文明建设年度工作任务")
    assert (ecology.lead, ecology.inherited) == ("县委办公室", True)


def test_seed_002_per_unit_tables(seed_002: list[Framework]) -> None:
    townships = [f for f in seed_002 if f.kind == "per_unit" and f.title == "镇（办、中心）目标责任考核指标"]
    assert len(townships) == 20
    assert townships[0].assessee == "螅镇" and townships[-1].assessee == "上高寨便民服务中心"
    department_titles = {"县直部门目标责任考核指标", "产业园区管委会目标责任考核指标"}
    departments = [f for f in seed_002 if f.kind == "per_unit" and f.title in department_titles]
    assert len(departments) == 50  # 48 departments in six groups + 2 管委会
    assert all(sum(i.points or 0 for i in f.indicators) == 100 for f in departments)
    assert {f.group for f in departments} >= {"党委工作部门", "群团组织", "涉农部门"}
    organisation = next(f for f in departments if f.assessee == "县委组织部")
    assert all(i.lead == "县委组织部" for i in organisation.indicators)
    # Headings without numbers still name the assessee (numbering lost in extraction).
    assert any(f.assessee_as_written == "县自然资源和规划局" for f in departments)


def test_seed_000_template_assigning_units() -> None:
    frameworks = extract_frameworks(parse(seed_path("000")))
    template = next(f for f in frameworks if f.title == "镇办2022年度目标任务考核指标设置框架")
    assert template.region == "柞水县"
    assert set(template.columns.values()) >= {"category", "item", "points", "assigning"}
    party = next(i for i in template.indicators if i.text == "基层党组织建设")
    assert (party.points, party.lead, party.role) == (40, "县委组织部", "assigning")
    democracy = next(i for i in template.indicators if i.text == "民主政治建设")
    assert democracy.lead == "县委统战部" and len(democracy.cooperating) == 2
    assert [w.message for w in template.warnings if w.code == "points_mismatch"] == [
        "镇办2022年度目标任务考核指标设置框架 / 高质量发展综合绩效评价指标：写明 1000 分，各项合计 1100 分"
    ]


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".html", ".txt"])
def test_samples_give_the_same_frameworks_in_every_format(suffix: str) -> None:
    path = MAIN.with_suffix(suffix)
    frameworks = extract_frameworks(parse(path))
    reference = extract_frameworks(parse(MAIN.with_suffix(".txt")))
    assert [len(f.indicators) for f in frameworks] == [len(f.indicators) for f in reference]
    pairs = zip(frameworks[0].indicators, reference[0].indicators, strict=True)
    for ours, theirs in pairs:
        assert (ours.lead, ours.points, ours.kind, ours.inherited) == (
            theirs.lead,
            theirs.points,
            theirs.kind,
            theirs.inherited,
        ), ours.text
    city = frameworks[0]
    assert by_text(city, "营造林面积").lead == "县林业局"
    assert by_text(city, "全社会固定资产投资").inherited
    assert by_text(frameworks[1], "隐性债务").points == -0.5


TOWNS = ["螅镇", "坑镇", "店镇", "乌镇", "金明寺镇", "通镇", "王家砭镇"]
TOWN_CATEGORIES = [
    ("乡村振兴", 20),
    ("经济发展", 5),
    ("脱贫攻坚", 5),
    ("安全稳定", 30),
    ("民生保障", 35),
    ("自然资源和规划工作", 5),
]


@cache
def sample_frameworks(suffix: str) -> list[Framework]:
    return extract_frameworks(parse(MAIN.with_suffix(suffix)))


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".html", ".txt"])
def test_samples_give_the_seven_towns_in_order_each_of_100_points(suffix: str) -> None:
    frameworks = sample_frameworks(suffix)
    # 48 city indicators, 40 deductions, 7 towns × 20, departments 13 + 12 + 10
    assert sum(len(f.indicators) for f in frameworks) == 48 + 40 + 7 * 20 + 13 + 12 + 10
    towns = [f for f in frameworks if f.kind == "per_unit" and f.title == "镇（办、中心）目标责任考核指标"]
    assert [f.assessee for f in towns] == TOWNS
    reference = [f for f in sample_frameworks(".docx") if f.assessee in TOWNS]
    for town, same_town in zip(towns, reference, strict=True):
        assert len(town.indicators) == 20 and sum(i.points or 0 for i in town.indicators) == 100
        assert [(c.name, c.declared_points) for c in town.categories] == TOWN_CATEGORIES
        assert all(i.lead == town.assessee for i in town.indicators)
        assert town.warnings == []  # no category off its declared points, no indicator without points
        assert [(i.category_path, i.name, i.points) for i in town.indicators] == [
            (i.category_path, i.name, i.points) for i in same_town.indicators
        ]


def test_unknown_units_are_kept_and_reported(tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "2021年度测试县考核指标\n\n\t考核内容\n\t考核指标\n\t责任单位\n\n"
        "\t经济发展（5分）\n\t生产总值增长6%（5分）\n\t县未知事务局\n",
        encoding="utf-8",
    )
    (framework,) = extract_frameworks(parse(notice))
    (indicator,) = framework.indicators
    assert indicator.lead == "县未知事务局" and indicator.unresolved_units == ["县未知事务局"]
    assert [(w.code, w.message) for w in framework.warnings] == [
        ("unknown_units", "2021年度测试县考核指标：未在单位名录中的单位：县未知事务局")
    ]
