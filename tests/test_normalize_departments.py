"""Owner-cell splitting, region detection and per-region resolution of unit names (DOMAIN §2.6, §4)."""

from __future__ import annotations

import csv

import pytest
from conftest import seed_path

from normalize.departments import (
    ALIASES_TSV,
    DepartmentRegistry,
    canonical_region,
    default_registry,
    detect_region,
    known_regions,
    parse_unit_list,
    split_units,
)


@pytest.fixture(scope="module")
def registry() -> DepartmentRegistry:
    return default_registry()


def _alias_rows() -> list[dict[str, str]]:
    with ALIASES_TSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _relevelled(canonical: str, alias: str) -> str:
    """A 区 alias (南郑) resolves to the district form of the county-level canonical name."""
    return "区" + canonical[1:] if alias.startswith("区") and canonical.startswith("县") else canonical


ALIAS_CASES = [
    pytest.param(row["alias"], row["region"] or None, _relevelled(row["canonical"], row["alias"]), id=row["alias"])
    for row in _alias_rows()
    if row["kind"] != "succession" and "XX" not in row["alias"]
]


@pytest.mark.parametrize(("alias", "region", "canonical"), ALIAS_CASES)
def test_alias_rows_resolve_in_their_region(registry, alias, region, canonical):
    resolution = registry.resolve(alias, region)
    assert (resolution.canonical, resolution.resolved) == (canonical, True)
    assert resolution.via in ("alias", "rule")


def test_data_file_regions_are_known_and_kinds_valid():
    kinds = {"abbreviation", "typo", "co-location", "prefix-elision", "expansion", "succession"}
    for row in _alias_rows():
        assert not row["region"] or row["region"] in known_regions(), row
        assert row["kind"] in kinds, row


# fmt: off
FAGAI_CASES = (
    ("佳县",   "县发展改革和科技局", True,  "alias"),
    ("柞水县", "县发展和改革局",     True,  "alias"),
    ("柞水",   "县发展和改革局",     True,  "alias"),       # region stem is completed to 柞水县
    ("宁陕县", "县发改局",           False, "unresolved"),  # scoped alias: never resolved globally
    (None,     "县发改局",           False, "unresolved"),
)
# fmt: on


@pytest.mark.parametrize(("region", "canonical", "resolved", "via"), FAGAI_CASES)
def test_fagaiju_is_jurisdiction_scoped(registry, region, canonical, resolved, via):
    assert registry.resolve("县发改局", region).model_dump() == {
        "canonical": canonical,
        "resolved": resolved,
        "via": via,
    }


# fmt: off
RULE_CASES = (
    ("柞水县财政局",               None,     "县财政局",             "rule"),
    ("佳县财政局",                 None,     "县财政局",             "rule"),
    ("中共柞水县委组织部",         None,     "县委组织部",           "alias"),
    ("中共宁陕县委统一战线工作部", None,     "县委统战部",           "rule"),
    ("柞水县人民政府办公室",       None,     "县政府办公室",         "alias"),
    ("宁陕县人民政府办公室",       "柞水县", "县政府办公室",         "alias"),
    ("县委办",                     None,     "县委办公室",           "alias"),
    ("县委办公室",                 None,     "县委办公室",           "exact"),
    ("县人民政府办公室",           None,     "县政府办公室",         "rule"),
    ("县人民法院",                 None,     "县人民法院",           "exact"),
    ("县法院",                     None,     "县人民法院",           "alias"),
    ("县委编办",                   None,     "县委机构编制委员会办公室", "alias"),
    ("县委机构编制委员会办",       None,     "县委机构编制委员会办公室", "rule"),
    ("区财政局",                   "南郑区", "区财政局",             "exact"),
    ("区人社局",                   "南郑",   "区人力资源和社会保障局", "alias"),
    ("团区委",                     "南郑区", "共青团区委员会",       "alias"),
    ("佳州街道办",                 "佳县",   "佳州街道办事处",       "alias"),
    ("县环保局",                   "宁陕县", "市生态环境局宁陕分局", "alias"),
    ("县环保局",                   "佳县",   "榆林市生态环境局佳县分局", "alias"),
    ("县环境局",                   "柞水县", "商洛市生态环境局柞水分局", "alias"),
    ("县水利局",                   "柞水县", "县水利局",             "roster"),
    ("柞水县公安局",               None,     "县公安局",             "rule"),   # place drop, then 柞水's roster
    ("县 财 政 局",                None,     "县财政局",             "exact"),  # injected spaces
    ("区司法局",                   "南郑区", "区司法局",             "roster"), # a body every county has
    ("县纪委",                     "佳县",   "县纪委监委",           "alias"),
)
# fmt: on


