"""大竹县人民政府办公室 2016: 民生实事目标任务分解表 (四川 达州).

Rebuilt from the page text stored by the search corpus (one cell per line). Cell texts are
kept as stored (the corpus text has half-width commas/colons/brackets; the original page most
likely had full-width ones). The body paragraph of the covering notice is not copied; a short
sentence of our own stands in for it.
"""

from __future__ import annotations

from sample_model import PAGE_BREAK, UP, Block, Para, grid

TITLE = "大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知"
ISSUER = "大竹县人民政府办公室"
DATE = (2016, 2, 26)
FORMATS = ("docx", "html", "pdf")
PAGE = {"site": "大竹县人民政府", "host": "大竹县人民政府办公室", "pubdate": "2016-03-01", "source": "信息公开办"}

ROWS = [
    ("序号", "民生实事", "责任单位", "完成时限"),
    ("1", "启动建设东柳河城区段综合治理工程和东湖湿地公园。", "县水务局\n县住建局\n县护城河指挥部", "12月底前"),
    ("2", "新建2座人行天桥。", "县住建局", "9月投入使用"),
    ("3", "启动县图书馆新馆建设。", "县文体广新局\n县代建中心", "12月底前"),
    ("4", "建成县残疾人综合服务中心。", "县残联", "5月底前动工"),
    ("5", "开工建设县老年养护楼。", "县民政局", "5月底前动工"),
    (UP, "开工建设老年大学。", UP, "12月底前"),
    ("6", "迁建县政务服务中心。", "县政务服务中心\n县代建中心", "12月底前"),
    ("7", "加快推进土地滩水库建设。", "县水务局", "12月底前"),
    ("8", "启动大竹县第十二小学建设,新建中心幼儿园2所。", "县教科局\n县代建中心", "12月底前"),
    ("9", "完成棚户区改造2836户。", "县住建局", "12月底前"),
    ("10", "城区再新建1个农贸市场。", "县商务局", "12月底前"),
]


def blocks() -> list[Block]:
    return [
        Para(TITLE, "title"),
        Para("竹府办〔2016〕20号", "docno"),
        Para("各乡镇人民政府、街道办事处,县级各部门:", "recipients"),
        Para("现将2016年“民生实事”目标任务分解下达,请各责任单位认真抓好落实。", "body"),
        Para("附件:2016年民生实事目标任务分解表", "attachment_note"),
        Para(ISSUER, "signature"),
        Para("2016年2月26日", "date"),
        PAGE_BREAK,
        Para("附件", "attachment_label"),
        Para("2016年民生实事目标任务分解表", "attachment_title"),
        grid(ROWS, (12.0, 82.0, 36.0, 26.0), centered_cols=(0, 2, 3)),
    ]
