"""What the cells of a table copied from a web page look like, and where they go.

The evidence the web-text reader (``parsers.web_text``) works with:

* a cell's **kind**: empty, dash (``——``, ``/``, ``无``, ``……``), int, number (``10分``, ``-1.5``,
  ``5%``), a bare sequence mark (``2.``, ``（三）``), an item (``1.xxx``, ``（一）xxx``), a unit of
  measure (``%``, ``万亩``, ``万元/人``: a 单位 column), organ names (``县委办、县府办``,
  ``市统计局(牵头) 市发改委``) or other text;
* a header's **role**: 序号 → sequence numbers, 分值/权重/得分 → numbers, X单位/部门/来源/牵头 →
  organs, 项目/类别/内容/指标/任务 → labels (text, not numbers nor organs), anything else → no prior;
* a column's **profile**: the share of each kind in its complete rows (plus the header's prior),
  and how well a kind fits it, from -1 (never seen there) to 1.

Short rows are placed on the columns that fit their cells best (:func:`place_cells`); a stream of
cells is cut into rows in ``parsers.web_cut``.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["fit", "header_role", "is_header_cell", "kind", "place_cells", "place_short_row", "profiles"]

# --- what a cell looks like ------------------------------------------------------------------

_CN = "一二三四五六七八九十"
# A unit of measure alone in a cell (a 单位 column): `%`, `万亩`, `亿斤`, `万元/人`.
_MEASURE = (
    r"(?:[%％‰]|[万亿千百]?(?:元|人次?|户|个|家|项|件|次|亩|公顷|吨|斤|公斤|头|只|羽|株|棵|所|座|套|辆|台|张|篇|份"
    r"|宗|起|公里|千米|米|平方米|平方公里|立方米|千瓦时?|标准箱|床|册|条|处|批|场|天|小时))"
)
KINDS = (
    ("empty", re.compile(r"^$")),
    ("dash", re.compile(r"^(?:[—\-－–―─/／]+|无|…+|\.{3,})$")),
    ("int", re.compile(r"^\d{1,4}$")),
    ("number", re.compile(r"^[-+－]?\d+(?:\.\d+)?\s*(?:分|%|％)?$")),
    ("seq_ar", re.compile(r"^(?:[（(]\d{1,3}[）)]|\d{1,3}\s*[.．、])$")),
    ("seq_cn", re.compile(rf"^(?:[（(][{_CN}]{{1,3}}[）)]|[{_CN}]{{1,3}}\s*[、.．])$")),
    ("item_ar", re.compile(r"^(?:[（(]\d{1,3}[）)]|\d{1,3}\s*[.．、](?!\d))\s*\S")),
    ("item_cn", re.compile(rf"^(?:[（(][{_CN}]{{1,3}}[）)]|[{_CN}]{{1,3}}\s*[、.．])\s*\S")),
    ("measure", re.compile(rf"^{_MEASURE}(?:\s*/\s*{_MEASURE})?$")),
)
ORGAN_TAIL = re.compile(
    r"(?:局|办|委|部|院|中心|室|处|队|站|社|馆|校|厅|署|组|科|政府|党委|党组|单位|公司|集团|办事处|银行|委员会"
    r"|联合会|协会|商会|工会|管委会|工商联|妇联|残联|侨联|文联|科协|团委|派出所|司法所|税务所|电视台|气象台)$"
)
UNIT_SPLIT = re.compile(r"[、，,；;/\s]+")
PAREN = re.compile(r"[（(][^（）()]*[）)]")
# Kinds that are not the same but often share a column.
COMPAT = {
    frozenset(pair): value
    for pair, value in (
        (("int", "seq_ar"), 0.8), (("int", "number"), 0.8), (("seq_ar", "item_ar"), 0.6),
        (("seq_cn", "item_cn"), 0.6), (("item_ar", "item_cn"), 0.3), (("text", "item_ar"), 0.4),
        (("text", "item_cn"), 0.4), (("unit", "text"), 0.15), (("seq_ar", "number"), 0.3),
    )
}  # fmt: skip
EVIDENCE = frozenset({"int", "number", "seq_ar", "seq_cn", "unit"})
SEQ_KINDS = frozenset({"int", "seq_ar", "seq_cn"})

HEADER_WORDS = re.compile(
    "序号|编号|内容|分值|分数|权重|得分|单位|部门|指标|类别|项目|任务|标准|办法|备注|时限|目标|名称|牵头|责任"
    "|考核|考评|评分|要求|措施|举措|来源|细则|条目|事项|领导|配合|类型|合计|依据|方式|时间|进度|实事|工作"
)
YEAR = re.compile(r"^(?:19|20)\d{2}年度?")
YEAR_HEADER_MAX_CHARS = 5
HEADER_MAX_CHARS = 10  # `目标任务考核指标权重`; a table's title (`县(市、区)考核项目和分值`) is longer
POINTS_HEADER = re.compile(r"(?:分值|分数|权重|得分|满分|基础分|标准分)(?:[（(]分[）)])?$")
LABEL_HEADER = re.compile("项目|类别|内容|指标|名称|事项|措施|举措|要求|标准|细则|条目|任务|实事|工作")
# The prior a header word gives its column: kind → weight.
ROLE_PROFILES = {
    "seq": {"int": 0.5, "seq_ar": 0.5},
    "number": {"number": 0.5, "int": 0.5},
    "unit": {"unit": 1.0},
    "label": {"text": 0.7, "item_ar": 0.15, "item_cn": 0.15},
    "any": {},  # a header word that says nothing about its cells' kind
}
EVIDENCE_ROLES = frozenset({"seq", "number", "unit"})
ROLE_KIND = {"seq": "int", "number": "number", "unit": "unit", "label": "text", "any": "text"}

LITERAL_BONUS = 0.25  # the cells as written win ties
SHIFT_COST = 0.05  # per column a cell moves right
MAX_PLACE_COLS = 12


def kind(text: str) -> str:
    """The kind of a cell's text: empty, dash, int, number, seq_ar/seq_cn, item_ar/item_cn, unit or text."""
    text = text.strip()
    for name, pattern in KINDS:
        if pattern.match(text):
            return name
    parts = [p for p in UNIT_SPLIT.split(PAREN.sub("", text)) if p]
    if parts and all(2 <= len(p) <= 20 and ORGAN_TAIL.search(p) for p in parts):
        return "unit"
    return "text"


