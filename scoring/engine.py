"""Scores from results: ``score(infos, sheet, rules) -> ScoreReport`` (DOMAIN §3.1), pure functions.

Per line (rules-default.md A1): quantitative lines score ``points × min(r, cap)`` when the
completion ratio r reaches the threshold (U09–U11), qualitative ones the points the office gave
(U12), party-building common lines ``points × (0.8 routine + 0.2 highlight)`` (U13) and on-site
lines ``points × (0.4 routine + 0.6 year-end)`` (U15). A line nobody can score (no result, no
usable target) scores 0 **and** is flagged ``needs_review`` — never a silent zero.

Per unit (U08, A2, A3): target_score = target_base × Σ score ÷ Σ points; target_weighted =
target_score × weight(category) ÷ target_base; social = Σ components (each within its maximum);
deductions = Σ amounts (× city_deduction_multiplier when the unit caused a 市考 deduction — the
doubled amount replaces the city's original, it is not added to it), capped when a cap is set;
bonus likewise; total = target_weighted + social + bonus − deductions. Ranks and grades:
``scoring.grades``.
"""

from __future__ import annotations

from scoring.categories import guess_category
from scoring.completion import completion_ratio, pct
from scoring.grades import assign_grades, review_flag
from scoring.model import (
    BonusEvent,
    DeductionEvent,
    IndicatorInfo,
    LineResult,
    LineScore,
    ResultsSheet,
    RuleSet,
    ScoreReport,
    SocialScore,
    Step,
    UnitCategory,
    UnitScore,
)

SOCIAL_LABELS = {"peer": "同级互评", "superior": "上级评价", "representatives": "各界代表评价", "public": "群众评价"}
_SOCIAL_RULES = {"peer": "S01", "superior": "S02", "representatives": "S03", "public": "S04"}


def score(infos: list[IndicatorInfo], sheet: ResultsSheet, rules: RuleSet) -> ScoreReport:
    """Every unit of the sheet scored, ranked within its category and graded."""
    by_id = {info.id: info for info in infos}
    units = [score_unit(name, infos, by_id, sheet, rules) for name in _unit_names(sheet)]
    assign_grades(units, sheet, rules)
    regions = {i.region for i in infos if i.region}
    years = {i.year for i in infos if i.year}
    return ScoreReport(
        region=regions.pop() if len(regions) == 1 else None,
        year=years.pop() if len(years) == 1 else None,
        framework_ids=sorted({i.framework_id for i in infos}),
        rules=rules,
        units=units,
    )


def _unit_names(sheet: ResultsSheet) -> list[str]:
    """Units in the order the sheet first names them (lines, then 单位情况, then social scores)."""
    names: dict[str, None] = {}
    for entry in [*sheet.lines, *sheet.units, *sheet.social]:
        names.setdefault(entry.unit, None)
    return list(names)


# ------------------------------------------------------------------ lines


def score_line(info: IndicatorInfo, line: LineResult | None, rules: RuleSet) -> LineScore:
    """One line's score with its steps; see the module docstring for the rules."""
    points = info.points or 0.0
    base = LineScore(
        indicator_id=info.id, unit=line.unit if line else info.assessee or "", indicator=info.name or info.text,
        framework_id=info.framework_id, points=points, score=0.0, rule="missing",
    )  # fmt: skip
    if info.points is None:
        return _review(base, "U08", "指标没有分值")
    if line is None or _empty(line):
        return _review(base, "missing", "没有填报结果，按 0 分计")
    if line.routine_pct is not None or line.highlight_pct is not None or line.year_end_pct is not None:
        return _split_score(base, line, rules)
    if line.qualitative_score is not None and line.completion_pct is None and line.actual is None:
        return _qualitative(base, line.qualitative_score)
    return _quantitative(base, line, info, rules)


def _empty(line: LineResult) -> bool:
    values = (line.actual, line.completion_pct, line.qualitative_score)
    splits = (line.routine_pct, line.highlight_pct, line.year_end_pct)
    return all(v is None for v in (*values, *splits))


def _review(line: LineScore, rule: str, reason: str) -> LineScore:
    step = Step(label=f"需人工复核：{reason}", value=0.0, rule_id=rule if rule != "missing" else None)
    return line.model_copy(update={"score": 0.0, "rule": rule, "needs_review": True, "steps": [*line.steps, step]})


