"""Tables in text copied from web pages (.txt): `|` layouts, cells one per line, wrapped TAB rows.

The real texts under tests/data/webtext/ are excerpts of public pages as the search corpus
stores them (SOURCE.md gives each address); the other cases are built here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Document, Table
from parsers.txt_parser import parse
from parsers.web_cells import header_role, kind, place_cells, profiles
from parsers.web_header import sequence_width

WEBTEXT = Path(__file__).parent / "data" / "webtext"


def real(name: str) -> Document:
    return parse(WEBTEXT / f"{name}.txt")


def write(tmp_path: Path, text: str, name: str = "copied.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse(path)


def grid(table: Table) -> list[list[str | None]]:
    return table.text_grid()


def texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def codes(document: Document) -> list[str]:
    return [w.code for w in document.warnings]


def assert_plain_grid(table: Table) -> None:
    for r, cells in enumerate(table.rows):
        assert [c.col for c in cells] == list(range(table.n_cols))
        assert all(c.row == r and c.rowspan == 1 and c.colspan == 1 for c in cells)


# --- real pages: `|` cells one per line, rows marked by lines of bars -------------------------


def test_wzdkw_2012_rowspans_are_placed_by_kind() -> None:
    """The issue's example: covered cells are missing, `2.` goes under `1.`, units under unit headers."""
    document = real("wzdkw_2012_items")
    (table,) = document.tables
    assert texts(document) == ["文章正文", "附件2", "2012年度工作绩效考核项目表"]
    assert document.blocks[-1] is table  # the title paragraph comes right before the table
    assert (table.n_rows, table.n_cols) == (15, 6)
    rows = grid(table)
    assert rows[0] == ["项目名称及分值", "", "", "赋分办法", "总牵头单位", "考核责任单位"]
    assert rows[1] == ["(一)重点工作 (500分)", "1.", "", "按实绩赋分", "县委办、县府办", "县考核办"]
    assert [row[1] for row in rows[2:7]] == ["2.", "3.", "4.", "5.", "……"]
    assert all(row[0] == row[2] == row[3] == row[4] == row[5] == "" for row in rows[2:7])
    assert rows[8] == ["", "2.学习型机关创建(20分)", "", "", "县委宣传部", ""]
    assert rows[9][4] == "县纪委(监察局)、县财政局、县审计局"
    assert rows[10] == [
        "(三) 综合评价(400分)",
        "1.县四套班子领导评价(100分)",
        "——",
        "按排名赋分",
        "县委办、县府办",
        "县考核办",
    ]
    assert rows[14] == ["", "5.民意调查(100分)", "——", "按实绩赋分", "县发改局(统计局)", "——"]
    assert_plain_grid(table)
    short = [w.message for w in document.warnings if w.code == "short_row"]
    assert len(short) == 14  # every row but (三)1, the only complete one
    assert "表1行2（文件第 18 行，“2.”）：表头 6 列，此行只有 1 格，按内容类型放在第 2 列，缺的格留空" in short[2]


def test_fymate_vertical_text_and_rows_ended_by_a_bar_line() -> None:
    """`考核条目` / `| 考核细则` / `|`: a bar line before a line of text ends the row."""
    document = real("fymate_supervision_rules")
    (table,) = document.tables
    assert texts(document) == ["附件2", "督查工作考核细则(试行)", "(起评分100分)"]
    rows = grid(table)
    assert (table.n_rows, table.n_cols) == (12, 4)
    assert rows[0] == ["考核条目", "", "考核细则", ""]
    assert rows[1] == ["区政府重点工作", "1", "上报区政府重点工作实施方案。", "未报扣10分"]  # 区/政/府/… one per line
    assert rows[2] == ["", "2", "区政府年度重点工作实施方案无阶段性目标,无具体工作措施。", "扣5分"]
    assert rows[9][:2] == ["市、区两级政府列督事项", "9"]
    assert rows[11] == [
        "备注",
        "",
        "仅有市、区两级政府列督事项的部门和单位,考核扣分分值加倍。",
        "原扣5分\n-现扣10分\n原扣10分\n-现扣20分",
    ]


