"""Reports of a year-on-year framework diff: terminal tables, Markdown and an .xlsx workbook.

Every format shows the same sections with Chinese headers (概况、新增指标、删除指标、调整指标、
部门汇总、类别分值), built once by :func:`sections`; a diff of several framework pairs (``--region``)
puts them in the same tables with a 框架 column.

The workbook prints (page layout: ``export/layout.py``): 概况 first — the title, the counts by kind,
the units and categories whose points changed, the framework pairs —, then 新增 / 删除, then 调整
with each changed field's old and new value side by side and the changed ones highlighted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from frameworks.diff import FIELD_LABELS, DiffIndicator, FrameworkDiff, FrameworkSide, IndicatorChange
from textview.table import format_cell, render_table

_INDICATOR_HEADERS = ["框架", "指标", "分值", "牵头单位", "配合单位", "类别", "来源"]
_XLSX_MAX_WIDTH = 60


@dataclass(frozen=True)
class Section:
    title: str
    headers: list[str]
    rows: list[list[object]]
    changes: list[tuple[str, IndicatorChange]] = field(default_factory=list)  # 调整指标: (框架, change)
    heading: str = ""  # 概况: the report's title
    sources: list[str] = field(default_factory=list)  # 概况: the notices compared


def report_title(diffs: Sequence[FrameworkDiff]) -> str:
    """``佳县2020年度与2021年度考核指标对比``, or the two frameworks when they are of no one region."""
    sides = [s for d in diffs for s in (d.old, d.new) if s is not None]
    regions = {s.region for s in sides if s.region}
    old = {d.old.year for d in diffs if d.old and d.old.year}
    new = {d.new.year for d in diffs if d.new and d.new.year}
    if len(regions) == 1 and len(old) == 1 and len(new) == 1 and old != new:
        return f"{regions.pop()}{old.pop()}年度与{new.pop()}年度考核指标对比"
    if len(diffs) == 1:
        return f"考核指标对比：{framework_label(diffs[0].old)} → {framework_label(diffs[0].new)}"
    return "考核指标对比"


def framework_label(side: FrameworkSide | None) -> str:
    if side is None:
        return ""
    parts = [side.title or "(无标题)", side.assessee or "", f"#{side.id}" if side.id is not None else ""]
    return " ".join(p for p in parts if p)


def _file_name(path: str | None) -> str:
    return Path(path).name if path else ""


def _indicator_row(label: str, indicator: DiffIndicator) -> list[object]:
    return [
        label,
        indicator.indicator,
        indicator.points,
        indicator.lead,
        indicator.cooperating,
        "/".join(indicator.category_path),
        indicator.source,
    ]


def sections(
    diffs: Sequence[FrameworkDiff],
    added_frameworks: Sequence[FrameworkSide] = (),
    removed_frameworks: Sequence[FrameworkSide] = (),
) -> list[Section]:
    """The report's sections, in order."""
    overview = [
        [
            framework_label(d.old),
            framework_label(d.new),
            _file_name(d.old and d.old.document),
            _file_name(d.new and d.new.document),
            len(d.added),
            len(d.removed),
            len(d.changed),
            d.unchanged,
            d.low_confidence_pairs,
        ]
        for d in diffs
    ]
    overview += [
        [framework_label(f), "（本年无）", _file_name(f.document), "", "", "", "", "", ""] for f in removed_frameworks
    ]
    overview += [
        ["（上年无）", framework_label(f), "", _file_name(f.document), "", "", "", "", ""] for f in added_frameworks
    ]
    added, removed, changed, departments, categories = [], [], [], [], []
    pairs: list[tuple[str, IndicatorChange]] = []
    for d in diffs:
        label = framework_label(d.new or d.old)
        added += [_indicator_row(label, i) for i in d.added]
        removed += [_indicator_row(framework_label(d.old or d.new), i) for i in d.removed]
        pairs += [(label, c) for c in d.changed]
        for c in d.changed:
            before = "\n".join(f"{FIELD_LABELS[f]}：{c.details[f].before}" for f in c.fields)
            after = "\n".join(f"{FIELD_LABELS[f]}：{c.details[f].after}" for f in c.fields)
            changed.append(
                [
                    label,
                    c.before.indicator,
                    c.after.indicator,
                    "、".join(FIELD_LABELS[f] for f in c.fields),
                    before,
                    after,
                    f"{c.confidence:.2f}",
                    "低" if c.low_confidence else "",
                ]
            )
        departments += [
            [
                label,
                s.department,
                s.points_before,
                s.points_after,
                _signed(s.points_change),
                s.indicators_before,
                s.indicators_after,
                s.indicators_gained,
                s.indicators_lost,
            ]
            for s in d.departments
        ]
        categories += [
            [
                label,
                t.category,
                t.points_before,
                t.points_after,
                _signed(t.points_change),
                t.indicators_before,
                t.indicators_after,
            ]
            for t in d.categories
        ]
    sources = [d for side in [*(s for x in diffs for s in (x.old, x.new)), *removed_frameworks, *added_frameworks]
               if side is not None for d in [side.document] if d]  # fmt: skip
    report = [
        Section(
            "概况",
            ["原框架", "新框架", "原文件", "新文件", "新增", "删除", "调整", "未变", "低置信度配对"],
            overview,
            heading=report_title(diffs),
            sources=list(dict.fromkeys(sources)),
        ),
        Section("新增指标", _INDICATOR_HEADERS, added),
        Section("删除指标", _INDICATOR_HEADERS, removed),
        Section(
            "调整指标",
            ["框架", "原指标", "新指标", "变化内容", "调整前", "调整后", "匹配置信度", "低置信度"],
            changed,
            changes=pairs,
        ),
        Section(
            "部门汇总",
            ["框架", "部门", "原分值", "新分值", "分值增减", "原指标数", "新指标数", "增加指标", "减少指标"],
            departments,
        ),
        Section("类别分值", ["框架", "类别", "原分值", "新分值", "分值增减", "原指标数", "新指标数"], categories),
    ]
    if len(diffs) == 1 and not added_frameworks and not removed_frameworks:  # one pair: the 框架 column says nothing
        report[1:] = [
            Section(s.title, s.headers[1:], [row[1:] for row in s.rows], changes=s.changes) for s in report[1:]
        ]
    return report


