"""沈阳市辽中区人民政府 2024: 政府工作报告主要工作任务分解表 (辽宁 沈阳).

Rebuilt from the page text stored by the search corpus (one cell per line). Cell texts are kept
as stored (half-width punctuation, the missing opening 《 in the body). The stored text breaks off
inside task 5; the table here ends with task 4. The date, stored as ``2024115``, is written out.
"""

from __future__ import annotations

from sample_model import LEFT, Block, Para, grid

TITLE = "沈阳市辽中区人民政府关于印发2024年政府工作报告主要工作任务分解表的通知"
ISSUER = "沈阳市辽中区人民政府"
DATE = (2024, 1, 15)
FORMATS = ("docx", "html")
PAGE = {"site": "沈阳市辽中区人民政府", "host": "沈阳市辽中区人民政府办公室", "pubdate": "2024-01-18", "source": "政府办"}

JINHAI = "沈阳近海经济区管委会"
ROWS = [
    ("序号", "主要工作举措", "牵头单位", "配合单位", "责任领导"),
    ("一、做大做强主导产业", LEFT, LEFT, LEFT, LEFT),
    (
        "1",
        "加快构建具有辽中特色的现代化产业体系,聚焦农产品精深加工产业,加快推进肉鸡、肉牛、淡水鱼全产业链规划布局和对外招商,实现三产融合发展。",
        "区农业农村局",
        "区发展改革局、区工业和信息化局、沈阳近海经济区管委会",
        "",
    ),
    (
        "2",
        "加快安徽节源、沈发废弃油脂等在建项目的建设进度,推动韩国废旧光伏板拆解、中科凌胜等签约项目的开工建设。",
        JINHAI,
        "自然资源分局、生态环境分局、区发展改革局",
        "冯冬昌",
    ),
    (
        "3",
        "推动胜达再生塑料、敏实铝循环利用等一批项目的签约落地,打造再生资源产业集群。",
        JINHAI,
        "自然资源分局、生态环境分局、区发展改革局",
        "冯冬昌",
    ),
    (
        "4",
        "聚焦装备制造及配套产业,扶持远程摩擦、昌盛电气、银丰铸造等一批重点增资项目扩产,带动区域内装备制造及配套企业提档升级。",
        "区工业和信息化局",
        "沈阳近海经济区管委会、各镇政府(街道办事处)",
        "冯冬昌",
    ),
]


def blocks() -> list[Block]:
    return [
        Para(TITLE, "title"),
        Para("沈辽中政发〔2024〕1号", "docno"),
        Para("各镇人民政府、街道办事处,区政府各部门、各直属单位:", "recipients"),
        Para(
            "经区政府同意,现将2024年政府工作报告主要工作任务分解表》印发给你们,请认真对照各自承担的工作任务,"
            "细化工作目标,明确工作进度,落实工作责任,确保各项任务如期完成。",
            "body",
        ),
        Para(ISSUER, "signature"),
        Para("2024年1月15日", "date"),
        Para("(此件公开发布)", "note"),
        Para("2024年政府工作报告主要工作任务分解表", "table_title"),
        grid(ROWS, (10.0, 70.0, 26.0, 34.0, 16.0), centered_cols=(0, 2, 4)),
    ]
