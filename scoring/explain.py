"""``kaohe score --explain UNIT``: every number of one unit with the rule and article behind it.

The explanation is built only from the ``Step`` lists the engine recorded, so it cannot drift
from the computation; ``explained_parts`` returns the four parts the total is made of, and
``check_parts`` verifies that they add up to the total exactly.
"""

from __future__ import annotations

from scoring.grades import REVIEW
from scoring.model import CATEGORY_LABELS, FLAG_LABELS, LineScore, ScoreReport, Step, UnitScore


def explained_parts(unit: UnitScore) -> dict[str, float]:
    """The signed parts of the total: 目标任务加权 + 社会评价 + 加分 − 扣分."""
    return {
        "目标任务加权得分": unit.target_weighted,
        "社会评价": unit.social or 0.0,
        "加分": unit.bonus,
        "扣分": -unit.deductions,
    }


def check_parts(unit: UnitScore) -> bool:
    """True when the explained parts add up to the total (same order of additions as the engine)."""
    parts = explained_parts(unit)
    return parts["目标任务加权得分"] + parts["社会评价"] + parts["加分"] + parts["扣分"] == unit.total


def find_unit(report: ScoreReport, name: str) -> UnitScore | None:
    """The unit called ``name``, or the only one whose name contains it."""
    exact = [u for u in report.units if u.unit == name]
    if exact:
        return exact[0]
    partial = [u for u in report.units if name in u.unit]
    return partial[0] if len(partial) == 1 else None


def explain_unit(unit: UnitScore) -> str:
    """A Chinese, line-by-line account of one unit's score, rank and grade."""
    out = [f"{unit.unit}（{CATEGORY_LABELS[unit.category]}）得分说明", ""]
    out.append("一、指标得分")
    for number, line in enumerate(unit.lines, start=1):
        out.extend(_line_text(number, line))
    out.append("")
    out.append("二、单位得分")
    grading = [s for s in unit.steps if (s.rule_id or "").startswith("G")]
    out.extend(f"  {_step_text(step)}" for step in unit.steps if step not in grading)
    out.append("  构成：" + " ".join(f"{name} {value:+.4f}" for name, value in explained_parts(unit).items()))
    out.append("")
    out.append("三、名次与等次")
    out.extend(f"  {_step_text(step)}" for step in grading)
    if unit.flags:
        out.append("  标记：" + "、".join(flag_label(flag) for flag in unit.flags))
    return "\n".join(out)


def _line_text(number: int, line: LineScore) -> list[str]:
    completion = f"{line.completion_pct:.4g}%" if line.completion_pct is not None else "—"
    head = (
        f"  {number}. [{line.indicator_id}] {line.indicator}（分值 {line.points:g}）"
        f" 完成率 {completion}，规则 {line.rule}，得分 {line.score:.4f}"
    )
    if line.needs_review:
        head += "（需复核）"
    return [head, *(f"     · {_step_text(step)}" for step in line.steps)]


def _step_text(step: Step) -> str:
    rule = f"〔{step.rule_id}" + (f"，{step.citation}" if step.citation else "") + "〕" if step.rule_id else ""
    return f"{step.label}{rule}"


def flag_label(flag: str) -> str:
    """A flag in Chinese for tables and explanations."""
    if flag.startswith(f"{REVIEW}:"):
        return f"需复核（{_review_reason(flag.split(':', 1)[1])}）"
    return FLAG_LABELS.get(flag, flag)


_REVIEW_REASONS = {
    "social_missing": "缺社会评价",
    "social_duplicate": "社会评价重复",
    "no_indicator_lines": "没有指标",
    "quota_tie": "优秀名额同分",
    "excellent_slot_reserved": "暂占优秀名额",
}


def _review_reason(reason: str) -> str:
    if reason.startswith("line:"):
        return f"指标 {reason[5:]}"
    if reason.startswith("deduction_amount_missing"):
        return "扣分缺金额"
    if reason.startswith("social_"):
        return "社会评价分项缺失或超出范围"
    return _REVIEW_REASONS.get(reason, reason)
