"""Notice metadata (GB/T 9704 elements) from a Document's text, whatever the source format.

Only paragraph text is read (plus tiny layout tables, where Word files often put a
joint 发文机关标志 or the 版记), as a list of non-empty lines in reading order:

* 版头 (header zone): the lines before the title: 发文机关标志, 发文字号, 签发人.
  The 发文字号 is taken from here only, since bodies cite other documents' numbers
  (web pages print it as a line right below the title instead, which is accepted too).
* title, then the 主送机关 line right below it.
* the 成文日期: the first standalone date after the title, preferably right below
  the 发文机关署名; the 附件说明 sits just above the signature.
* tail zone: the lines after the 成文日期: 抄送 and the 印发 line (版记).

Web copies: lines of site chrome (breadcrumbs, bylines, info boxes, page actions, the site's
name beside them; ``parsers.web_page``) are left out before anything is read, so none becomes or
joins the title; a short page heading above a ``关于`` title and an ``附件2`` label above an
attachment's title are not part of it; an info box's ``文号：`` / ``标题：`` fields stand in when
the notice prints no 文号 or title of its own.

Every element is optional; a document with no 版头 gives empty metadata, never an error.
"""

from __future__ import annotations

import logging
import unicodedata

import regex

from normalize.text import is_page_number, join_wrapped
from parsers.document import DocNumber, Document, Metadata, Paragraph, Table
from parsers.web_page import info_box, without_chrome

__all__ = ["extract_metadata", "parse_date"]

log = logging.getLogger(__name__)

HEAD_LINES = 12  # the 版头 and title sit within the first lines of page 1
PAGE_HEADING_MAX_CHARS = 12  # `沈河政发文件`, `通知公告` above a title
INFO_BOX_BLOCKS = 30  # a web page's info box sits above the notice
NUMBER_LABELS = ("发文字号", "文号", "文件编号", "发文编号")
TITLE_LABELS = ("标题", "名称")
TITLE_MAX_LINES = 4
TITLE_LINE_MAX_CHARS = 60
WEB_TITLE_MAX_CHARS = 120  # a whole `关于…的通知` title on one line
MARK_MAX_CHARS = 40  # a 发文机关标志 line, joint issuers included
LAYOUT_TABLE_MAX = 3  # rows and columns of a table that only lays out a header or 版记

# 公文种类 of the 2012 regulation (art. 8).
WENZHONG = (
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函",
    "纪要",
)  # fmt: skip
# Content genres that travel inside a 通知 (`关于印发《X办法》的通知`); compound ones first.
GENRES = (
    "实施方案", "实施细则", "实施意见", "考核指标", "一览表", "责任书", "办法", "方案", "细则", "规定",
    "规则", "意见", "清单", "指标", "要点", "名单", "计划", "制度", "条例", "规划", "表",
)  # fmt: skip

