"""The documented changes from the 2020 to the 2021 市考 decomposition of 佳县 (our own, invented).

``CHANGES`` is the single source of truth: ``sample_content_2021`` builds the 2021 table by
applying them to the 2020 rows, ``samples/README.md`` lists them, and tests/test_cli_diff.py
asserts that ``kaohe diff`` recovers exactly these and nothing more.

Each change names the indicator as the store reads it (inline points stripped) before and after,
and the fields the diff must report (see ``frameworks.diff.FIELDS``). ``points`` / ``owner`` /
``category`` are the 2021 cells when they change (``owner`` as written: the first unit leads).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    kind: str  # changed | added | removed
    before: str | None  # the 2020 indicator text (None for an addition)
    after: str | None  # the 2021 indicator text (None for a removal)
    fields: tuple[str, ...] = ()
    note: str = ""  # what changed, for people
    points: str | None = None  # the 2021 points; "" removes them
    owner: str | None = None  # the 2021 owner cell
    category: str | None = None  # the 2021 category (an addition's category, or a move)


def _target(before: str, after: str, note: str, *extra: str, **cells: str) -> Change:
    return Change("changed", before, after, ("target", *extra), note, **cells)


CHANGES: tuple[Change, ...] = (
    # --- targets (values, comparators, units) and points moved inside a category
    _target("生产总值增长7%", "生产总值增长6.5%", "目标 7% → 6.5%；分值 2 → 3", "points", points="3"),
    _target(
        "全社会固定资产投资增长12%", "全社会固定资产投资增长10%", "目标 12% → 10%；分值 6 → 5", "points", points="5"
    ),
    _target("社会消费品零售总额增长11.7%", "社会消费品零售总额增长9%", "目标 11.7% → 9%"),
    _target(
        "进出口贸易总额达到3000万元",
        "进出口贸易总额达到0.5亿元",
        "目标 3000万元 → 0.5亿元（单位）；牵头 县工业商贸局 → 县发展改革和科技局",
        "lead",
        owner="县发展改革和科技局",
    ),
    _target(
        "招商引资省外实际到位资金14亿元",
        "招商引资省外实际到位资金15亿元",
        "目标 14亿元 → 15亿元；分值 3 → 2.5",
        "points",
        points="2.5",
    ),
    _target("净增“五上”企业6家", "净增“五上”企业8家", "目标 6家 → 8家"),
    _target(
        "城镇居民人均可支配收入增长8.2%",
        "城镇居民人均可支配收入增长7.5%",
        "目标 8.2% → 7.5%；分值 3 → 2.5",
        "points",
        points="2.5",
    ),
    _target(
        "农村居民人均可支配收入增长8.7%",
        "农村居民人均可支配收入增长8.5%",
        "目标 8.7% → 8.5%；分值 3 → 3.5",
        "points",
        points="3.5",
    ),
    _target("城镇登记失业率控制在4.3%以内", "城镇登记失业率控制在4.5%以内", "目标 ≤4.3% → ≤4.5%"),
    _target("每万人常住人口全科医生达到1.8名", "每万人常住人口全科医生达到2名", "目标 1.8名 → 2名"),
    _target("县域内就诊率达到85%", "县域内就诊率达到90%", "目标 85% → 90%"),
    _target(
        "水果总产量增长2.6%",
        "水果总产量达到30万吨",
        "比较方式 增长≥2.6% → 总量≥30万吨（比较符、数值、单位与表述都变；匹配置信度低）",
        "wording",
    ),
    _target(
        "粮食播种面积86.2万亩、农田整治2.93万亩",
        "粮食播种面积86.5万亩、农田整治3万亩",
        "目标 86.2万亩、2.93万亩 → 86.5万亩、3万亩",
    ),
    _target("城市环境空气质量优良天数不少于290天", "城市环境空气质量优良天数不少于300天", "目标 290天 → 300天"),
    _target(
        "技术合同成交总金额达到800万元", "技术合同成交额达到1000万元", "更名并调目标 800万元 → 1000万元", "wording"
    ),
    # --- renames (wording only)
    Change(
        "changed",
        "非公经济增加值占GDP比重达到55%",
        "民营经济增加值占GDP比重达到55%",
        ("wording",),
        "更名 非公经济 → 民营经济",
    ),
    Change(
        "changed",
        "谢家沟万只红枣湖羊养殖基地建成使用",
        "谢家沟万只红枣湖羊养殖基地达产达效",
        ("wording",),
        "表述 建成使用 → 达产达效",
    ),
    # --- owners
    Change(
        "changed",
        "脱贫攻坚工作成效",
        "脱贫攻坚工作成效",
        ("lead",),
        "牵头 县扶贫办 → 县乡村振兴局（新单位）",
        owner="县乡村振兴局",
    ),
    Change(
        "changed",
        "规上文化企业营业收入增长8%，新增规上文化企业1个",
        "规上文化企业营业收入增长8%，新增规上文化企业1个",
        ("lead",),
        "牵头 县委宣传部 → 县文化旅游和文物广电局",
        owner="县文旅局",
    ),
    Change(
        "changed",
        "单位GDP二氧化碳排放强度较上年度降低2%",
        "单位GDP二氧化碳排放强度较上年度降低2%",
        ("lead", "cooperating"),
        "牵头 县环保局 → 县发展改革和科技局，县环保局改为配合",
        owner="县发展改革和科技局、县环保局",
    ),
    Change(
        "changed",
        "建设县、镇两级标准化创业中心4个",
        "建设县、镇两级标准化创业中心4个",
        ("cooperating",),
        "配合单位 增加 县工业商贸局",
        owner="县人社局、县工业商贸局",
    ),
    Change(
        "changed",
        "加快办理妇幼保健院、老年养护院等10个市级重点项目前期审批手续，确保乌镇风电、县医院扩建等9个项目建成投用，"
        "流浪未成年人救助保护中心主体建成",
        "加快办理妇幼保健院、老年养护院等10个市级重点项目前期审批手续，确保乌镇风电、县医院扩建等9个项目建成投用，"
        "流浪未成年人救助保护中心主体建成",
        ("cooperating",),
        "配合单位 去掉 县民政局",
        owner="县发改局、县卫健局",
    ),
    # --- category move, points given
    Change(
        "changed",
        "发展高标准农田2万亩，提升改造玉米1000亩",
        "发展高标准农田2万亩，提升改造玉米1000亩",
        ("category",),
        "类别 县域特色指标 → 乡村振兴",
        category="乡村振兴",
    ),
    Change(
        "changed",
        "在县政务服务中心设立“园区审批窗口”，实行项目审批“全程代办”制度。",
        "在县政务服务中心设立“园区审批窗口”，实行项目审批“全程代办”制度",
        ("points",),
        "分值 无 → 1",
        points="1",
    ),
    # --- removals
    Change("removed", "道路交通事故死亡人数不超过2人", None, note="删除（民生保障 0.5分）"),
    Change("removed", "农村“三变改革”土地经营权入股村集体示范村3个", None, note="删除（乡村振兴 1分）"),
    Change("removed", "建成扶贫农场（工厂）1个", None, note="删除（县域特色指标 1分）"),
    Change("removed", "反映毛主席在佳县一百天长篇小说《曙光》启动创作。", None, note="删除（县域特色指标，无分值）"),
    # --- additions
    Change(
        "added",
        None,
        "数字经济增加值增长10%",
        note="新增（经济发展 0.5分）",
        points="0.5",
        owner="县工业商贸局",
        category="经济发展",
    ),
    Change(
        "added",
        None,
        "城镇新增就业2000人",
        note="新增（民生保障 0.5分）",
        points="0.5",
        owner="县人社局",
        category="民生保障",
    ),
    Change(
        "added",
        None,
        "森林覆盖率达到36%",
        note="新增（生态文明 1分）",
        points="1",
        owner="县林业局",
        category="生态文明",
    ),
    Change(
        "added",
        None,
        "佳县红枣产业园一期建成投用",
        note="新增（县域特色指标 1分）",
        points="1",
        owner="县林业局",
        category="县域特色指标",
    ),
)