def test_wzdkw_2013_cells_ended_by_bars_and_a_markdown_rule() -> None:
    """`text |` per line, `|||` pads, a `---|---|` rule: the short header is placed by its words."""
    (table,) = real("wzdkw_2013_03_items").tables
    rows = grid(table)
    assert (table.n_rows, table.n_cols) == (2, 7)
    assert rows[0] == ["项 目", "", "分值", "考核责任单位", "考核内容和要求", "赋分办法", "备注"]
    assert rows[1][:4] == ["重点 工作 (1055分)", "1、固定资产投资", "400", "市统计局(牵头) 市发改委 市经信委 市审计局"]
    assert rows[1][6] == "按实绩 赋分"


# --- real pages: `|` before every cell and no row marks; one row per line ---------------------


def test_holdmm_bars_without_row_marks_are_cut_under_the_header() -> None:
    document = real("holdmm_wanjiang_indicators")
    (table,) = document.tables
    assert texts(document) == ["附件2:示范区10市考核评价指标体系"]
    rows = grid(table)
    assert (table.n_rows, table.n_cols) == (21, 5)
    assert rows[0] == ["序号", "考评指标", "目标任务考核指标权 重", "发展成效考核指标权 重", "数据来源"]
    assert rows[1] == ["1", "地区生产总值", "10", "6", "省统计局"]
    assert rows[9] == ["9", "新兴产业比重", "", "5", "省科技厅、省统计局"]  # `|` alone: an empty cell
    assert rows[13][4] == "省国土资源厅、省财政厅、\n省发展改革委、省统计局"  # a line without a bar goes on
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 21)]
    assert document.warnings == []


def test_nbxinxi_one_row_per_line_with_empty_cells_on_bar_lines() -> None:
    document = real("nbxinxi_jincun_2008")
    (table,) = document.tables
    rows = grid(table)
    assert (table.n_rows, table.n_cols) == (7, 6)
    assert rows[0] == ["考核内容", "评分标准", "分值", "自评分", "核查分", "合计"]
    assert rows[3] == ["采取多种形式开展觉廉政教育", "每年参加活动2次得10分。", "10", "", "", ""]
    assert [row[2] for row in rows[1:]] == ["10", "10", "10", "20", "20", "20"]
    assert document.warnings == []  # the bar lines supply the empty cells: no row is short


# --- real pages: cells one per line -----------------------------------------------------------


def test_liaozhong_cells_one_per_line_with_a_section_row() -> None:
    document = real("liaozhong_2024_tasks")
    (table,) = document.tables
    rows = grid(table)
    assert (table.n_rows, table.n_cols) == (6, 5)
    assert rows[0] == ["序号", "主要工作举措", "牵头单位", "配合单位", "责任领导"]
    assert rows[1] == ["一、做大做强主导产业", "", "", "", ""]
    assert rows[2][0] == "1" and rows[2][2:] == [
        "区农业农村局",
        "区发展改革局、区工业和信息化局、沈阳近海经济区管委会",
        "",
    ]
    assert rows[5][2:] == ["区工业和信息化局", "沈阳近海经济区管委会、各镇政府(街道办事处)", "冯冬昌"]
    assert texts(document)[-1] == "2024年政府工作报告主要工作任务分解表"
    assert codes(document) == ["short_row", "short_row"]


def test_shenhe_cells_one_per_line_without_a_sequence_column() -> None:
    """Three unit lines for two unit columns: two organs stacked in one cell, in the column of 区… lists."""
    document = real("shenhe_2024_tasks")
    (table,) = document.tables
    rows = grid(table)
    assert rows[0] == ["主要工作任务", "牵头单位", "责任单位"]
    assert rows[2][1:] == ["区发改局", "区工信局、区商务局、区文旅局、区金融局、各街道办事处"]
    assert rows[3][1:] == ["发改局", "区工信局\n各街道办事处"]  # as task 3 has it: 区工信局、各街道办事处
    assert rows[4][1:] == ["发改局", "区工信局、各街道办事处"]
    assert codes(document) == ["short_row"]  # the section row only


