"""The results template officials fill in at year end (``kaohe template``), as .xlsx or .csv.

Which frameworks: ``store.scoring_queries.select_frameworks`` (shared with ``kaohe score``) — by
region and year only per_unit, common and negative_list ones (the county scores its assessed units
on their own tables); breakdown and template ones when named by id or kind.

Which rows a template holds (one *line* per indicator and unit, kind ``indicator`` only):

- a ``per_unit`` framework → its assessee;
- a ``breakdown`` framework (市考核县指标任务分解) → the indicator's lead unit (牵头单位);
- a ``common`` framework (共性指标) → every assessee of the per_unit frameworks of the same region and
  year (among the given ones) whose category (``guess_category``) the common framework applies to;
  none → it is left out, and the 说明 sheet says so;
- ``template`` frameworks (指标设置框架, blank forms) and ``negative_list`` frameworks give no lines;
  deduction / veto / bonus indicators are listed as references in the 负面清单扣分 / 一票否决 / 加分
  sheets, beside the rows the office fills in.

The layout (sheet names, the keys and Chinese header names of the columns, reference columns
``ref_*``) lives in ``scoring/template_layout.py``, shared with the reader ``scoring/results_io.py``;
the .xlsx writer is ``scoring/template_xlsx.py`` (its page: ``export/layout.py``).
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import regex
from pydantic import BaseModel, Field

from scoring.categories import guess_category
from scoring.model import CATEGORY_LABELS, IndicatorInfo, SocialComponents, UnitCategory
from scoring.template_layout import (
    BONUS,
    COLUMN_LABELS,
    DEDUCTIONS,
    LINES,
    META,
    SECTION_COLUMNS,
    SOCIAL,
    UNITS,
    VETOES,
    explanation_lines,
    headers,
    indicator_label,
    target_text,
)

log = logging.getLogger(__name__)

# 第二十五条 (rules-default.md S01–S04); the engine's RuleSet may differ — pass ``social_max``.
DEFAULT_SOCIAL_MAX: dict[UnitCategory, SocialComponents] = {
    "town": SocialComponents(peer=2, superior=3, representatives=2, public=3),
    "dept": SocialComponents(peer=3, superior=4, representatives=3, public=5),
    "resident": SocialComponents(peer=None, superior=9, representatives=6, public=15),
}
_TOWN_HEADING = regex.compile(r"镇（办|镇办|乡镇|街道")
_DEPT_HEADING = regex.compile(r"部门|县直")
_RESIDENT_HEADING = regex.compile(r"驻")


class TemplateLine(BaseModel):
    indicator_id: int
    unit: str
    indicator: str  # indicator_label(): name and text, as results_io matches it
    points: float | None = None
    target: str = ""
    framework_id: int
    framework_kind: str


class ReferenceItem(BaseModel):
    """A deduction / veto / bonus item, listed beside the rows to fill."""

    indicator_id: int
    item: str
    points: float | None = None
    kind: str  # deduction | veto | bonus


class TemplateUnit(BaseModel):
    unit: str
    category: UnitCategory


class TemplateContent(BaseModel):
    framework_ids: list[int] = Field(default_factory=list)
    region: str | None = None  # for the title: the region and year most indicators belong to
    year: int | None = None
    sources: list[str] = Field(default_factory=list)  # the frameworks' titles, for the footer
    lines: list[TemplateLine] = Field(default_factory=list)
    units: list[TemplateUnit] = Field(default_factory=list)
    deduction_items: list[ReferenceItem] = Field(default_factory=list)
    veto_items: list[ReferenceItem] = Field(default_factory=list)
    bonus_items: list[ReferenceItem] = Field(default_factory=list)
    social_max: dict[UnitCategory, SocialComponents] = Field(default_factory=lambda: dict(DEFAULT_SOCIAL_MAX))
    notes: list[str] = Field(default_factory=list)  # what was left out and why (说明 sheet)


def common_categories(title: str | None, group: str | None = None) -> set[UnitCategory]:
    """The categories a common (共性) framework applies to, from its heading; all when it names none."""
    heading = f"{title or ''} {group or ''}"
    found: set[UnitCategory] = set()
    if _TOWN_HEADING.search(heading):
        found.add("town")
    if _DEPT_HEADING.search(heading):
        found.add("dept")
    if _RESIDENT_HEADING.search(heading):
        found.add("resident")
    return found or {"town", "dept", "resident"}


def template_rows(
    infos: Sequence[IndicatorInfo],
    social_max: dict[UnitCategory, SocialComponents] | None = None,
    notes: Sequence[str] = (),
) -> TemplateContent:
    """The lines, units and reference items of a results template for these indicators.

    ``social_max``: each category's social-evaluation maxima (the rules in force,
    ``RuleSet.social_components``; default 第二十五条). ``notes``: said first in the 说明 sheet
    (e.g. ``FrameworkSelection.notes()``)."""
    content = TemplateContent(framework_ids=sorted({i.framework_id for i in infos}), notes=list(notes))
    places = Counter((i.region, i.year) for i in infos if i.region or i.year)
    if places:
        content.region, content.year = places.most_common(1)[0][0]
    content.sources = list(dict.fromkeys(i.framework_title for i in infos if i.framework_title))
    if social_max:
        content.social_max = dict(social_max)
    units: dict[str, UnitCategory] = {}
    for info in infos:
        if info.framework_kind == "per_unit" and info.assessee:
            units.setdefault(info.assessee, guess_category(info.assessee, info.framework_title, info.group))
    skipped: dict[int, str] = {}
    for info in infos:
        if info.kind != "indicator" or info.framework_kind == "negative_list":
            _add_reference(content, info)
            continue
        for unit in _line_units(info, infos, units, skipped):
            units.setdefault(unit, guess_category(unit, info.framework_title, info.group))
            content.lines.append(_line(info, unit))
    content.units = [TemplateUnit(unit=u, category=c) for u, c in units.items()]
    content.notes.extend(skipped.values())
    return content


def _line_units(
    info: IndicatorInfo, infos: Sequence[IndicatorInfo], units: dict[str, UnitCategory], skipped: dict[int, str]
) -> list[str]:
    title = f"《{info.framework_title or info.framework_id}》（框架 {info.framework_id}）"
    if info.framework_kind == "per_unit":
        if info.assessee:
            return [info.assessee]
        skipped[info.framework_id] = f"{title}未写明被考核单位，未列入。"
    elif info.framework_kind == "breakdown":
        if info.lead:
            return [info.lead]
        skipped.setdefault(info.framework_id, f"{title}中有指标未写明牵头单位，未列入。")
    elif info.framework_kind == "common":
        wanted = common_categories(info.framework_title, info.group)
        same_year = {
            i.assessee
            for i in infos
            if i.framework_kind == "per_unit" and i.assessee and (i.region, i.year) == (info.region, info.year)
        }
        found = [u for u in units if u in same_year and units[u] in wanted]
        if found:
            return found
        skipped[info.framework_id] = f"{title}为共性指标，所选框架中没有适用的被考核单位，未列入。"
    else:
        skipped[info.framework_id] = f"{title}为指标设置框架（样表，无被考核单位），未列入。"
    return []


def _line(info: IndicatorInfo, unit: str) -> TemplateLine:
    return TemplateLine(
        indicator_id=info.id,
        unit=unit,
        indicator=indicator_label(info),
        points=info.points,
        target=target_text(info.targets),
        framework_id=info.framework_id,
        framework_kind=info.framework_kind,
    )


def _add_reference(content: TemplateContent, info: IndicatorInfo) -> None:
    kind = info.kind if info.kind in ("veto", "bonus") else "deduction"
    item = ReferenceItem(indicator_id=info.id, item=indicator_label(info), points=info.points, kind=kind)
    {"deduction": content.deduction_items, "veto": content.veto_items, "bonus": content.bonus_items}[kind].append(item)


# ---------------------------------------------------------------------------------------------
# Sections: the same rows for .xlsx sheets and .csv sections


def title(content: TemplateContent, section: str | None = None) -> str:
    """``佳县2020年度目标责任考核结果填报表——指标完成情况``."""
    where = f"{content.region or ''}{f'{content.year}年度' if content.year else ''}"
    return f"{where}目标责任考核结果填报表" + (f"——{section}" if section else "")


def sections(content: TemplateContent) -> dict[str, tuple[list[str], list[list[object]]]]:
    """Section name → (column keys, rows), in file order (说明 and meta excluded)."""
    lines = [
        [ln.indicator_id, ln.unit, ln.indicator, ln.points, ln.target, None, None, None, None, None, None, None]
        for ln in content.lines
    ]
    deductions = _beside([], [[r.indicator_id, r.item, r.points] for r in content.deduction_items], 5)
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


def write_template(content: TemplateContent, path: Path | str) -> Path:
    """Write the template as .xlsx or .csv (UTF-8 with BOM), chosen by the file's extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from scoring.template_xlsx import write_xlsx

        write_xlsx(content, path)
    elif suffix == ".csv":
        _write_csv(content, path)
    else:
        raise ValueError(f"unsupported template format {path.suffix!r}: use .xlsx or .csv")
    log.info("模板 %s：%d 行，%d 个单位", path, len(content.lines), len(content.units))
    return path


def _write_csv(content: TemplateContent, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for name, (_, rows) in sections(content).items():
            writer.writerow([f"[{name}]"])
            writer.writerow(headers(name))
            writer.writerows([_csv_cell(v) for v in row] for row in rows)
            writer.writerow([])
        writer.writerow(["[说明]"])
        writer.writerows([line] for line in explanation_lines(content))
        writer.writerow([])
        writer.writerow([f"[{META}]"])
        writer.writerow(["key", "value"])
        writer.writerow(["framework_ids", " ".join(str(i) for i in content.framework_ids)])


def _csv_cell(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


__all__ = ["COLUMN_LABELS", "TemplateContent", "TemplateLine", "template_rows", "write_template"]
