"""The year's roster of assessed units (考核对象名单), where a notice has one (seed 000 附件5).

Shape: a heading naming a 名单, then category headings (``一、镇办（9个）``) each followed by a
paragraph listing the units with 、. The roster tells which names are real assessees this year
(owners outside it are reported) and each unit's category, which the scoring rules key on.
"""

from __future__ import annotations

import regex
from pydantic import BaseModel

from frameworks.columns import header_key
from normalize.departments import split_units
from parsers.document import Document, Paragraph

_ROSTER_TITLE = regex.compile(r"考核对象(?:名单|名册)|被考核单位名单|考核单位名单")
_CATEGORY = regex.compile(
    r"^\s*[一二三四五六七八九十]+\s*[、．.]\s*(?P<name>[^（(]+?)\s*(?:[（(]\s*(?P<n>\d+)\s*个\s*[）)])?\s*$"
)


class RosterEntry(BaseModel):
    category: str
    unit: str  # as written in the roster
    declared_count: int | None = None  # the count in the category heading, e.g. 镇办（9个）


def find_roster(document: Document) -> list[RosterEntry]:
    """Units listed under a 考核对象名单 heading, with their categories; empty when the notice has none."""
    entries: list[RosterEntry] = []
    paragraphs = [b.text.strip() for b in document.blocks if isinstance(b, Paragraph)]
    category: tuple[str, int | None] | None = None
    in_roster = False
    for text in paragraphs:
        if not in_roster:
            in_roster = bool(_ROSTER_TITLE.search(text)) and len(text) <= 40 and not text.endswith("。")
            continue
        if m := _CATEGORY.match(text):
            category = (header_key(m["name"]), int(m["n"]) if m["n"] else None)
        elif category is not None and text.count("、") >= 1:
            for mention in split_units(text.rstrip("。")):
                entries.append(RosterEntry(category=category[0], unit=mention.as_written, declared_count=category[1]))
        else:
            in_roster = False
            category = None
    return entries


def roster_count_warnings(entries: list[RosterEntry]) -> list[str]:
    """A category heading's declared count against the names listed under it; reported, never corrected."""
    counts: dict[str, tuple[int | None, int]] = {}
    for e in entries:
        declared, listed = counts.get(e.category, (e.declared_count, 0))
        counts[e.category] = (declared, listed + 1)
    return [
        f"考核对象名单 / {category}：写明 {declared} 个，列出 {listed} 个"
        for category, (declared, listed) in counts.items()
        if declared is not None and declared != listed
    ]
