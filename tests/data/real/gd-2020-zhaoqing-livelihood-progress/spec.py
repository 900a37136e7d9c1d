"""肇庆市 2020: progress table of the livelihood tasks (十件民生实事), first category, rows 1–4 (Guangdong).

Rebuilt from https://www.zhaoqing.gov.cn/xxgk/zwgk/zxgcgk/content/post_2462763.html as stored
(`|`-separated rows). The stored text starts at the table's header row, so the page's own title is
not known: TITLE below is our label, not the page's, and no title paragraph is written. The stored
text breaks off inside the 落实进展情况 cell of row 4; that cell is kept as far as it goes. A cell
whose stored text shows two parts separated by a space ("分管 市领导", "市民政局 伍泽国",
"已完成。 从2020年…") is written as two lines.
"""

from __future__ import annotations

from sample_model import UP, Block, grid

TITLE = "肇庆市2020年民生实事落实进展情况（题名为整理者所加）"
ISSUER = ""
DATE = (2020, 12, 31)  # the stored text gives no date; placeholder for the file metadata
FORMATS = ("docx", "html", "pdf")
PAGE = {
    "site": "肇庆市人民政府",
    "host": "www.zhaoqing.gov.cn",
    "pubdate": "2020",
    "source": "",
}

LEADER, UNIT = "陈宣群", "市民政局\n伍泽国"
ROWS = [
    ("大类", "序号", "工作任务", "分管\n市领导", "牵头单位及\n主要负责人", "落实进展情况"),
    (
        "一、继续提高底线民生保障水平",
        "1",
        "将城镇、农村低保人均最低补差水平从每人每月574元、271元分别提高到每人每月609元、300元。",
        LEADER,
        UNIT,
        "已完成。\n从2020年1月1日起,已将我市城乡低保标准提高到835元/人月;中心区补差水平提高到城镇616元/人月、"
        "农村459元/人月,山区县补差水平提高到城镇609元/人月、农村300元/人月。",
    ),
    (
        UP,
        "2",
        "特困供养人员基本生活标准不低于当地最低生活保障标准的1.6倍,且不低于当地现行特困人员基本生活标准。",
        LEADER,
        UNIT,
        "已完成。\n从2020年1月1日起,已提高我市城乡特困人员供养最低标准,其中,端州区提高到20100元/人年,"
        "鼎湖区提高到17340元/人年,高要区、四会市、广宁县、德庆县、封开县、怀集县提高到16032元/人年,"
        "肇庆高新区提高到30000元/人年。",
    ),
    (
        UP,
        "3",
        "将全市集中供养孤儿养育标准提高到每人每月2200元,将端州区、鼎湖区、高要区、四会市、肇庆高新区分散供养孤儿"
        "养育标准提高到每人每月1400元,广宁县、德庆县、封开县、怀集县分散供养孤儿养育标准提高到每人每月1180元。",
        LEADER,
        UNIT,
        "已完成。\n从2020年1月1日起,已将端州区、鼎湖区、高要区、四会市、肇庆高新区集中供养孤儿养育标准提高到"
        "2200元/人月,分散供养孤儿养育标准提高到1400元/人月;广宁县、德庆县、封开县、怀集县集中供养孤儿养育标准"
        "提高到2200元/人月,分散供养孤儿养育标准提高到1180元/人月。",
    ),
    (
        UP,
        "4",
        "将困难残疾人生活补贴和重度残疾人护理补贴标准分别从每人每年2100元、2800元提高到每人每年2200元、2900元。",
        LEADER,
        UNIT,
        "已完成。\n从2020年1月1日起,已将我市困难",
    ),
]


def blocks() -> list[Block]:
    return [grid(ROWS, (22, 10, 48, 14, 20, 42), centered_cols=(1, 3))]