def test_wzdkw_colspan_header_is_refused_and_kept_as_paragraphs() -> None:
    """`项目` spans three columns in the page: rows of three cells cannot be read consistently."""
    document = real("wzdkw_2013_11_colspan")
    assert document.tables == []
    assert codes(document) == ["table_unread"]
    assert (
        "像是从网页复制的表格，但未能可靠地读出（13 行中有 5 行是没有依据的残行），按段落保留"
        in document.warnings[0].message
    )
    assert texts(document)[-3:] == ["创新驱动", "60", "考核科技创新、招才引智、金融改革、审批制度改革等4项工作。"]


# --- built cases ------------------------------------------------------------------------------

BRIEF_CELLS = """附件1
2022年度目标责任考核指标
序号
考核内容
分值
责任单位
1
地区生产总值增长7%
10
县发改局
2
全社会固定资产投资增长12%
8
3
招商引资到位资金10亿元
6
县招商局
注：本表由县考核办负责解释。
"""


def test_cells_one_per_line_cut_by_sequence_numbers_points_and_units(tmp_path: Path) -> None:
    document = write(tmp_path, BRIEF_CELLS)
    (table,) = document.tables
    assert grid(table) == [
        ["序号", "考核内容", "分值", "责任单位"],
        ["1", "地区生产总值增长7%", "10", "县发改局"],
        ["2", "全社会固定资产投资增长12%", "8", ""],  # the unit cell is merged with the row above
        ["3", "招商引资到位资金10亿元", "6", "县招商局"],
    ]
    assert texts(document) == ["附件1", "2022年度目标责任考核指标", "注：本表由县考核办负责解释。"]
    assert codes(document) == ["short_row"]


def test_cells_one_per_line_with_covered_category_cells(tmp_path: Path) -> None:
    content = "类别\n序号\n考核指标\n分值\n牵头单位\n经济发展\n1\nGDP增速\n10\n县发改局\n2\n财政收入\n5\n县财政局\n"
    content += "社会事业\n3\n教育质量\n5\n县教育局\n"
    (table,) = write(tmp_path, content).tables
    assert grid(table)[1:] == [
        ["经济发展", "1", "GDP增速", "10", "县发改局"],
        ["", "2", "财政收入", "5", "县财政局"],
        ["社会事业", "3", "教育质量", "5", "县教育局"],
    ]


def test_cells_one_per_line_that_do_not_fit_are_refused(tmp_path: Path) -> None:
    content = "序号\n考核内容\n分值\n县发改局\n县财政局\n县统计局\n县教育局\n10\n县商务局\n县民政局\n县水利局\n"
    document = write(tmp_path, content)
    assert document.tables == []
    assert codes(document) == ["table_unread"]
    assert len(document.paragraphs) == 11


@pytest.mark.parametrize(
    "content",
    [
        "考核内容\n考核办法\n考核对象\n各镇办按要求完成。\n县直部门按要求完成。\n",  # no column to cut rows by
        "考核内容\n考核办法\n",  # only two header words
        "设为首页 | 加入收藏\n当前位置：首页 > 通知公告\n",  # one line with bars
    ],
)
def test_text_that_is_no_web_table_stays_paragraphs_silently(tmp_path: Path, content: str) -> None:
    document = write(tmp_path, content)
    assert document.tables == []
    assert document.warnings == []
    assert texts(document) == [line.strip() for line in content.splitlines()]


def test_markdown_rows_with_a_rule_and_without_outer_bars(tmp_path: Path) -> None:
    content = "| 序号 | 考核内容 | 分值 |\n|---|---|---|\n| 1 | 党风廉政建设 | 10 |\n| 2 | 意识形态 | |\n\n"
    content += "指标 | 责任单位\n营商环境 | 县发改局\n"
    first, second = write(tmp_path, content).tables
    assert grid(first) == [["序号", "考核内容", "分值"], ["1", "党风廉政建设", "10"], ["2", "意识形态", ""]]
    assert grid(second) == [["指标", "责任单位"], ["营商环境", "县发改局"]]


