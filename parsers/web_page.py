"""Site chrome in text copied from a web page, and the fields of the page's info box.

A copied page brings its furniture along: the site's name (``XX县人民政府网``), breadcrumbs
(``当前位置：首页 > 政务公开 > …``), a byline (``发布时间：… 来源：… 浏览次数：``), an info box
(``索引号`` / ``发布机构`` / ``文号`` / ``成文日期`` …), page actions (``【字体：大 中 小】``,
``【打印本页】``, ``分享到：``) and a page heading (``文章正文``). :func:`is_chrome` recognises
such lines, so that none of them becomes or joins a title; :func:`labelled` reads a field of
the info box (``文号：国办发〔2023〕5号``, ``标 题: | …``), which may hold a 文号 or title the
notice itself does not print.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from parsers.document import Block, Paragraph, Table

__all__ = ["info_box", "is_chrome", "is_site_name", "labelled", "without_chrome"]

LABEL_WORDS = (
    "发布时间", "发布日期", "发布机构", "发布部门", "信息来源", "来源", "作者", "浏览次数", "点击数", "点击量",
    "阅读次数", "访问次数", "浏览量", "字体大小", "字体", "字号", "责任编辑", "编辑", "时间", "索引号", "组配分类",
    "主题分类", "公开方式", "公开时限", "公开日期", "公开范围", "有效性", "时效性", "文件编号", "发文编号", "信息分类",
    "体裁分类", "发文机关", "生效日期", "废止日期", "统一登记号", "公文种类", "相关附件", "成文日期", "名称", "标题",
    "文号", "发文字号", "分享到", "分享", "政策咨询机关", "政策咨询电话", "提供者",
)  # fmt: skip
_LABEL = "|".join(r"\s*".join(word) for word in sorted(LABEL_WORDS, key=len, reverse=True))  # `标 题`, `有 效 性`
_DATE = r"\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?[\s\d:：]*"
LABEL_START = re.compile(rf"^[\s\[【(（•·\-]*(?:{_DATE})?(?:{_LABEL})\s*[：:]")
ANY_LABEL = re.compile(rf"(?:{_LABEL})\s*[：:]")
BREADCRUMB = re.compile(r"首页\s*(?:>|＞|›|»|->|→)|(?:>|＞|»|->)\s*正文|^(?:您|你)?(?:现在)?(?:所在|当前)?的?位置")
CHROME_LINE = re.compile(
    r"^[\s【\[(（]*(?:文章正文|正文|返\s*回|打\s*印(?:本页)?|关闭(?:窗口)?|收藏(?:本页)?|朗\s*读|长辈版|长者模式|关怀版"
    r"|无障碍.*|繁体.*|简体.*|设为首页.*|加入收藏.*|分享到?(?:[：:].*)?|欢迎(?:来到|访问|光临).*)[\s】\])）]*$"
)
PAGE_ACTIONS = re.compile(r"^(?:\s*[【\[]\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏本页|保存本页)\s*[】\]])+\s*$")
SITE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,20}(?:网|网站|门户网站|政务网|信息网)$")


def is_chrome(line: str) -> bool:
    """A line of the page around the notice: breadcrumb, byline, info box, page action or heading."""
    text = line.strip()
    if not text:
        return False
    if CHROME_LINE.match(text) or PAGE_ACTIONS.match(text) or BREADCRUMB.search(text) or LABEL_START.match(text):
        return True
    return len(ANY_LABEL.findall(text)) >= 2 and len(text) <= 120


def is_site_name(line: str) -> bool:
    """``XX县人民政府网``, ``温州督考网``: the site's name printed above its pages."""
    return bool(SITE_NAME.match(re.sub(r"\s+", "", line)))


def labelled(words: tuple[str, ...], lines: Iterable[str], rows: Iterable[list[str]]) -> list[str]:
    """Values of an info-box field (one of ``words``), from ``label：value`` lines and label | value cells."""
    label = "|".join(r"\s*".join(word) for word in words)
    on_line = re.compile(rf"(?:^|\s)(?:{label})\s*[：:]\s*(?P<value>.*?)\s*(?=(?:{_LABEL})\s*[：:]|$)")
    in_cell = re.compile(rf"^\s*(?:{label})\s*[：:]?\s*$")
    values = [match["value"] for line in lines for match in on_line.finditer(line.replace("|", " "))]
    for cells in rows:
        values += [
            next((text for text in cells[index + 1 :] if text.strip()), "")
            for index, cell in enumerate(cells)
            if in_cell.match(cell)
        ]
    return [value.strip() for value in values if value.strip()]


def without_chrome(lines: list[str], is_organ: Callable[[str], bool], head: int) -> list[str]:
    """``lines`` without the page's chrome; an organ line beside chrome in the first ``head`` lines is the site."""
    chrome = [is_chrome(line) or is_site_name(line) for line in lines]
    for i in range(min(len(lines), head)):
        chrome[i] = chrome[i] or (any(chrome[max(i - 1, 0) : i + 2]) and is_organ(lines[i]))
    return [line for line, dropped in zip(lines, chrome, strict=True) if not dropped]


def info_box(blocks: Sequence[Block], words: tuple[str, ...]) -> list[str]:
    """Values of an info-box field in ``blocks`` (paragraph lines and table rows)."""
    lines = [block.text for block in blocks if isinstance(block, Paragraph)]
    rows = [[cell.text for cell in cells] for block in blocks if isinstance(block, Table) for cells in block.rows]
    return labelled(words, lines, rows)
