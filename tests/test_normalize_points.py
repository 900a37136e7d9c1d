"""normalize.points: points in brackets, in 分值 cells, on category cells; deductions, veto, bonus."""

from __future__ import annotations

import pytest
from conftest import seed_path

from normalize.points import (
    Deduction,
    GradedDeduction,
    parse_deduction,
    parse_points_cell,
    split_declared_points,
    split_inline_points,
)

# fmt: off
INLINE_POINTS = (
    # seed 002 市考 table (layout A): mixed widths
    ("生产总值增长7%（2分）", "生产总值增长7%", 2.0),
    ("社会消费品零售总额增长11.7%(1分）", "社会消费品零售总额增长11.7%", 1.0),
    ("进出口贸易总额达到3000万元(0.5分）", "进出口贸易总额达到3000万元", 0.5),
    ("脱贫攻坚工作成效(30分）", "脱贫攻坚工作成效", 30.0),
    ("县域内就诊率达到85%（0.5分）", "县域内就诊率达到85%", 0.5),
    ("化学需氧量、氨氮、二氧化硫、氮氧化物排放量较2015年分别下降10%、15%、23%、23%(4分）",
     "化学需氧量、氨氮、二氧化硫、氮氧化物排放量较2015年分别下降10%、15%、23%、23%", 4.0),
    ("谢家沟万只红枣湖羊养殖基地建成使用。（1分）", "谢家沟万只红枣湖羊养殖基地建成使用", 1.0),
    ("发展高标准农田2万亩，提升改造玉米1000亩。（1分）", "发展高标准农田2万亩，提升改造玉米1000亩", 1.0),
    ("新增高新技术企业1家，净增科技型中小企业10家（0.5分）", "新增高新技术企业1家，净增科技型中小企业10家", 0.5),
    ("民生保障 (10分)", "民生保障", 10.0),
    ("生产总值增长7%（ 2 分 ）", "生产总值增长7%", 2.0),
    ("增长7%（２分）", "增长7%", 2.0),                          # full-width digit
    # template placeholder (seed 000 附件2): a slot, not a value
    ("1. ; (x 分)", "1.", None),
    # no trailing bracketed group: not points
    ("扫黑除恶专项斗争考评未达到84分的", "扫黑除恶专项斗争考评未达到84分的", None),
    ("营商环境综合评分未达到80分以上的", "营商环境综合评分未达到80分以上的", None),
    ("受到省上通报批评的扣1.5分", "受到省上通报批评的扣1.5分", None),
    ("（2分）后面还有字", "（2分）后面还有字", None),
    ("反映毛主席在佳县一百天长篇小说《曙光》启动创作。", "反映毛主席在佳县一百天长篇小说《曙光》启动创作。", None),
    ("  ", "", None),
)

POINTS_CELLS = (
    ("10", 10.0),
    ("  20", 20.0),      # seed 002 (layout E), leading spaces
    ("15", 15.0),
    ("35 分", 35.0),     # seed 000 附件4 (layout F)
    ("220分", 220.0),
    ("650 分", 650.0),
    ("-0.5", -0.5),      # seed 002 负面清单 扣分分值
    ("-1.5", -1.5),
    ("（20分）", 20.0),
    ("２０", 20.0),
    ("", None),
    ("   ", None),
    ("—", None),
    ("-", None),
    ("／", None),
    (None, None),
    ("见专项责任书", None),
    ("10分/项", None),
)

