"""皖江城市带承接产业转移示范区考核评价办法(试行), 附件2 示范区10市考核评价指标体系 — Anhui, 2010.

Covering notice 皖政办秘〔2010〕126号 (安徽省人民政府办公厅, 二○一○年九月十一日) as stored at
http://www.holdmm.net/html/text/lar/172282/17228238.html, the attachment table from the
continuation page 17228238_1.html. The 办法's own articles (long prose) are left out; only the
notice, the attachment heading line and the table are rebuilt. Texts keep the stored
half-width punctuation. The header cells "目标任务考核指标权 重" / "发展成效考核指标权 重" show a
wrap inside the word in the stored text; here they are written whole.
"""

from __future__ import annotations

from sample_model import PAGE_BREAK, Block, Para, grid

TITLE = "安徽省人民政府办公厅关于印发皖江城市带承接产业转移示范区考核评价办法(试行)的通知"
ISSUER = "安徽省人民政府办公厅"
DATE = (2010, 9, 11)
FORMATS = ("docx", "html", "pdf")
PAGE = {
    "site": "法搜网--中国法律信息搜索网",
    "host": "www.holdmm.net",
    "pubdate": "2010-09-11",
    "source": "安徽省人民政府办公厅",
}

ROWS = [
    ("序号", "考评指标", "目标任务考核指标权重", "发展成效考核指标权重", "数据来源"),
    ("1", "地区生产总值", "10", "6", "省统计局"),
    ("2", "财政收入", "12", "7", "省财政厅"),
    ("3", "进出口总额", "8", "5", "省商务厅"),
    ("4", "实际利用外商直接投资", "8", "5", "省商务厅"),
    ("5", "实际利用省外资金", "10", "6", "省发展改革委"),
    ("6", "固定资产投资", "8", "5", "省统计局"),
    ("7", "规模以上工业增加值", "8", "5", "省统计局"),
    ("8", "城镇化率", "8", "5", "省住房城乡建设厅、省统计局"),
    ("9", "新兴产业比重", "", "5", "省科技厅、省统计局"),
    ("10", "现代服务业比重", "", "5", "省统计局"),
    ("11", "重点产业集中度", "", "4", "省皖江办"),
    ("12", "投资强度", "", "4", "省发展改革委"),
    ("13", "土地税收产出率", "", "4", "省国土资源厅、省财政厅、\n省发展改革委、省统计局"),
    ("14", "科技创新贡献率", "", "6", "省科技厅、省财政厅、省统计局"),
    ("15", "城镇居民人均可支配收入", "9", "5", "国家统计局安徽调查总队"),
    ("16", "农村居民人均纯收入", "9", "5", "省统计局"),
    ("17", "城镇就业新增人数", "10", "6", "省人力资源社会保障厅"),
    ("18", "建设项目环评“三同时”执行率", "", "4", "省环保厅"),
    ("19", "万元GDP综合能耗", "", "4", "省统计局"),
    ("20", "主要污染物排放总量完成情况", "", "4", "省环保厅"),
]


def blocks() -> list[Block]:
    return [
        Para("皖政办秘〔2010〕126号", "docno", rule_below=True),
        Para(TITLE, "title"),
        Para("示范区各市、县人民政府,省政府有关部门:", "recipients"),
        Para("经省政府同意,现将《皖江城市带承接产业转移示范区考核评价办法(试行)》印发给你们,请遵照执行。", "body"),
        Para("安徽省人民政府办公厅", "signature"),
        Para("二○一○年九月十一日", "date"),
        PAGE_BREAK,
        Para("附件2:示范区10市考核评价指标体系", "attachment_title"),
        grid(ROWS, (12, 56, 25, 25, 38), centered_cols=(0, 2, 3)),
    ]