def _signed(value: float) -> str:
    return f"{value:+g}" if value else "0"


def _cell(value: object) -> str:
    return format_cell(value, one_line=False)


def render_text(report: Sequence[Section]) -> str:
    """Terminal tables, one per non-empty section."""
    blocks = []
    for section in report:
        if section.rows:
            rows = [[_cell(v).replace("\n", "；") for v in row] for row in section.rows]
            blocks.append(f"【{section.title}】{len(rows)}\n" + render_table(section.headers, rows))
        else:
            blocks.append(f"【{section.title}】无")
    return "\n\n".join(blocks)


def render_markdown(report: Sequence[Section], title: str) -> str:
    """A Markdown report: a heading per section, pipe tables (line breaks as ``<br>``)."""
    lines = [f"# {title}", ""]
    for section in report:
        lines += [f"## {section.title}（{len(section.rows)}）", ""]
        if not section.rows:
            lines += ["无", ""]
            continue
        lines.append("| " + " | ".join(section.headers) + " |")
        lines.append("|" + "---|" * len(section.headers))
        for row in section.rows:
            cells = (_cell(v).replace("|", "\\|").replace("\n", "<br>") for v in row)
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def write_xlsx(report: Sequence[Section], path: Path) -> None:
    """The workbook: 概况 (overview) first, then one sheet per section; every sheet prints as a titled,
    paginated table (``export/layout.py``)."""
    from export.layout import new_workbook

    overview = next(s for s in report if s.title == "概况")
    title = overview.heading or "考核指标对比"
    footer = _footer(overview)
    workbook = new_workbook()
    workbook.remove(workbook.active)
    for section in report:
        sheet = workbook.create_sheet(section.title)
        if section is overview:
            _overview_sheet(sheet, report, title, footer)
        elif section.title == "调整指标":
            _changes_sheet(sheet, section, title, footer)
        else:
            _table_sheet(sheet, section, title, footer)
    workbook.save(path)


def _footer(overview: Section) -> str:
    from export.layout import footer_line

    return footer_line(overview.sources)


_LIMITS = {"框架": (12, 24), "指标": (24, 40), "原指标": (20, 32), "新指标": (20, 32), "牵头单位": (10, 20),
           "配合单位": (10, 20), "类别": (8, 14), "来源": (10, 30), "部门": (12, 24), "原框架": (16, 30),
           "新框架": (16, 30), "原文件": (12, 24), "新文件": (12, 24), "变化内容": (8, 14)}  # fmt: skip


def _cells(row: Sequence[object]) -> list[object]:
    return [v if isinstance(v, int | float) or v is None else _cell(v) for v in row]


def _table_sheet(sheet: object, section: Section, title: str, footer: str) -> None:
    from export.layout import SheetLayout, fit_widths

    rows = [_cells(r) for r in section.rows]
    page = SheetLayout(sheet, fit_widths(section.headers, rows, _LIMITS, size=10), size=10)  # type: ignore[arg-type]
    page.title(f"{title}——{section.title}", size=14)
    page.header(section.headers)
    changed = section.headers.index("分值增减") if "分值增减" in section.headers else None
    for row in rows:
        marked = {changed} if changed is not None and row[changed] not in ("0", 0, None) else set()
        page.row(row, highlight=marked)
    if not rows:
        page.text("无", center=True)
    page.finish(footer, landscape=True)


