"""Read the numeric scoring parameters an assessment 办法 states, with the article and sentence.

The 办法 is walked paragraph by paragraph, tracking the current article (``第二十四条``) and
sub-item (``（一）``, also inline ones); each clause (text between ``。`` / ``；``) is matched
against patterns for the parameters of ``scoring.rules.PARAMS``. A value is read, never assumed:
what no clause states is simply absent (and shows as ``missing`` in ``kaohe rules``). Unit-level
parameters are read only outside the articles about individual cadres and leadership teams
(第二十四条（二）, 第二十八条, 第二十九条 in seed 004), where the same wording recurs with other numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import regex
from pydantic import BaseModel

from normalize.numbers import chinese_to_number, fold_width
from parsers.document import Document, Paragraph, Table

log = logging.getLogger(__name__)


class ExtractedRule(BaseModel):
    """One parameter value a 办法 states: ``field`` is a ``scoring.rules.PARAMS`` key."""

    field: str
    value: Any  # number, bool, text, or a dict of components ({"target": 90, "social": 10})
    article: str | None = None  # 第二十四条（一）
    quote: str  # the clause (or table row) the value was read from, as written


_CN = "零〇一二两三四五六七八九十百"
_ARTICLE = regex.compile(rf"^\s*(第[{_CN}\d]+条)")
_CHAPTER = regex.compile(rf"^\s*第[{_CN}\d]+章")
_SUB_ITEM = regex.compile(rf"[(（]([{_CN}]+)[)）]")
_CLAUSE_END = regex.compile(r"[。；;]")

_CADRE = regex.compile(r"干部|领导班子|科级")
_UNIT = regex.compile(r"单位|镇|部门")
_TOWN = regex.compile(r"镇|街道|便民服务中心")
_DEPT = regex.compile(r"部门|县直|党群|政府系统")
_RESIDENT = regex.compile(r"驻\p{Han}{0,2}单位|驻县|驻柞|垂管")

SOCIAL_NAMES = {"同级互评": "peer", "上级评价": "superior", "各界代表评价": "representatives", "群众评价": "public"}
_SOCIAL_NAME = regex.compile("|".join(SOCIAL_NAMES))
_NUM = r"(\d+(?:\.\d+)?)"


def _to_arabic(text: str) -> str:
    """Width-folded text with Chinese numbers before 分/%/倍 as digits (百分之六十 → 60%, 两倍 → 2倍)."""
    text = fold_width(text)
    text = regex.sub(rf"百分之([{_CN}]+)", r"\1%", text)

    def digits(m: regex.Match[str]) -> str:
        value = chinese_to_number(m[1])
        return m[0] if value is None else f"{value:g}"

    return regex.sub(rf"([{_CN}]+)(?=[分%倍](?!制))", digits, text)


def _number(text: str) -> float:
    return float(text)


@dataclass
class Clause:
    """A clause of a paragraph with where it sits in the 办法."""

    text: str  # as written (the quote)
    match_text: str  # folded, numbers as digits
    article: str | None
    scope: str  # "unit" or "cadre"
    paragraph: str  # folded paragraph, for context words such as 较差


# ---------------------------------------------------------------------------------------------
# Walking the document


class _Position:
    """The article, sub-item and scope (unit or cadre) the walk is in."""

    def __init__(self) -> None:
        self.article: str | None = None
        self.sub_item: str | None = None
        self.article_scope = "unit"
        self.scope = "unit"

    def enter(self, text: str) -> None:
        """Update on a paragraph that may open a chapter, article or sub-item."""
        if _CHAPTER.match(text):
            self.article, self.sub_item, self.article_scope, self.scope = None, None, "unit", "unit"
            return
        article = _ARTICLE.match(text)
        if article:
            self.article, self.sub_item = article[1], None
            self.article_scope = self.scope = _scope_of(text[article.end() :], "unit")
            return
        sub_item = _SUB_ITEM.match(text.lstrip())
        if sub_item and self.article:
            self.sub_item = f"（{sub_item[1]}）"
            self.scope = _scope_of(text[sub_item.end() :], self.article_scope)

    def label(self, inline_sub_item: str | None = None) -> str | None:
        if self.article is None:
            return None
        return self.article + (inline_sub_item or self.sub_item or "")


def _scope_of(text: str, inherited: str) -> str:
    """ "cadre" when the opening clause is about cadres or leadership teams before any unit."""
    head = _CLAUSE_END.split(text, maxsplit=1)[0]
    cadre, unit = _CADRE.search(head), _UNIT.search(head)
    if cadre and (unit is None or cadre.start() < unit.start()):
        return "cadre"
    return "unit" if unit else inherited


def _clauses(text: str, position: _Position) -> Iterator[Clause]:
    folded = _to_arabic(text)
    inline = [(m.start(), f"（{m[1]}）") for m in _SUB_ITEM.finditer(text) if m.start() > 0]
    start = 0
    for end in [m.end() for m in _CLAUSE_END.finditer(text)] + [len(text)]:
        piece = text[start:end].strip(" 　。；;")
        if piece:
            before = [label for offset, label in inline if offset < end]
            article = position.label(before[-1] if before else None)
            yield Clause(piece, _to_arabic(piece), article, position.scope, folded)
        start = end


# ---------------------------------------------------------------------------------------------
# Clause patterns: each returns (field, value) pairs


def _category(text: str) -> str | None:
    """The category the last category word of ``text`` names (镇（办）, 县直部门, 驻县单位)."""
    found = [(m.end(), name == "resident", name) for name, pattern in (("resident", _RESIDENT), ("town", _TOWN),
             ("dept", _DEPT)) for m in pattern.finditer(text)]  # fmt: skip
    return max(found)[2] if found else None


_WEIGHTS = regex.compile(rf"目标任务(?:考核)?(?:占|为)?{_NUM}分.{{0,6}}?社会评价(?:考核)?(?:占|为)?{_NUM}分")


def _weights(c: Clause) -> Iterator[tuple[str, Any]]:
    for m in _WEIGHTS.finditer(c.match_text):
        category = _category(c.match_text[: m.start()])
        if category:
            yield f"weights.{category}", {"target": _number(m[1]), "social": _number(m[2])}


def _scalars(c: Clause) -> Iterator[tuple[str, Any]]:
    t = c.match_text
    if "百分制" in t:
        yield "total_scale", 100.0
    if m := regex.search(rf"基础分值为{_NUM}分|以{_NUM}分为基数", t):
        yield "target_base", _number(m[1] or m[2])
    if "量化指标" in t and (m := regex.search(rf"完成(?:目标任务)?{_NUM}%以上", t)):
        yield "threshold", _number(m[1]) / 100
        strictly_below = regex.search(rf"(?:不足|低于|少于|未达到|未满|不满)\D{{0,4}}?{m[1]}%", c.paragraph)
        if strictly_below and f"{m[1]}%以下" not in c.paragraph:
            yield "threshold_inclusive", True  # "60%以上" scores and "不足60%" does not: 60% scores
    if m := regex.search(rf"(?:常规|平时)工作(?:考核)?占{_NUM}%.{{0,8}}?特色亮点(?:考核)?占{_NUM}%", t):
        yield "common_split", {"routine": _number(m[1]) / 100, "highlight": _number(m[2]) / 100}
    if regex.search("现场|实地|双印证", t):
        if m := regex.search(rf"{_NUM}\s*[:比]\s*{_NUM}", t):
            a, b = _number(m[1]), _number(m[2])
            if a + b > 0:
                yield "onsite_split", {"routine": a / (a + b), "year_end": b / (a + b)}
        elif m := regex.search(rf"平时\p{{Han}}{{0,6}}占{_NUM}%.{{0,12}}?(?:年终|实地)\p{{Han}}{{0,8}}占{_NUM}%", t):
            yield "onsite_split", {"routine": _number(m[1]) / 100, "year_end": _number(m[2]) / 100}


def _grades(c: Clause) -> Iterator[tuple[str, Any]]:
    t = c.match_text
    if m := regex.search(rf"优秀[^,]{{0,20}}?不超过[^,]{{0,20}}?{_NUM}%", t):
        yield "excellent_quota", _number(m[1]) / 100
        if regex.search("每一?类别|各类别|本类别|每类", t):
            yield "quota_scope", "category"
    if "较差" in c.paragraph and (m := regex.search(rf"(?:得分|总分)低于{_NUM}分", t)):
        yield "poor_below", _number(m[1])
    if "一票否决" in t and "较差" in c.paragraph:
        yield "veto_grade", "较差"
    if m := regex.search(rf"加分超过总加分(?:的)?{_NUM}%", t):
        yield "city_bonus_share_priority", _number(m[1]) / 100
    if "优先" in c.paragraph and (m := regex.search(rf"排名(?:前)?{_NUM}%(?:以前|以内)", t)):
        yield "excellent_priority_rank_share", _number(m[1]) / 100


def _adjustments(c: Clause) -> Iterator[tuple[str, Any]]:
    t = c.match_text
    times = regex.search(rf"(?:双倍|{_NUM}倍)", t)
    if times:
        factor = 2.0 if times[0] == "双倍" else _number(times[1])
        if "负面清单" in c.paragraph and "扣分" in t:
            yield "city_deduction_multiplier", factor
        elif "加减分" in t and "市考" in c.paragraph:
            yield "city_bonus_multiplier", factor
    if "负面清单" in t and regex.search("总分中?扣除|从.{0,8}总分", t):
        yield "negative_list_applies_to", "total"


def _social(c: Clause) -> Iterator[tuple[str, Any]]:
    """第二十五条: "同级互评、上级评价…的分值构成，镇（办）为2、3、2、3分，…驻柞单位不参与同级互评，…为9、6、15分"."""
    t = c.match_text
    if len(set(_SOCIAL_NAME.findall(t))) < 2:
        return
    order = _component_order(t)
    start = 0
    for m in regex.finditer(rf"{_NUM}(?:、{_NUM})+分", t):
        segment = t[start : m.start()]
        start = m.end()
        numbers = [_number(n) for n in regex.findall(r"\d+(?:\.\d+)?", m[0])]
        own = _component_order(segment)
        names = own if len(own) >= 2 else order
        names = [n for n in names if not regex.search(f"不参与{_key_name(n)}|不参加{_key_name(n)}", segment)]
        category = _category(segment)
        if category and len(names) == len(numbers):
            components = dict.fromkeys(SOCIAL_NAMES.values())
            components.update(zip(names, numbers, strict=True))
            yield f"social_components.{category}", components


def _component_order(text: str) -> list[str]:
    seen: list[str] = []
    for name in _SOCIAL_NAME.findall(text):
        if SOCIAL_NAMES[name] not in seen:
            seen.append(SOCIAL_NAMES[name])
    return seen


def _key_name(component: str) -> str:
    return next(name for name, key in SOCIAL_NAMES.items() if key == component)


_UNIT_PATTERNS: tuple[Callable[[Clause], Iterator[tuple[str, Any]]], ...] = (
    _weights,
    _scalars,
    _grades,
    _adjustments,
    _social,
)


def _cadre_cap(c: Clause) -> Iterator[tuple[str, Any]]:
    if regex.search("加减分|加分|减分", c.match_text) and (m := regex.search(rf"不超过{_NUM}分", c.match_text)):
        yield "cadre_adjustment_cap", _number(m[1])


# ---------------------------------------------------------------------------------------------
# Tables: the sample 办法 gives the social-evaluation split as a table


def _grid(table: Table) -> dict[tuple[int, int], str]:
    """Every position's text, a merged cell's text repeated over the positions it covers."""
    grid: dict[tuple[int, int], str] = {}
    for row in table.rows:
        for cell in row:
            for r in range(cell.row, cell.row + cell.rowspan):
                for col in range(cell.col, cell.col + cell.colspan):
                    grid[(r, col)] = fold_width(cell.text).strip()
    return grid


def _table_rules(table: Table, article: str | None) -> Iterator[ExtractedRule]:
    """Rows of a 考核对象类别 × (目标任务, 同级互评…, 社会评价小计) table."""
    grid = _grid(table)
    data_rows = [r for r in range(1, len(table.rows)) if _category(grid.get((r, 0), ""))]
    if not data_rows:
        return
    header_rows = range(data_rows[0])
    labels = {col: "".join(dict.fromkeys(grid.get((r, col), "") for r in header_rows)) for col in range(table.n_cols)}
    if len({SOCIAL_NAMES[n] for label in labels.values() for n in _SOCIAL_NAME.findall(label)}) < 2:
        return
    for r in data_rows:
        cells = {labels[col]: grid.get((r, col), "") for col in range(1, table.n_cols)}
        quote = grid[(r, 0)] + "：" + "，".join(f"{label} {text}" for label, text in cells.items())
        yield from _table_row_rules(f"{_category(grid[(r, 0)])}", cells, article, quote)


def _table_row_rules(category: str, cells: dict[str, str], article: str | None, quote: str) -> Iterator[ExtractedRule]:
    components: dict[str, float | None] = dict.fromkeys(SOCIAL_NAMES.values())
    target = social = None
    for label, text in cells.items():
        value = float(text) if regex.fullmatch(_NUM, text) else None  # "—": the category has no such part
        name = _SOCIAL_NAME.search(label)
        if name:
            components[SOCIAL_NAMES[name[0]]] = value
        elif "目标任务" in label:
            target = value
        elif "社会评价" in label and regex.search("小计|合计", label):
            social = value
    if any(v is not None for v in components.values()):
        yield ExtractedRule(field=f"social_components.{category}", value=components, article=article, quote=quote)
    if target is not None and social is not None:
        value = {"target": target, "social": social}
        yield ExtractedRule(field=f"weights.{category}", value=value, article=article, quote=quote)


# ---------------------------------------------------------------------------------------------


def extract_rule_values(document: Document) -> list[ExtractedRule]:
    """The parameters the 办法 states, first statement of each winning (unit rules precede cadre ones)."""
    found: dict[str, ExtractedRule] = {}
    position = _Position()
    for block in document.blocks:
        if isinstance(block, Table):
            rules = list(_table_rules(block, position.label()))
        elif isinstance(block, Paragraph):
            position.enter(block.text)
            rules = list(_paragraph_rules(block.text, position))
        else:
            continue
        for rule in rules:
            found.setdefault(rule.field, rule)
    log.debug("%s: %d rule values", document.source.path, len(found))
    return list(found.values())


def _paragraph_rules(text: str, position: _Position) -> Iterator[ExtractedRule]:
    if position.article is None:  # the cover notice before 第一条 states no rules
        return
    for clause in _clauses(text, position):
        patterns = _UNIT_PATTERNS if clause.scope == "unit" else (_cadre_cap,)
        for pattern in patterns:
            for field, value in pattern(clause):
                yield ExtractedRule(field=field, value=value, article=clause.article, quote=clause.text)


_RULE_ARTICLE = regex.compile(rf"^\s*第[{_CN}\d]+条")


def looks_like_rules_document(document: Document) -> bool:
    """A 办法 (by genre), or a text of articles (第X条) about assessment scores."""
    if getattr(document.metadata, "genre", None) == "办法":
        return True
    articles = [b.text for b in document.blocks if isinstance(b, Paragraph) and _RULE_ARTICLE.match(b.text)]
    text = "".join(articles)
    return len(articles) >= 3 and "考核" in text and bool(regex.search("计分|分值|等次|百分制", text))
