"""平顶山市河长制办公室 2018: 全面推行河长制主要任务分解表 (河南 平顶山).

Rebuilt from the page text stored by the search corpus, where each table row is one line with
cells separated by spaces and a vertically merged cell leaves an empty field (``2  严守…``,
``3   抓好…``). Three unit columns with different roles: 牵头单位, 参与单位, 责任单位 (the county
governments). The stored text breaks off inside row 3's 责任单位 cell, which repeats the text of
rows 1-2 and is completed here; rows after 3 are not in the stored text. Line-wrap spaces inside
cells (``加强水资源保 护``, ``严守用水 效率控制 红线``) are removed in the rebuilt notice.
"""

from __future__ import annotations

from sample_model import UP, Block, Para, grid

TITLE = "平顶山市河长制办公室关于印发《平顶山市全面推行河长制主要任务分解方案》的通知"
ISSUER = "平顶山市河长制办公室"
DATE = (2018, 7, 9)
FORMATS = ("docx", "html", "pdf")
PAGE = {"site": "平顶山市水利局", "host": "平顶山市水利局", "pubdate": "2018-07-09", "source": "平顶山市水利局"}

COUNTIES = "各县(市、区)党委和人民政府,城乡一体化示范区、高新区党工委和管委会"
ROWS = [
    ("序号", "类别", "主要任务", "细化措施", "牵头单位", "参与单位", "责任单位"),
    (
        "1",
        "加强水资源保护",
        "严守水资源开发利用控制红线",
        "实施水资源消耗总量和强度双控行动,防止不合理新增取水,切实做到以水定需、量水而行、因水制宜。"
        "到2020年,全市用水总量控制在11.88亿立方米以内。",
        "市水利局",
        "市发展改革委、工业和信息化委、住房和城乡建设局、农业局等",
        COUNTIES,
    ),
    (
        "2",
        UP,
        "严守用水效率控制红线",
        "落实万元国内生产总值水耗指标等用水效率评估体系,把节水目标任务完成情况纳入市、县级政府政绩考核内容。"
        "将再生水、雨水和循环水等非常规水源纳入水资源统一配置。到2020年,全市万元国内生产总值用水量、"
        "万元工业增加值用水量比2015年分别下降24%、25%以上。",
        "市水利局",
        "市发展改革委、工业和信息化委、住房和城乡建设局等",
        COUNTIES,
    ),
    (
        "3",
        UP,
        UP,
        "抓好工业节水。加快实施工业节水技术改造,坚决遏制用水浪费。到2020年,电力、钢铁、纺织印染、造纸、"
        "石油石化、化工、食品发酵等高耗水行业达到国内先进定额标准。",
        "市工业和信息化委、水利局",
        "市发展改革委等",
        COUNTIES,
    ),
]


def blocks() -> list[Block]:
    return [
        Para(ISSUER, "title"),
        Para("关于印发《平顶山市全面推行河长制主要任务分解方案》的通知", "title"),
        Para("平顶山市全面推行河长制主要任务分解表", "table_title"),
        grid(ROWS, (8.0, 14.0, 20.0, 50.0, 16.0, 24.0, 24.0), centered_cols=(0, 1, 4)),
    ]