def _overview_sheet(sheet: object, report: Sequence[Section], title: str, footer: str) -> None:
    """Counts by kind, the units and categories whose points changed, then the framework pairs."""
    from export.layout import BAND_FILL, SheetLayout, fit_widths

    by_title = {s.title: s for s in report}
    overview = by_title["概况"]
    rows = [_cells(r) for r in overview.rows]
    page = SheetLayout(sheet, fit_widths(overview.headers, rows, _LIMITS, size=10), size=10)  # type: ignore[arg-type]
    page.title(title, size=14)
    unchanged = sum(r[7] for r in overview.rows if isinstance(r[7], int))
    low = sum(1 for r in by_title["调整指标"].rows if r[-1] == "低")
    added, removed, changed = (len(by_title[name].rows) for name in ("新增指标", "删除指标", "调整指标"))
    counts = f"新增 {added} 项，删除 {removed} 项，调整 {changed} 项（其中低置信度配对 {low} 项），"
    counts += f"未变 {unchanged} 项。"
    page.text("一、变化统计", bold=True, boxed=True, fill=BAND_FILL, keep_with_next=True)
    page.text(counts)
    for number, name, label, what in (("二", "部门汇总", "部门", "单位"), ("三", "类别分值", "类别", "类别")):
        section = by_title[name]
        at = section.headers.index(label)
        moved = [r for r in section.rows if r[section.headers.index("分值增减")] not in ("0", 0)]
        page.text(f"{number}、分值有变化的{what}（{len(moved)}）", bold=True, boxed=True, fill=BAND_FILL,
                  keep_with_next=True)  # fmt: skip
        text = "；".join(
            f"{r[at]} {_points(r[at + 1])} → {_points(r[at + 2])}（{r[at + 3]}）" for r in moved
        )  # 原分值, 新分值, 分值增减 follow the name
        page.text(text + "。" if text else "无。")
    page.text("四、对比的框架", bold=True, boxed=True, fill=BAND_FILL, keep_with_next=True)
    page.header(overview.headers)
    for row in rows:
        page.row(row)
    page.finish(footer, landscape=True)


def _points(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


_SIDE_FIELDS = ("points", "target", "lead", "cooperating", "category", "kind")  # 表述 is the 原/新指标 pair


def _side_value(indicator: DiffIndicator, name: str) -> str:
    if name == "points":
        return "" if indicator.points is None else f"{indicator.points:g}"
    if name == "lead":
        return indicator.lead or ""
    if name == "cooperating":
        return "、".join(indicator.cooperating)
    if name == "category":
        return "/".join(indicator.category_path) or (indicator.category or "")
    if name == "kind":
        return indicator.kind
    return ""  # a target is shown where it changed


def _changes_sheet(sheet: object, section: Section, title: str, footer: str) -> None:
    """Each change on one row: the old and the new indicator, then for each field that changed anywhere
    its old and new value side by side; the fields changed on this row highlighted."""
    from export.layout import SheetLayout, fit_widths

    with_framework = len({label for label, _ in section.changes}) > 1  # one framework: said in the title
    fields = [f for f in _SIDE_FIELDS if any(f in c.fields for _, c in section.changes)]
    headers = [*(["框架"] if with_framework else []), "原指标", "新指标", "变化内容"]
    for name in fields:
        headers += [f"原{FIELD_LABELS[name]}", f"新{FIELD_LABELS[name]}"]
    headers += ["匹配置信度"]
    rows, marks = [], []
    for label, change in section.changes:
        row: list[object] = [*([label] if with_framework else []), change.before.indicator, change.after.indicator,
                             "、".join(FIELD_LABELS[f] for f in change.fields)]  # fmt: skip
        marked = set()
        if "wording" in change.fields:
            marked |= {len(row) - 3, len(row) - 2}
        for name in fields:
            if name in change.fields:
                detail = change.details[name]
                marked |= {len(row), len(row) + 1}
                row += [detail.before, detail.after]
            else:
                row += [_side_value(change.before, name), _side_value(change.after, name)]
        row.append(f"{change.confidence:.2f}" + ("（低）" if change.low_confidence else ""))
        rows.append(row)
        marks.append(marked)
    limits = {**_LIMITS, "原指标": (16, 26), "新指标": (16, 26)}
    limits |= {h: (6, 14) for h in headers if h.startswith(("原", "新")) and h not in limits}
    page = SheetLayout(sheet, fit_widths(headers, rows, limits, size=10), size=10)  # type: ignore[arg-type]
    page.title(f"{title}——调整指标", size=14)
    page.text("每项调整一行：原值与新值并列，有变化的字段以黄色标出。", size=9)
    page.header(headers)
    for row, marked in zip(rows, marks, strict=True):
        page.row(row, highlight=marked)
    if not rows:
        page.text("无", center=True)
    page.finish(footer, landscape=True)
