"""Read a saved government web page (.html/.htm/.shtml) into a ``Document``.

Chinese government sites often serve GBK/GB2312 pages; a declared GB charset is
decoded as gb18030 (its superset), because pages labelled gb2312 routinely use
GBK-only characters such as 镕 or 堃. The notice is looked for in an article
container (``<article>``, ``TRS_Editor``, ``Custom_UnionStyle``, ``zoom``, …);
navigation, share bars and footers are left out. Tables keep their merged cells
as spans on a proper grid; tables that only lay out the page are walked through
like ``<div>``s. A table's ``<caption>`` becomes a paragraph right before the table, as a
heading above it (``<h1>``–``<h6>``, a bold or centred ``<p>``) does anyway: that is where
table understanding looks for a table's title, whatever the format.

Text is collapsed as a browser shows it: a whitespace run is one space, except
that a run containing a newline (a wrap of the HTML source) joins the Chinese
way, with no space between Han characters. Spacing made with ``&nbsp;`` or U+3000
(``序　号``, two issuers on one line) stays one space; later stages normalise it,
as for the other formats. ``<br>`` and block elements end a line; in a table cell
the lines are joined with ``"\n"``.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from normalize.text import join_wrapped
from parsers.detect import fingerprint
from parsers.document import Block, Cell, Document, Paragraph, ParseWarning, Table
from parsers.errors import unreadable
from parsers.limits import Budget, check_file_size, check_html_depth

logger = logging.getLogger(__name__)

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I
)
_GB_LABELS = {"x-gbk", "gb_2312-80", "csgb2312", "chinese", "iso-ir-58", "csiso58gb231280", "windows-936"}
_GB_CODECS = {"gb2312", "gbk", "gb18030"}
# WHATWG: browsers read these labels as windows-1252, and a meta tag cannot really declare UTF-16.
_LABEL_OVERRIDES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "utf-16": "utf-8"}

# Never reader-visible text of a notice.
_DROPPED = [
    *("script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg", "canvas"),
    *("button", "input", "select", "option", "textarea", "map", "audio", "video"),
]
_BLOCK = {
    *("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre"),
    *("section", "article", "main", "center", "address", "figure", "figcaption", "caption", "hr", "body", "html"),
    *("header", "footer", "form", "fieldset", "legend", "details", "summary", "tr", "td", "th", "tbody", "thead"),
    "tfoot",
}
_NAV_WORDS = {"nav", "navbar", "navigation", "menu", "menubar", "footer", "foot", "breadcrumb", "breadcrumbs", "crumb"}
_NAV_WORDS |= {"crumbs", "share", "copyright", "sidebar"}
_NAV_PARTS = ("breadcrumb", "copyright", "bdshare", "footer", "navbar")
_CONTENT_WORDS = {"content", "article", "zoom"}
_CONTENT_PARTS = ("trs_editor", "custom_unionstyle")
# The page's own byline (发布时间：… 来源：… 【字体：大 中 小】) and its 【打印本页】 buttons are not the notice.
_PAGE_INFO_LABEL = re.compile(r"(发布时间|发布日期|信息来源|来源|作者|浏览次数|点击数|阅读次数|字体)\s*[：:]")
_PAGE_ACTIONS = re.compile(r"^(?:\s*【\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏本页|保存本页)\s*】)+\s*$")
_PAGE_INFO_TAGS = {"div", "p", "span", "li", "dd", "section"}
_PAGE_INFO_MAX_CHARS = 120
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_WHITESPACE = re.compile(r"\s+")
_SPAN_NUMBER = re.compile(r"\s*(\d+)")

_MIN_CONTAINER_SHARE = 0.2  # an article container must hold this share of the page's text
_LAYOUT_CELL_CHARS = 2000  # a cell this long holds a whole article, not a table datum


def parse(path: Path) -> Document:
    """Read an HTML page: paragraphs and tables of its article, in document order."""
    budget = Budget(path)
    try:
        check_file_size(path, "max_text_mb", budget.limits)
        data = path.read_bytes()
    except OSError as e:
        raise unreadable(path, e) from e
    text, encoding, warnings = decode_html(data)
    del data
    check_html_depth(path, text, budget.limits)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(_DROPPED):
        if not tag.decomposed:
            tag.decompose()
    root = _content_root(soup)
    collector = _Collector(budget, root_chars=_chars(root), in_article=root is not (soup.body or soup))
    collector.visit(root)
    collector.flush()
    blocks = collector.blocks
    if not blocks:
        warnings.append(ParseWarning(code="empty_page", message="网页中没有正文文字"))
    logger.debug("%s: %d blocks, encoding %s", path, len(blocks), encoding)
    return Document(source=fingerprint(path, "html", encoding=encoding), blocks=blocks, warnings=warnings)


def decode_html(data: bytes) -> tuple[str, str, list[ParseWarning]]:
    """The page's text, the encoding that decoded it, and warnings about the decoding.

    Order: byte-order mark, declared charset, UTF-8, gb18030; when none decodes
    cleanly, the candidate with the fewest undecodable bytes is used and flagged.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding, []
    declared = declared_encoding(data)
    candidates = list(dict.fromkeys(e for e in (declared, "utf-8", "gb18030") if e))
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings = []
        if declared and encoding != declared:
            warnings.append(
                ParseWarning(code="encoding_mismatch", message=f"网页声明的编码为 {declared}，实际按 {encoding} 解码")
            )
        return text, encoding, warnings
    decoded = {e: data.decode(e, errors="replace") for e in candidates}
    encoding = min(candidates, key=lambda e: decoded[e].count("\ufffd"))
    message = f"网页中有无法解码的字节，已替换为 U+FFFD（按 {encoding} 读取）"
    warning = ParseWarning(code="decode_errors", message=message)
    return decoded[encoding], encoding, [warning]


