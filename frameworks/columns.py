"""Decide each table column's role from its header and the table's structure.

Header words are ambiguous across counties: ``考核内容`` is the category in one
table (beside ``考核指标``) and the indicator itself in another (beside
``类别``). Words give a first reading; the table's shape settles it.
"""

from __future__ import annotations

from typing import Literal

import regex
from pydantic import BaseModel

from parsers.document import Table

Role = Literal[
    "seq",
    "category",
    "item",
    "indicator",
    "detail",
    "points",
    "deduction",
    "responsible",
    "assigning",
    "cooperating",
    "text",  # undecided text column: category or indicator, settled by position
    "other",
]

# First match wins: more specific words before the words they contain.
_WORD_PATTERNS: tuple[tuple[str, Role], ...] = (
    (r"^序号$|^编号$", "seq"),
    (r"扣分|减分", "deduction"),
    (r"^(?:分值|分数|权重|标准分|得分|赋分)$|^分$", "points"),
    (r"配合|协助|协办|参与", "cooperating"),
    (r"任务下达|下达部门|考核部门|考核单位|负责考核|考核责任单位|评分单位|牵头考核", "assigning"),
    (r"(?:责任|牵头|主办|承办|承担)(?:单位|部门|处室|科室|领导|人)|^(?:责任|牵头)$", "responsible"),
    (
        r"目标要求|目标任务|评分标准|评分细则|考核细则|考核标准|评分办法|工作要求|具体要求|任务要求|完成时限|考核要点",
        "detail",
    ),
    (r"类别|领域|板块|总体目标", "category"),
    (r"指标", "indicator"),
    (r"内容|项目|事项|任务", "text"),
)
_WORD_ROLES = tuple((regex.compile(pattern), role) for pattern, role in _WORD_PATTERNS)

_DIGIT = regex.compile(r"\d")
_HEADER_WORDS = regex.compile(
    r"序号|考核|指标|内容|项目|类别|分值|责任|单位|部门|目标|要求|任务|扣分|配合|牵头|评分|标准|领域|备注|权重"
)


def header_key(text: str) -> str:
    """A header cell's words with spacing and line breaks removed: ``考    核    内    容`` → ``考核内容``."""
    return "".join(text.split())


def word_role(header: str) -> Role:
    key = header_key(header)
    for pattern, role in _WORD_ROLES:
        if pattern.search(key):
            return role
    return "other"


def is_header_row(texts: list[str]) -> bool:
    """True when most non-empty cells of a row are header words (short, no digits of data)."""
    keys = [header_key(t) for t in texts if t and t.strip()]
    if len(set(keys)) < 2:
        return False
    wordy = sum(1 for k in keys if len(k) <= 12 and _HEADER_WORDS.search(k) and not _DIGIT.search(k))
    return wordy >= max(2, (len(keys) + 1) // 2)


class ColumnRoles(BaseModel):
    roles: list[Role]
    headers: list[str]

    def first(self, role: Role) -> int | None:
        return next((i for i, r in enumerate(self.roles) if r == role), None)

    def all(self, role: Role) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    @property
    def units(self) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r in ("responsible", "assigning")]


def header_texts(table: Table, header_rows: int) -> list[str]:
    """One header string per grid column, spanning cells repeated over the columns they cover."""
    texts = [""] * table.n_cols
    for r in range(header_rows):
        for c in range(table.n_cols):
            cell = table.cell_at(r, c)
            if cell is not None and cell.text.strip() and header_key(cell.text) not in header_key(texts[c]):
                texts[c] = f"{texts[c]}{cell.text}" if texts[c] else cell.text
    return texts


def assign_roles(headers: list[str]) -> ColumnRoles:
    """Roles from header words, then settled by structure (see module docstring)."""
    roles: list[Role] = [word_role(h) for h in headers]
    # An empty header between two text columns is a sub-level of the one on its left
    # (seed 000 附件3: 考核内容 spans two columns; the .txt shows the second as empty).
    for i, h in enumerate(headers):
        if not header_key(h) and 0 < i < len(headers) - 1 and roles[i - 1] in ("category", "text"):
            roles[i] = "category"
    text_cols = [i for i, r in enumerate(roles) if r in ("category", "item", "indicator", "detail", "text")]
    detail = next((i for i in text_cols if roles[i] == "detail"), None)
    indicator = next((i for i in text_cols if roles[i] == "indicator"), None)
    if detail is not None:
        _settle_around_detail(roles, text_cols, detail)
    elif indicator is not None:
        for i in text_cols:
            if i < indicator:
                roles[i] = "category"
            elif i > indicator and roles[i] in ("text", "indicator"):
                roles[i] = "other"
    elif text_cols:
        # No indicator word at all: the rightmost text column carries the indicator.
        roles[text_cols[-1]] = "indicator"
        for i in text_cols[:-1]:
            roles[i] = "category"
    return ColumnRoles(roles=roles, headers=headers)


def _settle_around_detail(roles: list[Role], text_cols: list[int], detail: int) -> None:
    """The text column just left of a detail column names the item; further left are categories."""
    left = [i for i in text_cols if i < detail]
    if left:
        roles[left[-1]] = "item"
        for i in left[:-1]:
            roles[i] = "category"
    for i in text_cols:
        if i > detail and roles[i] == "detail":
            roles[i] = "other"
