"""HTML backend: encodings, boilerplate removal, merged-cell grids, layout tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Table
from parsers.html_parser import clean_line, declared_encoding, parse


def write_page(tmp_path: Path, body: str, *, head: str = "", encoding: str = "utf-8", name: str = "page.html") -> Path:
    html = f"<!DOCTYPE html><html><head>{head}<title>标题栏</title></head><body>{body}</body></html>"
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return path


def spans(table: Table) -> list[tuple[int, int, int, int]]:
    return [(c.row, c.col, c.rowspan, c.colspan) for cells in table.rows for c in cells]


def texts(path: Path) -> list[str]:
    return [b.text for b in parse(path).paragraphs]


MERGED = """
<table border="1">
  <tr><th rowspan="3">类别</th><th colspan="2">考核指标</th><th>分值</th></tr>
  <tr><td>经济发展</td><td>GDP增速</td><td>10</td></tr>
  <tr><td colspan="2">招商引资</td><td rowspan="2">5</td></tr>
  <tr><td>社会</td><td>民生</td><td>就业</td></tr>
</table>
"""


def test_rowspan_and_colspan_land_on_a_proper_grid(tmp_path: Path) -> None:
    (table,) = parse(write_page(tmp_path, MERGED)).tables
    assert table.n_rows == 4
    assert table.n_cols == 4
    assert table.text_grid() == [
        ["类别", "考核指标", None, "分值"],
        [None, "经济发展", "GDP增速", "10"],
        [None, "招商引资", None, "5"],
        ["社会", "民生", "就业", None],
    ]
    assert spans(table) == [
        (0, 0, 3, 1), (0, 1, 1, 2), (0, 3, 1, 1),
        (1, 1, 1, 1), (1, 2, 1, 1), (1, 3, 1, 1),
        (2, 1, 1, 2), (2, 3, 2, 1),
        (3, 0, 1, 1), (3, 1, 1, 1), (3, 2, 1, 1),
    ]  # fmt: skip
    assert table.cell_at(2, 0).text == "类别"
    assert table.cell_at(3, 3).text == "5"


def test_overflowing_rowspan_is_clipped_and_short_rows_padded(tmp_path: Path) -> None:
    body = """<table>
      <tr><td rowspan="9">甲</td><td>乙</td><td>丙</td></tr>
      <tr><td>丁</td></tr>
    </table>
    <table><tr><td>a</td><td>b</td></tr><tr></tr></table>"""
    clipped, trailing = parse(write_page(tmp_path, body)).tables
    assert clipped.text_grid() == [["甲", "乙", "丙"], [None, "丁", ""]]
    assert spans(clipped)[0] == (0, 0, 2, 1)
    assert trailing.text_grid() == [["a", "b"]]  # an empty <tr> nothing spans into is not a row


def test_colspan_running_into_a_rowspan_is_cut_short(tmp_path: Path) -> None:
    body = """<table>
      <tr><td>a</td><td rowspan="2">b</td><td>c</td></tr>
      <tr><td colspan="3">d</td></tr>
    </table>"""
    (table,) = parse(write_page(tmp_path, body)).tables
    assert table.text_grid() == [["a", "b", "c"], ["d", None, ""]]
    assert spans(table) == [(0, 0, 1, 1), (0, 1, 2, 1), (0, 2, 1, 1), (1, 0, 1, 1), (1, 2, 1, 1)]


def test_br_p_and_div_in_a_cell_become_lines(tmp_path: Path) -> None:
    body = """<table>
      <tr><td>指标<br>任务</td><td><p>第一段</p><p>第二段</p></td><td><div>甲</div><div>乙</div></td></tr>
      <tr><td>&nbsp;经济
          发展&nbsp;</td><td>　序　号　</td><td>PM2.5 浓度</td></tr>
    </table>"""
    (table,) = parse(write_page(tmp_path, body)).tables
    assert table.text_grid() == [
        ["指标\n任务", "第一段\n第二段", "甲\n乙"],
        ["经济发展", "序 号", "PM2.5 浓度"],
    ]


def test_script_style_nav_header_footer_and_share_bars_are_left_out(tmp_path: Path) -> None:
    body = """
      <header>XX县人民政府网站</header>
      <nav><a>首页</a><a>政务公开</a></nav>
      <div id="topNav">网站导航</div>
      <div class="breadcrumb">当前位置：首页 &gt; 通知公告</div>
      <script>var tracker = "脚本";</script><style>p { color: red }</style><noscript>请启用脚本</noscript>
      <p>关于申报2022年度目标责任考核指标任务的通知</p>
      <div class="bdsharebuttonbox">分享到：微信</div>
      <form><input value="搜索"><button>检索</button>站内搜索</form>
      <p style="display: none">隐藏文字</p>
      <p>各镇党委、政府：</p>
      <div class="footer">主办：XX县人民政府办公室</div>
      <div id="copyright">版权所有</div>
      <footer>网站标识码</footer>
    """
    assert texts(write_page(tmp_path, body)) == ["关于申报2022年度目标责任考核指标任务的通知", "各镇党委、政府："]


def test_article_container_is_preferred_over_the_body(tmp_path: Path) -> None:
    body = """
      <div class="left"><ul><li>相关文章一</li><li>相关文章二</li></ul></div>
      <div class="TRS_Editor"><p>第一条 为了推进高质量发展，制定本办法。</p><p>第二条 本办法适用于各镇办。</p></div>
      <div class="right">热点专题</div>
    """
    assert texts(write_page(tmp_path, body)) == [
        "第一条 为了推进高质量发展，制定本办法。",
        "第二条 本办法适用于各镇办。",
    ]


def test_header_inside_an_article_is_kept(tmp_path: Path) -> None:
    article = "<header><h1>考核办法</h1></header><p>正文内容。</p>"
    body = f"<header>网站</header><article>{article}</article><footer>页脚</footer>"
    assert texts(write_page(tmp_path, body)) == ["考核办法", "正文内容。"]
    body = f'<header>网站</header><div class="news_content">{article}</div>'
    assert texts(write_page(tmp_path, body, name="div.html")) == ["考核办法", "正文内容。"]


def test_a_form_wrapping_the_whole_page_is_kept(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>第{n}条 考核工作坚持客观公正、注重实绩的原则。</p>" for n in range(1, 4))
    body = f'<form id="form1" method="post"><div class="search">搜索</div>{paragraphs}</form>'
    assert len(texts(write_page(tmp_path, body))) == 4


def test_gbk_page_declared_gb2312_is_decoded_as_gb18030(tmp_path: Path) -> None:
    # 镕 and 堃 are GBK-only: a strict gb2312 decoder would fail on them.
    body = "<p>柞水县考核委员会办公室</p><p>朱镕基　王堃</p>"
    path = write_page(tmp_path, body, head='<meta charset="gb2312">', encoding="gbk")
    document = parse(path)
    assert document.source.encoding == "gb18030"
    assert document.source.format == "html"
    assert [p.text for p in document.paragraphs] == ["柞水县考核委员会办公室", "朱镕基 王堃"]
    assert document.warnings == []


def test_http_equiv_charset_and_undeclared_gbk(tmp_path: Path) -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=GBK">'
    declared = write_page(tmp_path, "<p>考核</p>", head=head, encoding="gbk", name="a.html")
    undeclared = write_page(tmp_path, "<p>目标责任考核</p>", encoding="gbk", name="b.html")
    assert (parse(declared).source.encoding, texts(declared)) == ("gb18030", ["考核"])
    assert (parse(undeclared).source.encoding, texts(undeclared)) == ("gb18030", ["目标责任考核"])


def test_utf8_bom_and_a_wrong_declaration(tmp_path: Path) -> None:
    bom = tmp_path / "bom.html"
    bom.write_bytes(b"\xef\xbb\xbf<html><body><p>\xe9\x80\x9a\xe7\x9f\xa5</p></body></html>")
    assert (parse(bom).source.encoding, texts(bom)) == ("utf-8-sig", ["通知"])
    wrong = write_page(tmp_path, "<p>考核办法</p>", head='<meta charset="utf-8">', encoding="gbk", name="w.html")
    document = parse(wrong)
    assert (document.source.encoding, texts(wrong)) == ("gb18030", ["考核办法"])
    assert [w.code for w in document.warnings] == ["encoding_mismatch"]


# fmt: off
DECLARATIONS = (
    (b'<meta charset="gb2312">', "gb18030"),
    (b"<meta charset=GBK>", "gb18030"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=x-gbk">', "gb18030"),
    (b'<META HTTP-EQUIV="content-type" CONTENT="text/html;charset=UTF-8">', "utf-8"),
    (b'<?xml version="1.0" encoding="gb18030"?>', "gb18030"),
    (b'<meta charset="big5">', "big5"),
    (b'<meta charset="iso-8859-1">', "cp1252"),
    (b'<meta charset="no-such-charset">', None),
    (b"<p>no declaration</p>", None),
)
# fmt: on


@pytest.mark.parametrize(("head", "expected"), DECLARATIONS)
def test_declared_encoding(head: bytes, expected: str | None) -> None:
    assert declared_encoding(b"<html><head>" + head + b"</head></html>") == expected


# fmt: off
LINES = (
    ("  经济\n   发展  ", "经济发展"),
    ("PM2.5\n浓度", "PM2.5浓度"),
    ("Target\nresponsibility", "Target responsibility"),
    ("\u00a0\u00a0指标\u3000\u3000任务\u00a0", "指标 任务"),
    ("2022  年度", "2022 年度"),
    ("\u200b考核\ufeff", "考核"),
)
# fmt: on


@pytest.mark.parametrize(("raw", "expected"), LINES)
def test_clean_line(raw: str, expected: str) -> None:
    assert clean_line(raw) == expected


def test_page_without_tables_gives_paragraphs_only(tmp_path: Path) -> None:
    body = "<h2>一、总体要求</h2><p>坚持以人民为中心。</p><ul><li>（一）目标</li><li>（二）任务</li></ul>正文尾"
    document = parse(write_page(tmp_path, body))
    assert document.tables == []
    assert [p.text for p in document.paragraphs] == [
        "一、总体要求",
        "坚持以人民为中心。",
        "（一）目标",
        "（二）任务",
        "正文尾",
    ]
    assert document.warnings == []


def test_page_without_text_warns_empty_page(tmp_path: Path) -> None:
    document = parse(write_page(tmp_path, "<script>render()</script><div>&nbsp;</div><img src='a.png'>"))
    assert document.blocks == []
    assert [w.code for w in document.warnings] == ["empty_page"]


def test_nested_table_follows_its_outer_table(tmp_path: Path) -> None:
    body = """<p>前文</p><table>
      <tr><td>单位</td><td>指标</td></tr>
      <tr><td>县发改局</td><td>GDP<table><tr><td>季度</td><td>目标</td></tr><tr><td>一季度</td><td>5%</td></tr></table></td></tr>
    </table><p>后文</p>"""
    blocks = parse(write_page(tmp_path, body)).blocks
    assert [b.type for b in blocks] == ["paragraph", "table", "table", "paragraph"]
    outer, inner = blocks[1], blocks[2]
    assert isinstance(outer, Table) and isinstance(inner, Table)
    assert outer.text_grid() == [["单位", "指标"], ["县发改局", "GDP"]]
    assert inner.text_grid() == [["季度", "目标"], ["一季度", "5%"]]


def test_layout_tables_are_walked_through(tmp_path: Path) -> None:
    body = """<table width="980"><tr><td>
      <table width="100%"><tr><td><p>关于印发考核办法的通知</p><p>各镇办：</p></td></tr></table>
      <table border="1"><tr><th>序号</th><th>单位</th></tr><tr><td>1</td><td>县财政局</td></tr></table>
    </td><td><table><tr><td>附件下载</td></tr></table></td></tr></table>"""
    blocks = parse(write_page(tmp_path, body)).blocks
    assert [b.type for b in blocks] == ["paragraph", "paragraph", "table", "paragraph"]
    assert [b.text for b in blocks if b.type == "paragraph"] == ["关于印发考核办法的通知", "各镇办：", "附件下载"]
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert table.text_grid() == [["序号", "单位"], ["1", "县财政局"]]


def test_an_article_in_one_huge_cell_is_not_a_table(tmp_path: Path) -> None:
    article = "".join(
        f"<p>第{n}条 各单位应当按照本办法的规定，认真组织开展年度目标责任考核工作。</p>" for n in range(80)
    )
    body = f"<table><tr><td>栏目</td><td>{article}</td></tr></table>"
    document = parse(write_page(tmp_path, body))
    assert document.tables == []
    assert len(document.paragraphs) == 81


def test_caption_and_heading_above_a_table_come_just_before_it(tmp_path: Path) -> None:
    """Table understanding takes a table's title from the paragraph right before it, in every format."""
    body = """<div class="TRS_Editor"><p>正文。</p>
      <h3>附件1</h3>
      <p align="center"><b>2022年度考核指标分工表</b></p>
      <table border="1"><tr><th>序号</th><th>指标</th></tr><tr><td>1</td><td>GDP</td></tr></table>
      <div style="text-align:center"><strong>部门考核指标</strong></div>
      <table border="1"><caption>表2 部门考核指标（650分）</caption>
        <tr><td>序号</td><td>指标</td></tr><tr><td>1</td><td>招商引资</td></tr></table>
      <table border="1"><tr><td>类别</td><td>分值</td></tr><tr><td>党建</td><td>10</td></tr>
        <caption>表3 共性指标</caption></table>
      <table role="presentation"><caption>版面说明</caption><tr><td><p>布局文字</p></td></tr></table>
    </div>"""
    blocks = parse(write_page(tmp_path, body)).blocks
    assert [b.text if b.type == "paragraph" else b.text_grid()[1][1] for b in blocks] == [
        "正文。",
        "附件1",
        "2022年度考核指标分工表",
        "GDP",
        "部门考核指标",
        "表2 部门考核指标（650分）",
        "招商引资",
        "表3 共性指标",  # a caption written after the rows still titles the table
        "10",
        "版面说明",
        "布局文字",
    ]
    assert [t.n_rows for t in parse(write_page(tmp_path, body, name="again.html")).tables] == [2, 2, 2]
