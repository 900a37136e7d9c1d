"""Owner cells into units: the cases other counties write (issue 12), beside the seeds' in
test_normalize_departments.py; and the shape tests behind them."""

from __future__ import annotations

import pytest

from normalize.unit_cells import split_units
from normalize.unit_shape import is_filler, is_person_name, is_person_title, looks_like_unit

# fmt: off
CELLS = [
    ("市海洋渔业局市农业农村局", ["市海洋渔业局", "市农业农村局"]),  # separators lost in copying
    ("区发改局区统计局", ["区发改局", "区统计局"]),
    ("区政府办\n副中心区协调办", ["区政府办", "副中心区协调办"]),  # not glued (副中心 has no level prefix), no prefix
    ("市民政局伍泽国", ["市民政局"]),  # a person glued after the unit
    ("市民政局\n伍泽国", ["市民政局", "伍泽国"]),  # a person on a line of its own is dropped by the resolver
    ("城乡一体化示范区、高新区党工委和管委会", ["城乡一体化示范区党工委和管委会", "高新区党工委和管委会"]),
    ("市发展改革委、工业和信息化委、住房和城乡建设局", ["市发展改革委", "市工业和信息化委", "市住房和城乡建设局"]),
    ("榆佳经济技术开发区管委会、县发改局", ["榆佳经济技术开发区管委会", "县发改局"]),
    ("县委县政府", ["县委", "县政府"]),
    ("市生态环境局柞水分局", ["市生态环境局柞水分局"]),
    ("县委办 政府办", ["县委办", "县政府办"]),
    ("经开区\n(邹区镇)、各街道", ["经开区", "各街道"]),  # a co-located name on its own line stays with its unit
    ("市委\n办公室", ["市委办公室"]),  # a name wrapped in a narrow column
    ("发改局\n区工信局", ["区发改局", "区工信局"]),  # the level a later name writes is the list's
    ("自然资源分局、区发展改革局", ["自然资源分局", "区发展改革局"]),  # a city bureau's branch is not the district's
]
UNITS = ["区城管执法局", "县府办", "各镇（街道）", "团县委", "县政府办（信访局）", "市住建委", "县农机中心"]
NOT_UNITS = ["副县长", "县委常委", "增长7%", "完成年度任务", "局", "重点考核部门", "陈宣群", "——",
             "农林牧渔业增加值增幅"]
PEOPLE = ["伍泽国", "陈宣群", "王强"]
NOT_PEOPLE = ["公安", "税务局", "县水利局", "移动公司", "王家砭镇"]
FILLERS = ["——", "—", "/", "无", "…", "-", " —— "]
# fmt: on


@pytest.mark.parametrize(("cell", "units"), CELLS)
def test_split_units(cell: str, units: list[str]) -> None:
    assert [m.text for m in split_units(cell)] == units


@pytest.mark.parametrize("name", UNITS)
def test_unit_shapes(name: str) -> None:
    assert looks_like_unit(name)


@pytest.mark.parametrize("name", NOT_UNITS)
def test_not_unit_shapes(name: str) -> None:
    assert not looks_like_unit(name)


@pytest.mark.parametrize("name", PEOPLE)
def test_people(name: str) -> None:
    assert is_person_name(name)


@pytest.mark.parametrize("name", NOT_PEOPLE)
def test_not_people(name: str) -> None:
    assert not is_person_name(name)


@pytest.mark.parametrize("text", FILLERS)
def test_fillers(text: str) -> None:
    assert is_filler(text)


def test_titles_are_people() -> None:
    assert is_person_title("县委常委") and is_person_title("副县长") and not is_person_title("县委组织部")
