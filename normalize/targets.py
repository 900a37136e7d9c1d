"""Targets (目标值) out of an indicator or negative-list text (DOMAIN §2.5, §3.4).

``parse_targets("生产总值增长7%")`` → one ``Target(metric="生产总值", comparator="growth>=",
value=7, unit="%")``. The text is cut into clauses; in each clause every quantity (a number
with its unit) outside quotation marks becomes a target, read with the cue right before it
(longest cue first, 不/未 in front flips it: 不超过 is ≤, 未达到 is <) or the word right after
it (以上 ≥, 以内 ≤). Values keep the unit as written (``4万亩`` → 4, ``万亩``).

A text that ends in 的 is a negative-list condition: its targets are triggers, and their
comparator describes the event that costs points (``未达到84分的`` → ``<`` 84, trigger).
A text without any quantity gives one qualitative target.
"""

from __future__ import annotations

import logging

import regex
from pydantic import BaseModel, ConfigDict, Field

from normalize import target_cues as cues
from normalize.numbers import chinese_to_number, fold_width, parse_number, strip_markdown
from normalize.points import split_inline_points
from normalize.target_cues import Comparator, Direction
from normalize.text import squeeze_cjk_spaces

log = logging.getLogger(__name__)

_CLAUSE_BREAK = regex.compile(r"[，；;。！!？?：:\n]|(?<!\d),|,(?!\d{3})")
_QUOTED = regex.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|「[^」]*」|《[^》]*》|\([^)]*\)")
_TRAILING_PUNCT = "。；;，,、：: \t\n"
_LIST_GAP = regex.compile(r"\s*(?:以上|以下|以内)?\s*(?:、|和|及|与)\s*")
# Verbs that may stand before a Chinese-numeral count (建成两个…); elsewhere 两个/三项 are slogans.
_COUNT_VERB = regex.compile(
    r"(?:完成|建成|建设|新建|新增|净增|创建|培育|打造|举办|开展|组织|召开|引进|实施|发生|确保|培训)\s*$"
)
_LEADING = regex.compile(r"^(?:[、，,；;\s]|或|和|及|并且|并|且|力争|确保|完成|实现|全年|年内)+")
_TRAILING = regex.compile(
    r"(?:(?:较|比|相比|同比)\s*(?:(?:19|20)\d{2}\s*年度?|上一?年度?(?:同期)?|去年(?:同期)?)?|分别|完成|实现|均|都|全部|全年|年内|要|须|应|需|的|[\s、，,])+$"
)
_OR = regex.compile(r"或")
_HEAD_NOUNS = ("排放总量", "排放量", "总产量", "产量", "总量", "面积", "数量", "比例", "比重", "浓度")


class Target(BaseModel):
    """One comparable target. ``values`` holds a 分别 list (or a range's two ends) when one
    ``value`` cannot stand for it; ``baseline`` names what a change is measured against."""

    model_config = ConfigDict(frozen=True)

    metric: str
    comparator: Comparator
    value: float | None = None
    values: list[float] = Field(default_factory=list)
    unit: str | None = None
    baseline: str | None = None  # '2015', '上年度', '去年', '近三年平均', '上年同期'
    direction: Direction
    trigger: bool = False  # a negative-list condition: meeting it costs points
    raw: str


class _Clause:
    """One clause in three aligned forms: as written, width-folded, and folded with quotes masked."""

    def __init__(self, raw: str, condition: bool) -> None:
        self.raw = raw
        self.folded = fold_width(raw)
        self.masked = _QUOTED.sub(lambda m: "□" * len(m[0]), self.folded)
        self.condition = condition or self.folded.rstrip(_TRAILING_PUNCT).endswith("的")


def parse_targets(text: str) -> list[Target]:
    """Every target in an indicator text; one qualitative target when there is no number."""
    body, _ = split_inline_points(strip_markdown(text))
    condition = fold_width(body).rstrip(_TRAILING_PUNCT).endswith("的")
    targets: list[Target] = []
    for piece in _CLAUSE_BREAK.split(body):
        if piece.strip():
            clause = _Clause(piece.strip(), condition)
            targets.extend(_quantity_targets(clause) or _comparison_targets(clause) or _condition_target(clause))
    if targets:
        return targets
    metric = squeeze_cjk_spaces(body.strip().rstrip(_TRAILING_PUNCT))
    return [_make(metric, "qualitative", raw=body.strip(), trigger=condition)]


