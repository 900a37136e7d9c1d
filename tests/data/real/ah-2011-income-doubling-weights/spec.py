"""安徽省人民政府办公厅 2011: 《安徽省“十二五”居民收入倍增规划实施情况考核办法》附表3 (安徽).

The table is rebuilt from the stored text of http://ask.fsou.com/html/text/lar/173407/17340798_2.html
(法搜网, page 2 of the notice: 附表3 as `|` cells, one per line). The covering notice lines (文号,
addressees, the one-sentence body, signature, date) come from another stored copy of the same
notice (http://m.odtgfuq.cn/new/63_74_201201/11ya360434902.shtml, in traditional characters there;
written here in simplified characters, 文号 brackets as 〔〕). The 办法 itself (articles 第一条 …)
and 附表1/2/4 are left out. The header 指 标 spans the number and the name columns; the section
rows span them too and carry the section weight in 权重. Rows 1–3 have an empty 牵头部门 cell on
the page (kept empty). The asterisks after some indicator names are kept (a footnote mark whose
note is not in the stored text).
"""

from __future__ import annotations

from sample_model import LEFT, PAGE_BREAK, Block, Para, grid

TITLE = "安徽省人民政府办公厅关于印发安徽省“十二五”居民收入倍增规划实施情况考核办法的通知"
ISSUER = "安徽省人民政府办公厅"
DATE = (2011, 12, 22)
FORMATS = ("docx", "html", "pdf")
PAGE = {
    "site": "法搜网--中国法律信息搜索网",
    "host": "ask.fsou.com",
    "pubdate": "2011-12-22",
    "source": "",
}

ROWS = [
    ("指 标", LEFT, "权重", "单位", "2015年\n目 标", "牵头部门"),
    ("一、核心指标(2项)(权重占50%)", LEFT, "50", "", "", ""),
    ("1", "城镇居民人均可支配收入", "25", "元", "31000", ""),
    ("2", "农村居民人均纯收入", "25", "元", "10570", ""),
    ("二、发展指标(2项)(权重占10%)", LEFT, "10", "", "", ""),
    ("3", "GDP年均增长10%以上", "5", "%", "10", ""),
    ("4", "非公有经济增加值占GDP比重", "5", "%", "65", "省经信委"),
    ("三、增收性指标(17项)(权重占40%)", LEFT, "40", "", "", ""),
    ("5", "实现城镇新增就业人数*", "3", "万人", "300", "省人社厅"),
    ("6", "实现转移农业劳动力人口数*", "3", "万人", "350", "省人社厅"),
    ("7", "新型农民培训人数", "3", "万人", "200", "省农委"),
    ("8", "城镇非私营单位在岗职工工资年均增长10%以上", "3", "%", "10", "省人社厅"),
    ("9", "农产品加工业总值", "2", "亿元", "7000", "省农委"),
    ("10", "畜禽规模养殖比重", "2", "%", "70", "省农委"),
    ("11", "农业信息化覆盖率", "2", "%", "90", "省农委"),
    ("12", "农村专业合作经济组织", "3", "个", "30000", "省农委"),
    ("13", "50亩以上农业规模化种养面积", "3", "万亩", "2000", "省农委"),
    ("14", "新增年产值50亿元省级农业产业化示范区", "2", "个", "60", "省农委"),
    ("15", "扶贫对象脱贫人数*", "2", "万人", "200", "省扶贫办"),
    ("16", "城镇低保标准年均增长10%以上*", "2", "%", "10", "省民政厅"),
    ("17", "农村低保标准年均增长10%以上*", "2", "%", "10", "省民政厅"),
    ("18", "五保供养标准年均增长10%以上*", "2", "%", "10", "省民政厅"),
    ("19", "城镇职工政策范围内住院医疗费用支付比例", "2", "%", "75", "省人社厅"),
    ("20", "居民医保政策范围内住院医疗费用支付比例", "2", "%", "70", "省人社厅"),
    ("21", "“新农合”政策范围内住院医疗费用支付比例", "2", "%", "70", "省卫生厅"),
]


def blocks() -> list[Block]:
    return [
        Para(TITLE, "title"),
        Para("皖政办秘〔2011〕212号", "docno"),
        Para("各市、县人民政府，省政府各部门、各直属机构：", "recipients"),
        Para("《安徽省“十二五”居民收入倍增规划实施情况考核办法》已经省政府同意，现印发给你们，请遵照执行。", "body"),
        Para(ISSUER, "signature"),
        Para("二○一一年十二月二十二日", "date"),
        PAGE_BREAK,
        Para("附表3", "attachment_label"),
        Para("“十二五”居民收入倍增规划考核指标", "attachment_title"),
        grid(ROWS, (10, 66, 14, 16, 22, 28), centered_cols=(0, 2, 3, 4, 5)),
    ]
