"""Header words and the column roles they suggest (``data/column-words.tsv``).

Counties word their headers differently: the lead unit's column is ``责任单位``, ``牵头单位``,
``主责单位`` or ``承办单位``; the assessor's ``考核单位``, ``监考单位`` or ``数据来源``. The words live
in data so that a new county's wording is one line, not a code change. A header suggests roles:
the longest word it contains speaks loudest, and a word at the end of the header (the head of a
Chinese compound: ``目标任务考核指标权重`` is a 权重) a little louder. Words only suggest; the
column's content settles the role (``frameworks.columns``).
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

Role = Literal[
    "seq",
    "category",
    "item",  # the indicator's own words
    "detail",  # what is asked: 目标要求, 工作要求 (the indicator's text when present)
    "criteria",  # how it is scored: 评分标准, 赋分办法
    "target",  # a target value column: 目标值, 年度目标
    "points",
    "weight",  # a further points column (two weightings side by side)
    "deduction",
    "responsible",  # units that carry the work; the first listed leads
    "cooperating",
    "assigning",  # units that set, assess or supply data for the work
    "leader",  # 责任领导: people, not units
    "measure",  # 计量单位: %, 万亩 (the unit of a target value)
    "deadline",
    "remark",
    "other",
]
ROLES: tuple[Role, ...] = Role.__args__  # type: ignore[attr-defined]
ROLE_LABELS: dict[Role, str] = {
    "seq": "序号",
    "category": "类别",
    "item": "指标名称",
    "detail": "指标内容/要求",
    "criteria": "评分标准",
    "target": "目标值",
    "points": "分值",
    "weight": "另一权重",
    "deduction": "扣分分值",
    "responsible": "责任单位",
    "cooperating": "配合单位",
    "assigning": "考核单位",
    "leader": "责任领导",
    "measure": "计量单位",
    "deadline": "完成时限",
    "remark": "备注",
    "other": "其他",
}
UNIT_ROLES: frozenset[Role] = frozenset({"responsible", "cooperating", "assigning"})
TEXT_ROLES: frozenset[Role] = frozenset({"category", "item", "detail", "criteria"})

WORDS_TSV = Path(__file__).parent / "data" / "column-words.tsv"
_SHORTER_WORD = 0.5  # a word inside a longer matching word counts half
_HEAD_BONUS = 1.0  # the header ends with the word


class HeaderHint(BaseModel):
    role: Role
    score: float
    word: str


def header_key(text: str) -> str:
    """A header cell's words with spacing and line breaks removed: ``考    核    内    容`` → ``考核内容``."""
    return "".join(text.split())


@functools.cache
def _words() -> tuple[tuple[str, Role, float], ...]:
    with WORDS_TSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return tuple((row["word"], row["role"], float(row["weight"])) for row in rows)  # type: ignore[misc]


@functools.lru_cache(maxsize=4096)
def header_hints(header: str) -> tuple[HeaderHint, ...]:
    """The roles a header suggests, strongest first; empty for an empty or unknown header."""
    key = header_key(header)
    if not key:
        return ()
    matches = [(word, role, weight) for word, role, weight in _words() if word in key]
    if not matches:
        return ()
    longest = max(len(word) for word, _, _ in matches)
    best: dict[Role, HeaderHint] = {}
    for word, role, weight in matches:
        score = weight * (1.0 if len(word) == longest else _SHORTER_WORD)
        if key.endswith(word) and len(word) >= 2:
            score += _HEAD_BONUS
        if role not in best or score > best[role].score:
            best[role] = HeaderHint(role=role, score=score, word=word)
    return tuple(sorted(best.values(), key=lambda hint: -hint.score))


def header_score(header: str, role: Role) -> tuple[float, str | None]:
    """How strongly ``header`` suggests ``role``, and the word that says so."""
    for hint in header_hints(header):
        if hint.role == role:
            return hint.score, hint.word
    return 0.0, None


@functools.cache
def known_words() -> frozenset[str]:
    return frozenset(word for word, _, _ in _words())


def is_header_word(text: str) -> bool:
    """A short cell made of header vocabulary (``责任单位``, ``分值``), not data."""
    key = header_key(text)
    return bool(key) and len(key) <= 16 and bool(header_hints(key))
