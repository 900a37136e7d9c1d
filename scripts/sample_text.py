"""Write a sample notice as plain text (the two seed layouts) or as a saved web page.

* ``write_txt_cells`` — seed 002's export: every table cell on its own line
  starting with a TAB, further paragraphs of a cell on lines without a TAB
  (after a blank line), a blank line between rows, a position covered by a
  merge written as a lone TAB, and the header row repeated once where a page
  break fell in the original.
* ``write_txt_rows`` — seed 000's export: one table row per line, cells
  separated by TABs, covered positions empty.
* ``write_html`` — a government web page saved from a browser: navigation and
  footer around the notice, which sits in ``<div class="TRS_Editor">``; tables
  keep their merges as ``rowspan``/``colspan``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from sample_model import Block, Grid, PageBreak, Para, position_text


def write_txt_cells(blocks: list[Block], path: Path) -> None:
    """Seed 002 layout (UTF-8, LF)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out += [block.text, ""]
        elif isinstance(block, Grid):
            out += [*_cell_lines(block), ""]
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")


def _cell_lines(spec: Grid) -> list[str]:
    grid = position_text(spec.table)
    header = grid[: spec.header_rows]
    lines: list[str] = []
    for index, row in enumerate(grid):
        if spec.txt_repeat_header_before is not None and index == spec.header_rows + spec.txt_repeat_header_before:
            for header_row in header:
                lines += _row_lines(header_row)
        lines += _row_lines(row)
    return lines


def _row_lines(row: list[str | None]) -> list[str]:
    lines: list[str] = []
    for text in row:
        first, *more = (text or "").split("\n")
        lines.append("\t" + first)
        for paragraph in more:
            lines += ["", paragraph]
    return [*lines, ""]


def write_txt_rows(blocks: list[Block], path: Path) -> None:
    """Seed 000 layout (UTF-8, LF): tables one row per line."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out += [block.text, ""]
        elif isinstance(block, Grid):
            for row in position_text(block.table):
                out.append("\t".join((text or "").replace("\n", "") for text in row))
            out.append("")
        elif isinstance(block, PageBreak):
            out += ["", ""]
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")


_PARA_STYLE = {
    "issuer": 'align="center" style="color:#e00000;font-size:30pt;font-family:方正小标宋简体;letter-spacing:2px"',
    "docno": 'align="center"',
    "title": 'align="center" style="font-size:22pt;font-family:方正小标宋简体"',
    "attachment_title": 'align="center" style="font-size:18pt;font-family:方正小标宋简体"',
    "section": 'align="center" style="font-family:黑体"',
    "table_title": 'align="center" style="font-family:黑体"',
    "chapter": 'align="center" style="font-family:黑体"',
    "signature": 'align="right" style="padding-right:4em"',
    "date": 'align="right" style="padding-right:4em"',
    "attachment_more": 'style="padding-left:5em"',
    "attachment_label": 'style="font-family:黑体"',
    "recipients": "",
    "unit": 'style="font-family:楷体_GB2312;font-weight:bold"',
}


def html_article(blocks: list[Block], *, cell_paragraphs: bool) -> str:
    """The notice as the inner HTML of the TRS_Editor div."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            attrs = _PARA_STYLE.get(block.role, 'style="text-indent:2em"')
            text = escape(block.text)
            if block.role == "issuer":
                text = f"<strong>{text}</strong>"
            parts.append(f"<p {attrs}>{text}</p>".replace("<p >", "<p>"))
            if block.rule_below:
                parts.append('<hr style="border:0;border-top:2px solid #e00000" />')
        elif isinstance(block, Grid):
            parts.append(_html_table(block, cell_paragraphs=cell_paragraphs))
    return "\n".join(parts)


def _html_table(spec: Grid, *, cell_paragraphs: bool) -> str:
    lines = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse">']
    total = sum(spec.widths_mm)
    for cells in spec.table.rows:
        lines.append("<tr>")
        for cell in cells:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.row == 0:
                width = sum(spec.widths_mm[cell.col : cell.col + cell.colspan])
                attrs += f' width="{round(100 * width / total)}%"'
            inner = _html_cell_text(cell.text, cell.row < spec.header_rows, cell_paragraphs)
            lines.append(f'<td{attrs} valign="middle">{inner}</td>')
        lines.append("</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _html_cell_text(text: str, header: bool, cell_paragraphs: bool) -> str:
    paragraphs = [escape(p) for p in text.split("\n")]
    if header:
        paragraphs = [f"<strong>{p}</strong>" for p in paragraphs]
    if cell_paragraphs:  # Word-saved HTML: every cell paragraph is a <p>, an empty one holds &nbsp;
        return "".join(f'<p class="MsoNormal" align="center">{p or "&nbsp;"}</p>' for p in paragraphs)
    return "<br />".join(paragraphs)


def write_html(blocks: list[Block], path: Path, *, page: dict[str, str], cell_paragraphs: bool) -> None:
    """A saved government web page; ``page`` holds the site name, title, date and source."""
    article = html_article(blocks, cell_paragraphs=cell_paragraphs)
    html = PAGE_TEMPLATE.format(article=article, **{k: escape(v) for k, v in page.items()})
    path.write_text(html, encoding="utf-8")


PAGE_TEMPLATE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="{pubdate}" />
<meta name="ContentSource" content="{source}" />
<title>{title}_{site}</title>
<style type="text/css">
body {{ margin:0; font-family:"Microsoft YaHei",SimSun,sans-serif; }}
.nav li {{ display:inline; padding:0 12px; }}
.TRS_Editor p {{ margin:0; line-height:2; font-size:16px; }}
.TRS_Editor td {{ padding:2px 4px; font-size:14px; }}
</style>
<script type="text/javascript">var _hmt = _hmt || []; function doZoom(size) {{ return size; }}</script>
</head>
<body>
<div class="header">
  <div class="banner"><h2>{site}</h2></div>
  <ul class="nav">
    <li><a href="/">首页</a></li>
    <li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwgk/tzgg/">通知公告</a></li>
    <li><a href="/hdjl/">互动交流</a></li>
    <li><a href="/bsfw/">办事服务</a></li>
  </ul>
  <div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div>
</div>
<div class="content">
  <div class="article-info">发布时间：{pubdate}　来源：{source}　【字体：<a href="javascript:doZoom(18)">大</a>
    <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</div>
  <div class="TRS_Editor">
{article}
  </div>
  <div class="article-tools">【<a href="javascript:window.print()">打印本页</a>】
    【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<div class="footer">
  <p>主办：{site}　承办：{host}</p>
  <p>网站标识码：0000000000　ICP备案号：陕ICP备00000000号</p>
  <p>版权所有 © {site}　建议使用1366×768分辨率浏览</p>
</div>
</body>
</html>
"""
