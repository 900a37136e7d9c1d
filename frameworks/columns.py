"""Decide each table column's role from its header words *and* its content, jointly.

Header words differ from county to county and are ambiguous: ``考核内容`` is the category in one
table (beside ``考核指标``), the indicator in another (beside ``类别``) and the requirement in a
third; ``考核单位`` may be the only unit column or the assessor beside ``牵头单位``. So every column
gets a score for every role from its header (``frameworks.vocabulary``) plus its cells
(``frameworks.evidence``), and the table is read as a whole: for each column that could name
the indicators, the other columns take their best role under the table's constraints
(categories and the sequence to the left of the indicator, one points column — further ones
are weightings —, one lead column); the reading with the highest total wins. The reading is
kept, column by column with its evidence, so a user can see why (``kaohe parse --explain-table``).
"""

from __future__ import annotations

from collections.abc import Callable

import regex
from pydantic import BaseModel, Field

from frameworks.evidence import ColumnProfile, content_scores, profile_columns
from frameworks.vocabulary import ROLES, Role, header_key, header_score, is_header_word
from parsers.document import Table

__all__ = ["ColumnReading", "ColumnRoles", "Role", "header_key", "header_texts", "is_header_row", "read_columns"]

_CHINESE_NUMBER = regex.compile(r"^[（(]?[一二三四五六七八九十]+[)）、.．]?$")
_LOW_MARGIN = 1.0  # a reading that beats the next one by less than this is reported as uncertain
_LEAD_WORDS = ("总牵头", "牵头", "主责", "主办", "承办")
_SINGLE: tuple[Role, ...] = ("seq", "deduction", "detail", "criteria", "target", "deadline")


class ColumnReading(BaseModel):
    """One column's role and why: the header word and the content that decided it."""

    col: int
    header: str
    role: Role
    score: float
    runner_up: Role | None = None
    margin: float | None = None  # how far the role is ahead of the runner-up
    evidence: list[str] = Field(default_factory=list)


class ColumnRoles(BaseModel):
    roles: list[Role]
    headers: list[str]
    reading: list[ColumnReading] = Field(default_factory=list)
    margin: float | None = None  # the winning reading's lead over the best reading with another indicator column
    chinese_seq_sections: bool = False  # rows numbered 1, 2, 3 under section rows numbered 一, 二 in the same column

    def first(self, role: Role) -> int | None:
        return next((i for i, r in enumerate(self.roles) if r == role), None)

    def all(self, role: Role) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    @property
    def units(self) -> list[int]:
        """Columns naming units that carry or assess the work (cooperating columns apart)."""
        return [i for i, r in enumerate(self.roles) if r in ("responsible", "assigning")]

    @property
    def text_column(self) -> int | None:
        """The column whose cells are the indicator's text: the requirement when there is one, else the item."""
        detail = self.first("detail")
        return detail if detail is not None else self.first("item")

    @property
    def name_column(self) -> int | None:
        """The column naming the indicator apart from its text (only when a requirement column exists)."""
        return self.first("item") if self.first("detail") is not None else None

    @property
    def uncertain(self) -> bool:
        return self.margin is not None and self.margin < _LOW_MARGIN