BR_L = r"[〔\[［【(（﹝〖]"
BR_R = r"[〕\]］】)）﹞〗]"
DOC_NO = regex.compile(
    r"(?P<code>\p{Han}{1,12}?)\s*" + BR_L + r"\s*(?P<year>(?:19|20)\d{2})\s*" + BR_R
    + r"\s*(?:字\s*)?(?:第\s*)?(?P<seq>\d{1,5})\s*号"
)  # fmt: skip
NUMBER_LABEL = regex.compile(r"^(?:发文字号|文\s*号)\s*[：:]\s*")  # web pages label it
SIGNER = regex.compile(r"签\s*发\s*人\s*[：:]\s*(?P<names>.+)$")
COPY_NO = regex.compile(r"^\d{6}$")
SECRET = regex.compile(r"^(绝\s*密|机\s*密|秘\s*密)\s*(?:★\s*\S+)?$")
URGENCY = regex.compile(r"^(特\s*急|加\s*急|特\s*提|平\s*急)$")
RULE = regex.compile(r"^[\s★☆—\-_=─━＿*·]+$")
ATT_HEAD = regex.compile(r"^附\s*件\s*\d*\s*[：:]?\s*")  # `附件2` / `附件 2：` above an attachment's title
ATT_NOTE = regex.compile(r"^(?:[-*]\s*)?附\s*件\s*[：:]\s*(?P<rest>.*)$")
# `1．2020年度…`: a full-width point or 顿号 may touch a year; an ASCII point only a year, not `2.5`.
ATT_ITEM = regex.compile(r"^(?:[-*]\s*)?(?P<n>\d{1,2})\s*(?:[．、]|\.(?!\d)|\.(?=(?:19|20)\d{2}\s*年))\s*(?P<name>.+)$")
CC = regex.compile(r"^抄\s*送\s*[：:]\s*(?P<to>.+)$")
PRINTED = regex.compile(r"^(?P<org>\S.*?)?\s*(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$")
DATE_AR = regex.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
DATE_CN = regex.compile(
    r"(?P<y>[〇○零OＯ0一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>[一二三四五六七八九十]{1,3})\s*日"
)
ASSESSMENT_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年度")
WRAPPER = regex.compile(r"(?:印发|转发|批转|发布|公布)\s*[《“\"](?P<inner>[^》”\"]+)[》”\"]")
ORGAN = regex.compile(
    r"^[\p{Han}（）()]{2,30}?(?:办公室|委员会|管委会|人民政府|政府|党委|党组|党工委|委|局|厅|部|院|会|办|中心|室|处|署"
    r"|所|队|站|社|馆|校|公司|集团|办事处)$"
)
ADDRESSEE = regex.compile(
    r"(?:单位|机关|部门|党委|政府|办事处|党工委|团体|委员会|管委会|机构|局|办|委|厅|院|公司|中心|镇|乡|街道|组|会|室"
    r"|所|站|队|社|馆|校|省|市|县|区)(?:[（(][^）)]*[）)])?$"
)
# Where two organ names run together once the spaces are squeezed out (`…县委办公室宁陕县人民政府办公室`).
JOINED_ORGANS = regex.compile(
    r"(?<=办公室|人民政府|委员会|党委|[省市县区]委)"  # a name ends,
    r"(?=中共|(?!办公室)\p{Han}{2,4}?[省市县区州旗])"  # the next starts with 中共 or a place name
)
ORGAN_MIN_CHARS = 5  # both halves of a split must be full names, not `办公室`
ISSUER_MARK_SUFFIX = regex.compile(r"\s*文\s*件$")
_CJK_OR_PUNCT = r"[\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}、，。：；！？]"
SPACE_BY_CJK = regex.compile(rf"\s+(?={_CJK_OR_PUNCT})|(?<={_CJK_OR_PUNCT})\s+")
LIST_SEPARATOR = regex.compile(r"[，、,]")
# Addressee lists separate categories with ，and organs of one category with 、 (各镇党委、政府):
# a 、-group is one addressee, so only ，/；split them.
GROUP_SEPARATOR = regex.compile(r"[，,；;]")
MARKUP = regex.compile(r"\*\*|\[image:[^\]]*\]|</?p>|^#+\s+")
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0, "0": 0} | {c: n for n, c in enumerate("一二三四五六七八九", 1)}


def extract_metadata(document: Document) -> Metadata:
    """The notice's GB/T 9704 elements; fields it cannot find stay as the document had them."""
    lines = _lines(document)
    title = _title(lines) or _labelled_title(document)
    number = _doc_number(lines) or _labelled_number(document)
    issuers = _issuers(lines)
    printed_by, printed_date = _printed(_tail_zone(lines))
    found = {
        "issuer": issuers[0] if issuers else None,
        "co_issuers": issuers[1:],
        "doc_number": f"{number.code}〔{number.year}〕{number.seq}号" if number else None,
        "doc_number_parts": number,
        "title": title,
        "recipients": _recipients(lines),
        "date": _date(lines),
        "attachments": _attachments(lines),
        "cc": _cc(_tail_zone(lines)),
        "printed_by": printed_by,
        "printed_date": printed_date,
        "wenzhong": _wenzhong(title),
        "genre": _genre(title),
        "assessment_year": _assessment_year(title),
        "signers": _signers(_header_zone(lines)),
    }
    updates = {key: value for key, value in found.items() if value not in (None, [])}
    log.debug("metadata of %s: %s", document.source.path, updates)
    return document.metadata.model_copy(update=updates)


# --- lines and zones -----------------------------------------------------------------


def _lines(document: Document) -> list[str]:
    """Non-empty text lines in reading order, with markup, page numbers and rules dropped."""
    texts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            texts.extend(block.text.split("\n"))
        elif isinstance(block, Table) and block.n_rows <= LAYOUT_TABLE_MAX and block.n_cols <= LAYOUT_TABLE_MAX:
            texts.extend(" ".join(cell.text.replace("\n", " ") for cell in row) for row in block.rows)
    lines = []
    for text in texts:
        line = MARKUP.sub("", text.replace("\u3000", " ").replace("\xa0", " ")).strip()
        if line and not is_page_number(line) and not RULE.match(line):
            lines.append(line)
    return without_chrome(lines, lambda line: _organs(line) is not None, HEAD_LINES)


