"""北京市通州区人民政府办公室 2017: 政府绩效管理指标体系(区级部门类) (北京).

Rebuilt from the page text stored by the search corpus, where the whole notice — addressees,
body, signature, 目录 and the table — is run together on one line with no separators at all.
Cell boundaries are read from the header words and the numbers (分值 5/70, 权重 70%); the units
of one 管理主体 cell are put on separate lines. The stored text breaks off in the 6th row
(12345便民服…); the table ends with the 5th.
"""

from __future__ import annotations

from sample_model import PAGE_BREAK, UP, Block, Para, grid

TITLE = "通州区关于印发通州区2017年度政府绩效管理考评体系和实施细则(区级部门类)的通知"
ISSUER = "北京市通州区人民政府办公室"
DATE = (2017, 9, 12)
FORMATS = ("docx", "html", "pdf")
PAGE = {"site": "bj.010b.com", "host": "bj.010b.com", "pubdate": "2017-09-15", "source": "北京市通州区人民政府办公室"}

CONTENTS = [
    ("1.通州区政府绩效管理指标体系(区级部门类)", "1"),
    ("2.重点工作考评实施细则", "3"),
    ("3.依法行政工作考评实施细则", "7"),
    ("4.信息公开工作考评实施细则", "10"),
    ("5.财政预算执行及绩效管理考评实施细则", "13"),
    ("6.建议提案办理考评实施细则", "15"),
    ("7.12345政府热线考评实施细则", "18"),
    ("8.政务服务考评实施细则", "21"),
    ("9.加分项考评实施细则", "25"),
    ("10.减分项考评实施细则", "28"),
]

ROWS = [
    ("项目", "一级指标", "二级指标", "绩效管理内容", "分值", "权重", "管理主体(组织主体)"),
    (
        "指标考核",
        "职责履行",
        "重点工作",
        "市政府绩效任务、目标责任书和市、区政府工作报告重点工作任务以及市、区为民办实事任务、本单位主要职责工作",
        "70",
        "70%",
        "区政府办\n副中心区协调办\n区政府绩效办",
    ),
    (UP, "执政能力建设", "依法行政", "制度机制建设及执行情况、规范行政执法、落实行政复议及应诉工作情况", "5", "", "区政府法制办"),
    (UP, UP, "信息公开", "政务公开落实情况、依申请公开情况、政府网站管理", "5", "", "区政府办\n区经济信息化委"),
    (UP, UP, "财政预算执行及绩效管理", "预算执行进度、绩效管理过程及绩效评价结果", "5", "", "区财政局"),
    (UP, UP, "建议、提案办理", "市、区两级人大建议、政协提案办理工作", "5", "", "区政府办联络室"),
]


def blocks() -> list[Block]:
    return [
        Para(TITLE, "title"),
        Para("区政府各委、办、局,各区属机构:", "recipients"),
        Para("经区政府同意,现将《通州区2017年度政府绩效管理考评体系和实施细则(区级部门类)》印发给你们,请认真遵照执行。", "body"),
        Para(ISSUER, "signature"),
        Para("2017年9月12日", "date"),
        PAGE_BREAK,
        Para("目录", "chapter"),
        *[Para(f"{name}……{page}", "attachment_more") for name, page in CONTENTS],
        PAGE_BREAK,
        Para("通州区政府绩效管理指标体系(区级部门类)", "table_title"),
        grid(ROWS, (14.0, 18.0, 22.0, 50.0, 10.0, 12.0, 30.0), centered_cols=(0, 1, 2, 4, 5, 6)),
    ]