def declared_encoding(data: bytes) -> str | None:
    """The Python codec for the page's ``<meta charset>`` / XML declaration; GB charsets → gb18030."""
    match = _DECLARED.search(data[:32768])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        logger.debug("unknown declared charset %r", label)
        return None
    if name in _GB_CODECS:
        return "gb18030"
    return _LABEL_OVERRIDES.get(name, name)


def _chars(tag: Tag) -> int:
    """Number of non-space characters of text under ``tag``."""
    return sum(len(s) for s in _WHITESPACE.split(tag.get_text()))


def _words(tag: Tag) -> tuple[set[str], str]:
    """The words of ``tag``'s id and classes (``topNav`` → top, nav) and the raw lowercase string."""
    classes = tag.get("class") or []
    raw = " ".join([*([classes] if isinstance(classes, str) else classes), str(tag.get("id") or "")])
    return {w.lower() for w in _WORD.findall(raw)}, raw.lower()


def _is_container(tag: Tag) -> bool:
    if tag.name == "article":
        return True
    words, raw = _words(tag)
    return bool(words & _CONTENT_WORDS) or any(part in raw for part in _CONTENT_PARTS)


def _is_nav_marked(tag: Tag) -> bool:
    words, raw = _words(tag)
    return bool(words & _NAV_WORDS) or any(part in raw for part in _NAV_PARTS)


def _content_root(soup: BeautifulSoup) -> Tag:
    """The largest article container holding a fair share of the page's text, else the body."""
    body = soup.body or soup
    page_chars = _chars(body)
    best, best_chars = body, 0
    for tag in body.find_all(_is_container):
        if _is_nav_marked(tag) or tag.name in ("nav", "aside", "footer"):
            continue
        chars = _chars(tag)
        if chars > best_chars and chars >= _MIN_CONTAINER_SHARE * page_chars:
            best, best_chars = tag, chars
    return best


class _Collector:
    """Walks a tree in document order, turning it into paragraphs and tables.

    In a table cell (``in_cell``) it only gathers the cell's lines; tables nested
    in the cell are put aside in ``nested`` to become blocks of their own.
    """

    def __init__(self, budget: Budget, root_chars: int, *, in_article: bool = False, in_cell: bool = False) -> None:
        self.budget = budget
        self.root_chars = root_chars
        self.in_article = in_article
        self.in_cell = in_cell
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.nested: list[Tag] = []
        self._buffer: list[str] = []

    def flush(self) -> None:
        line = clean_line("".join(self._buffer))
        self._buffer.clear()
        if line:
            self.lines.append(line)
            if not self.in_cell:
                self.budget.paragraph()
                self.blocks.append(Paragraph(text=line))

    def walk(self, tag: Tag) -> None:
        for child in tag.children:
            if isinstance(child, Tag):
                self.visit(child)
            elif type(child) is NavigableString:  # not comments, CDATA, doctypes
                self._buffer.append(str(child))

    def visit(self, tag: Tag) -> None:
        if self._is_boilerplate(tag):
            return
        if tag.name == "br":
            self.flush()
        elif tag.name == "table":
            self.flush()
            if self.in_cell:
                self.nested.append(tag)
            else:
                self._table(tag)
        elif tag.name in _BLOCK:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)

    def _is_boilerplate(self, tag: Tag) -> bool:
        """Navigation, headers/footers, share bars, hidden elements — conservatively."""
        if tag.has_attr("hidden") or _HIDDEN.search(str(tag.get("style") or "")):
            return True
        if tag.name in ("nav", "aside"):
            return True
        if tag.name in ("header", "footer"):
            # Inside an article a <header> holds the article's own title.
            return not self.in_article and tag.find_parent(["article", "main"]) is None
        if tag.name in _PAGE_INFO_TAGS and is_page_info(tag):
            return True
        if tag.name == "form" or _is_nav_marked(tag):
            # ASP.NET pages wrap the whole page in one <form>; never drop most of the text.
            return _chars(tag) <= 0.5 * self.root_chars
        return False

    def _table(self, tag: Tag) -> None:
        for caption in tag.find_all("caption", recursive=False):
            self.visit(caption)  # the table's title, as a paragraph right before it
        rows = table_rows(tag)
        if is_layout_table(tag, rows):
            for cells in rows:
                for cell in cells:
                    self.visit(cell)
            return
        cells: list[Cell] = []
        nested: list[Tag] = []
        for element, row, col, rowspan, colspan in grid_positions(rows, self.budget):
            sub = _Collector(self.budget, self.root_chars, in_article=self.in_article, in_cell=True)
            sub.walk(element)
            sub.flush()
            nested.extend(sub.nested)
            text = "\n".join(sub.lines)
            cells.append(Cell(text=text, row=row, col=col, rowspan=rowspan, colspan=colspan))
        if cells:
            self.budget.table(len(rows), max(c.col + c.colspan for c in cells))  # before the holes are filled
            self.blocks.append(Table.from_cells(pad_grid(cells)))
        for inner in nested:
            self._table(inner)