@pytest.mark.parametrize(("name", "region", "canonical", "via"), RULE_CASES)
def test_rules_and_scoped_lookups(registry, name, region, canonical, via):
    resolution = registry.resolve(name, region)
    assert (resolution.canonical, resolution.via, resolution.resolved) == (canonical, via, True)


# fmt: off
UNRESOLVED_CASES = (
    ("县工信局",                   None),      # rule-4 form, but no such unit known anywhere: no guess
    ("县年度目标责任考核工作办",   "柞水县"),  # regex debris from a title (DOMAIN §4.1)
    ("县环保局",                   None),      # scoped to 宁陕 / 佳县 only
    ("县资源局",                   "佳县"),    # 柞水's abbreviation
    ("县招商局",                   "宁陕县"),  # 柞水's old name of 县招商服务中心
    ("县两路办",                   "宁陕县"),  # in 柞水's roster only
)
# fmt: on


@pytest.mark.parametrize(("name", "region"), UNRESOLVED_CASES)
def test_unknown_names_stay_as_written(registry, name, region):
    assert registry.resolve(name, region).model_dump() == {"canonical": name, "resolved": False, "via": "unresolved"}


def test_place_in_the_name_beats_the_document_region(registry):
    assert registry.resolve("柞水县发改局", "佳县").canonical == "县发展和改革局"
    assert not registry.resolve("宁陕县发改局", "佳县").resolved


def test_successions_are_not_aliases(registry):
    assert registry.resolve("县扶贫局", "宁陕县").canonical == "县扶贫局"
    assert registry.resolve("县国土资源局").canonical == "县国土资源局"
    assert registry.successor("县扶贫局").successor == "县乡村振兴局"
    assert registry.successor("柞水县国土资源局").successor == "县自然资源局"
    assert registry.successor("县质量技术监督局").successor == "县市场监督管理局"
    assert registry.successor("区安监局").successor == "区应急管理局"
    assert registry.successor("县民政局").partial is True
    assert registry.successor("县财政局") is None


# fmt: off
SPLIT_CASES = (
    # cell text                              mention texts                                   also_known_as
    ("县政府办（信访局）",                   ["县政府办"],                                   ["县信访局"]),
    ("县纪委（监委）",                       ["县纪委"],                                     ["县监委"]),
    ("县委组织部(县考核办)",                 ["县委组织部"],                                 ["县考核办"]),
    ("县乡村振兴局、财政局",                 ["县乡村振兴局", "县财政局"],                   [None, None]),
    ("县委办 政府办",                        ["县委办", "县政府办"],                         [None, None]),
    ("县委统战部 县人大的机关 县政协机关",   ["县委统战部", "县人大的机关", "县政协机关"],   [None, None, None]),
    ("县委政法委 县信访局",                  ["县委政法委", "县信访局"],                     [None, None]),
    ("县委组织部、宣传部",                   ["县委组织部", "县委宣传部"],                   [None, None]),
    ("区纪委监委、区委组织部；区司法局",     ["区纪委监委", "区委组织部", "区司法局"],       [None, None, None]),
    ("县发改局，县卫健局,县民政局",          ["县发改局", "县卫健局", "县民政局"],           [None, None, None]),
    ("县委办（县深改办）\n县司法局",         ["县委办", "县司法局"],                         ["县深改办", None]),
    ("县税务局、县环境局、经办中心、公路段", ["县税务局", "县环境局", "县经办中心", "县公路段"], [None] * 4),
    ("县财政局、榆佳经济技术开发区",         ["县财政局", "榆佳经济技术开发区"],             [None, None]),
)
# fmt: on


@pytest.mark.parametrize(("cell", "texts", "akas"), SPLIT_CASES)
def test_split_units(cell, texts, akas):
    mentions = split_units(cell)
    assert [m.text for m in mentions] == texts
    assert [m.also_known_as for m in mentions] == akas
    assert [m.position for m in mentions] == list(range(1, len(texts) + 1))


def test_split_keeps_what_was_written():
    mentions = split_units("县委办 政府办（信访局）")
    assert [(m.as_written, m.text, m.also_known_as) for m in mentions] == [
        ("县委办", "县委办", None),
        ("政府办（信访局）", "县政府办", "县信访局"),
    ]


# fmt: off
TAIL_CASES = (
    # cell                               texts                                   open   tail          all_lead
    ("县乡村振兴局、财政局等牵头部门",   ["县乡村振兴局", "县财政局"],           True,  "等牵头部门", True),
    ("县招商服务中心、县财政局等牵头部门", ["县招商服务中心", "县财政局"],       True,  "等牵头部门", True),
    ("县人社局等",                       ["县人社局"],                           True,  "等",         False),
    ("县统计局等相关部门",               ["县统计局"],                           True,  "等相关部门", False),
    ("县政府办 等",                      ["县政府办"],                           True,  "等",         False),
    ("县财政局",                         ["县财政局"],                           False, None,         False),
)
# fmt: on