def header_role(text: str) -> str:
    """What a header cell announces about its column: seq, number, unit, label (item, content) or any."""
    t = re.sub(r"\s+", "", text)
    if "序号" in t or t in ("序", "编号"):
        return "seq"
    if POINTS_HEADER.search(t) and not re.search("及|和|与|内容|标准|办法|细则", t):
        return "number"
    if (len(t) > 2 and t.endswith(("单位", "部门", "来源"))) or "牵头" in t:  # bare 单位 may be 万亩, %
        return "unit"
    if LABEL_HEADER.search(t) and not re.search("目标|[^分]值|时限|时间|进度|领导|备注", t):
        return "label"
    return "any"


def is_header_cell(text: str) -> bool:
    """A header cell: short, no digits (but `2015年目标`) nor sentence punctuation, a header word."""
    t = re.sub(r"\s+", "", text)
    if YEAR.match(t) and len(YEAR.sub("", t)) <= YEAR_HEADER_MAX_CHARS:
        t = YEAR.sub("", t)  # `2015年目标`, not `2022年度目标责任考核指标`
    return (
        0 < len(t) <= HEADER_MAX_CHARS
        and not re.search(r"\d|[。；;，,：:！？]", t)
        and not t.endswith(("表", "通知"))
        and bool(HEADER_WORDS.search(t))
    )


def _compat(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if "empty" in (a, b):
        return 0.5
    if "dash" in (a, b):
        return 0.4
    return COMPAT.get(frozenset((a, b)), 0.0)


def fit(cell_kind: str, profile: dict[str, float]) -> float:
    """How well a kind fits a column, from -1 (never seen there) to 1; 0 for an empty cell or no profile."""
    if cell_kind == "empty" or not profile:
        return 0.0
    return 2 * sum(weight * _compat(cell_kind, k) for k, weight in profile.items()) - 1


def profiles(rows: list[list[str]], header_roles: list[str] | None, n_cols: int) -> list[dict[str, float]]:
    """Each column's kinds in ``rows`` (complete rows), plus the header's prior, normalised."""
    profiles: list[dict[str, float]] = []
    for col in range(n_cols):
        counts: dict[str, float] = {}
        for row in rows:
            if row[col].strip():
                counts[kind(row[col])] = counts.get(kind(row[col]), 0) + 1
        if header_roles:
            for k, weight in ROLE_PROFILES[header_roles[col]].items():
                counts[k] = counts.get(k, 0) + weight
        total = sum(counts.values())
        profiles.append({k: v / total for k, v in counts.items()} if total else {})
    return profiles


def place_cells(kinds: list[str], profiles: list[dict[str, float]]) -> tuple[int, ...]:
    """Columns (increasing) for a short row's cells: the best fit of kinds to columns, literal on ties."""
    n_cols, literal = len(profiles), tuple(range(len(kinds)))
    if len(kinds) >= n_cols or n_cols > MAX_PLACE_COLS:
        return literal

    def score(columns: tuple[int, ...]) -> float:
        fits = sum(fit(k, profiles[c]) for k, c in zip(kinds, columns, strict=True))
        shift = sum(c - i for i, c in enumerate(columns))
        return fits - SHIFT_COST * shift + (LITERAL_BONUS if columns == literal else 0.0)

    return max(itertools.combinations(range(n_cols), len(kinds)), key=score)


def is_header_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    headers = sum(is_header_cell(c) for c in filled)
    return bool(filled) and headers * 5 >= len(filled) * 3 and not any(kind(c) in ("int", "number") for c in filled)


def place_short_row(cells: list[str], complete: list[list[str]], header: list[str]) -> tuple[int, ...]:
    """Columns for a short TAB-separated row, from the complete rows and the header's words."""
    roles = [header_role(h) for h in header] if is_header_row(header) else None
    return place_cells([kind(c) for c in cells], profiles(complete, roles, len(header)))