def clean_line(raw: str) -> str:
    """One line of text: whitespace collapsed, source line wraps joined the Chinese way.

    A whitespace run with a newline is a wrap of the HTML source (``经济\\n发展`` →
    ``经济发展``); a run with ``&nbsp;`` or U+3000 is deliberate spacing and stays one space.
    """
    raw = raw.replace("\u200b", "").replace("\ufeff", "")

    def collapse(match: re.Match[str]) -> str:
        run = match.group()
        if "\n" not in run or "\u00a0" in run or "\u3000" in run:
            return " "
        return "\n"

    return join_wrapped(_WHITESPACE.sub(collapse, raw).split("\n"))


def is_page_info(tag: Tag) -> bool:
    """A short element naming two byline fields (发布时间, 来源, 字体, …) or only page actions (【打印本页】)."""
    text = tag.get_text()
    if len(_WHITESPACE.sub("", text)) > _PAGE_INFO_MAX_CHARS:
        return False
    return len({m.group(1) for m in _PAGE_INFO_LABEL.finditer(text)}) >= 2 or bool(_PAGE_ACTIONS.match(text))


def table_rows(table: Tag) -> list[list[Tag]]:
    """The ``<td>``/``<th>`` of each row of ``table`` itself (not of tables nested in it)."""
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is table:
            rows.append(tr.find_all(["td", "th"], recursive=False))
    return rows


def is_layout_table(table: Tag, rows: list[list[Tag]]) -> bool:
    """True for a table that lays out the page rather than holding data."""
    if str(table.get("role") or "").lower() in ("presentation", "none"):
        return True
    if rows and all(len(cells) <= 1 for cells in rows):
        return True  # one column: a stack of blocks
    if any(_chars(cell) > _LAYOUT_CELL_CHARS for cells in rows for cell in cells):
        return True
    inner = [t for t in table.find_all("table") if t.find_parent("table") is table]
    if not inner:
        return False
    total = _chars(table)
    own = total - sum(_chars(t) for t in inner)
    return own < total / 3


def grid_positions(rows: list[list[Tag]], budget: Budget | None = None) -> list[tuple[Tag, int, int, int, int]]:
    """Place cells on a grid: (cell, row, col, rowspan, colspan), as a browser lays them out.

    Positions covered by earlier rowspans are skipped; rowspans past the last row
    are clipped; a colspan running into an occupied position is cut short. The
    positions covered are counted against ``budget`` before they are recorded.
    """
    n_rows = len(rows)
    occupied: set[tuple[int, int]] = set()
    placed = []
    for row, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while (row, col) in occupied:
                col += 1
            rowspan = _span(cell.get("rowspan"), limit=65534)
            rowspan = n_rows - row if rowspan == 0 else min(rowspan, n_rows - row)  # rowspan=0: to the end
            colspan = max(1, _span(cell.get("colspan"), limit=1000))
            free = 1
            while free < colspan and (row, col + free) not in occupied:
                free += 1
            colspan = free
            if budget is not None:
                budget.cells_ahead(len(occupied) + rowspan * colspan, f"第 {budget.tables + 1} 个表格，第 {row + 1} 行")
            occupied.update((r, c) for r in range(row, row + rowspan) for c in range(col, col + colspan))
            placed.append((cell, row, col, rowspan, colspan))
            col += colspan
    return placed


def _span(value: object, limit: int) -> int:
    match = _SPAN_NUMBER.match(str(value)) if value is not None else None
    return min(int(match.group(1)), limit) if match else 1


def pad_grid(cells: list[Cell]) -> list[Cell]:
    """Fill positions no cell covers (short rows) with empty cells; drop rows no cell touches."""
    covered = {(r, c) for cell in cells for r in _range(cell.row, cell.rowspan) for c in _range(cell.col, cell.colspan)}
    used_rows = sorted({r for r, _ in covered})
    n_cols = max(c for _, c in covered) + 1
    renumber = {old: new for new, old in enumerate(used_rows)}
    padded = [cell.model_copy(update={"row": renumber[cell.row]}) for cell in cells]
    for r in used_rows:
        padded.extend(Cell(text="", row=renumber[r], col=c) for c in range(n_cols) if (r, c) not in covered)
    return padded


def _range(start: int, span: int) -> range:
    return range(start, start + span)
