"""沈河区人民政府 2024: 政府工作报告主要工作任务分解表 (辽宁 沈阳).

Rebuilt from the page text stored by the search corpus (one cell per line). Three columns, no
序号 column: the ordinal sits inside the task text. Task 2 shows three unit lines for two unit
columns; read here as a 牵头单位 cell with two paragraphs (发改局 / 区工信局) — see SOURCE.md.
The stored text breaks off inside task 4; the table ends with task 3.
"""

from __future__ import annotations

from sample_model import LEFT, Block, Para, grid

TITLE = "沈河区人民政府关于印发2024年政府工作报告主要工作任务分解表的通知"
ISSUER = "沈河区人民政府"
DATE = (2024, 3, 15)
FORMATS = ("docx", "html")
PAGE = {"site": "沈阳市沈河区人民政府", "host": "沈河区人民政府办公室", "pubdate": "2024-03-15", "source": "沈河区人民政府办公室"}

ROWS = [
    ("主要工作任务", "牵头单位", "责任单位"),
    ("一、优结构、谋发展,在加快构建现代化产业体系上冲在前、当先锋、作示范", LEFT, LEFT),
    (
        "1.主动对接国家战略,完善“2+5+N”现代化产业体系和“18214”企业支撑体系,壮大531个支撑企业,加快形成新质生产力。",
        "区发改局",
        "区工信局、区商务局、区文旅局、区金融局、各街道办事处",
    ),
    (
        "2.大力发展新兴数字、网络安全、工业互联网、前沿新材料、航空发动机、创新药等战略性新兴产业。",
        "发改局\n区工信局",
        "各街道办事处",
    ),
    (
        "3.积极培育元宇宙、生成式人工智能、人形机器人、数字农业、现代种业等未来产业。",
        "发改局",
        "区工信局、各街道办事处",
    ),
]


def blocks() -> list[Block]:
    return [
        Para(TITLE, "title"),
        Para("区政府各部门,各街道办事处,各有关单位:", "recipients"),
        Para(
            "现将《2024年政府工作报告主要工作任务分解表》印发给你们。请各单位认真对照各自承担的工作任务,"
            "细化工作目标,紧盯工作进度,落实工作责任,确保各项任务如期完成。",
            "body",
        ),
        Para(ISSUER, "signature"),
        Para("2024年3月15日", "date"),
        Para("(此件公开发布)", "note"),
        Para("2024年政府工作报告主要工作任务分解表", "table_title"),
        grid(ROWS, (96.0, 24.0, 36.0), centered_cols=(1,)),
    ]