def test_pipe_rows_missing_their_leading_cells(tmp_path: Path) -> None:
    content = "| 类别 | 序号 | 考核内容 | 分值 |\n| 经济发展 | 1 | GDP | 10 |\n| 2 | 财政收入 | 5 |\n"
    document = write(tmp_path, content)
    assert grid(document.tables[0])[2] == ["", "2", "财政收入", "5"]
    assert "按内容类型放在第 2、3、4 列" in document.warnings[0].message


# --- header and rows of different widths (snippets of tests/data/real development folders) ----


def spaced(*lines: str) -> str:
    """Cells one per line, one blank line apart, as many pages copy them."""
    return "\n\n".join(lines) + "\n"


AH_2011 = """附表3
“十二五”居民收入倍增规划考核指标
指 标
| 权重
| 单位
| 2015年
目 标
| 牵头部门
| 一、核心指标(2项)(权重占50%)
| 50
|
|
| | 1
| 城镇居民人均可支配收入
| 25
| 元
| 31000
| | 2
| 农村居民人均纯收入
| 25
| 元
| 10570
| | 二、发展指标(2项)(权重占10%)
| 10
|
|
| | 3
| GDP年均增长10%以上
| 5
| %
| 10
| | 4
| 非公有经济增加值占GDP比重
| 5
| %
| 65
| 省经信委
|
第 [1] [2] [3] [4] 页 共[5]页
|
"""


def test_a_header_narrower_than_its_rows_spans_the_sequence_column(tmp_path: Path) -> None:
    """ah-2011: `指 标` covers 序号 and the name, every numbered row has one cell more; section rows alike."""
    document = write(tmp_path, AH_2011)
    (table,) = document.tables
    assert grid(table) == [
        ["指 标", None, "权重", "单位", "2015年\n目 标", "牵头部门"],
        ["一、核心指标(2项)(权重占50%)", None, "50", "", "", ""],
        ["1", "城镇居民人均可支配收入", "25", "元", "31000", ""],
        ["2", "农村居民人均纯收入", "25", "元", "10570", ""],
        ["二、发展指标(2项)(权重占10%)", None, "10", "", "", ""],
        ["3", "GDP年均增长10%以上", "5", "%", "10", ""],
        ["4", "非公有经济增加值占GDP比重", "5", "%", "65", "省经信委"],
    ]
    assert [cell.colspan for cell in table.rows[0]] == [2, 1, 1, 1, 1]
    assert [cell.colspan for cell in table.rows[1]] == [2, 1, 1, 1, 1]
    assert texts(document) == ["附表3", "“十二五”居民收入倍增规划考核指标"]
    assert document.warnings == []


def test_a_narrow_header_of_cells_one_per_line(tmp_path: Path) -> None:
    content = "指 标\n权重\n牵头部门\n1\n城镇居民人均可支配收入\n25\n省人社厅\n2\n农村居民人均纯收入\n25\n省农委\n"
    content += "3\n新型农民培训人数\n3\n省农委\n"
    (table,) = write(tmp_path, content).tables
    assert grid(table)[:2] == [["指 标", None, "权重", "牵头部门"], ["1", "城镇居民人均可支配收入", "25", "省人社厅"]]


# Cells, then the rows' width the sequence numbers tell (None: not told).
# fmt: off
SEQUENCE_WIDTHS = (
    (["1", "甲", "10", "2", "乙", "8", "3", "丙", "6"], 3),
    # a section row, and a weight 5 before the row numbered 5
    (["一、经济", "50", "1", "甲", "3", "元", "2", "乙", "5", "%", "一、社会", "40", "3", "丙", "5", "人",
      "4", "丁", "5", "个", "5", "戊", "2", "个"], 4),
    (["1", "甲", "2", "乙"], None),  # two numbers: no width
    (["甲", "1", "乙", "3", "丙", "2"], None),  # not in order
)
# fmt: on


@pytest.mark.parametrize(("cells", "width"), SEQUENCE_WIDTHS)
def test_sequence_width(cells: list[str], width: int | None) -> None:
    assert sequence_width(cells, [kind(c) for c in cells]) == width


