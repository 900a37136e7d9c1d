"""Headings between tables: a framework's title, its group and its assessee.

Shapes seen in the notices: a title (``2020年度市考核县指标任务分解``,
``负面清单考核指标``), a group (``（一）党委工作部门``), an assessee
(``1．螅镇``, ``3.县委组织部``, or an unnumbered ``县自然资源和规划局``).
Numbering is often lost in extraction, so shape decides, not the numbers.
"""

from __future__ import annotations

from typing import Literal

import regex
from pydantic import BaseModel

from frameworks.columns import header_key

HeadingKind = Literal["title", "group", "assessee", "other"]

_NUMBERED_UNIT = regex.compile(r"^\s*\d{1,3}\s*[．.、]\s*(?P<name>\S.{0,24}?)\s*$")
_GROUP = regex.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]\s*(?P<name>\S.{0,20}?)\s*$")
_SECTION = regex.compile(r"^\s*[一二三四五六七八九十]+\s*[、．.]\s*(?P<name>\S.*?)\s*$")
_UNIT_SUFFIX = regex.compile(
    r"(?:镇|街道|街道办|街道办事处|便民服务中心|中心|局|委|办|部|院|会|社|队|行|馆|处|所|站|段|公司|管委会|机关|联|协会|党校)$"
)
_TITLE_WORDS = regex.compile(r"指标|清单|考核|分解|一览表|任务|框架|名单|目标")
_SENTENCE_END = regex.compile(r"[。；;：:，,]$")


class Heading(BaseModel):
    kind: HeadingKind
    text: str  # the heading without its numbering


def classify_heading(text: str, is_unit: callable[[str], bool] | None = None) -> Heading:  # type: ignore[valid-type]
    """What a short paragraph between tables announces. ``is_unit`` checks a name against the registry."""
    line = header_key(text)
    if not line or len(line) > 40 or _SENTENCE_END.search(line):
        return Heading(kind="other", text=line)
    if m := _GROUP.match(text):
        name = header_key(m["name"])
        if _looks_like_unit(name, is_unit) and not _TITLE_WORDS.search(name):
            return Heading(kind="assessee", text=name)
        return Heading(kind="group", text=name)
    if m := _NUMBERED_UNIT.match(text):
        name = header_key(m["name"])
        if _looks_like_unit(name, is_unit) and not _TITLE_WORDS.search(name):
            return Heading(kind="assessee", text=name)
        return Heading(kind="title" if _TITLE_WORDS.search(name) else "other", text=name)
    if m := _SECTION.match(text):
        return Heading(kind="title", text=header_key(m["name"]))
    if _TITLE_WORDS.search(line) and not regex.search(r"^附\s*件", line):
        return Heading(kind="title", text=line)
    if len(line) <= 20 and _looks_like_unit(line, is_unit):
        return Heading(kind="assessee", text=line)
    return Heading(kind="other", text=line)


def _looks_like_unit(name: str, is_unit: callable[[str], bool] | None) -> bool:  # type: ignore[valid-type]
    if is_unit is not None and is_unit(name):
        return True
    return bool(_UNIT_SUFFIX.search(name)) and len(name) <= 20