def _quantitative(line: LineScore, result: LineResult, info: IndicatorInfo, rules: RuleSet) -> LineScore:
    completion = completion_ratio(result, info, rules)
    line = line.model_copy(update={"steps": list(completion.steps), "rule": completion.rule_id})
    if completion.ratio is None:
        return _review(line, completion.rule_id, completion.review or "完成率无法确定")
    ratio = completion.ratio
    update: dict = {"completion_pct": ratio * 100}
    steps = line.steps
    threshold, cite = rules.threshold, rules.cite("threshold")
    at_threshold = round(ratio, 9) == round(threshold, 9)
    if round(ratio, 9) < round(threshold, 9) or (at_threshold and not rules.threshold_inclusive):
        word = "恰为" if at_threshold else "低于"
        steps.append(
            Step(label=f"完成率 {pct(ratio)} {word} {pct(threshold)}，不得分", value=0.0, rule_id="U09", citation=cite)
        )
        return line.model_copy(update={**update, "score": 0.0, "rule": "U09", "steps": steps})
    if at_threshold:
        tie = rules.cite("threshold_inclusive")
        steps.append(Step(label=f"完成率恰为 {pct(threshold)}：按平局规则计分（含本数）", rule_id="U09", citation=tie))
    rule = completion.rule_id
    if rules.cap is not None and ratio > rules.cap:
        label = f"完成率 {pct(ratio)} 超过上限，按 {pct(rules.cap)} 计"
        steps.append(Step(label=label, value=rules.cap, rule_id="U10", citation=rules.cite("cap")))
        ratio, rule = rules.cap, "U10"
    value = line.points * ratio
    steps.append(
        Step(
            label=f"得分 = 分值 {line.points:g} × {pct(ratio)} = {value:.4g}", value=value, rule_id="U09", citation=cite
        )
    )
    return line.model_copy(update={**update, "score": value, "rule": rule, "steps": steps})


def _qualitative(line: LineScore, given: float) -> LineScore:
    """U12: the office judged the line against its 评价要点 and gave points."""
    if given < 0 or given > line.points:
        return _review(line, "U12", f"定性得分 {given:g} 超出 0–{line.points:g} 分")
    step = Step(label=f"定性指标，按评价要点认定得分 {given:g}（满分 {line.points:g}）", value=given, rule_id="U12")
    return line.model_copy(update={"score": given, "rule": "U12", "steps": [step]})


def _split_score(line: LineScore, result: LineResult, rules: RuleSet) -> LineScore:
    """U13 (routine + highlight, 共性指标) or U15 (routine + year-end on-site, 现场考核)."""
    routine, highlight, year_end = result.routine_pct, result.highlight_pct, result.year_end_pct
    if routine is None or (highlight is None) == (year_end is None):
        return _review(line, "U13", "平时成绩须与特色亮点（共性指标）或年终实地考核（现场指标）二者之一同时填写")
    if highlight is not None:
        rule, shares, parts = "U13", rules.common_split, {"routine": routine, "highlight": highlight}
        names, cite = {"routine": "平时", "highlight": "特色亮点"}, rules.cite("common_split")
    else:
        rule, shares, parts = "U15", rules.onsite_split, {"routine": routine, "year_end": year_end or 0.0}
        names, cite = {"routine": "平时", "year_end": "年终实地"}, rules.cite("onsite_split")
    if any(v < 0 or v > 100 for v in parts.values()):
        return _review(line, rule, "分项得分率须在 0–100% 之间")
    fraction = sum(shares[key] * parts[key] / 100 for key in parts)
    value = line.points * fraction
    terms = " + ".join(f"{shares[k]:g} × {names[k]} {parts[k]:g}%" for k in parts)
    step = Step(
        label=f"得分 = 分值 {line.points:g} × （{terms}） = {value:.4g}", value=value, rule_id=rule, citation=cite
    )
    return line.model_copy(update={"score": value, "rule": rule, "steps": [step], "completion_pct": fraction * 100})


# ------------------------------------------------------------------ units


def score_unit(
    unit: str, infos: list[IndicatorInfo], by_id: dict[int, IndicatorInfo], sheet: ResultsSheet, rules: RuleSet
) -> UnitScore:
    """One unit's score before ranking (rank and grade stay None until ``assign_grades``)."""
    lines = unit_lines(unit, infos, by_id, sheet.lines, rules)
    category = unit_category(unit, sheet, [by_id[line.indicator_id] for line in lines if line.indicator_id in by_id])
    flags = [review_flag(f"line:{line.indicator_id}") for line in lines if line.needs_review]
    raw_points = sum(line.points for line in lines)
    raw_score = sum(line.score for line in lines)
    if raw_points > 0:
        target_score = rules.target_base * raw_score / raw_points
    else:
        target_score = 0.0
        flags.append(review_flag("no_indicator_lines"))
    target_weighted = target_score * rules.weights[category].target / rules.target_base
    social, social_flags = social_points(unit, category, sheet.social, rules)
    deductions = deduction_points(unit, sheet.deductions, rules)
    bonus = bonus_points(unit, sheet.bonuses, rules)
    flags += social_flags + deductions.flags + bonus.flags
    total = target_weighted + (social or 0.0) + bonus.value - deductions.value
    result = UnitScore(
        unit=unit, category=category, raw_points=raw_points, raw_score=raw_score, target_score=target_score,
        target_weighted=target_weighted, social=social, deductions=deductions.value, bonus=bonus.value,
        total=total, flags=flags, lines=lines,
    )  # fmt: skip
    return result.model_copy(update={"steps": unit_steps(result, rules, deductions, bonus)})