DECLARED_POINTS = (
    ("经济发展\n（20分）", "经济发展", 20.0),                 # seed 002: points on their own line
    ("经济发展\n\n（20分）", "经济发展", 20.0),               # raw flattened form with the blank line
    ("民生保障           (10分)", "民生保障", 10.0),
    ("乡村振兴     (36分）", "乡村振兴", 36.0),
    ("县域特色指标       (10分)", "县域特色指标", 10.0),
    ("基层党组织建设13分", "基层党组织建设", 13.0),            # glued
    ("卫生健康工作5分", "卫生健康工作", 5.0),
    ("经济发展5分", "经济发展", 5.0),
    ("脱贫攻坚分5分", "脱贫攻坚", 5.0),                       # typo: an extra 分
    ("综治维稳扫黑除恶5分", "综治维稳扫黑除恶", 5.0),
    ("党风\n廉政\n建设\n20分", "党风廉政建设", 20.0),          # one word broken over lines
    ("意识\n\n形态\n\n工作\n\n12分", "意识形态工作", 12.0),
    ("领导班子\n\n和干部队伍建设\n\n16分", "领导班子和干部队伍建设", 16.0),
    ("落实全面从严治党主体责任\n\n20分", "落实全面从严治党主体责任", 20.0),
    ("安全\n\n稳定\n\n30分", "安全稳定", 30.0),
    ("核心 职能 目标 (800 分)", "核心职能目标", 800.0),       # seed 000 附件4
    ("党的建设 共性指标 (200 分)", "党的建设共性指标", 200.0),
    ("高质量发展综合绩效评价 指标 (1000分)", "高质量发展综合绩效评价指标", 1000.0),
    ("部门职能任务 650 分", "部门职能任务", 650.0),            # seed 000 附件2
    ("综合评分10分", "综合评分", 10.0),                        # a real word ending in 分 stays
    ("职能\n\n工作", "职能工作", None),                        # no points
    ("市考指标", "市考指标", None),
    ("·", "", None),                                           # stray glyph (seed 002, 县供销社)
    ("一、巩固成果，提升工作实效  31", "巩固成果，提升工作实效  31", None),  # bare number needs the flag
)

BARE_NUMBER_ROWS = (
    ("一、巩固成果，提升工作实效  31", "巩固成果，提升工作实效", 31.0),
    ("（二）党的建设  20", "党的建设", 20.0),
    ("经济发展\n（20分）", "经济发展", 20.0),                   # the 分 form still wins
    ("2020年度重点工作", "2020年度重点工作", None),            # a glued year is not points
)

DEDUCTIONS = (
    # (text, value cell, kind, points, graded)
    ("未完成全面建成小康社会补短板工作年度任务的", "-1.5", "deduction", -1.5, ()),
    ("新增违法违规举借政府债务的", "-0.5", "deduction", -0.5, ()),
    ("新增违法违规举借政府债务的", "0.5", "deduction", -0.5, ()),     # sign normalised once
    ("扣0.5分", None, "deduction", -0.5, ()),
    ("每次扣1分", None, "deduction", -1.0, ()),
    ("扣两分", None, "deduction", -2.0, ()),
    ("扣除相应分值", None, "deduction", None, ()),
    ("逾期提供的责任部门由县考核办根据情节扣除其年度考核相应分值", None, "deduction", None, ()),
    ("予以双倍扣分", None, "deduction", None, ()),
    ("对不注重帮扶工作，不及时入户帮扶，不履行帮扶责任，在各级督查检查中排名靠后的单位，扣除相应分值。"
     "受到省上通报批评的扣1.5分，被市上通报的扣1分，被县上通报的扣0.5分。", None, "deduction", -1.5,
     (("省", -1.5), ("市", -1.0), ("县", -0.5))),
    ("省上通报扣1.5分，市上扣1分，县上扣0.5分", None, "deduction", -1.5,
     (("省", -1.5), ("市", -1.0), ("县", -0.5))),
    ("一票否决", None, "veto", None, ()),
    ("发生重大安全生产责任事故的，实行一票否决", "-0.5", "veto", None, ()),   # veto is never a number
    ("加1分", None, "bonus", 1.0, ()),
    ("受到省级表彰的加0.5分", None, "bonus", 0.5, ()),
    ("加分", None, "bonus", None, ()),
    ("超额完成年度计划达到加分条件", None, "bonus", None, ()),
)
NOT_DEDUCTIONS = (
    ("未完成隐性债务化解任务的", None),
    ("未完成隐性债务化解任务的", ""),
    ("加强党的纪律建设", None),
    ("考评未达到84分的", None),
)
# fmt: on


