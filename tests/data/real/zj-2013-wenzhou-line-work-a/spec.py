"""温州市考绩委员会办公室 2013: 《2013年度县(市、区)考绩法》… 三、A类条线工作考核细则 (浙江 温州).

Rebuilt from the stored text of page 2 of the notice on 温州督考网
(http://www.wzdkw.gov.cn/system/2013/04/27/011263200_02.shtml), one cell per paragraph. The
stored text breaks off inside the scoring method of the fifth item of line 1
(殡葬改革与社会养老服务体系建设); the rebuilt table ends there, the cut marked with "……".
Cells that the stored text splits over two paragraphs are kept as two paragraphs: the header
"考核责任 / 单位" and the unit cell "市殡改办 / 市民政局" (two units). Punctuation as stored
(half-width commas and brackets: the corpus text looks NFKC-normalised).
"""

from __future__ import annotations

from sample_model import UP, Block, Para, grid

TITLE = "温州市考绩委员会办公室关于印发《2013年度县(市、区)考绩法》重点项目分项和条线工作考核细则的通知"
ISSUER = "温州市考绩委员会办公室"
DATE = (2013, 4, 17)
FORMATS = ("docx", "html", "pdf")
PAGE = {
    "site": "温州督考网",
    "host": "www.wzdkw.gov.cn",
    "pubdate": "2013-04-27",
    "source": "温州督考网",
}

LINE = "殡葬改革与社会养老服务体系建设"

ROWS = [
    ("序号", "条线工作", "考核责任\n单位", "考核项目", "考核指标、要求", "考核赋分办法"),
    ("1", LINE, "市殡改办\n市民政局", "私坟“禁新”、整改工作(30分)",
     "严禁任何形式的新建、翻新、扩建私坟。",
     "每月进行一次明察暗访,按照发现的新建、翻新、扩建私坟进行排名,第一名得基本分30分,名次每减1位减基本分5%。"
     "年终按照12个月的得分数取平均值。"),
    (UP, UP, UP, "骨灰流向跟踪管理工作(10分)",
     "全面推行骨灰流向跟踪管理,骨灰跟踪管理率达到100%。",
     "根据《骨灰安放流向跟踪管理月报表》实行每月一排名,按照排名赋分,第一名得基本分10分,名次每减1位减基本分5%。"
     "年终按照12个月的得分数取平均值。"),
    (UP, UP, UP, "私坟生态化改造、私坟迁移工作(20分)",
     "完成“四边区域”(即公路边、铁路边、河边、山边)500米范围内坟墓治理率90%。",
     "根据全年私坟生态化改造、私坟迁移的数量排名,按照排名赋分,第一名得基本分20分,名次每减1位减基本分5%。"),
    (UP, UP, UP, "公墓建设工作(20分)",
     "完成2013年度公墓建设任务,确保年底前投入使用。",
     "根据《公墓建设进度表》每个季度一排名,按排名赋分,第一名得基本分20分,名次每减1位减基本分5%。"
     "年终按四个季度的得分数取平均值。"),
    (UP, UP, UP, "社区居家养老服务照料中心建设(20分)",
     "社区居家养老服务照料中心城市覆盖100%,农村覆盖50%,其余社区均启动。",
     "按标准和任务数完成社区居家养老服务照料中心建设,城市覆盖率达100%的,得4分,否则不得分;"
     "农村覆盖率达50%的,得8分,否则不得分;剩余所有社……"),
]


def blocks() -> list[Block]:
    return [
        Para(ISSUER + "文件", "issuer", rule_below=True),
        Para(TITLE, "title"),
        Para("三、A类条线工作考核细则", "heading1"),
        grid(ROWS, (10, 22, 22, 30, 32, 40), centered_cols=(0, 1, 2)),
    ]