def _title_span(lines: list[str]) -> tuple[int, int] | None:
    """``(start, end)`` of the title lines: after the 版头, joined until a 文种 or genre ends them."""
    number_at = _number_line(lines)
    start = number_at + 1 if number_at is not None else 0
    limit = min(len(lines), HEAD_LINES)
    while start < limit and _is_header_line(lines[start], marks_allowed=number_at is None):
        start += 1
    for end in range(start, min(limit, start + TITLE_MAX_LINES)):
        line = lines[end]
        one_line = end == start and "关于" in line and _ends_title(_squeeze(line))  # web pages do not wrap titles
        if len(line) > (WEB_TITLE_MAX_CHARS if one_line else TITLE_LINE_MAX_CHARS) or line[-1] in "。；;：:，,":
            return None
        if _ends_title(_squeeze(join_wrapped(lines[start : end + 1]))):
            while start < end and "关于" not in lines[start] and "关于" in "".join(lines[start : end + 1]):
                if _organs(lines[start]) or len(_squeeze(lines[start])) > PAGE_HEADING_MAX_CHARS:
                    break
                start += 1  # a page heading (`沈河政发文件`) above a `关于` title
            return start, end + 1
    return None


def _header_zone(lines: list[str]) -> list[str]:
    """版头: the lines before the title (up to the 文号 when no title is recognised)."""
    span = _title_span(lines)
    if span:
        return lines[: span[0]]
    number_at = _number_line(lines)
    return lines[: number_at + 1] if number_at is not None else []


def _body_start(lines: list[str]) -> int:
    end = _title_end(lines)
    return end if end is not None else len(_header_zone(lines))


def _tail_zone(lines: list[str]) -> list[str]:
    """The lines after the 成文日期 (附注, attachments, 版记), or the body when there is no date."""
    found = _date_line(lines)
    return lines[found[0] + 1 :] if found else lines[_body_start(lines) :]


def _number_line(lines: list[str]) -> int | None:
    """Index of the line that is a 发文字号 (optionally with 签发人), before any title or body line."""
    for index, line in enumerate(lines[:HEAD_LINES]):
        if _match_doc_number(line):
            return index
        if "关于" in line or len(line) > MARK_MAX_CHARS or line[-1] in "。；;：:，," or _ends_title(_squeeze(line)):
            return None
    return None


def _is_header_line(line: str, *, marks_allowed: bool) -> bool:
    """份号, 密级, 紧急程度, 签发人 lines; also 发文机关标志 lines when no 文号 marks the 版头's end."""
    if COPY_NO.match(line) or SECRET.match(line) or URGENCY.match(line) or SIGNER.search(line):
        return True
    if ATT_HEAD.fullmatch(line):
        return True  # `附件2` above an attachment's title
    return marks_allowed and _organs(line) is not None


def _ends_title(text: str) -> bool:
    if text.count("《") != text.count("》"):
        return False
    if "关于" in text:
        return text.endswith(WENZHONG)
    return text.endswith(WENZHONG + GENRES)


def _squeeze(text: str) -> str:
    """Delete whitespace next to CJK characters: `关于申报 2022 年度` → `关于申报2022年度`."""
    return str(SPACE_BY_CJK.sub("", text.strip()))


def _split_list(text: str, separator: regex.Pattern[str] = LIST_SEPARATOR) -> list[str]:
    """Split on ``separator`` (，、 by default) outside brackets, dropping empty items and the final 。."""
    items, depth, current = [], 0, ""
    for char in text.strip().rstrip("。.；;"):
        depth += int(char in "（(《“") - int(char in "）)》”")
        if depth <= 0 and separator.match(char):
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [_squeeze(item) for item in items if item.strip()]


# --- elements --------------------------------------------------------------------------


def _match_doc_number(line: str) -> DocNumber | None:
    """A 发文字号 when it is the whole line (a 签发人 beside it, a label or parentheses around it allowed)."""
    text = unicodedata.normalize("NFKC", SIGNER.sub("", line)).replace("\u3014", "〔").strip()
    text = NUMBER_LABEL.sub("", text)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    match = DOC_NO.search(text)
    if not match or (text[: match.start()] + text[match.end() :]).strip():
        return None
    code = regex.sub(r"\s+", "", match["code"])
    return DocNumber(code=code, year=int(match["year"]), seq=int(match["seq"]))