def is_header_row(texts: list[str]) -> bool:
    """True when most non-empty cells of a row are header words (short, known vocabulary, no data)."""
    keys = [header_key(t) for t in texts if t and t.strip()]
    if len(set(keys)) < 2:
        return False
    wordy = sum(1 for k in keys if is_header_word(k) and not any(ch.isdigit() for ch in k))
    return wordy >= max(2, (len(keys) + 1) // 2)


def header_texts(table: Table, header_rows: int) -> list[str]:
    """One header string per grid column, spanning cells repeated over the columns they cover."""
    texts = [""] * table.n_cols
    for r in range(header_rows):
        for c in range(table.n_cols):
            cell = table.cell_at(r, c)
            if cell is not None and cell.text.strip() and header_key(cell.text) not in header_key(texts[c]):
                texts[c] = f"{texts[c]}{cell.text}" if texts[c] else cell.text
    return texts


def read_columns(table: Table, header_rows: int, is_unit: Callable[[str], bool]) -> ColumnRoles:
    """The table's column roles, read jointly from header words and content."""
    headers = header_texts(table, header_rows)
    profiles = profile_columns(table, header_rows, is_unit)
    roles = assign_roles(headers, profiles)
    seq = roles.first("seq")
    if seq is not None:
        roles.chinese_seq_sections = _mixed_numbering(table, header_rows, seq)
    return roles


def _mixed_numbering(table: Table, start: int, col: int) -> bool:
    """Arabic numbers on most rows and Chinese ones on a few: the Chinese ones number sections."""
    texts = [header_key(c.text) for r in range(start, table.n_rows) for c in table.rows[r] if c.col == col]
    chinese = sum(1 for t in texts if _CHINESE_NUMBER.match(t))
    arabic = sum(1 for t in texts if t[:1].isdigit())
    return 0 < chinese < arabic


def assign_roles(headers: list[str], profiles: list[ColumnProfile] | None = None) -> ColumnRoles:
    """Roles for ``headers`` given the columns' ``profiles`` (header words alone when there are none)."""
    profiles = profiles or [ColumnProfile(col=c) for c in range(len(headers))]
    table = _score_table(headers, profiles)
    readings = sorted((_reading_with_item(table, item) for item in range(len(headers))), key=lambda r: -r[0])
    best_total, roles = readings[0]
    runner_up = next((total for total, other in readings[1:] if other.index("item") != roles.index("item")), None)
    _settle(roles, headers, table)
    reading = [_explain(c, headers[c], roles[c], table[c]) for c in range(len(headers))]
    margin = None if runner_up is None else round(best_total - runner_up, 2)
    return ColumnRoles(roles=roles, headers=headers, reading=reading, margin=margin)


_Scores = list[dict[Role, tuple[float, list[str]]]]


def _score_table(headers: list[str], profiles: list[ColumnProfile]) -> _Scores:
    has_content = any(p.filled for p in profiles)
    out: _Scores = []
    for header, profile in zip(headers, profiles, strict=True):
        content = content_scores(profile) if has_content else {}
        column: dict[Role, tuple[float, list[str]]] = {}
        for role in ROLES:
            h_score, word = header_score(header, role)
            c = content.get(role)
            evidence = ([f"表头“{word}”"] if word else []) + (c.evidence if c else [])
            column[role] = (h_score + (c.score if c else 0.0), evidence)
        # A further weighting is a points column by its header too; numbers alone are targets as often.
        if header_score(header, "points")[0] <= 0:
            column["weight"] = (column["weight"][0] - 3.0, [*column["weight"][1], "表头不是分值或权重"])
        # An empty header right of a text column continues it (seed 000 附件3: 考核内容 spans two columns).
        if not header_key(header):
            column["category"] = (column["category"][0] + 1.0, [*column["category"][1], "表头为空"])
        column["other"] = (max(0.0, column["other"][0]), column["other"][1])
        out.append(column)
    return out


def _reading_with_item(table: _Scores, item: int) -> tuple[float, list[Role]]:
    """The best reading in which column ``item`` names the indicators; its total score."""
    roles: list[Role] = []
    for col, scores in enumerate(table):
        if col == item:
            roles.append("item")
            continue
        allowed = [r for r in ROLES if r != "item" and not (r in ("category", "seq") and col > item)]
        roles.append(max(allowed, key=lambda r: (scores[r][0], r == "other")))
    _enforce_single(roles, table)
    total = sum(table[c][r][0] for c, r in enumerate(roles))
    return total, roles


def _enforce_single(roles: list[Role], table: _Scores) -> None:
    """One column per single role (the strongest keeps it); extra points columns are weightings."""
    points = [c for c, r in enumerate(roles) if r in ("points", "weight")]
    for rank, col in enumerate(points):
        roles[col] = "points" if rank == 0 else "weight"
    for role in _SINGLE:
        cols = [c for c, r in enumerate(roles) if r == role]
        if len(cols) > 1:
            keep = max(cols, key=lambda c: table[c][role][0])
            for col in cols:
                if col != keep:
                    roles[col] = "other"


def _settle(roles: list[Role], headers: list[str], table: _Scores) -> None:
    """Several responsible columns: the one headed 牵头/主责 (else the strongest) leads, the others cooperate."""
    responsible = [c for c, r in enumerate(roles) if r == "responsible"]
    if len(responsible) > 1:
        strongest = max(responsible, key=lambda c: table[c]["responsible"][0])
        lead = next((c for c in responsible if any(w in header_key(headers[c]) for w in _LEAD_WORDS)), strongest)
        for col in responsible:
            if col != lead:
                roles[col] = "cooperating"


def _explain(col: int, header: str, role: Role, scores: dict[Role, tuple[float, list[str]]]) -> ColumnReading:
    score, evidence = scores[role]
    others = sorted(((s, r) for r, (s, _) in scores.items() if r != role), reverse=True)
    runner_up = others[0] if others else None
    return ColumnReading(
        col=col,
        header=header_key(header),
        role=role,
        score=round(score, 2),
        runner_up=runner_up[1] if runner_up else None,
        margin=round(score - runner_up[0], 2) if runner_up else None,
        evidence=evidence,
    )