def unit_lines(
    unit: str, infos: list[IndicatorInfo], by_id: dict[int, IndicatorInfo], results: list[LineResult], rules: RuleSet
) -> list[LineScore]:
    """The unit's filled lines, plus a missing line for each indicator assigned to it and not filled."""
    filled = [r for r in results if r.unit == unit and r.indicator_id in by_id]
    lines = [score_line(by_id[r.indicator_id], r, rules) for r in filled]
    seen = {r.indicator_id for r in filled}
    for info in infos:
        if info.kind == "indicator" and info.assessee == unit and info.id not in seen:
            lines.append(score_line(info, None, rules).model_copy(update={"unit": unit}))
    return lines


def unit_category(unit: str, sheet: ResultsSheet, infos: list[IndicatorInfo]) -> UnitCategory:
    """The 单位情况 sheet's category, else a guess from the unit's name and its framework."""
    for entry in sheet.units:
        if entry.unit == unit and entry.category:
            return entry.category
    first = infos[0] if infos else None
    return guess_category(unit, first.framework_title if first else None, first.group if first else None)


def social_points(
    unit: str, category: UnitCategory, scores: list[SocialScore], rules: RuleSet
) -> tuple[float | None, list[str]]:
    """Σ social-evaluation components (第二十五条); None with a review flag when missing or out of range."""
    entries = [s for s in scores if s.unit == unit]
    if not entries:
        return None, [review_flag("social_missing")]
    if len(entries) > 1:
        return None, [review_flag("social_duplicate")]
    entry, maxima = entries[0], rules.social_components[category]
    flags: list[str] = []
    total = 0.0
    for key in SOCIAL_LABELS:
        value, maximum = getattr(entry, key), getattr(maxima, key)
        if maximum is None:
            if value:
                flags.append(review_flag(f"social_{key}_not_used"))
            continue
        if value is None:
            flags.append(review_flag(f"social_{key}_missing"))
        elif value < 0 or value > maximum:
            flags.append(review_flag(f"social_{key}_out_of_range"))
        else:
            total += value
    return (None if flags else total), flags


class EventSum:
    """Σ of a unit's deductions or bonuses, after multipliers and the cap, with what it was built from."""

    def __init__(self) -> None:
        self.items: list[tuple[str, float, float]] = []  # (reason, amount as given, amount counted)
        self.uncapped = 0.0
        self.value = 0.0
        self.cap: float | None = None
        self.flags: list[str] = []


def deduction_points(unit: str, events: list[DeductionEvent], rules: RuleSet) -> EventSum:
    """Negative-list and other deductions (B04, B06): positive points taken from the total."""
    result = EventSum()
    for event in (e for e in events if e.unit == unit):
        if event.amount is None:
            result.flags.append(review_flag(f"deduction_amount_missing:row{event.row}"))
            continue
        amount = abs(event.amount)  # negative lists print −0.5; prose says 扣0.5分 (DOMAIN §3.2 item 9)
        counted = amount * rules.city_deduction_multiplier if event.city_imposed else amount
        result.items.append(
            (_event_reason(event.reason or event.item, event.city_imposed, "市考扣分"), amount, counted)
        )
    return _capped(result, rules.deduction_cap)


def bonus_points(unit: str, events: list[BonusEvent], rules: RuleSet) -> EventSum:
    """Bonuses (第二十六条(一); 市考-linked ones × city_bonus_multiplier, B05)."""
    result = EventSum()
    for event in (e for e in events if e.unit == unit):
        amount = abs(event.amount)
        counted = amount * rules.city_bonus_multiplier if event.city_linked else amount
        result.items.append((_event_reason(event.reason, event.city_linked, "市考加分"), amount, counted))
    return _capped(result, rules.bonus_cap)


def _event_reason(reason: str | None, city: bool, city_word: str) -> str:
    text = reason or "（未写原因）"
    return f"{text}（{city_word}）" if city else text


