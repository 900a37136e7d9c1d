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
the content model (``TemplateContent``…) in ``scoring/template_model.py``, imported by the layout and the
writers; the .xlsx writer is ``scoring/template_xlsx.py`` (its page: ``export/layout.py``), imported here
only when an .xlsx is written so that a .csv never loads openpyxl.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import regex

from scoring.categories import guess_category
from scoring.model import IndicatorInfo, SocialComponents, UnitCategory
from scoring.template_layout import (
    COLUMN_LABELS,
    META,
    explanation_lines,
    headers,
    indicator_label,
    sections,
    target_text,
    title,
)
from scoring.template_model import DEFAULT_SOCIAL_MAX, ReferenceItem, TemplateContent, TemplateLine, TemplateUnit

log = logging.getLogger(__name__)

_TOWN_HEADING = regex.compile(r"镇（办|镇办|乡镇|街道")
_DEPT_HEADING = regex.compile(r"部门|县直")
_RESIDENT_HEADING = regex.compile(r"驻")


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


def prefill_from_progress(content: TemplateContent, latest: Mapping[tuple[int, str], Any]) -> int:
    """Fill 完成值 / 完成率 of each line from the unit's latest monthly progress report of the year
    (``store.progress_queries.latest_reports``), so nobody types the year twice; 备注 names the month.
    Returns how many lines were filled. The office may overwrite any figure before scoring."""
    filled = 0
    for line in content.lines:
        report = latest.get((line.indicator_id, line.unit))
        if report is None:
            continue
        line.actual, line.completion_pct = report.actual, report.completion_pct
        line.note = f"取自 {report.period} 月度进度报送"
        filled += 1
    return filled


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


__all__ = [
    "COLUMN_LABELS",
    "DEFAULT_SOCIAL_MAX",
    "ReferenceItem",
    "TemplateContent",
    "TemplateLine",
    "TemplateUnit",
    "sections",
    "template_rows",
    "title",
    "write_template",
]