def _make(
    metric: str,
    comparator: Comparator,
    *,
    raw: str,
    trigger: bool = False,
    value: float | None = None,
    values: list[float] | None = None,
    unit: str | None = None,
    baseline: str | None = None,
) -> Target:
    """A Target with its direction; strict comparisons (低于, 超过, 未达到) are always triggers."""
    trigger = trigger or comparator in ("<", ">", "!=", "growth<", "reduction<")
    return Target(
        metric=metric, comparator=comparator, value=value, values=values or [], unit=unit, baseline=baseline,
        direction=cues.direction_of(comparator, trigger), trigger=trigger, raw=raw,
    )  # fmt: skip


# ------------------------------------------------------------------ quantities


def _quantity_targets(clause: _Clause) -> list[Target]:
    targets: list[Target] = []
    left = 0
    groups = _group_lists([q for q in cues.QUANTITY.finditer(clause.masked) if _is_target(q, clause.masked)], clause)
    for index, group in enumerate(groups):
        first, last = group[0], group[-1]
        suffix = cues.SUFFIX_CUE.match(clause.masked, last.end())
        end = suffix.end() if suffix else last.end()
        next_start = groups[index + 1][0].start() if index + 1 < len(groups) else len(clause.raw)
        comparator, before_end = _comparator(clause.folded[left : first.start()], suffix)
        metric, left_next = _metric(clause, left, left + before_end, (end, next_start))
        baseline = cues.find_baseline(clause.folded[left : first.start()])
        targets.extend(_group_targets(group, metric, comparator, clause, baseline, "分别" in clause.folded[left:end]))
        left = left_next
    return targets


def _is_target(q: regex.Match[str], masked: str) -> bool:
    """Dates, deadlines and bare numbers without a cue are not targets; Chinese numerals only as counts."""
    if q["cnum"]:
        before = masked[: q.start()]
        after = masked[q.end() :].strip(_TRAILING_PUNCT)
        return bool(cues.PREFIX_CUE.search(before) or _COUNT_VERB.search(before) or after in ("", "的"))
    has_cue = bool(cues.PREFIX_CUE.search(masked[: q.start()]) or cues.SUFFIX_CUE.match(masked, q.end()))
    if q["unit"] == "分":
        return has_cue  # 卫生健康工作5分 is a weight; 考评未达到84分 a threshold
    if q["unit"]:
        return True
    return has_cue and not cues.NOT_A_TARGET_AFTER.match(masked, q.end())


def _group_lists(quantities: list[regex.Match[str]], clause: _Clause) -> list[list[regex.Match[str]]]:
    """Quantities joined only by 、/和/及 form one value list: 下降10%、15%、23%、23%."""
    groups: list[list[regex.Match[str]]] = []
    for q in quantities:
        if groups and _LIST_GAP.fullmatch(clause.masked, groups[-1][-1].end(), q.start()):
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


def _comparator(segment: str, suffix: regex.Match[str] | None) -> tuple[Comparator, int]:
    """The comparator for a quantity and where the text before its cue ends (in ``segment``)."""
    prefix = cues.PREFIX_CUE.search(segment)
    if prefix is not None:
        comparator = cues.cue_comparator(prefix["cue"], negated=bool(prefix["neg"]))
        before_end = prefix.start()
    else:
        found = cues.suffix_comparator(suffix["cue"]) if suffix else None
        comparator, before_end = found or ">=", len(segment)
    negated = None if prefix and prefix["neg"] else cues.NEGATED_ATTAINMENT.search(segment[:before_end])
    if negated is not None:  # 未达到逐年提升2个百分点
        return cues.flip(comparator), negated.start()
    return comparator, before_end


def _metric(clause: _Clause, start: int, end: int, after: tuple[int, int]) -> tuple[str, int]:
    """The words naming what is measured, and where the next quantity's text starts.

    Usually the words before the cue; after the number when they are only a verb
    (建成两个示范村, 发生1次重大食品安全事件) or end in 等 (…等10个市级重点项目).
    """
    before = _trimmed(clause, start, end)
    if len(before) > 2 and not before.endswith("等"):
        return before, after[0]
    or_break = _OR.search(clause.folded, after[0], after[1])  # "发生1起A或发生1起B": A ends at 或
    stop = or_break.start() if or_break else after[1]
    following = _trimmed(clause, after[0], stop)
    if not following or cues.SUFFIX_CUE.match(following):
        return before, after[0]
    # "妇幼保健院、老年养护院等10个市级重点项目": the examples before 等, the counted noun after.
    return (following if before.endswith("等") else squeeze_cjk_spaces(before + following)), stop