ZJ_2013_A = spaced(
    "三、A类条线工作考核细则",
    "序号", "条线工作", "考核责任", "单位", "考核项目", "考核指标、要求", "考核赋分办法",
    "1", "殡葬改革与社会养老服务体系建设", "市殡改办", "市民政局",
    "私坟“禁新”、整改工作(30分)", "严禁任何形式的新建、翻新、扩建私坟。", "每月进行一次明察暗访,按照排名赋分。",
    "骨灰流向跟踪管理工作(10分)", "全面推行骨灰流向跟踪管理,骨灰跟踪管理率达到100%。", "实行每月一排名,按照排名赋分。",
    "公墓建设工作(20分)", "完成2013年度公墓建设任务,确保年底前投入使用。", "每个季度一排名,按排名赋分。",
)  # fmt: skip


def test_a_header_cell_split_over_two_lines_is_joined_by_the_rows_width(tmp_path: Path) -> None:
    """zj-2013-a: `考核责任` / `单位` is one header cell; two units stacked in one cell; rows covered on the left."""
    document = write(tmp_path, ZJ_2013_A)
    (table,) = document.tables
    rows = grid(table)
    assert rows[0] == ["序号", "条线工作", "考核责任\n单位", "考核项目", "考核指标、要求", "考核赋分办法"]
    assert rows[1][:4] == ["1", "殡葬改革与社会养老服务体系建设", "市殡改办\n市民政局", "私坟“禁新”、整改工作(30分)"]
    assert [row[3] for row in rows[2:]] == ["骨灰流向跟踪管理工作(10分)", "公墓建设工作(20分)"]
    assert all(row[:3] == ["", "", ""] for row in rows[2:])
    assert texts(document) == ["三、A类条线工作考核细则"]
    assert "表头 6 列，此行只有 3 格，按内容类型放在第 4、5、6 列" in document.warnings[0].message


def test_split_header_cells_that_are_no_header_cell_alone(tmp_path: Path) -> None:
    """`2015年` and `区政府` open a header cell: joined down to the width the sequence numbers tell."""
    rows = [
        ("1", "城镇居民人均可支配收入", "元", "31000", "张三", "省人社厅"),
        ("2", "农村居民人均纯收入", "元", "10570", "李四", "省农委"),
        ("3", "新型农民培训人数", "万人", "200", "王五", "省农委"),
    ]
    header = ("序号", "指标", "单位", "2015年", "目 标", "区政府", "分管领导", "牵头部门")
    (table,) = write(tmp_path, "\n".join(header + tuple(c for row in rows for c in row)) + "\n").tables
    assert grid(table)[0] == ["序号", "指标", "单位", "2015年\n目 标", "区政府\n分管领导", "牵头部门"]
    assert grid(table)[1:] == [list(row) for row in rows]  # the bare 单位 is a column of its own


def test_a_bare_unit_column_beside_a_split_looking_header_is_kept(tmp_path: Path) -> None:
    """`考核责任` / `单位` over organs and `%`/`亿元`: rows as wide as the header lines, nothing joined."""
    content = "指标\n考核责任\n单位\n目标值\n分值\n"
    content += "GDP增速\n县发改局\n%\n7\n10\n财政收入\n县财政局\n亿元\n5\n8\n粮食面积\n县农业农村局\n万亩\n2\n6\n"
    (table,) = write(tmp_path, content).tables
    assert grid(table) == [
        ["指标", "考核责任", "单位", "目标值", "分值"],
        ["GDP增速", "县发改局", "%", "7", "10"],
        ["财政收入", "县财政局", "亿元", "5", "8"],
        ["粮食面积", "县农业农村局", "万亩", "2", "6"],
    ]


SHENGSI = spaced(
    "考核项目", "序号", "考核指标", "考核内容", "单位", "年度目标", "责任部门", "评分部门",
    "农业高质高效", "1", "确保粮食和重要农产品有效供给", "农林牧渔业增加值增幅", "%", "≥2%",
    "县海洋与渔业局", "县农业农村局", "市海洋渔业局市农业农村局",
    "2", "农业劳动生产率及增幅", "万元/人", "全市统筹", "县海洋与渔业局", "县农业农村局", "市海洋渔业局市农业农村局",
    "3", "粮食安全责任制", "-", "良好以上", "县经济和信息化局", "市商务局",
    "4", "粮食播种面积", "万亩", "0.07", "县农业农村局", "市农业农村局",
    "5", "油菜面积", "万亩", "0", "县农业农村局", "市农业农村局",
    "10", "建设美丽牧场", "0", "县农业农村局", "市农业农村局",
    "11", "建设“千亩方、万亩方”", "永久基本农田", "万亩", "0", "县自然资源和规划局", "市资源规划局",
)  # fmt: skip


