"""normalize.targets: indicator and negative-list texts into comparable targets (seed strings)."""

from __future__ import annotations

import pytest
from conftest import seed_path

from normalize.points import split_inline_points
from normalize.targets import Target, parse_targets

# Each expected target: (metric, comparator, value, unit, baseline, trigger).
Expected = tuple[str, str, float | None, str | None, str | None, bool]

# fmt: off
TARGETS: tuple[tuple[str, tuple[Expected, ...]], ...] = (
    # growth, implicit ≥, explicit ≥ (seed 002 市考 table)
    ("生产总值增长7%（2分）", (("生产总值", "growth>=", 7, "%", None, False),)),
    ("全社会固定资产投资增长12%（6分）", (("全社会固定资产投资", "growth>=", 12, "%", None, False),)),
    ("畜牧业增加值增长0.4%（0.5分）", (("畜牧业增加值", "growth>=", 0.4, "%", None, False),)),
    ("进出口贸易总额达到3000万元(0.5分）", (("进出口贸易总额", ">=", 3000, "万元", None, False),)),
    ("实际利用外资100万美元(2分）", (("实际利用外资", ">=", 100, "万美元", None, False),)),
    ("招商引资省外实际到位资金14亿元(3分）", (("招商引资省外实际到位资金", ">=", 14, "亿元", None, False),)),
    ("非公经济增加值占GDP比重达到55%(1分）", (("非公经济增加值占GDP比重", ">=", 55, "%", None, False),)),
    ("每万人常住人口全科医生达到1.8名(0.5分）", (("每万人常住人口全科医生", ">=", 1.8, "名", None, False),)),
    ("规上工业企业科学研究与试验发展投入经费占GDP比重达0.3%",
     (("规上工业企业科学研究与试验发展投入经费占GDP比重", ">=", 0.3, "%", None, False),)),
    ("农机总动力突破14万千瓦", (("农机总动力", ">=", 14, "万千瓦", None, False),)),
    ("营造林面积4万亩(2分）", (("营造林面积", ">=", 4, "万亩", None, False),)),
    ("蔬菜总产量1.9万吨（0.5分）", (("蔬菜总产量", ">=", 1.9, "万吨", None, False),)),
    ("公共文化服务体系建设年度任务完成率100%(2分）",
     (("公共文化服务体系建设年度任务完成率", ">=", 100, "%", None, False),)),
    ("完成乡村振兴示范村17个(1分）", (("乡村振兴示范村", ">=", 17, "个", None, False),)),
    ("水保治理面积1.55km²", (("水保治理面积", ">=", 1.55, "km²", None, False),)),
    # inclusive thresholds (以上 includes the number, DOMAIN §3.4)
    ("城市环境空气质量优良天数不少于290天(3分）", (("城市环境空气质量优良天数", ">=", 290, "天", None, False),)),
    ("年末耕地保有量不低于77万亩", (("年末耕地保有量", ">=", 77, "万亩", None, False),)),
    ("城乡居民基本医疗保险参保率达到95%以上", (("城乡居民基本医疗保险参保率", ">=", 95, "%", None, False),)),
    ("开展脱贫攻坚等相关政策业务培训3次以上。", (("开展脱贫攻坚等相关政策业务培训", ">=", 3, "次", None, False),)),
    ("全年落实帮扶资金800万元以上", (("落实帮扶资金", ">=", 800, "万元", None, False),)),
    ("重大动物疫病群体免疫抗体合格率全年保持在70％以上",
     (("重大动物疫病群体免疫抗体合格率", ">=", 70, "%", None, False),)),
    ("组织至少4次全面深化改革委员会会议", (("组织全面深化改革委员会会议", ">=", 4, "次", None, False),)),
    ("妇幼“农免项目”住院分娩率≥97%", (("妇幼“农免项目”住院分娩率", ">=", 97, "%", None, False),)),
    # at most: lower is better (不超过 is not 超过)
    ("城镇登记失业率控制在4.3%以内（1分）", (("城镇登记失业率", "<=", 4.3, "%", None, False),)),
    ("道路交通事故死亡人数不超过2人（0.5分）", (("道路交通事故死亡人数", "<=", 2, "人", None, False),)),
    ("细颗粒物PM2.5浓度年均值不高于35微克/立方米(3分）",
     (("细颗粒物PM2.5浓度年均值", "<=", 35, "微克/立方米", None, False),)),
    ("土地卫片违法比例不超15%", (("土地卫片违法比例", "<=", 15, "%", None, False),)),
    ("森林火灾发生率控制在0.12‰以内", (("森林火灾发生率", "<=", 0.12, "‰", None, False),)),
    ("提高公文质量,公文差错率控制在1‰以内", (("公文差错率", "<=", 1, "‰", None, False),)),
    ("年内人口出生率控制在11.3‰以内，自然增长率控制在6.1‰",
     (("人口出生率", "<=", 11.3, "‰", None, False), ("自然增长率", "<=", 6.1, "‰", None, False))),
    # reductions with baselines; 分别 lists zip with the metrics
    ("单位GDP二氧化碳排放强度较上年度降低2%(2分）",
     (("单位GDP二氧化碳排放强度", "reduction>=", 2, "%", "上年度", False),)),
    ("完成单位GDP能耗下降3.1%(2分）", (("单位GDP能耗", "reduction>=", 3.1, "%", None, False),)),
    ("化学需氧量、氨氮、二氧化硫、氮氧化物排放量较2015年分别下降10%、15%、23%、23%(4分）", (
        ("化学需氧量排放量", "reduction>=", 10, "%", "2015", False),
        ("氨氮排放量", "reduction>=", 15, "%", "2015", False),
        ("二氧化硫排放量", "reduction>=", 23, "%", "2015", False),
        ("氮氧化物排放量", "reduction>=", 23, "%", "2015", False),
    )),
    ("精简发文数量,县政府及其办公室发文较去年减少3%。",
     (("县政府及其办公室发文", "reduction>=", 3, "%", "去年", False),)),
    ("实现进京访、赴省访、到市访同比下降20%以上",
     (("进京访、赴省访、到市访", "reduction>=", 20, "%", "上年同期", False),)),
    ("较去年只减不增", (("", "not_above_previous", None, None, "去年", False),)),
    ("确保2019年度年报公示率不低于上年度水平。", (("2019年度年报公示率", ">=", None, None, "上年度", False),)),
    # categorical
    ("佳芦河崔家河底断面水质均达到Ⅱ类（3分）", (("佳芦河崔家河底断面水质", "==", 2, "类", None, False),)),
    ("断面水质达到III类", (("断面水质", "==", 3, "类", None, False),)),
    # several targets in one indicator
    ("新增高新技术企业1家，净增科技型中小企业10家（0.5分）",
     (("新增高新技术企业", ">=", 1, "家", None, False), ("净增科技型中小企业", ">=", 10, "家", None, False))),
    ("粮食播种面积86.2万亩、农田整治2.93万亩（0.5分）",
     (("粮食播种面积", ">=", 86.2, "万亩", None, False), ("农田整治", ">=", 2.93, "万亩", None, False))),
    ("规上文化企业营业收入增长8%，新增规上文化企业1个(2分）",
     (("规上文化企业营业收入", "growth>=", 8, "%", None, False), ("新增规上文化企业", ">=", 1, "个", None, False))),
    ("羊子饲养量1.6万只、生猪存栏1500头",
     (("羊子饲养量", ">=", 1.6, "万只", None, False), ("生猪存栏", ">=", 1500, "头", None, False))),
    ("发展高标准农田2万亩，提升改造玉米1000亩。（1分）",
     (("发展高标准农田", ">=", 2, "万亩", None, False), ("提升改造玉米", ">=", 1000, "亩", None, False))),
    ("开展红枣、种植和畜牧等实用技术培训不少于5场次、250人次", (
        ("开展红枣、种植和畜牧等实用技术培训", ">=", 5, "场次", None, False),
        ("开展红枣、种植和畜牧等实用技术培训", ">=", 250, "人次", None, False),
    )),
    ("确保有权处理信访事项行政机关信访事项及时受理率、群众满意率达到100%和98%以上", (
        ("有权处理信访事项行政机关信访事项及时受理率", ">=", 100, "%", None, False),
        ("群众满意率", ">=", 98, "%", None, False),
    )),
    ("“增补叶酸”发放率≥95、依存率≥80",
     (("“增补叶酸”发放率", ">=", 95, None, None, False), ("依存率", ">=", 80, None, None, False))),
    ("加快办理妇幼保健院、老年养护院等10个市级重点项目前期审批手续，确保乌镇风电、县医院扩建等9个项目建成投用，"
     "流浪未成年人救助保护中心主体建成。（1分）",
     (("市级重点项目前期审批手续", ">=", 10, "个", None, False), ("项目建成投用", ">=", 9, "个", None, False))),
    ("全年开展活动100余场次，服务5000余人次",
     (("开展活动", ">=", 100, "场次", None, False), ("服务", ">=", 5000, "人次", None, False))),
    ("招商项目信息和宣传信息分别完成12条", (("招商项目信息和宣传信息", ">=", 12, "条", None, False),)),
    # quoted slogans are not numbers; Chinese numerals only as counts
    ("净增“五上”企业6家（1分）", (("净增“五上”企业", ">=", 6, "家", None, False),)),
    ("农村“三变改革”土地经营权入股村集体示范村3个(1分）",
     (("农村“三变改革”土地经营权入股村集体示范村", ">=", 3, "个", None, False),)),
    ("新增集体经济破“零”村25个（1分）", (("新增集体经济破“零”村", ">=", 25, "个", None, False),)),
    ("建成两个示范村", (("建成示范村", ">=", 2, "个", None, False),)),
    ("年内新建标准化卫生室三个", (("新建标准化卫生室", ">=", 3, "个", None, False),)),
    ("打赢“三场硬仗”，落实三项机制", (("打赢“三场硬仗”，落实三项机制", "qualitative", None, None, None, False),)),
    # points glued to a name are weights, not targets (DOMAIN §2.4)
    ("卫生健康工作5分", (("卫生健康工作5分", "qualitative", None, None, None, False),)),
    # dates and deadlines are not targets
    ("按时完成2020年农村危房改造年度任务；完成2020年度城乡环卫一体化工作目标任务；",
     (("按时完成2020年农村危房改造年度任务；完成2020年度城乡环卫一体化工作目标任务",
       "qualitative", None, None, None, False),)),
    # qualitative
    ("见专项责任书。", (("见专项责任书", "qualitative", None, None, None, False),)),
    ("完成年度脱贫攻坚任务。", (("完成年度脱贫攻坚任务", "qualitative", None, None, None, False),)),
    ("谢家沟万只红枣湖羊养殖基地建成使用。（1分）",
     (("谢家沟万只红枣湖羊养殖基地建成使用", "qualitative", None, None, None, False),)),
    # negative-list triggers (seed 002 负面清单): the comparator is the event that costs points
    ("扫黑除恶专项斗争考评未达到84分的", (("扫黑除恶专项斗争考评", "<", 84, "分", None, True),)),
    ("公众对社会治安的满意率未达到94%的", (("公众对社会治安的满意率", "<", 94, "%", None, True),)),
    ("营商环境综合评分未达到80分以上的", (("营商环境综合评分", "<", 80, "分", None, True),)),
    ("辖区内发生重大金融风险或重大非法金融活动的；年内银行企业金融机构不良贷款率超过4%的", (
        ("辖区内发生重大金融风险或重大非法金融活动的", "qualitative", None, None, None, True),
        ("银行企业金融机构不良贷款率", ">", 4, "%", None, True),
    )),
    ("药品、医疗器械、化妆品违法案件结案率低于90%或行政处罚案件信息公开率低于100%的", (
        ("药品、医疗器械、化妆品违法案件结案率", "<", 90, "%", None, True),
        ("行政处罚案件信息公开率", "<", 100, "%", None, True),
    )),
    ("因退役军人政策未落实引起进京赴省上访量高于去年的",
     (("因退役军人政策未落实引起进京赴省上访量", ">", None, None, "去年", True),)),
    ("发生较大生产安全责任事故起数超过近三年平均数的",
     (("发生较大生产安全责任事故起数", ">", None, None, "近三年平均", True),)),
    ("教育经费投入总额低于上一年度的", (("教育经费投入总额", "<", None, None, "上一年度", True),)),
    ("发生1次重大食品安全事件的", (("发生重大食品安全事件", ">=", 1, "次", None, True),)),
    ("发生1起非法野生动物交易行为或发生1起餐饮服务单位加工制作野生动物行为的", (
        ("发生非法野生动物交易行为", ">=", 1, "起", None, True),
        ("发生餐饮服务单位加工制作野生动物行为", ">=", 1, "起", None, True),
    )),
    ("未完成隐性债务化解任务的", (("未完成隐性债务化解任务的", "qualitative", None, None, None, True),)),
    ("10月底前未完成国有企业退休人员社会化管理接受工作任务的",
     (("10月底前未完成国有企业退休人员社会化管理接受工作任务的", "qualitative", None, None, None, True),)),
    ("基本药物配备和使用比例低于国家要求；居民健康素养水平未达到逐年提升2个百分点以上目标的", (
        ("基本药物配备和使用比例", "<", None, None, "国家要求", True),
        ("居民健康素养水平", "growth<", 2, "个百分点", None, True),
    )),
    ("断面水质未达到Ⅲ类的", (("断面水质", "!=", 3, "类", None, True),)),
    ("低于90%", (("", "<", 90, "%", None, True),)),
)

