"""Ranks and grades (优秀 / 良好 / 一般 / 较差) within a category (rules-default.md A4, 第二十七条).

Ranking (G01): by total, highest first, within the unit's category. Totals are compared rounded
to 6 decimals (so float noise does not split a tie); tied units share the better rank and the next
rank skips (competition ranking: 1, 2, 2, 4). Units that need review are ranked too, on their
provisional total, and flagged ``rank_provisional``.

Grades, in this order:

1. 较差 whatever the numbers: 一票否决 (G13), 通报批评 by 市委/市政府 or higher (G12), refusing to
   cooperate (G14). These stand even for a unit whose numbers need review.
2. A unit that needs review (a line without result, social evaluation missing…) gets no grade.
3. 较差 when total < poor_below (G11, strict: 79.99 → 较差, 80 → not).
4. 一般 when last in its category on both 目标任务 and 社会评价 or sanctioned (G09), city-wide last
   band (G10), or 人大/政协 不满意 (G08 caps at 一般).
5. 优秀 within the quota — ``excellent_quota × category size`` rounded per ``quota_rounding`` (floor by
   default: 7 units → 2) — to eligible units: priority G03 (flag city_bonus_share_over_30pct) first,
   then G04 (rural_revitalisation_excellent and rank within the top excellent_priority_rank_share),
   then by total. Barred from 优秀: last in category on 目标任务 or 社会评价 (G05), principal removed
   (G06), city-wide 一般 band or 2nd/3rd from bottom (G07). A unit needing review that would take a
   slot keeps it reserved (grade None): the quota is never exceeded once the review settles.
   Provisional totals count what is missing as 0, so a unit missing e.g. its social scores ranks low
   and reserves nothing: re-run after the review before circulating grades.
   Last places are decided among the units that need no review (a provisional 0 makes no one else last).
   Units tied on the last slot(s) all get ``needs_review:quota_tie`` and no grade — never a silent pick.
6. Everyone else 良好.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from scoring.model import FLAG_LABELS, ResultsSheet, RuleSet, Step, UnitScore

REVIEW = "needs_review"
_POOR_FLAGS = {"veto": "G13", "criticised_by_city_or_higher": "G12", "refuses_cooperation": "G14"}
_GENERAL_FLAGS = {
    "last_in_both_components": "G09",
    "principal_or_2plus_leaders_sanctioned": "G09",
    "citywide_last_band_or_last_place": "G10",
    "npc_or_cppcc_unsatisfied": "G08",
}
_BAR_FLAGS = {
    "last_in_category_target": "G05",
    "last_in_category_social": "G05",
    "principal_removed": "G06",
    "citywide_general_band": "G07",
    "citywide_rank_2nd_or_3rd_from_bottom": "G07",
}


def review_flag(reason: str) -> str:
    return f"{REVIEW}:{reason}"


def needs_review(unit: UnitScore) -> bool:
    return any(flag.startswith(REVIEW) for flag in unit.flags)


def key(value: float | None) -> float:
    """A total as compared for ranks and ties."""
    return round(value or 0.0, 6)


def quota_size(size: int, rules: RuleSet) -> int:
    """How many units of ``size`` may be 优秀 (G02): 0.30 × 7 = 2.1 → 2 with floor."""
    exact = round(rules.excellent_quota * size, 9)  # 0.3 × 10 is 3.0000000000000004 in floats
    if rules.quota_rounding == "floor":
        return math.floor(exact)
    if rules.quota_rounding == "ceil":
        return math.ceil(exact)
    return math.floor(exact + 0.5)


def assign_grades(units: list[UnitScore], sheet: ResultsSheet, rules: RuleSet) -> None:
    """Set rank, grade, flags and the grading steps of every unit, in place."""
    _add_sheet_flags(units, sheet)
    categories: dict[str, list[UnitScore]] = defaultdict(list)
    for unit in units:
        categories[unit.category].append(unit)
    for members in categories.values():
        rank_units(members)
        _mark_last_places(members)
    forced = {unit.unit: _forced_grade(unit, rules) for unit in units}
    groups = list(categories.values()) if rules.quota_scope == "category" else [units]
    excellent: dict[str, str] = {}
    for group in groups:
        excellent.update(_allocate_excellent(group, forced, len(categories[group[0].category]), rules))
    sizes = {unit.unit: len(group) for group in groups for unit in group}
    for unit in units:
        _settle(unit, forced[unit.unit], excellent.get(unit.unit), rules, sizes[unit.unit])


def rank_units(members: list[UnitScore]) -> None:
    """Competition ranking by total within one category (ties share the better rank)."""
    ordered = sorted(members, key=lambda u: -key(u.total))
    for position, unit in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        unit.rank = previous.rank if previous and key(previous.total) == key(unit.total) else position
        if needs_review(unit):
            unit.flags.append("rank_provisional")
        label = f"类别内名次 第 {unit.rank} 名 / 共 {len(members)} 个单位（按总分由高到低，同分同名次）"
        unit.steps.append(Step(label=label, value=float(unit.rank), rule_id="G01", citation="第二十七条"))


def _add_sheet_flags(units: list[UnitScore], sheet: ResultsSheet) -> None:
    vetoed = {v.unit for v in sheet.vetoes}
    entries: dict[str, list[str]] = defaultdict(list)
    for entry in sheet.units:
        entries[entry.unit].extend(entry.flags)
    for unit in units:
        extra = (["veto"] if unit.unit in vetoed else []) + entries.get(unit.unit, [])
        unit.flags.extend(flag for flag in extra if flag not in unit.flags)


def _mark_last_places(members: list[UnitScore]) -> None:
    """G05/G09: last place on 目标任务 or 社会评价 (every unit tied at the bottom is last; nobody is
    when all are equal). Compared among the units that need no review (their numbers are provisional)."""
    settled = [u for u in members if not needs_review(u)]  # provisional zeros must not make others "last"
    if len(settled) < 2:
        return
    lowest_target = _lowest([key(u.target_score) for u in settled])
    lowest_social = _lowest([key(u.social) for u in settled if u.social is not None])
    for unit in settled:
        last_target = lowest_target is not None and key(unit.target_score) == lowest_target
        last_social = unit.social is not None and key(unit.social) == lowest_social
        unit.flags.extend(_only_true({"last_in_category_target": last_target, "last_in_category_social": last_social}))
        if last_target and last_social:
            unit.flags.append("last_in_both_components")


def _lowest(values: list[float]) -> float | None:
    """The bottom value, or None when fewer than two values or all are equal (no one is last then)."""
    if len(values) < 2 or min(values) == max(values):
        return None
    return min(values)


def _only_true(named: dict[str, bool]) -> Iterable[str]:
    return (name for name, value in named.items() if value)


def _forced_grade(unit: UnitScore, rules: RuleSet) -> tuple[str | None, str | None, str]:
    """(grade, rule id, reason) a rule forces on the unit, or (None, None, '') when none does."""
    for flag, rule in _POOR_FLAGS.items():
        if flag in unit.flags:
            return (rules.veto_grade if flag == "veto" else "较差"), rule, FLAG_LABELS[flag]
    if needs_review(unit):
        return None, None, ""
    if unit.total < rules.poor_below:
        unit.flags.append("below_poor_threshold")
        return "较差", "G11", f"总分 {unit.total:.4f} 低于 {rules.poor_below:g} 分"
    for flag, rule in _GENERAL_FLAGS.items():
        if flag in unit.flags:
            return "一般", rule, FLAG_LABELS[flag]
    return None, None, ""


def _barred(unit: UnitScore) -> list[str]:
    return [flag for flag in _BAR_FLAGS if flag in unit.flags]


def _priority(unit: UnitScore, category_size: int, rules: RuleSet) -> int:
    """0: G03 priority, 1: G04 priority (rank within the top share), 2: none."""
    if "city_bonus_share_over_30pct" in unit.flags:
        return 0
    top = (unit.rank or category_size) <= rules.excellent_priority_rank_share * category_size + 1e-9
    return 1 if "rural_revitalisation_excellent" in unit.flags and top else 2


def _allocate_excellent(
    group: list[UnitScore], forced: dict[str, tuple], category_size: int, rules: RuleSet
) -> dict[str, str]:
    """unit → 'excellent' / 'reserved' (needs review, holds a slot) / 'tie' (tied on the last slots)."""
    slots = quota_size(len(group), rules)
    candidates = [u for u in group if forced[u.unit][0] is None and not _barred(u)]
    order: dict[tuple[int, float], list[UnitScore]] = defaultdict(list)
    for unit in candidates:
        order[(_priority(unit, category_size, rules), -key(unit.total))].append(unit)
    decided: dict[str, str] = {}
    for position in sorted(order):
        tied = order[position]
        if slots <= 0:
            break
        if len(tied) > slots:
            decided.update({u.unit: "tie" for u in tied})
            break
        tier = ("excellent:G03", "excellent:G04", "excellent")[position[0]]
        decided.update({u.unit: "reserved" if needs_review(u) else tier for u in tied})
        slots -= len(tied)
    return decided


def _settle(unit: UnitScore, forced: tuple, excellent: str | None, rules: RuleSet, group_size: int) -> None:
    """The final grade and the step that says which rule decided it."""
    grade, rule, reason = forced
    quota = _quota_text(group_size, rules)
    if grade is not None:
        label = f"等次 {grade}：{reason}（{rule}）"
    elif excellent and excellent.startswith("excellent"):
        priority = {
            "excellent:G03": "，优先：市考加分贡献超30%（G03）",
            "excellent:G04": "，优先：有效衔接工作优秀且名次在前60%（G04）",
        }
        grade, rule, label = "优秀", "G02", f"等次 优秀：在名额内（{quota}{priority.get(excellent, '')}）"
    elif excellent == "reserved":
        unit.flags.append(review_flag("excellent_slot_reserved"))
        rule, label = "G02", "等次待定：按暂定总分占用一个优秀名额，复核后确定"
    elif excellent == "tie":
        unit.flags.append(review_flag("quota_tie"))
        rule, label = "G02", f"等次待定：与其他单位同分争最后的优秀名额（{quota}），需人工确定"
    elif needs_review(unit):
        rule, label = None, "等次待定：有需复核的数据"
    else:
        grade, rule = "良好", "G15"
        bars = [FLAG_LABELS[f] for f in _barred(unit)]
        barred = f"不得评为优秀（{'、'.join(bars)}，G05–G07）" if bars else ""
        if quota_size(group_size, rules) == 0:
            why = "；".join(filter(None, [f"本类别优秀名额为 0（{quota}），不评优秀", barred]))
        else:
            why = barred or f"未进入优秀名额（{quota}）"
        label = f"等次 良好：{why}"
    unit.grade = grade
    unit.steps.append(Step(label=label, rule_id=rule, citation=_grade_citation(rule, rules)))


def _quota_text(group_size: int, rules: RuleSet) -> str:
    """``优秀名额 = 0.3 × 3 = 0.9，向下取整为 0`` (or the whole store's units with quota_scope overall)."""
    scope = "类别单位数" if rules.quota_scope == "category" else "参评单位数"
    exact = round(rules.excellent_quota * group_size, 9)
    return (
        f"优秀名额 = {rules.excellent_quota:g} × {scope} {group_size} = {exact:g}，"
        f"{_rounding_word(rules)}为 {quota_size(group_size, rules)}"
    )


def _rounding_word(rules: RuleSet) -> str:
    return {"floor": "向下取整", "ceil": "向上取整", "round": "四舍五入"}[rules.quota_rounding]


def _grade_citation(rule: str | None, rules: RuleSet) -> str | None:
    fields = {"G02": "excellent_quota", "G11": "poor_below", "G04": "excellent_priority_rank_share"}
    if rule in fields:
        return rules.cite(fields[rule])
    return {"G14": "第四十四条"}.get(rule or "", "第二十七条" if rule else None)