def test_short_rows_of_cells_one_per_line_miss_their_left_block(tmp_path: Path) -> None:
    """zj-2021-shengsi: 考核项目 and 考核指标 are merged over the rows, `万亩` goes under 单位."""
    document = write(tmp_path, SHENGSI)
    (table,) = document.tables
    rows = grid(table)
    hy, sy = "县海洋与渔业局\n县农业农村局", "市海洋渔业局市农业农村局"  # two units stacked; two run together
    assert rows[1][3:] == ["农林牧渔业增加值增幅", "%", "≥2%", hy, sy]
    assert rows[2] == ["", "2", "", "农业劳动生产率及增幅", "万元/人", "全市统筹", hy, sy]
    assert rows[3] == ["", "3", "", "粮食安全责任制", "-", "良好以上", "县经济和信息化局", "市商务局"]
    assert rows[4] == ["", "4", "", "粮食播种面积", "万亩", "0.07", "县农业农村局", "市农业农村局"]
    assert rows[6] == ["", "10", "", "建设美丽牧场", "", "0", "县农业农村局", "市农业农村局"]  # no 单位 in this row
    assert rows[7][1:4] == ["11", "建设“千亩方、万亩方”", "永久基本农田"]
    assert len(rows) == 8


DAZHU = """2016年民生实事目标任务分解表
序号
民生实事
责任单位
完成时限
1
启动建设东柳河城区段综合治理工程和东湖湿地公园。
县水务局
县住建局
县护城河指挥部
12月底前
2
新建2座人行天桥。
县住建局
9月投入使用
3
启动县图书馆新馆建设。
县文体广新局
县代建中心
12月底前
5
开工建设县老年养护楼。
县民政局
5月底前动工
开工建设老年大学。
12月底前
6
迁建县政务服务中心。
县政务服务中心
县代建中心
12月底前
分享到:
"""


def test_units_stacked_one_per_line_stay_in_one_cell(tmp_path: Path) -> None:
    """sc-2016-dazhu: organ lines after an organ line, where the row would be too long, are one cell."""
    document = write(tmp_path, DAZHU)
    (table,) = document.tables
    assert grid(table) == [
        ["序号", "民生实事", "责任单位", "完成时限"],
        ["1", "启动建设东柳河城区段综合治理工程和东湖湿地公园。", "县水务局\n县住建局\n县护城河指挥部", "12月底前"],
        ["2", "新建2座人行天桥。", "县住建局", "9月投入使用"],
        ["3", "启动县图书馆新馆建设。", "县文体广新局\n县代建中心", "12月底前"],
        ["5", "开工建设县老年养护楼。", "县民政局", "5月底前动工"],
        ["", "开工建设老年大学。", "", "12月底前"],  # 序号 and 责任单位 merged over two tasks
        ["6", "迁建县政务服务中心。", "县政务服务中心\n县代建中心", "12月底前"],
    ]
    assert texts(document) == ["2016年民生实事目标任务分解表", "分享到:"]
    assert codes(document) == ["short_row"]


def test_units_stacked_in_every_row_do_not_make_the_table_unreadable(tmp_path: Path) -> None:
    content = "序号\n考核内容\n分值\n责任单位\n1\nGDP增速\n10\n县发改局\n县统计局\n2\n财政收入\n8\n县财政局\n县税务局\n"
    content += "3\n粮食面积\n6\n县农业农村局\n县统计局\n"
    document = write(tmp_path, content)
    units = [row[3] for row in grid(document.tables[0])[1:]]
    assert units == ["县发改局\n县统计局", "县财政局\n县税务局", "县农业农村局\n县统计局"]
    assert document.warnings == []