DIRECTIONS = (
    ("生产总值增长7%", "higher_better"),
    ("城镇登记失业率控制在4.3%以内", "lower_better"),
    ("完成单位GDP能耗下降3.1%", "lower_better"),
    ("佳芦河崔家河底断面水质均达到Ⅱ类", "binary"),
    ("见专项责任书", "binary"),
    ("扫黑除恶专项斗争考评未达到84分的", "higher_better"),      # trigger <: the score should be high
    ("年内银行企业金融机构不良贷款率超过4%的", "lower_better"),   # trigger >: the rate should be low
    ("发生1次重大食品安全事件的", "lower_better"),
    ("较去年只减不增", "lower_better"),
    ("居民健康素养水平未达到逐年提升2个百分点以上目标的", "higher_better"),
)

VALUE_LISTS = (
    ("完成1-3项自选改革任务", 1.0, [1.0, 3.0], "项"),
    ("完成2至3项改革任务", 2.0, [2.0, 3.0], "项"),
    ("招商项目信息和宣传信息分别完成12条", 12.0, [], "条"),
    ("各类培训分别达到10次、20次、30次", None, [10.0, 20.0, 30.0], "次"),
)
# fmt: on


def _summary(target: Target) -> Expected:
    return (target.metric, target.comparator, target.value, target.unit, target.baseline, target.trigger)


