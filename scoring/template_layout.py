"""The results sheet's layout, shared by its writers (scoring/template.py, template_xlsx.py) and reader (results_io.py).

It also turns the content model (``scoring/template_model.py``) into the rows of each section (``sections``).

Every sheet (``.xlsx``, after its title row) or section (``.csv``, opened by a marker line ``[名称]``)
has one header row of Chinese column names (``HEADERS``; each stands for a key of ``SECTION_COLUMNS``).
The reader takes the first row that names the section's columns as the header, in Chinese, or in
the English keys earlier templates wrote (``header_key``), so sheets filled in before still score.
Columns whose key starts with ``ref_`` are reference columns the reader ignores. Row numbers in
error messages are the row numbers a spreadsheet shows (in a .csv: the file's line numbers).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any, get_args

from scoring.model import CATEGORY_LABELS, FLAG_LABELS, HEADERS, SECTION_HEADERS, UnitCategory, UnitFlagName
from scoring.model import column_label as column_label  # where the sheet's header names live
from scoring.template_model import TemplateContent

if TYPE_CHECKING:
    from scoring.model import IndicatorInfo

LINES = "指标完成情况"
DEDUCTIONS = "负面清单扣分"
BONUS = "加分"
VETOES = "一票否决"
SOCIAL = "社会评价"
UNITS = "单位情况"
EXPLANATION = "说明"
META = "meta"

LINE_COLUMNS = ("indicator_id", "unit", "indicator", "points", "target", "actual", "completion_pct",
                "qualitative_score", "note", "routine_pct", "highlight_pct", "year_end_pct")  # fmt: skip
SECTION_COLUMNS: dict[str, tuple[str, ...]] = {
    LINES: LINE_COLUMNS,
    DEDUCTIONS: ("unit", "indicator_id", "amount", "city_imposed", "reason", "", "ref_indicator_id", "ref_item",
                 "ref_points"),
    BONUS: ("unit", "amount", "city_linked", "reason", "", "ref_indicator_id", "ref_item", "ref_points"),
    VETOES: ("unit", "indicator_id", "reason", "", "ref_indicator_id", "ref_item"),
    SOCIAL: ("unit", "peer", "superior", "representatives", "public", "ref_max"),
    UNITS: ("unit", "category", "flags", "note"),
}  # fmt: skip

COLUMN_LABELS: dict[str, str] = {
    "indicator_id": "指标编号（勿改）",
    "unit": "单位",
    "indicator": "指标内容（勿改）",
    "points": "分值",
    "target": "目标值（解析结果）",
    "actual": "实际完成值（与目标同单位）",
    "completion_pct": "完成率（%，填85表示85%）",
    "qualitative_score": "定性指标得分（0至分值）",
    "note": "备注",
    "routine_pct": "平时/日常考核（%）",
    "highlight_pct": "特色亮点（%）",
    "year_end_pct": "年终实地考核（%）",
    "amount": "分值（正数；负面清单条目可不填）",
    "city_imposed": "因本单位被市考扣分（是/否，加倍扣分）",
    "city_linked": "市考加分（是/否，加倍加分）",
    "reason": "事由",
    "peer": "同级互评",
    "superior": "上级评价",
    "representatives": "各界代表评价",
    "public": "群众评价",
    "category": "类别（镇（办）/县直部门/驻县单位）",
    "flags": "特殊情形（可多项，逗号分隔）",
    "ref_indicator_id": "参考：条目编号",
    "ref_item": "参考：条目内容",
    "ref_points": "参考：分值",
    "ref_max": "参考：各项满分",
}


def headers(section: str) -> list[str]:
    """The Chinese header row of a section (an empty key stays an empty spacer column)."""
    names = {**HEADERS, **SECTION_HEADERS.get(section, {})}
    return [names.get(key, key) for key in SECTION_COLUMNS[section]]


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def header_key(section: str, text: object) -> str | None:
    """The key a header cell stands for: its Chinese name (this template's or the longer one earlier
    templates put in comments) or the English key; None for anything else."""
    if text is None:
        return None
    wanted = _folded(str(text))
    for key in SECTION_COLUMNS.get(section, ()):
        names = (key, HEADERS.get(key, ""), SECTION_HEADERS.get(section, {}).get(key, ""), COLUMN_LABELS.get(key, ""))
        if key and any(name and _folded(name) == wanted for name in names):
            return key
    return None


CATEGORY_ALIASES: dict[str, str] = {
    **{key: key for key in CATEGORY_LABELS},
    **{label: key for key, label in CATEGORY_LABELS.items()},
    "镇办": "town", "镇": "town", "乡镇": "town", "街道": "town", "镇（办、中心）": "town",
    "部门": "dept", "县直": "dept", "县直单位": "dept", "党群系统": "dept", "政府系统": "dept",
    "驻县": "resident", "驻县单位": "resident", "垂管": "resident", "中央和省市驻县单位": "resident",
}  # fmt: skip

# The flags an office sets in 单位情况, labelled as the score report labels them.
SHEET_FLAG_LABELS: dict[str, str] = {flag: FLAG_LABELS[flag] for flag in get_args(UnitFlagName)}
# Wordings earlier templates offered, still read.
_FORMER_LABELS = {
    "受市级及以上通报批评": "criticised_by_city_or_higher",
    "全市考核一般等次": "citywide_general_band",
    "全市倒数第二或第三": "citywide_rank_2nd_or_3rd_from_bottom",
    "人大政协评议不满意": "npc_or_cppcc_unsatisfied",
    "主要负责人或两名以上班子成员受处分": "principal_or_2plus_leaders_sanctioned",
    "全市末档或末位": "citywide_last_band_or_last_place",
    "巩固衔接工作优秀": "rural_revitalisation_excellent",
}
FLAG_ALIASES: dict[str, str] = {
    **{key: key for key in SHEET_FLAG_LABELS},
    **{label: key for key, label in SHEET_FLAG_LABELS.items()},
    **_FORMER_LABELS,
    "通报批评": "criticised_by_city_or_higher",
    "拒不配合": "refuses_cooperation",
    "不满意": "npc_or_cppcc_unsatisfied",
}

_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "达到", "!=": "未达到", "growth>=": "增长 ≥",
            "growth<": "增长 <", "reduction>=": "下降 ≥", "reduction<": "下降 <",
            "not_above_previous": "不高于"}  # fmt: skip


def indicator_label(info: IndicatorInfo) -> str:
    """The indicator as the sheet shows it: ``name：text`` when the name is not already in the text
    (several 见专项责任书 rows of one unit differ by name only)."""
    text = info.text.strip()
    if info.name and info.name not in text:
        return f"{info.name}：{text}"
    return text


def same_text(a: str | None, b: str | None) -> bool:
    """Equal but for whitespace."""
    return "".join((a or "").split()) == "".join((b or "").split())


def target_text(targets: list[dict[str, Any]]) -> str:
    """A parsed target in words: ``粮食播种面积 ≥ 24000 亩；森林火灾发生率 ≤ 0.12 ‰``; raw text for
    qualitative targets."""
    return "；".join(dict.fromkeys(_one_target(t) for t in targets if t))


def _one_target(target: dict[str, Any]) -> str:
    comparator = target.get("comparator")
    if comparator == "qualitative" or comparator not in _SYMBOLS:
        return str(target.get("raw") or "").strip().rstrip("。")
    values = target.get("values") or []
    if target.get("value") is not None:
        number = f"{target['value']:g}"
    elif values:
        number = "/".join(f"{v:g}" for v in values)
    else:
        number = ""
    unit = target.get("unit") or ""
    baseline = f"（较{target['baseline']}）" if target.get("baseline") else ""
    return " ".join(filter(None, [target.get("metric") or "", _SYMBOLS[comparator], number, unit])) + baseline


def explanation_lines(content: TemplateContent) -> list[str]:
    """The Chinese 说明 (one paragraph per entry)."""
    flag_list = "、".join(SHEET_FLAG_LABELS.values())
    lines = [
        "本表由 kaohe template 生成，供年终考核填报结果；kaohe score 读取本表计分。",
        f"本表对应的考核框架编号：{' '.join(map(str, content.framework_ids))}（记录在隐藏的 meta 表中，请勿修改）。",
        f"【{LINES}】每行为一个单位的一项指标。指标编号、单位、考核指标、分值、目标值为预填（灰底），请勿修改。",
        "量化指标填“完成值”（与目标同单位，按解析出的目标计算完成率）或“完成率(%)”（填 85 表示 85%，"
        "填写后优先于完成值）；一项指标含多个目标时请直接填完成率。",
        "定性指标（如“见专项责任书”）填“定性评分”（得分，0 至该项分值）。",
        "党建等共性指标可填“平时考核(%)”与“特色亮点(%)”；现场考核指标可填“平时考核(%)”与“年终考核(%)”，均为百分数。",
        f"【{DEDUCTIONS}】每行一次扣分：单位、条目编号（负面清单条目，见右侧参考列）、扣分（正数；填了条目编号"
        "可不填，按条目分值扣）、致市考扣分（因本单位导致市考扣分填“是”，加倍扣分）、事由。",
        f"【{BONUS}】每行一次加分：单位、加分（正数）、市考加分（市考加分填“是”，加倍）、事由。",
        f"【{VETOES}】每行一次一票否决：单位、条目编号（如有）、事由。被否决单位评为较差。",
        f"【{SOCIAL}】每单位一行，按各项自身分制填分；右侧列出该类别各项满分。",
        f"【{UNITS}】类别填 镇（办）、县直部门 或 驻县单位；特殊情形可填多项（逗号或顿号分隔）：{flag_list}。",
        "标“参考”的列仅供参考，读取时忽略。CSV 文件中各部分以 [名称] 行开始、下一行为列名，各部分之间空一行。",
        "以前版本的模板（英文列名）填好的表仍可直接计分。",
    ]
    return lines + [f"注：{note}" for note in content.notes]


# ---------------------------------------------------------------------------------------------
# Sections: the same rows for .xlsx sheets and .csv sections


def title(content: TemplateContent, section: str | None = None) -> str:
    """``佳县2020年度目标责任考核结果填报表——指标完成情况``."""
    where = f"{content.region or ''}{f'{content.year}年度' if content.year else ''}"
    return f"{where}目标责任考核结果填报表" + (f"——{section}" if section else "")


def sections(content: TemplateContent) -> dict[str, tuple[list[str], list[list[object]]]]:
    """Section name → (column keys, rows), in file order (说明 and meta excluded)."""
    filled = ("indicator_id", "unit", "indicator", "points", "target", "actual", "completion_pct", "note")
    lines = [[getattr(ln, key) if key in filled else None for key in LINE_COLUMNS] for ln in content.lines]
    known = [[d.unit, None, d.amount, None, d.reason] for d in content.deductions]
    deductions = _beside(known, [[r.indicator_id, r.item, r.points] for r in content.deduction_items], 5)
    bonus = _beside([], [[r.indicator_id, r.item, r.points] for r in content.bonus_items], 4)
    vetoes = _beside([], [[r.indicator_id, r.item] for r in content.veto_items], 3)
    social = [[u.unit, None, None, None, None, _social_note(content, u.category)] for u in content.units]
    units = [[u.unit, CATEGORY_LABELS[u.category], None, None] for u in content.units]
    rows = {LINES: lines, DEDUCTIONS: deductions, BONUS: bonus, VETOES: vetoes, SOCIAL: social, UNITS: units}
    return {name: (list(SECTION_COLUMNS[name]), rows[name]) for name in rows}


def _beside(fill: list[list[object]], reference: list[list[object]], width: int) -> list[list[object]]:
    """Reference columns to the right of empty fill-in columns (one spacer column between)."""
    count = max(len(fill), len(reference), 10)
    out = []
    for n in range(count):
        left = fill[n] if n < len(fill) else [None] * width
        right = reference[n] if n < len(reference) else []
        out.append([*left, None, *right] if right else list(left))
    return out


def _social_note(content: TemplateContent, category: UnitCategory) -> str:
    top = content.social_max.get(category)
    if top is None:
        return ""
    parts = [
        f"{label}≤{value:g}" if value is not None else f"{label}不适用"
        for label, value in (
            ("同级互评", top.peer),
            ("上级评价", top.superior),
            ("各界代表", top.representatives),
            ("群众评价", top.public),
        )
    ]
    return f"{CATEGORY_LABELS[category]}：" + "，".join(parts)