def _trimmed(clause: _Clause, start: int, end: int) -> str:
    """``clause.raw[start:end]`` without leading verbs/separators and trailing baselines/adverbs."""
    folded = clause.folded[start:end]
    lead = _LEADING.match(folded)
    trail = _TRAILING.search(folded)
    cut_start = start + (lead.end() if lead else 0)
    cut_end = start + (trail.start() if trail else len(folded))
    return squeeze_cjk_spaces(clause.raw[cut_start : max(cut_start, cut_end)]).strip()


def _quantity_value(q: regex.Match[str]) -> tuple[float | None, str | None]:
    if q["cnum"]:
        return chinese_to_number(q["cnum"]), q["cunit"]
    return parse_number(q["num"]), q["unit"]


def _group_targets(
    group: list[regex.Match[str]],
    metric: str,
    comparator: Comparator,
    clause: _Clause,
    baseline: str | None,
    fenbie: bool,
) -> list[Target]:
    """One target per quantity; a 分别 list zips with the metrics when the counts agree."""

    def make(name: str, value: float | None, unit: str | None, values: list[float | None] | None = None) -> Target:
        return _make(
            name, comparator, value=value, values=_floats(values or []), unit=unit,
            baseline=baseline, trigger=clause.condition, raw=clause.raw,
        )  # fmt: skip

    pairs = [_quantity_value(q) for q in group]
    units = [unit for _, unit in pairs]
    if len(group) == 1:
        (value, unit), num2 = pairs[0], group[0]["num2"]
        return [make(metric, value, unit, [value, parse_number(num2)] if num2 else None)]
    metrics = _split_metrics(metric)
    same_unit = len(set(units)) == 1
    if len(metrics) == len(group) and (fenbie or same_unit):
        return [make(name, v, u) for name, (v, u) in zip(metrics, pairs, strict=True)]
    if not same_unit:
        return [make(metric, v, u) for v, u in pairs]
    return [make(metric, None, units[-1], [v for v, _ in pairs])]


def _floats(values: list[float | None]) -> list[float]:
    return [v for v in values if v is not None]


def _split_metrics(metric: str) -> list[str]:
    """``化学需氧量、氨氮、二氧化硫、氮氧化物排放量`` → each with the shared head noun 排放量."""
    items = [item for item in metric.split("、") if item]
    if len(items) < 2 or any("等" in item for item in items):
        return [metric]
    last = items[-1]
    head = next((h for h in _HEAD_NOUNS if last.endswith(h) and len(last) > len(h)), "")
    if head and not any(item.endswith(head) for item in items[:-1]):
        items = [item if item.endswith(head) else item + head for item in items]
    return items


# ------------------------------------------------------------------ comparisons without a number


def _comparison_targets(clause: _Clause) -> list[Target]:
    """达到Ⅱ类 (categorical), 高于去年的 (vs a baseline), 只减不增 (not above the previous year)."""
    masked = clause.masked
    if m := cues.CATEGORY.search(masked):
        comparator: Comparator = "!=" if m["neg"] else "=="
        metric = _trimmed(clause, 0, m.start())
        value = float(cues.ROMAN[m["roman"]])
        return [_make(metric, comparator, value=value, unit="类", raw=clause.raw, trigger=clause.condition)]
    if m := cues.CUE_THEN_BASELINE.search(masked):
        comparator = cues.cue_comparator(m["cue"], negated=bool(m["neg"]))
        base = cues.BASELINE.match(m["base"])
        baseline = cues.baseline_name(base) if base else m["base"]
        metric = _trimmed(clause, 0, m.start())
        return [_make(metric, comparator, baseline=baseline, raw=clause.raw, trigger=clause.condition)]
    if m := cues.NOT_ABOVE_PREVIOUS.search(masked):
        base = next((b for b in cues.BASELINE.finditer(masked[: m.start()]) if b["prefix"]), None)
        metric = _trimmed(clause, 0, base.start() if base else m.start())
        baseline = cues.baseline_name(base) if base else None
        return [_make(metric, "not_above_previous", baseline=baseline, raw=clause.raw, trigger=clause.condition)]
    return []


def _condition_target(clause: _Clause) -> list[Target]:
    """A negative-list clause ending in 的 with no number (未完成…任务的) is still one trigger."""
    text = clause.raw.rstrip(_TRAILING_PUNCT)
    if not fold_width(text).endswith("的"):
        return []
    return [_make(squeeze_cjk_spaces(text), "qualitative", raw=clause.raw, trigger=True)]
