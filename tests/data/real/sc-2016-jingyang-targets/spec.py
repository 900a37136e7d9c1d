"""德阳市旌阳区人民政府 2016: 经济社会发展目标任务分解表 (四川 德阳).

Rebuilt from the page text stored by the search corpus (a mirror site, one cell per line).
Cell texts are kept as stored, including the two 监考单位 written together with no separator
(区发改局区统计局), the two spellings 区发改局 / 区发改委, and the spaces in
``新引进 5 亿元以上重大项目`` and ``低于 4.1``. Merges are inferred from rows that show fewer
cells than their neighbours (see SOURCE.md). The stored text breaks off inside the 26th row;
the table here ends with the last complete row.
"""

from __future__ import annotations

from sample_model import LEFT, PAGE_BREAK, UP, Block, Para, grid

TITLE = "旌阳区2016年度经济社会发展目标任务分解表"
ISSUER = "德阳市旌阳区人民政府"
DATE = (2016, 8, 18)
FORMATS = ("docx", "html", "pdf")
PAGE = {"site": "zxyzs.com", "host": "zxyzs.com", "pubdate": "2016-08-18", "source": "德阳市旌阳区人民政府"}

AVG = "年终根据全省平均水平综合考核"
ROWS = [
    ("项 目", LEFT, "分值", "目标任务", "监考单位"),
    ("宏观调控", "地区生产总值增长率", "3", AVG, "区发改局区统计局"),
    (UP, "规模以上工业增加值增长率", "3", AVG, "区经信局区统计局"),
    (UP, "服务业增加值增长率", "3", AVG, "区商务局区统计局"),
    (UP, "社会消费品零售总额增长率", "3", UP, UP),
    (UP, "地方公共财政收入增长率", "3", AVG, "区财政局"),
    (UP, "税收占地方公共财政收入的比重及变化率", "2", UP, UP),
    (UP, "全社会固定资产投资额", "3", "186", "区发改委区统计局"),
    (UP, "完成重点项目年度投资计划", "2", "18.4", UP),
    (UP, "建筑业总产值", "1", "140", "区住建局"),
    (UP, "工业投资", "1", "52", "区经信局区统计局"),
    ("宏观调控", "引进国内省外实际到位资金", "1", "62", "区投促局"),
    (UP, "新引进 5 亿元以上重大项目", "3", "9", UP),
    (UP, "外商投资实际到位资金", "1", "1500", "区商务局"),
    (UP, "外贸进出口额", "1", "10000", UP),
    (UP, "地方政府债务率", "0.5", "年终按财政部认可警戒线比较考核", "区财政局"),
    (UP, "地方政府新增债务率", "0.5", AVG, UP),
    (UP, "高新技术产业总产值", "1", "290", "区科技局"),
    (UP, "创新创业孵化载体", "1", "1", UP),
    (UP, "淘汰落后产能任务完成率", "1", "100", "区经信局"),
    (UP, "技改投资", "1", "46", UP),
    (UP, "银行新增贷款额", "1", "15", "区金融办"),
    (UP, "发明专利申请量", "1", "210", "区科技局"),
    ("公共服务", "城镇新增就业人数", "1", "5800", "区人社局"),
    (UP, "城镇登记失业率", "1", "低于 4.1", UP),
]


def blocks() -> list[Block]:
    return [
        Para("各乡镇人民政府,区级各有关部门:", "recipients"),
        Para(
            "根据《德阳市人民政府关于下达全市2016年度经济社会发展目标任务的通知》要求及区委、区政府年度工作安排,"
            "现将全区2016年度经济社会发展目标任务下达你们,请及时对照分解、强化措施,确保按时完成全年目标任务。",
            "body",
        ),
        Para("特此通知", "body"),
        Para("附件:旌阳区2016年度经济社会发展任务分解表", "attachment_note"),
        Para(ISSUER, "signature"),
        Para("2016年8月18日", "date"),
        PAGE_BREAK,
        Para("附件", "attachment_label"),
        Para("旌阳区2016年度经济社会发展目标任务分解表", "attachment_title"),
        grid(ROWS, (18.0, 58.0, 12.0, 38.0, 30.0), centered_cols=(0, 2, 3, 4)),
    ]
