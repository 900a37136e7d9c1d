"""常州市钟楼区 2024: 附件1 2024年《政府工作报告》主要目标任务责任分解表 (Jiangsu), rows (1)–(7).

Rebuilt from https://www.zhonglou.gov.cn/html/czzl/2024/FPJALMLN_0311/21514.html as stored (one
cell per line; the notice's own title is not in the stored text, which starts at the 主送 line).
The stored text breaks off in target 2, before its leader and units, so target 1 with its seven
sub-targets is kept. Merges follow the page's omissions: a sub-target line followed by no leader
or unit lines sits under the cells above (王旭锋 over (1)–(2), 吴伟/商务局 over (3)–(5), 谢志诚 over
(6)–(7), the 配合单位 cell of (1) over (1)–(6)). (6) lists 工信局 and 生态环境局 on two lines; they
are read as one 牵头单位 cell (compare 2025's table, where the same target has 钟楼生态环境局 alone).
"""

from __future__ import annotations

from sample_model import PAGE_BREAK, UP, Block, Para, grid

TITLE = "2024年《政府工作报告》主要目标任务责任分解表"
ISSUER = "常州市钟楼区人民政府"
DATE = (2024, 3, 11)
FORMATS = ("docx", "html")
PAGE = {
    "site": "常州市钟楼区人民政府",
    "host": "www.zhonglou.gov.cn",
    "pubdate": "2024-03-11",
    "source": "常州市钟楼区人民政府",
}

GOAL = "全区经济社会发展的主要预期目标"
ROWS = [
    ("序号", "目标名称", "工 作 标 准", "区政府\n分管领导", "牵头单位", "配合单位"),
    ("1", GOAL, "(1)地区生产总值增长6%左右。", "王旭锋", "发改局", "经开区\n高新园\n(邹区镇)\n各街道\n统计局"),
    (UP, UP, "(2)一般公共预算收入增长3%以上。", UP, "财政局", UP),
    (UP, UP, "(3)社会消费品零售总额增长6%左右。", "吴 伟", "商务局", UP),
    (UP, UP, "(4)实际使用外资和进出口总额稳中提质。", UP, UP, UP),
    (UP, UP, "(5)居民人均可支配收入增速与经济增速同步。", UP, UP, UP),
    (UP, UP, "(6)主要污染物减排、单位GDP能耗下降,大气、水环境质量改善完成市下达任务。", "谢志诚", "工信局\n生态环境局", UP),
    (UP, UP, "(7)安全生产形势平稳向好。", UP, "应急管理局\n(安委办)", "区安委会各成员单位"),
]


def blocks() -> list[Block]:
    return [
        Para("经开区、高新园(邹区镇)、各街道,区各办局、直属单位:", "recipients"),
        Para(
            "为确保全面实现2024年《政府工作报告》提出的经济社会发展目标,全面完成2024年民生实事项目,"
            "经区政府研究决定,对主要目标任务和重点工作进行了责任分解。现将相关分解落实方案印发给你们,"
            "请各牵头单位和配合单位高度重视,加强组织领导,项目化推进,清单化落实,确保各项工作落实到位,"
            "目标任务顺利完成。",
            "body",
        ),
        Para("附件:1. 2024年《政府工作报告》主要目标任务责任分解表", "attachment_note"),
        Para("2. 2024年民生实事项目目标任务责任分解表", "attachment_more"),
        Para("常州市钟楼区人民政府", "signature"),
        Para("2024年3月11日", "date"),
        Para("(此件公开发布)", "note"),
        PAGE_BREAK,
        Para("附件1", "attachment_label"),
        Para("2024年《政府工作报告》主要目标任务责任分解表", "attachment_title"),
        grid(ROWS, (10, 30, 56, 18, 20, 22), centered_cols=(0, 3)),
    ]