def _doc_number(lines: list[str]) -> DocNumber | None:
    """The 文号 of the 版头, or of the line right below the title (web pages: `（国办发〔2023〕5号）`)."""
    number = next((number for line in _header_zone(lines) if (number := _match_doc_number(line))), None)
    span = _title_span(lines)
    if number or not span or span[1] >= len(lines):
        return number
    return _match_doc_number(lines[span[1]])


def _title_end(lines: list[str]) -> int | None:
    """Index of the first line after the title and a 文号 printed right below it."""
    span = _title_span(lines)
    if not span:
        return None
    below = span[1] < len(lines) and _match_doc_number(lines[span[1]])
    return span[1] + 1 if below else span[1]


def _organs(text: str) -> list[str] | None:
    """Organ names on a line (`甲办公室 乙办公室`, `X文件`), or None if it is not only organs."""
    tokens = ISSUER_MARK_SUFFIX.sub("", text.strip()).split()
    if sum(len(token) == 1 for token in tokens) * 2 > len(tokens):
        tokens = ["".join(tokens)]  # letter-spaced red head from a PDF: `柞 水 县 人 民 政 府`
    organs, pending = [], ""
    for token in tokens:
        pending += token
        if ORGAN.match(pending):
            organs.append(pending)
            pending = ""
    return [part for organ in organs for part in _split_joined(organ)] if organs and not pending else None


def _split_joined(name: str) -> list[str]:
    """`中共宁陕县委办公室宁陕县人民政府办公室` → both offices; `县考核委员会办公室` stays whole."""
    for boundary in JOINED_ORGANS.finditer(name):
        head, tail = name[: boundary.start()], name[boundary.start() :]
        if min(len(head), len(tail)) >= ORGAN_MIN_CHARS and ORGAN.match(head) and ORGAN.match(tail):
            return [head, *_split_joined(tail)]
    return [name]


def _issuers(lines: list[str]) -> list[str]:
    """发文机关: 标志 and 署名 cross-checked; the fuller list leads (主办机关 first)."""
    mark = [organ for line in _header_zone(lines) if not _match_doc_number(line) for organ in _organs(line) or []]
    signature = _signature(lines)
    first, second = (signature, mark) if len(signature) >= len(mark) else (mark, signature)
    issuers = list(dict.fromkeys(first + second))
    span = _title_span(lines)
    if not issuers and span:
        before, about, _ = " ".join(lines[span[0] : span[1]]).partition("关于")
        issuers = (_organs(before) or []) if about else []
    return issuers


def _signature(lines: list[str]) -> list[str]:
    """发文机关署名: organ lines right above the 成文日期 (or before the date on its line)."""
    found = _date_line(lines)
    if not found:
        return []
    index, prefix, _ = found
    organs = _organs(prefix) or []
    above: list[str] = []
    while index > _body_start(lines) and (line_organs := _organs(lines[index - 1])) is not None:
        above = line_organs + above
        index -= 1
    return above + organs


def _title(lines: list[str]) -> str | None:
    span = _title_span(lines)
    return _squeeze(ATT_HEAD.sub("", join_wrapped(lines[span[0] : span[1]]), count=1)) if span else None


def _labelled_number(document: Document) -> DocNumber | None:
    values = info_box(document.blocks[:INFO_BOX_BLOCKS], NUMBER_LABELS)
    return next((number for value in values if (number := _match_doc_number(value))), None)


def _labelled_title(document: Document) -> str | None:
    values = info_box(document.blocks[:INFO_BOX_BLOCKS], TITLE_LABELS)
    return next((title for value in values if _ends_title(title := _squeeze(value))), None)


def _recipients(lines: list[str]) -> list[str]:
    """主送机关: a colon-ended list of organs right below the title (it may wrap)."""
    start = _title_end(lines)
    if start is None:
        return []
    for count in (1, 2, 3):
        text = _squeeze(join_wrapped(lines[start : start + count]))
        if text.endswith(("：", ":")):
            items = _split_list(text[:-1], GROUP_SEPARATOR)
            return items if items and all(len(i) <= 30 and ADDRESSEE.search(i) for i in items) else []
    return []


