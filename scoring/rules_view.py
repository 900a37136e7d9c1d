"""The rules in force as rows: for the ``kaohe rules`` table and its ``--json`` contract."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from scoring.model import RuleSet
from scoring.rules import PARAMS, default_label, default_note, rule_value
from textview.table import render_table

_COMPONENT_LABELS = {
    "target": "目标任务",
    "social": "社会评价",
    "routine": "常规/平时",
    "highlight": "特色亮点",
    "year_end": "年终实地",
    "peer": "互评",
    "superior": "上级",
    "representatives": "代表",
    "public": "群众",
}
_CHOICE_LABELS = {
    "ratio_if_over": "实际不超过目标计100%，否则目标÷实际",
    "needs_review": "交人工复核",
    "total": "从综合得分中扣除",
    "category": "按类别计算",
    "overall": "全部考核对象合计",
    "floor": "向下取整",
    "round": "四舍五入",
    "ceil": "向上取整",
}


class RuleRow(BaseModel):
    """One parameter in force (the ``kaohe rules --json`` contract)."""

    field: str  # RuleSet field, or "weights.town"-style path
    rule_id: str  # U09, S01-S04, G11… (rules-default.md)
    label: str  # Chinese name of the parameter
    value: Any  # number / bool / text / null, or {component: value} for composite parameters
    source: str  # "default", a rules file, or the path of the 办法 the value was read from
    article: str | None
    quote: str | None  # the 办法's sentence (document values only)
    inferred: bool  # a default the 办法 does not state (推定)
    stated_by_document: bool  # read from the region's ingested 办法
    note: str | None = None


def rule_rows(rules: RuleSet) -> list[RuleRow]:
    """Every parameter of ``rules`` with its citation, in the order of the default rules file."""
    rows = []
    for key in PARAMS:
        citation = rules.citations.get(key)
        from_document = citation is not None and citation.document_id is not None
        rows.append(
            RuleRow(
                field=key,
                rule_id=citation.rule_id if citation else "",
                label=default_label(key),
                value=rule_value(rules, key),
                source=citation.source if citation else "default",
                article=citation.article if citation else None,
                quote=citation.quote if citation else None,
                inferred=bool(citation and citation.inferred),
                stated_by_document=from_document,
                note=(citation.note if citation else None) or (default_note(key) if citation is None else None),
            )
        )
    return rows


def format_value(key: str, value: Any) -> str:
    """A parameter value the way an official reads it: 60%, 目标任务 90 / 社会评价 10, 不设."""
    share = PARAMS[key].kind == "share" or key == "cap"  # cap is a completion rate: 100%
    if isinstance(value, dict):
        return " / ".join(f"{_COMPONENT_LABELS.get(k, k)} {_scalar(v, share, '不参与')}" for k, v in value.items())
    return _scalar(value, share, "不设")


def _scalar(value: Any, share: bool, none: str) -> str:
    if value is None:
        return none
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float | int):
        return f"{value * 100:g}%" if share else f"{value:g}"
    return _CHOICE_LABELS.get(str(value), str(value))


def _source_label(row: RuleRow, documents: list[str]) -> str:
    """默认 第二十四条（一）, 默认（推定）, 办法 第九条 (办法1, 办法2… when several files are cited)."""
    if not row.stated_by_document:
        where = "" if row.source == "default" else f"{row.source.rsplit('/', 1)[-1]} "
        return f"{where or '默认'}{'（推定）' if row.inferred else ''} {row.article or ''}".strip()
    number = documents.index(row.source) + 1 if len(documents) > 1 else ""
    return f"办法{number} {row.article or '（未注明条款）'}"


def _explanation(row: RuleRow) -> str:
    if row.stated_by_document and row.quote:
        return f"“{row.quote}”"
    return row.note or ""


TABLE_HEADERS = ["参数", "编号", "取值", "来源", "说明"]


def table_rows(rules: RuleSet) -> list[list[str]]:
    """The rules as an official reads them (``TABLE_HEADERS``): the terminal table and the score report's 说明."""
    rows = rule_rows(rules)
    documents = sorted({r.source for r in rows if r.stated_by_document})
    return [
        [r.label, r.rule_id, format_value(r.field, r.value), _source_label(r, documents), _explanation(r)] for r in rows
    ]


def render_rules(rules: RuleSet) -> str:
    """The rules table, then the parameters the region's 办法 did not state and any inconsistency."""
    rows = rule_rows(rules)
    documents = sorted({r.source for r in rows if r.stated_by_document})
    table = render_table(TABLE_HEADERS, table_rows(rules))
    lines = [f"{rules.region or '默认规则'}：计分与等次评定参数", "", table]
    if documents:
        names = [f"办法{i} = {d}" if len(documents) > 1 else f"办法 = {d}" for i, d in enumerate(documents, 1)]
        lines += ["", "来源：", *(f"  {n}" for n in names)]
    if rules.region and not documents:
        lines += ["", f"{rules.region}未入库考核办法，全部使用默认值（推定值可用 --file 规则文件修改）。"]
    elif rules.region and rules.missing:
        lines += ["", f"办法未规定、使用默认值的参数（{len(rules.missing)} 项）："]
        lines += ["  " + "、".join(map(default_label, rules.missing))]
    if rules.warnings:
        lines += ["", "参数之间不一致（请核对，未作修正）：", *(f"  - {w}" for w in rules.warnings)]
    return "\n".join(lines)