@pytest.mark.parametrize(("text", "indicator", "points"), INLINE_POINTS)
def test_split_inline_points(text: str, indicator: str, points: float | None) -> None:
    assert split_inline_points(text) == (indicator, points)


@pytest.mark.parametrize(("text", "points"), POINTS_CELLS)
def test_parse_points_cell(text: str | None, points: float | None) -> None:
    assert parse_points_cell(text) == points


@pytest.mark.parametrize(("text", "name", "points"), DECLARED_POINTS)
def test_split_declared_points(text: str, name: str, points: float | None) -> None:
    assert split_declared_points(text) == (name, points)


@pytest.mark.parametrize(("text", "name", "points"), BARE_NUMBER_ROWS)
def test_split_declared_points_bare_number(text: str, name: str, points: float | None) -> None:
    assert split_declared_points(text, allow_bare_number=True) == (name, points)


@pytest.mark.parametrize(("text", "cell", "kind", "points", "graded"), DEDUCTIONS)
def test_parse_deduction(
    text: str, cell: str | None, kind: str, points: float | None, graded: tuple[tuple[str, float], ...]
) -> None:
    expected = Deduction(
        kind=kind,  # type: ignore[arg-type]
        points=points,
        graded=[GradedDeduction(level=level, points=p) for level, p in graded],
        text=text,
    )
    assert parse_deduction(text, cell) == expected


@pytest.mark.parametrize(("text", "cell"), NOT_DEDUCTIONS)
def test_parse_deduction_none(text: str, cell: str | None) -> None:
    assert parse_deduction(text, cell) is None


def _section(lines: list[str], start: str, end: str) -> list[str]:
    first = next(i for i, line in enumerate(lines) if line.strip() == start)
    last = next(i for i, line in enumerate(lines) if i > first and line.strip() == end)
    return lines[first:last]


def test_seed_002_city_table_points_do_not_reconcile() -> None:
    """DOMAIN §2.4: blocks declare 100, the indicators carry only 96 (生态文明 19/20, 县域特色 7/10)."""
    lines = seed_path("002").read_text(encoding="utf-8").splitlines()
    table = _section(lines, "2020年度市考核县指标任务分解", "负面清单考核指标")
    cells = [line[1:] for line in table if line.startswith("\t")]
    blocks = ("经济发展", "民生保障", "乡村振兴", "文化建设", "生态文明", "县域特色指标")
    heads = [c for c in cells if split_declared_points(c)[0] in blocks]
    # 经济发展's points sit on a line of their own after a blank line; rebuild that cell.
    heads = [head + "\n（20分）" if head == "经济发展" else head for head in heads]
    declared = dict(map(split_declared_points, heads))
    assert declared == {
        "经济发展": 20,
        "民生保障": 10,
        "乡村振兴": 36,
        "文化建设": 4,
        "生态文明": 20,
        "县域特色指标": 10,
    }
    indicator_points = [split_inline_points(c)[1] for c in cells if split_declared_points(c)[0] not in blocks]
    assert sum(p for p in indicator_points if p is not None) == 96.0
    assert indicator_points.count(None) > 0  # owner cells, empty cells, 3 unscored 县域特色 rows


def test_seed_002_negative_list_deductions() -> None:
    """DOMAIN §2.7: two rows at −1.5, 37 at −0.5 (one header repeat in between), one graded row."""
    lines = seed_path("002").read_text(encoding="utf-8").splitlines()
    table = _section(
        lines,
        "负面清单考核指标",
        "注：所有负面考核指标因未完成或发生事项将在年度目标责任考核各单位总分中扣除相应分值。",
    )
    values = [parse_points_cell(line) for line in table if line.startswith("\t-")]
    assert values.count(-1.5) == 2
    assert values.count(-0.5) == 37
    graded_row = next(line[1:] for line in table if "通报" in line and "扣" in line)
    deduction = parse_deduction(graded_row)
    assert deduction is not None
    assert [g.points for g in deduction.graded] == [-1.5, -1.0, -0.5]