def test_stacked_units_go_to_the_unit_column_whose_cells_list_several(tmp_path: Path) -> None:
    content = "序号\n主要任务\n牵头单位\n配合单位\n1\n建设东湖公园\n县水务局\n县住建局\n县林业局\n"
    content += "2\n新建人行天桥\n县住建局\n县交通局、县公安局\n3\n启动图书馆建设\n县文广局\n县财政局、县代建中心\n"
    (table,) = write(tmp_path, content).tables
    assert grid(table)[1] == ["1", "建设东湖公园", "县水务局", "县住建局\n县林业局"]


# Text with no cell structure (development folders): it stays paragraphs, no table is guessed.
NO_CELLS = (
    # ha-2018: each row on one line, cells separated by spaces only
    "序号 类别 主要任务 细化措施 牵头单位 参与单位 责任单位\n"
    "1 加强水资源保 护 严守水资源开发利用控制红线 实施水资源消耗总量和强度双控行动。 市水利局 市发展改革委 各县政府\n"
    "2  严守用水 效率控制 红线 落实万元国内生产总值水耗指标等用水效率评估体系。 市水利局 市发展改革委 各县政府\n",
    # jx-2019: a PDF's column blocks run together
    "序号 考核项目 总分 一 河湖长制基础工作 1 2 3 4 5 完善组织体系 强化督察督办 贯彻落实有关法规 各项 分值 100 16 1\n\n"
    "负责考核单位 市河长办 市综合行政执法局、市住建局 市综合行政执法局 市生态环境局\n",
    # bj-2017: the page flattened into one line
    "区政府各委、办、局,各区属机构:经区政府同意,现将《通州区2017年度政府绩效管理考评体系》印发给你们。"
    "项目 一级指标 二级指标 绩效管理内容 分值 权重 管理主体 履职效能 重点工作 60 60% 区政府办\n",
)


@pytest.mark.parametrize("content", NO_CELLS)
def test_text_without_cell_structure_stays_paragraphs(tmp_path: Path, content: str) -> None:
    document = write(tmp_path, content)
    assert document.tables == []
    assert document.warnings == []
    assert texts(document) == [line.strip() for line in content.splitlines() if line.strip()]


# --- TAB-separated rows copied with line breaks -----------------------------------------------

TABS = (
    "序号\t考核内容\t分值\t责任单位\n"
    "1\t地区生产总值增长7%，确保\n增速高于全市平均水平\t10\t县发改局\n"
    "2\t固定资产投资增长12%\t8\t县发改局\n重大项目完成年度投资计划\n"
    "3\t招商引资到位资金\t\t\n其中省外资金不少于5亿元\n"
    "4\t营商环境\t5\t县发改局\n"
)


def test_tab_rows_with_wrapped_cells(tmp_path: Path) -> None:
    document = write(tmp_path, TABS)
    (table,) = document.tables
    assert grid(table) == [
        ["序号", "考核内容", "分值", "责任单位"],
        ["1", "地区生产总值增长7%，确保\n增速高于全市平均水平", "10", "县发改局"],  # one row cut over two lines
        ["2", "固定资产投资增长12%", "8", "县发改局\n重大项目完成年度投资计划"],  # a full row: its last cell
        ["3", "招商引资到位资金\n其中省外资金不少于5亿元", "", ""],  # the last non-empty cell
        ["4", "营商环境", "5", "县发改局"],
    ]
    assert codes(document) == ["wrapped_cell"]
    assert document.warnings[0].message == (
        "表1行3（文件第 6 行，“3”）：一行不含 TAB 的文字接在了此行最后一个有内容的格后，而不是最后一格"
    )


def test_tab_rows_copied_from_a_page_with_merged_cells(tmp_path: Path) -> None:
    content = "类别\t序号\t考核内容\t分值\n经济发展\t1\tGDP\t10\n2\t财政收入\t8\n社会事业\t3\t教育\t5\n"
    document = write(tmp_path, content)
    assert grid(document.tables[0])[2] == ["", "2", "财政收入", "8"]
    assert "表头 4 列，此行只有 3 格，靠右排列" in document.warnings[0].message


