"""The completion ratio (完成率) of one indicator line (rules-default.md U09–U11).

``completion_ratio(line, info, rules)`` answers with a ``Completion``: the ratio as a fraction
(0.85 = 85 %), the rule id that produced it, the explanation steps, and — when the ratio cannot
be decided from what the sheet says — a ``review`` reason instead of a guess.

Where the ratio comes from, in order:

1. ``completion_pct`` filled by the office → ratio = pct ÷ 100 (the office's own figure wins);
2. ``actual`` against the indicator's single quantified target:
   - higher is better (``>=``, ``>``, ``growth>=``, ``reduction>=``): ratio = actual ÷ target.
     For ``growth>=`` / ``reduction>=`` the actual is the achieved growth / reduction in the
     target's unit (增长7% with 5.6 achieved → 0.8);
   - lower is better (``<=``, ``<``: 控制在4.3%以内, 不超过2人): U11 ``ratio_if_over`` →
     1 when actual ≤ target, else target ÷ actual; or ``needs_review`` when the rules say so;
3. anything else needs review: several targets (the office must give ``completion_pct``), a
   qualitative or categorical target, a target of zero or below, a 分别 list of values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.model import IndicatorInfo, LineResult, RuleSet, Step

_HIGHER = frozenset({">=", ">", "growth>=", "reduction>="})
_LOWER = frozenset({"<=", "<"})


@dataclass(frozen=True)
class Completion:
    ratio: float | None  # None when undecided (see ``review``)
    rule_id: str  # U09 (given / actual ÷ target), U11 (lower is better)
    steps: list[Step] = field(default_factory=list)
    review: str | None = None  # why a person must decide; None when the ratio stands


def pct(ratio: float) -> str:
    """0.6 → '60%', 0.599 → '59.9%' (for explanations)."""
    return f"{ratio * 100:.4g}%"


def completion_ratio(line: LineResult, info: IndicatorInfo, rules: RuleSet) -> Completion:
    """The completion ratio of a filled line; see the module docstring for the order of sources."""
    if line.completion_pct is not None:
        ratio = line.completion_pct / 100
        step = Step(label=f"完成率按填报值 {line.completion_pct:g}%", value=ratio, rule_id="U09")
        return Completion(ratio, "U09", [step])
    if line.actual is None:
        return Completion(None, "U09", review="未填写完成值或完成率")
    target = _single_target(info)
    if isinstance(target, str):
        return Completion(None, "U09", review=target)
    comparator, value, unit = target["comparator"], float(target["value"]), target.get("unit") or ""
    if comparator in _HIGHER:
        ratio = line.actual / value
        label = f"完成率 = 实际 {line.actual:g}{unit} ÷ 目标 {value:g}{unit} = {pct(ratio)}"
        return Completion(
            ratio, "U09", [Step(label=label, value=ratio, rule_id="U09", citation=rules.cite("threshold"))]
        )
    if comparator in _LOWER:
        return _lower_is_better(line.actual, value, unit, rules)
    return Completion(None, "U09", review=f"目标“{target.get('raw') or comparator}”不能按比例计算完成率，请填写完成率")


def _single_target(info: IndicatorInfo) -> dict | str:
    """The one quantified target of an indicator, or the reason there is none."""
    quantified = [t for t in info.targets if t.get("comparator") != "qualitative" and not t.get("trigger")]
    if not quantified:
        return "指标没有可计算的量化目标，请填写完成率或定性得分"
    if len(quantified) > 1:
        return f"指标有 {len(quantified)} 个量化目标，请填写综合完成率"
    target = quantified[0]
    if target.get("values"):
        return "目标为分项列表（分别…），请填写综合完成率"
    if target.get("value") is None:
        return "目标没有数值，请填写完成率"
    if float(target["value"]) <= 0:
        return f"目标值为 {float(target['value']):g}，不能按比例计算完成率"
    return target


def _lower_is_better(actual: float, target: float, unit: str, rules: RuleSet) -> Completion:
    """U11: a 负向指标 (控制在…以内, 不超过…) is complete when actual ≤ target."""
    if rules.lower_is_better == "needs_review":
        return Completion(None, "U11", review="负向指标（越低越好）的完成率由规则设为人工认定")
    cite = rules.cite("lower_is_better")
    if actual <= target:
        label = f"负向指标：实际 {actual:g}{unit} ≤ 目标 {target:g}{unit}，完成率按 100%"
        return Completion(1.0, "U11", [Step(label=label, value=1.0, rule_id="U11", citation=cite)])
    ratio = target / actual
    label = f"负向指标：实际 {actual:g}{unit} > 目标 {target:g}{unit}，完成率 = 目标 ÷ 实际 = {pct(ratio)}"
    return Completion(ratio, "U11", [Step(label=label, value=ratio, rule_id="U11", citation=cite)])
