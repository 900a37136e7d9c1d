"""Issue 14: units as people type them (``kaohe dept``), totals per framework kind, prose once per notice.

The look-up is table-driven over the registry and hand-made lists of the units the store knows in
the samples' regions (佳县, 柞水县); the command is checked end to end on the samples.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES

from cli import cli, ingest_command
from normalize.departments import default_registry
from normalize.unit_lookup import KnownUnits, lookup_unit
from store import Store
from store.dept_view import FrameworkLoad, mentions_by_notice
from store.queries import mentions
from store.results import FrameworkRef, IndicatorAnswer, SourceRef
from store.unit_queries import RegionUnknown, find_unit

JIA = KnownUnits(
    region="佳县",
    names=frozenset({"县发展改革和科技局", "县林业局", "县教育和体育局", "县财政局", "县委办公室", "县委政法委",
                     "榆林市生态环境局佳县分局", "相关单位"}),
    aliases={"县发改局": "县发展改革和科技局", "县生态环保局": "榆林市生态环境局佳县分局"},
)  # fmt: skip
ZHA = KnownUnits(
    region="柞水县",
    names=frozenset({"县发展和改革局", "县林业局", "县科教局", "县科技局", "县财政局", "县委组织部", "县纪委监委",
                     "县委办公室"}),
    aliases={"县发改局": "县发展和改革局"},
)  # fmt: skip
# A made-up county with two bureaus that 县教育局 could mean, and an office under both 县 and 县委.
TWO_BUREAUS = KnownUnits(
    region="洋县", names=frozenset({"县教育和体育局", "县教育科技局", "县林业局", "县督查办", "县委督查办"})
)
SAMPLE_REGIONS = (JIA, ZHA)

# fmt: off
RESOLVED = (
    # typed,             --region,  (region, unit, via) per region found
    ("县林业局",           None,     (("佳县", "县林业局", "exact"), ("柞水县", "县林业局", "exact"))),
    ("林业局",             None,     (("佳县", "县林业局", "prefix"), ("柞水县", "县林业局", "prefix"))),
    ("林业局",             "佳县",   (("佳县", "县林业局", "prefix"),)),
    ("发改局",             "佳县",   (("佳县", "县发展改革和科技局", "prefix"),)),
    ("发改局",             "柞水",   (("柞水县", "县发展和改革局", "prefix"),)),
    ("县发改局",           "柞水县", (("柞水县", "县发展和改革局", "alias"),)),
    ("教体局",             None,     (("佳县", "县教育和体育局", "prefix"),)),
    ("县教体局",           None,     (("佳县", "县教育和体育局", "alias"),)),
    ("县教育局",           None,     (("佳县", "县教育和体育局", "partial"),)),
    ("教育局",             "佳县",   (("佳县", "县教育和体育局", "partial"),)),
    ("县 教育局",          None,     (("佳县", "县教育和体育局", "partial"),)),
    ("组织部",             None,     (("柞水县", "县委组织部", "prefix"),)),
    ("政法委",             "佳县",   (("佳县", "县委政法委", "prefix"),)),
    ("县纪委",             None,     (("柞水县", "县纪委监委", "alias"),)),
    ("环保局",             None,     (("佳县", "榆林市生态环境局佳县分局", "prefix"),)),
    ("佳县林业局",         None,     (("佳县", "县林业局", "exact"),)),
    ("中共柞水县委组织部", None,     (("柞水县", "县委组织部", "exact"),)),
    ("县科技局",           None,     (("柞水县", "县科技局", "exact"),)),
)
AMBIGUOUS = (
    # typed,      --region, candidates,                                                          message
    ("发改局",    None,     (("佳县", "县发展改革和科技局"), ("柞水县", "县发展和改革局")),
     "“发改局”可指不同的单位：佳县 县发展改革和科技局；柞水县 县发展和改革局。"),
    ("县发改局",  None,     (("佳县", "县发展改革和科技局"), ("柞水县", "县发展和改革局")),
     "“县发改局”可指不同的单位：佳县 县发展改革和科技局；柞水县 县发展和改革局。"),
    ("县教育局",  "洋县",   (("洋县", "县教育和体育局"), ("洋县", "县教育科技局")),
     "“县教育局”可指不同的单位：洋县 县教育和体育局、县教育科技局。"),
    ("督查办",    "洋县",   (("洋县", "县督查办"), ("洋县", "县委督查办")),
     "“督查办”可指不同的单位：洋县 县督查办、县委督查办。"),
)
NOT_FOUND = (
    # typed,          --region, message
    ("县体育局",      None,     "没有找到单位“县体育局”。你是否要找：县教育和体育局（佳县）？"),
    ("县体育局",      "佳县",   "没有找到单位“县体育局”。你是否要找：县教育和体育局？"),
    ("县教育局",      "柞水县", "没有找到单位“县教育局”。你是否要找：县科教局？"),
    ("没有这个单位",  None,     "没有找到单位“没有这个单位”。"),
    ("相关单位",      None,     "没有找到单位“相关单位”。"),  # not a unit (DOMAIN §2.6)
    ("县林业局",      "宁陕县", "没有找到单位“县林业局”。"),  # a region the store has nothing of
)
# fmt: on


def look(name: str, region: str | None, stores: tuple[KnownUnits, ...] = SAMPLE_REGIONS) -> object:
    return lookup_unit(name, stores, default_registry(), region=region)


@pytest.mark.parametrize(("name", "region", "expected"), RESOLVED)
def test_a_name_as_people_type_it_resolves_per_region(name: str, region: str | None, expected: tuple) -> None:
    found = look(name, region)
    assert [(m.region, m.unit, m.via) for m in found.matches] == list(expected)  # type: ignore[attr-defined]
    assert not found.candidates and found.problem() is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "region", "candidates", "message"), AMBIGUOUS)
def test_an_ambiguous_name_lists_its_candidates_and_merges_nothing(
    name: str, region: str | None, candidates: tuple, message: str
) -> None:
    found = look(name, region, (*SAMPLE_REGIONS, TWO_BUREAUS))
    assert not found.found and found.units == []  # type: ignore[attr-defined]
    assert [(m.region, m.unit) for m in found.candidates] == list(candidates)  # type: ignore[attr-defined]
    assert found.problem() == message  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "region", "message"), NOT_FOUND)
def test_nothing_resolves_suggests_the_closest(name: str, region: str | None, message: str) -> None:
    found = look(name, region)
    assert not found.found and not found.candidates  # type: ignore[attr-defined]
    assert found.problem() == message  # type: ignore[attr-defined]


def test_how_a_name_was_understood() -> None:
    assert look("发改局", "佳县").understood_as() == "“发改局”即 佳县 县发展改革和科技局"  # type: ignore[attr-defined]
    assert look("县林业局", None).understood_as() is None  # type: ignore[attr-defined]  # the unit's own name


# -- totals per framework kind (pure) ----------------------------------------------


def answer(n: int, points: float | None, kind: str = "deduction", relation: str = "lead") -> IndicatorAnswer:
    return IndicatorAnswer(
        id=n, indicator=f"第{n}项", points=points, kind=kind, lead="县财政局", lead_as_written="县财政局",
        role="responsible", inherited=False, category=None, relation=relation,
        framework=FrameworkRef(id=1, title="负面清单考核指标", region="佳县", year=2020, assessee=None),
        source=SourceRef(file="a.docx", page=None, table=1, row=n),
    )  # fmt: skip


def test_deductions_are_shown_as_deductions_never_as_points() -> None:
    from store.copies import merge_copies

    load = FrameworkLoad("负面清单考核指标", "佳县", 2020, None, 1, kind="negative_list", unit="县财政局")
    rows = [answer(1, -0.5), answer(2, -1.5), answer(3, None), answer(4, -0.5, relation="cooperating")]
    for merged in merge_copies(rows):
        load.add(merged)
    assert load.summary == "扣分项 3 项，最多扣 2 分（另 1 项按情形扣分）；配合 1 项"
    assert (load.points, load.subtotal) == (0, -2)


# -- end to end on the samples -------------------------------------------------------

NOTICES = (
    "佳县2020年度目标责任考核指标.docx",
    "佳县2020年度目标责任考核指标.html",
    "佳县2020年度目标责任考核指标.pdf",
    "佳县2020年度目标责任考核指标.txt",
    "佳县2021年度目标责任考核指标.docx",
    "佳县2021年度目标责任考核指标.txt",
    "柞水县2022年度考核指标申报通知.html",
    "柞水县2022年度考核指标申报通知.txt",
    "柞水县年度目标责任考核工作办法.docx",  # a standing 办法: no assessment year, dated 2022
)
TOTALS_NOTE = "（各类分别统计，不相加：本单位考核表按满分计，任务分解计牵头指标的分值，负面清单列扣分。）"
# 佳县 2020, hand-counted in samples/佳县2020年度目标责任考核指标.txt: the points of the 市考 rows whose
# 责任单位 cell is (or inherits) 县发展改革和科技局 — 经济发展 2 6 2 3 1.5 1 0.5 0.5 1, 民生保障 3 3, 生态文明 2,
# 县域特色指标 1 1 — and its three 负面清单 rows (知识产权, 营商环境, 信用体系) of -0.5 each.
CITY_POINTS = (2, 6, 2, 3, 1.5, 1, 0.5, 0.5, 1, 3, 3, 2, 1, 1)
DEDUCTIONS = (-0.5, -0.5, -0.5)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dept-notices")
    for name in NOTICES:
        shutil.copy(SAMPLES / name, folder / name)
    path = tmp_path_factory.mktemp("dept-store") / "kaohe.db"  # its own: the base folder is shared
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(path), "-s"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def dept(db: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["dept", *args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_totals_per_kind_on_the_2020_sample(db: Path) -> None:
    result = dept(db, "发改局", "--region", "佳县", "--year", "2020")
    assert result.stderr == "“发改局”即 佳县 县发展改革和科技局\n"
    assert sum(CITY_POINTS) == 27.5 and -sum(DEDUCTIONS) == 1.5
    assert result.stdout.startswith(
        "佳县 2020 县发展改革和科技局\n"
        "  本单位考核表 · 县直部门目标责任考核指标：承担 13 项，计 100 分（满分 100 分）\n"
        f"  任务分解 · 2020年度市考核县指标任务分解：牵头 {len(CITY_POINTS)} 项，计 27.5 分\n"
        f"  负面清单 · 负面清单考核指标：扣分项 {len(DEDUCTIONS)} 项，最多扣 1.5 分\n"
        f"{TOTALS_NOTE}\n"
    )
    assert "127.5" not in result.stdout and "项 0 分" not in result.stdout
    office = dept(db, "县委办", "--region", "佳县", "--year", "2020").stdout  # -1.5 twice (生态文明 inherits 县委办)
    assert "  负面清单 · 负面清单考核指标：扣分项 2 项，最多扣 3 分\n" in office


def test_the_terminal_and_the_sheet_say_the_same(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "发改局.md"
    dept(db, "发改局", "--region", "佳县", "--year", "2020", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "## 一、县直部门目标责任考核指标（县发展改革和科技局）——本单位考核表：承担 13 项，计 100 分" in text
    assert "## 二、2020年度市考核县指标任务分解——任务分解：牵头 14 项，计 27.5 分" in text
    assert "## 三、负面清单考核指标——负面清单：扣分项 3 项，最多扣 1.5 分" in text
    assert "| **小计** | **-1.5** |" in text and "合计" not in text  # deductions are negative, kinds never summed
    xlsx = tmp_path / "林业局.xlsx"
    dept(db, "林业局", "-o", str(xlsx))  # two regions, three years: one section each
    from openpyxl import load_workbook

    cells = [c for row in load_workbook(xlsx).active.iter_rows(values_only=True) for c in row if c]
    assert "合计" not in cells
    own = "本单位考核表：承担 10 项，计 100 分（满分 100 分）"
    assert f"二、佳县2020年度县直部门目标责任考核指标（县林业局）——{own}" in cells


def test_without_the_county_and_with_the_bureaus_full_name(db: Path) -> None:
    forestry = dept(db, "林业局")
    assert forestry.stderr == "“林业局”即 佳县 县林业局；柞水县 县林业局\n"
    heads = [line for line in forestry.stdout.splitlines() if line and not line.startswith((" ", "（"))][:3]
    assert heads == ["佳县 2021 县林业局", "佳县 2020 县林业局", "柞水县 2022 县林业局"]  # per region, never added up
    sports = dept(db, "县教育局", "--year", "2020")
    assert sports.stderr == "“县教育局”即 佳县 县教育和体育局\n"
    assert "  负面清单 · 负面清单考核指标：扣分项 1 项，最多扣 0.5 分\n" in sports.stdout
    assert dept(db, "教体局").stdout == dept(db, "县教育和体育局").stdout


def test_an_ambiguous_name_asks_to_choose(db: Path) -> None:
    result = dept(db, "发改局", code=1)
    assert result.stdout == ""
    assert result.stderr == (
        "错误：“发改局”可指不同的单位：佳县 县发展改革和科技局；柞水县 县发展和改革局。"
        "请用 --region 选定地区，或输入单位全称。\n"
    )
    assert dept(db, "发改局", "--json", code=1).stdout == ""


def test_nothing_found_suggests_and_exits_1(db: Path) -> None:
    result = dept(db, "县体育局", code=1)
    assert result.stderr == "错误：没有找到单位“县体育局”。你是否要找：县教育和体育局（佳县）？\n"
    result = dept(db, "县林业局", "--region", "宁陕", code=1)
    assert result.stderr == "错误：库中没有地区“宁陕县”的单位；库中的地区：佳县、柞水县\n"
    result = dept(db, "县财政局", "--region", "佳县", "--year", "2019", code=1)
    assert result.stderr == "错误：县财政局：库中没有 2019 年度相关的指标或正文提及\n"


def test_prose_once_per_notice_and_by_year(db: Path) -> None:
    out = dept(db, "县林业局", "--region", "佳县", "--year", "2020").stdout
    prose = out.split("正文提及", 1)[1]
    assert prose == (
        "（1 份通知）:\n"
        "  佳县考核委员会办公室关于印发《2020年度目标责任考核指标》的通知\n"
        "    佳县2020年度目标责任考核指标.docx|html|pdf|txt 段42：…2.县林业局…\n"
    )
    assert "正文提及" not in dept(db, "县林业局", "--region", "佳县", "--year", "2021").stdout
    zhashui = dept(db, "县发改局", "--region", "柞水县", "--year", "2022").stdout
    assert "正文提及（2 份通知）" in zhashui  # the 2022 notice and the 办法 dated 2022
    assert "柞水县年度目标责任考核工作办法.docx 段19：" in zhashui
    none = dept(db, "县发展和改革局", "--region", "柞水县", "--year", "2021", code=1)
    assert none.stderr == "错误：县发展和改革局：库中没有 2021 年度相关的指标或正文提及\n"


def test_mentions_of_the_store_filter_by_year_and_fold_copies(db: Path) -> None:
    store = Store(db, read_only=True)
    try:
        lookup = find_unit(store.db, "林业局", "佳县")
        rows = mentions(store.db, lookup.units, year=2020)
        assert len(rows) == 4  # one paragraph in each stored copy
        (notice,) = mentions_by_notice(rows)
        assert len(notice.paragraphs) == 1 and len(notice.paragraphs[0].files) == 4
        assert mentions(store.db, lookup.units, year=2021) == []
        with pytest.raises(RegionUnknown):
            find_unit(store.db, "林业局", "宁陕县")
    finally:
        store.close()