@pytest.mark.parametrize("after", ["正文一段\n", "正文一段\n\n甲\t乙\n一\t二\n"])
def test_text_after_a_tab_table_is_not_a_wrapped_cell(tmp_path: Path, after: str) -> None:
    """Only lines leading straight to the next TAB row continue a cell."""
    document = write(tmp_path, "甲\t乙\n一\t二\n" + after)
    assert grid(document.tables[0]) == [["甲", "乙"], ["一", "二"]]
    assert texts(document) == ["正文一段"]
    assert document.warnings == []


# --- the evidence ------------------------------------------------------------------------------

# fmt: off
KINDS = (
    ("", "empty"), ("——", "dash"), ("……", "dash"), ("/", "dash"), ("12", "int"), ("10分", "number"),
    ("-1.5", "number"), ("5%", "number"), ("2.", "seq_ar"), ("（3）", "seq_ar"), ("（三）", "seq_cn"),
    ("1.责任型机关创建", "item_ar"), ("1、固定资产投资", "item_ar"), ("(一)重点工作 (500分)", "item_cn"),
    ("县委办、县府办", "unit"), ("市统计局(牵头) 市发改委", "unit"), ("国家统计局安徽调查总队", "unit"),
    ("按实绩赋分", "text"), ("全面建成小康社会", "text"), ("2020年度", "text"), ("%", "measure"), ("万亩", "measure"),
    ("万元/人", "measure"), ("亿斤", "measure"), ("≥2%", "text"), ("全市统筹", "text"),
)
ROLES = (
    ("序号", "seq"), ("序 号", "seq"), ("分值", "number"), ("扣分分值", "number"), ("目标任务考核指标权 重", "number"),
    ("项目名称及分值", "label"), ("考核内容", "label"), ("责任单位", "unit"), ("牵头单位及 主要负责人", "unit"),
    ("数据来源", "unit"), ("单位", "any"), ("年度目标", "any"), ("完成时限", "any"),
)
# fmt: on


@pytest.mark.parametrize(("text", "expected"), KINDS)
def test_kind(text: str, expected: str) -> None:
    assert kind(text) == expected


@pytest.mark.parametrize(("text", "expected"), ROLES)
def test_header_role(text: str, expected: str) -> None:
    assert header_role(text) == expected


def test_place_cells_moves_only_on_evidence() -> None:
    complete = [
        ["(一)重点工作", "1.", "按实绩赋分", "县委办"],
        ["(二)机关建设", "1.学习型", "按排名赋分", "县委宣传部"],
    ]
    columns = profiles(complete, None, 4)
    assert place_cells(["seq_ar"], columns) == (1,)  # `2.` under `1.`, not under `（一）…`
    assert place_cells(["item_ar", "unit"], columns) == (1, 3)
    assert place_cells(["item_cn", "item_ar"], columns) == (0, 1)
    assert place_cells(["text", "text"], profiles([], None, 4)) == (0, 1)  # no evidence: as written


def test_bars_without_row_marks_skip_the_pager_and_read_a_year_in_the_header(tmp_path: Path) -> None:
    content = "序号\n| 指标\n| 分值\n| 2022年\n目标\n| 牵头单位\n| 1\n| GDP增速\n| 10\n| 7%\n| 县发改局\n"
    content += "| 2\n| 财政收入\n| 5\n| 8%\n| 县财政局\n|\n第 [1] [2] 页 共[2]页\n|\n"
    document = write(tmp_path, content)
    assert grid(document.tables[0]) == [
        ["序号", "指标", "分值", "2022年\n目标", "牵头单位"],
        ["1", "GDP增速", "10", "7%", "县发改局"],
        ["2", "财政收入", "5", "8%", "县财政局"],
    ]
    assert texts(document) == []
    assert document.warnings == []


def test_a_reading_wider_than_any_assessment_table_is_refused(tmp_path: Path) -> None:
    content = "| " + " | ".join(f"第{n}项" for n in range(30)) + " |\n| 甲 | 乙 |\n"
    document = write(tmp_path, content)
    assert document.tables == []
    assert codes(document) == ["table_unread"]
    assert "一行就有 30 格，说明没能分出各行" in document.warnings[0].message
