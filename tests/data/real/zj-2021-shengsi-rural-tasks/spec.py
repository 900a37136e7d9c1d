"""2021年嵊泗县乡村振兴任务清单 (Shengsi county, Zhoushan, Zhejiang), first 13 rows.

Rebuilt from http://www.shengsi.gov.cn/art/2021/12/21/art_1229604550_59023967.html as stored
(one table cell per line). The stored text breaks off inside row 14, so rows 1–13 are kept.
Merges are inferred the way the page shows them: a row that lists no 考核项目/考核指标 cell sits
under the cell above. Row 10 (建设美丽牧场) lists one cell fewer than its neighbours; the missing
one is read as an empty 单位 cell. The 评分部门 cell of rows 1–2 is kept as stored,
"市海洋渔业局市农业农村局" (two units run together), while the 责任部门 cell lists its two units on
two lines.
"""

from __future__ import annotations

from sample_model import UP, Block, Para, grid

TITLE = "中共嵊泗县委办公室嵊泗县人民政府办公室关于印发《2021年嵊泗县乡村振兴任务清单》的通知"
ISSUER = "中共嵊泗县委办公室 嵊泗县人民政府办公室"
DATE = (2021, 9, 16)
FORMATS = ("docx", "html")
PAGE = {
    "site": "嵊泗县人民政府",
    "host": "www.shengsi.gov.cn",
    "pubdate": "2021-12-21",
    "source": "县农业农村局(水利局)",
}

HY = "县海洋与渔业局\n县农业农村局"
SY = "市海洋渔业局市农业农村局"
NY, SNY = "县农业农村局", "市农业农村局"
GRAIN = "确保粮食和重要农产品有效供给"

ROWS = [
    ("考核项目", "序号", "考核指标", "考核内容", "单位", "年度目标", "责任部门", "评分部门"),
    ("农业高质高效", "1", GRAIN, "农林牧渔业增加值增幅", "%", "≥2%", HY, SY),
    (UP, "2", UP, "农业劳动生产率及增幅", "万元/人", "全市统筹", HY, SY),
    (UP, "3", UP, "粮食安全责任制", "-", "良好以上", "县经济和信息化局", "市商务局"),
    (UP, "4", UP, "粮食播种面积", "万亩", "0.07", NY, SNY),
    (UP, "5", UP, "油菜面积", "万亩", "0", NY, SNY),
    (UP, "6", UP, "粮食总产量", "亿斤", "0.0038", NY, SNY),
    (UP, "7", UP, "生猪存栏", "万头", "0", NY, SNY),
    (UP, "8", UP, "家禽出栏", "万只", "1", NY, SNY),
    (UP, "9", UP, "水产品产量", "万吨", "42", NY, "市海洋渔业局"),
    (UP, "10", UP, "建设美丽牧场", "", "0", NY, SNY),
    (UP, "11", "建设“千亩方、万亩方”", "永久基本农田", "万亩", "0", "县自然资源和规划局", "市资源规划局"),
    (UP, "12", UP, "新建高标准农田", "万亩", "0", NY, SNY),
    (UP, "13", UP, "整治粮食生产功能区“非粮化”", "万亩", "0", NY, SNY),
]


def blocks() -> list[Block]:
    return [
        Para(TITLE, "title"),
        Para("各乡镇党委、政府,县属各单位:", "recipients"),
        Para(
            "《2021年嵊泗县乡村振兴任务清单》已经县委、县政府同意,现印发给你们,请结合实际,"
            "切实加强组织领导,落实工作措施,确保高质量如期完成各项工作任务。",
            "body",
        ),
        Para("中共嵊泗县委办公室  嵊泗县人民政府办公室", "signature"),
        Para("2021年9月16日", "date"),
        Para("2021年嵊泗县乡村振兴任务清单", "table_title"),
        grid(ROWS, (16, 9, 24, 30, 13, 16, 24, 24), centered_cols=(1, 4, 5)),
    ]