@pytest.mark.parametrize(("cell", "texts", "open_ended", "tail", "all_lead"), TAIL_CASES)
def test_open_ended_lists(cell, texts, open_ended, tail, all_lead):
    units = parse_unit_list(cell)
    assert [m.text for m in units.mentions] == texts
    assert (units.open_ended, units.tail, units.all_lead) == (open_ended, tail, all_lead)


# fmt: off
SPECIAL_CASES = (
    ("相关单位",              [("相关单位", "related_units")]),
    ("被考核单位",            [("被考核单位", "assessee")]),
    ("县委办、相关单位",      [("县委办", None), ("相关单位", "related_units")]),
)
# fmt: on


@pytest.mark.parametrize(("cell", "expected"), SPECIAL_CASES)
def test_special_owners_are_marked_not_resolved(registry, cell, expected):
    mentions = split_units(cell)
    assert [(m.text, m.special) for m in mentions] == expected
    for mention in mentions:
        if mention.special:
            assert registry.resolve_mention(mention, "柞水县") is None


# fmt: off
MENTION_CASES = (
    ("县政府办（信访局）",   "柞水县", "县信访局"),
    ("县委办（县深改办）",   "柞水县", "县委全面深化改革委员会办公室"),
    ("县纪委（监委）",       "柞水县", "县纪委监委"),
    ("县纪委监委（监察委）", "柞水县", "县纪委监委"),
    ("县委组织部(县考核办)", "柞水县", "县考核委员会办公室"),
    ("县委办（督查室）",     "宁陕县", "县委办公室"),
    ("县财政局（县金融办）", None,     "县财政局"),    # unknown pair: the housing unit owns it
    ("经办中心",             "柞水县", "县社会保险经办中心"),
)
# fmt: on


@pytest.mark.parametrize(("cell", "region", "canonical"), MENTION_CASES)
def test_colocated_pair_resolves_to_one_owner(registry, cell, region, canonical):
    (mention,) = split_units(cell)
    resolution = registry.resolve_mention(mention, region)
    assert resolution is not None
    assert (resolution.canonical, resolution.resolved) == (canonical, True)


def test_roster_from_a_cell_makes_names_known(tmp_path):
    registry = DepartmentRegistry.from_tsv(rosters=None)
    assert not registry.resolve("县两路办", "柞水县").resolved
    registry.add_roster("柞水", [m.text for m in split_units("县两路办、县移民办、县档案馆")], year=2022)
    assert registry.resolve("县两路办", "柞水县").model_dump() == {
        "canonical": "县两路办",
        "resolved": True,
        "via": "roster",
    }
    assert not registry.resolve("县两路办", "佳县").resolved


# fmt: off
REGION_TEXTS = (
    ("中共宁陕县委办公室\n\n宁办字〔2019〕88号",          "宁陕县"),
    ("根据《汉中市南郑区目标责任考核指标设置办法》规定",  "南郑区"),
    ("深化“平安佳县”创建活动，佳县红色资源",              "佳县"),
    ("中共富平县委办公室\n关于印发……的通知",              "富平县"),   # unknown county, named as issuer
    ("全县各部门、县直单位要确保市考指标完成",            None),
    ("打造最佳县域营商环境",                              None),       # 最佳 + 县域, not 佳县
    ("经县委、县政府同意，现印发给你们",                  None),
)
# fmt: on


@pytest.mark.parametrize(("text", "region"), REGION_TEXTS)
def test_detect_region(text, region):
    assert detect_region(text) == region


@pytest.mark.parametrize(
    ("prefix", "region"), [("000", "柞水县"), ("001", "宁陕县"), ("002", "佳县"), ("003", "南郑区"), ("004", "柞水县")]
)
def test_detect_region_in_seeds(prefix, region):
    assert detect_region(seed_path(prefix).read_text(encoding="utf-8")) == region


@pytest.mark.parametrize(
    ("given", "expected"), [("柞水", "柞水县"), ("柞水县", "柞水县"), ("南郑", "南郑区"), ("佳", "佳县"), ("", None)]
)
def test_canonical_region(given, expected):
    assert canonical_region(given) == expected


def test_seed_000_owner_column_resolves_without_guesses(registry):
    """Every owner cell of seed 000 附件1 resolves in 柞水 (the table is TAB-separated, owner last)."""
    lines = seed_path("000").read_text(encoding="utf-8").split("\n附件 1\n")[1].split("\n附件 2\n")[0].splitlines()
    owners = [line.split("\t")[-1] for line in lines if line.count("\t") >= 2][1:]  # no header
    assert len(owners) == 36
    unresolved = [
        mention.as_written
        for cell in owners
        for mention in split_units(cell)
        if not registry.resolve_mention(mention, "柞水县").resolved
    ]
    assert unresolved == []