def parse_date(text: str) -> str | None:
    """An Arabic or Chinese-numeral date (the whole text) as ISO ``yyyy-mm-dd``."""
    text = unicodedata.normalize("NFKC", text).strip()
    if match := DATE_AR.fullmatch(text):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    elif match := DATE_CN.fullmatch(text):
        year = int("".join(str(CN_DIGITS[c]) for c in match["y"]))
        month, day = _cn_number(match["m"]), _cn_number(match["d"])
    else:
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cn_number(text: str) -> int:
    """一…九十九: 十=10, 十X=10+X, X十=10X, X十Y=10X+Y."""
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else 0
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(units, 0) if units else 0)


def _trailing_date(line: str) -> tuple[str, str] | None:
    """``(text before, iso date)`` when a line ends with a date (not an 印发 date)."""
    text = unicodedata.normalize("NFKC", line)
    for pattern in (DATE_AR, DATE_CN):
        match = next((m for m in pattern.finditer(text) if not text[m.end() :].strip()), None)
        if match and (iso := parse_date(match[0])):
            return text[: match.start()].strip(), iso
    return None


def _date_line(lines: list[str]) -> tuple[int, str, str] | None:
    """``(index, organs before the date, iso)`` of the 成文日期: a standalone date below the body.

    A date with a signature above it (or before it on the line) wins over a bare one.
    """
    bare = None
    start = _body_start(lines)
    for index in range(start, len(lines)):
        found = _trailing_date(lines[index])
        if not found or (found[0] and _organs(found[0]) is None):
            continue
        if found[0] or (index > start and _organs(lines[index - 1]) is not None):
            return index, found[0], found[1]
        bare = bare or (index, "", found[1])
    return bare


def _date(lines: list[str]) -> str | None:
    found = _date_line(lines)
    return found[2] if found else None


def _attachments(lines: list[str]) -> list[str]:
    """附件说明: `附件：X` or `附件：` + numbered lines, the note nearest above the 成文日期."""
    found = _date_line(lines)
    start = _body_start(lines)
    end = found[0] if found else len(lines)
    notes = [i for i in range(start, end) if ATT_NOTE.match(lines[i])]
    if not notes:
        return []
    at = notes[-1] if found else notes[0]
    first = ATT_NOTE.match(lines[at])["rest"]
    names = [first] if first else []
    for line in lines[at + 1 : end]:
        item = ATT_ITEM.match(line)
        if not item:
            break
        names.append(item["name"])
    if len(names) > 1 and (item := ATT_ITEM.match(names[0])):
        names[0] = item["name"]
    return [_squeeze(name).rstrip("；;。，,") for name in names]


def _cc(tail: list[str]) -> list[str]:
    """抄送机关, continued on the next lines until the closing 。."""
    for index, line in enumerate(tail):
        if match := CC.match(line):
            text = match["to"]
            for more in tail[index + 1 : index + 3]:
                wrapped = more.endswith("。") or LIST_SEPARATOR.search(more)
                if text.endswith("。") or PRINTED.match(more) or not wrapped:
                    break
                text += more
            return _split_list(text)
    return []


def _printed(tail: list[str]) -> tuple[str | None, str | None]:
    """印发机关 and 印发日期: `XX办公室 2022年3月21日印发`, the office possibly on the line above."""
    for index in range(len(tail) - 1, -1, -1):
        match = PRINTED.match(unicodedata.normalize("NFKC", tail[index]))
        if match:
            org = match["org"] or (tail[index - 1] if index and _organs(tail[index - 1]) else None)
            return (_squeeze(org) if org else None), parse_date(match["date"])
    return None, None


def _signers(header: list[str]) -> list[str]:
    for line in header:
        if match := SIGNER.search(line):
            return [name for name in regex.split(r"[\s、，,]+", match["names"]) if name]
    return []


def _wenzhong(title: str | None) -> str | None:
    return next((kind for kind in WENZHONG if title and title.endswith(kind)), None)


def _genre(title: str | None) -> str | None:
    """Content genre: the suffix of the inner 《…》 title, or of a bare content document's title."""
    if not title:
        return None
    wrapped = WRAPPER.search(title)
    if wrapped:
        inner = wrapped["inner"]
    elif "关于" not in title and not title.endswith(WENZHONG):
        inner = title
    else:
        return None
    return next((genre for genre in GENRES if inner.endswith(genre)), None)


def _assessment_year(title: str | None) -> int | None:
    match = ASSESSMENT_YEAR.search(title or "")
    return int(match[1]) if match else None