def _capped(result: EventSum, cap: float | None) -> EventSum:
    result.uncapped = sum(counted for _, _, counted in result.items)
    result.cap = cap
    result.value = min(result.uncapped, cap) if cap is not None else result.uncapped
    return result


_WEIGHT_RULES = {"town": "U02", "dept": "U04", "resident": "U06"}


def unit_steps(unit: UnitScore, rules: RuleSet, deductions: EventSum, bonus: EventSum) -> list[Step]:
    """The unit-level numbers of an explanation, in the order they are computed."""
    base, weight = rules.target_base, rules.weights[unit.category].target
    rescale = f"{base:g} × {unit.raw_score:.4f} ÷ {unit.raw_points:g} = {unit.target_score:.4f}"
    weighting = f"{unit.target_score:.4f} × {weight:g} ÷ {base:g} = {unit.target_weighted:.4f}"
    weight_cite = rules.cite(f"weights.{unit.category}")
    steps = [
        Step(label=f"指标分值合计 {unit.raw_points:g}", value=unit.raw_points, rule_id="U08"),
        Step(label=f"指标得分合计 {unit.raw_score:.4f}", value=unit.raw_score, rule_id="U08"),
        Step(
            label=f"目标任务得分（折算为 {base:g} 分制）= {rescale}",
            value=unit.target_score,
            rule_id="U08",
            citation=rules.cite("target_base"),
        ),
        Step(
            label=f"目标任务加权得分 = {weighting}",
            value=unit.target_weighted,
            rule_id=_WEIGHT_RULES[unit.category],
            citation=weight_cite,
        ),
    ]
    steps += _social_steps(unit, rules)
    steps += _event_steps("扣分", deductions, "B06", "B04", rules, "city_deduction_multiplier", "deduction_cap")
    steps += _event_steps("加分", bonus, "B01", "B05", rules, "city_bonus_multiplier", "bonus_cap")
    social = unit.social or 0.0
    label = (
        f"总分 = 目标任务 {unit.target_weighted:.4f} + 社会评价 {social:.4f} + 加分 {unit.bonus:.4f}"
        f" − 扣分 {unit.deductions:.4f} = {unit.total:.4f}"
    )
    steps.append(Step(label=label, value=unit.total, rule_id="U01", citation=rules.cite("total_scale")))
    return steps


def _social_steps(unit: UnitScore, rules: RuleSet) -> list[Step]:
    maxima = rules.social_components[unit.category]
    cite = rules.cite(f"social_components.{unit.category}")
    if unit.social is None:
        label = "社会评价：缺少或超出范围，需人工复核（暂按 0 分计入总分）"
        return [Step(label=label, value=0.0, rule_id="S05", citation=cite)]
    parts = "、".join(
        f"{SOCIAL_LABELS[k]}满分 {getattr(maxima, k):g}" for k in SOCIAL_LABELS if getattr(maxima, k) is not None
    )
    label = f"社会评价合计 {unit.social:.4f}（满分 {rules.weights[unit.category].social:g}；{parts}）"
    return [Step(label=label, value=unit.social, rule_id="S05", citation=cite)]


def _event_steps(
    word: str, events: EventSum, rule: str, city_rule: str, rules: RuleSet, multiplier_field: str, cap_field: str
) -> list[Step]:
    steps = []
    for reason, amount, counted in events.items:
        if counted != amount:
            factor = counted / amount if amount else getattr(rules, multiplier_field)
            label = f"{word}：{reason} {amount:g} × {factor:g} 倍 = {counted:g}"
            steps.append(Step(label=label, value=counted, rule_id=city_rule, citation=rules.cite(multiplier_field)))
        else:
            steps.append(Step(label=f"{word}：{reason} {amount:g}", value=counted, rule_id=rule))
    if events.cap is not None and events.uncapped > events.cap:
        label = f"{word}合计 {events.uncapped:g} 超过上限，按 {events.cap:g} 计"
        steps.append(Step(label=label, value=events.cap, rule_id=rule, citation=rules.cite(cap_field)))
    steps.append(Step(label=f"{word}合计 {events.value:g}", value=events.value, rule_id=rule))
    return steps


_SECTIONS = {"指标完成情况": "lines", "负面清单扣分": "deductions", "加分": "bonuses", "一票否决": "vetoes",
             "社会评价": "social", "单位情况": "units"}  # fmt: skip


def without_error_rows(sheet: ResultsSheet) -> ResultsSheet:
    """The sheet without the rows its errors name (``--allow-partial``); the errors stay listed."""
    bad = {(error.sheet, error.row) for error in sheet.errors}
    update = {
        field: [entry for entry in getattr(sheet, field) if (name, entry.row) not in bad]
        for name, field in _SECTIONS.items()
    }
    return sheet.model_copy(update=update)
