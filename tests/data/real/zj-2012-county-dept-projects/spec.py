"""2012年度工作绩效考核项目表 — attachment 2 of a county performance-assessment notice, Wenzhou (Zhejiang), 2012.

Rebuilt from the stored page http://www.wzdkw.gov.cn/system/2012/07/06/011064048_02.shtml
(the attachment page of the article; the covering notice is not in the stored text).
Cell texts are kept as the page has them (half-width brackets, the stray spaces in
"(一)重点工作 (500分)" and "3. 互学互比"). The grid has six columns: the header
项目名称及分值 spans the category, item and a third column that only the (三) rows fill
with "——"; in the (一)/(二) rows the item spans that column.
"""

from __future__ import annotations

from sample_model import LEFT, UP, Block, Para, grid

TITLE = "2012年度工作绩效考核项目表"
ISSUER = ""
DATE = (2012, 7, 6)
FORMATS = ("docx", "html", "pdf")
PAGE = {
    "site": "wzdkw.gov.cn",
    "host": "wzdkw.gov.cn",
    "pubdate": "2012-07-06",
    "source": "",
}

ROWS = [
    ("项目名称及分值", LEFT, LEFT, "赋分办法", "总牵头单位", "考核责任单位"),
    ("(一)重点工作 (500分)", "1.", LEFT, "按实绩赋分", "县委办、县府办", "县考核办"),
    (UP, "2.", LEFT, UP, UP, UP),
    (UP, "3.", LEFT, UP, UP, UP),
    (UP, "4.", LEFT, UP, UP, UP),
    (UP, "5.", LEFT, UP, UP, UP),
    (UP, "……", LEFT, UP, UP, UP),
    ("(二)“五型”机关创建 (100分)", "1.责任型和服务型机关创建(30分)", LEFT, "按排名赋分", "县直机关工委", "县委办、县府办、县监察局"),
    (UP, "2.学习型机关创建(20分)", LEFT, UP, "县委宣传部", UP),
    (UP, "3.效率型和廉洁型机关创建(50分)", LEFT, UP, "县纪委(监察局)、县财政局、县审计局", UP),
    ("(三) 综合评价(400分)", "1.县四套班子领导评价(100分)", "——", "按排名赋分", "县委办、县府办", "县考核办"),
    (UP, "2.街道(乡镇)党政主要领导评价(50分)", "——", "按排名赋分", "县委办、县府办", "县考核办"),
    (UP, "3. 互学互比(50分)", "——", "按实绩赋分", "县委办、县府办", "县考核办"),
    (UP, "4. 督考综评(100分)", "——", "按实绩赋分", "县考核办", "——"),
    (UP, "5.民意调查(100分)", "——", "按实绩赋分", "县发改局(统计局)", "——"),
]


def blocks() -> list[Block]:
    return [
        Para("附件2", "attachment_label"),
        Para("2012年度工作绩效考核项目表", "attachment_title"),
        grid(ROWS, (28, 46, 12, 22, 25, 23)),
    ]