@pytest.mark.parametrize(("text", "expected"), TARGETS)
def test_parse_targets(text: str, expected: tuple[Expected, ...]) -> None:
    assert tuple(_summary(t) for t in parse_targets(text)) == expected


@pytest.mark.parametrize(("text", "direction"), DIRECTIONS)
def test_direction(text: str, direction: str) -> None:
    assert [t.direction for t in parse_targets(text)] == [direction]


@pytest.mark.parametrize(("text", "value", "values", "unit"), VALUE_LISTS)
def test_value_lists(text: str, value: float | None, values: list[float], unit: str) -> None:
    (target,) = parse_targets(text)
    assert (target.value, target.values, target.unit) == (value, values, unit)


def test_raw_is_the_clause_as_written() -> None:
    first, second = parse_targets("新增高新技术企业1家，净增科技型中小企业10家（0.5分）")
    assert first.raw == "新增高新技术企业1家"
    assert second.raw == "净增科技型中小企业10家"
    (full_width,) = parse_targets("公众满意率达到９５％")
    assert (full_width.value, full_width.unit, full_width.raw) == (95.0, "%", "公众满意率达到９５％")


def _seed_002_cells(start: str, end: str) -> list[str]:
    lines = seed_path("002").read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip() == start)
    last = next(i for i, line in enumerate(lines) if i > first and line.strip() == end)
    return [line[1:] for line in lines[first:last] if line.startswith("\t") and line.strip()]


def test_seed_002_city_indicators_all_have_targets() -> None:
    cells = _seed_002_cells("2020年度市考核县指标任务分解", "负面清单考核指标")
    indicators = [text for text, points in map(split_inline_points, cells) if points is not None]
    assert len(indicators) >= 45
    quantitative = [text for text in indicators if parse_targets(text)[0].comparator != "qualitative"]
    assert len(quantitative) >= 38  # the rest: 脱贫攻坚工作成效, 县域特色 projects
    assert all(not t.trigger for text in indicators for t in parse_targets(text))


def test_seed_002_negative_list_conditions_are_triggers() -> None:
    cells = _seed_002_cells(
        "负面清单考核指标", "注：所有负面考核指标因未完成或发生事项将在年度目标责任考核各单位总分中扣除相应分值。"
    )
    conditions = [cell for cell in cells if cell.rstrip("。").endswith("的")]
    assert len(conditions) >= 30
    for text in conditions:
        targets = parse_targets(text)
        assert targets, text
        assert all(t.trigger for t in targets), text
