"""2019年河湖长制工作考核项目(综合) — a Jiangxi city's river/lake-chief assessment table, 2019.

Rebuilt from the PDF text stored at https://www.howto1234.com/wenku/rrbgs/WgG43DpEe8 (a
document mirror; the city is not named). The PDF extraction lists each column block by block
(item names, then the points, then the assessing units), so rows are re-assembled by order and
checked against the section totals: 一 = 16 (items 1–7), 二 = 70 (items 8–25), 总分 100. The
stored text breaks off in the name of item 25 ("持续加大河湖水域治安整"), completed here as
"…整治"; section 三 (14 points, items 26–30) is left out because its item names are not in the
stored text.
"""

from __future__ import annotations

from sample_model import LEFT, Block, Para, grid

TITLE = "2019年河湖长制工作考核项目(综合)"
ISSUER = ""
DATE = (2019, 1, 1)  # the source gives no date; placeholder for the file metadata
FORMATS = ("docx", "html", "pdf")
PAGE = {
    "site": "howto1234.com",
    "host": "www.howto1234.com",
    "pubdate": "2019",
    "source": "",
}

ITEMS: list[tuple[str, str, str, str]] = [
    ("1", "完善组织体系", "1", "市河长办"),
    ("2", "强化督察督办", "3", "市河长办"),
    ("3", "贯彻落实有关法规", "2", "市河长办"),
    ("4", "全面推行自然资源资产离任审计", "2", "市审计局"),
    ("5", "完善基础工作", "1", "市河长办"),
    ("6", "强化宣传教育", "4", "市委宣传部、市教体局、团市委、市河长办"),
    ("7", "鄱阳湖生态环境专项整治日常工作", "3", "市河长办"),
]
ITEMS_2: list[tuple[str, str, str, str]] = [
    ("8", "持续推进城乡生活污水治理", "4", "市综合行政执法局、市住建局"),
    ("9", "持续推进城乡垃圾治理", "4", "市综合行政执法局"),
    ("10", "开展工业污染集中整治", "4", "市生态环境局、市工信局"),
    ("11", "强化重点企业排污监管", "4", "市生态环境局"),
    ("12", "深入推进化工污染整治", "4", "市生态环境局"),
    ("13", "持续推进畜禽养殖污染治理", "4", "市生态环境局"),
    ("14", "持续推进农药化肥零增长行动", "4", "市农业农村局"),
    ("15", "持续推进船舶港口污染防治", "4", "市交通运输局"),
    ("16", "持续加强非法码头整治", "4", "市发改委、市交通运输局、市水利局"),
    ("17", "持续开展非法采砂整治", "4", "市水利局"),
    ("18", "持续开展侵占河湖水域及岸线整治", "4", "市水利局"),
    ("19", "继续推进劣V类水和V类水治理", "4", "市河长办、市生态环境局"),
    ("20", "持续开展入河湖排污口整治", "4", "市生态环境局"),
    ("21", "持续开展保护渔业资源专项整治", "4", "市农业农村局"),
    ("22", "持续推进保护饮用水水源地整治", "2", "市生态环境局"),
    ("23", "持续推进城市黑臭水体治理", "4", "市综合行政执法局"),
    ("24", "持续推进破坏湿地和野生动物资源整治", "4", "市林业局"),
    ("25", "持续加大河湖水域治安整治", "4", "市公安局"),
]

ROWS = [
    ("序号", "考核项目", "各项分值", "负责考核单位"),
    ("总分", LEFT, "100", ""),
    ("一", "河湖长制基础工作", "16", ""),
    *ITEMS,
    ("二", "鄱阳湖生态环境专项整治及清河行动专项整治", "70", ""),
    *ITEMS_2,
]


def blocks() -> list[Block]:
    return [
        Para(TITLE, "table_title"),
        grid(ROWS, (14, 80, 18, 44), centered_cols=(0, 2)),
    ]
