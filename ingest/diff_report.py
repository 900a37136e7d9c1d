"""Reports of a year-on-year framework diff: terminal tables, Markdown and an .xlsx workbook.

Every format shows the same sections with Chinese headers (概况、新增指标、删除指标、调整指标、
部门汇总、类别分值), built once by :func:`sections`; a diff of several framework pairs (``--region``)
puts them in the same tables with a 框架 column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from frameworks.diff import FIELD_LABELS, DiffIndicator, FrameworkDiff, FrameworkSide
from ingest.report import display_width, format_cell, render_table

_INDICATOR_HEADERS = ["框架", "指标", "分值", "牵头单位", "配合单位", "类别", "来源"]
_XLSX_MAX_WIDTH = 60


@dataclass(frozen=True)
class Section:
    title: str
    headers: list[str]
    rows: list[list[object]]


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
    for d in diffs:
        label = framework_label(d.new or d.old)
        added += [_indicator_row(label, i) for i in d.added]
        removed += [_indicator_row(framework_label(d.old or d.new), i) for i in d.removed]
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
    report = [
        Section(
            "概况", ["原框架", "新框架", "原文件", "新文件", "新增", "删除", "调整", "未变", "低置信度配对"], overview
        ),
        Section("新增指标", _INDICATOR_HEADERS, added),
        Section("删除指标", _INDICATOR_HEADERS, removed),
        Section(
            "调整指标", ["框架", "原指标", "新指标", "变化内容", "调整前", "调整后", "匹配置信度", "低置信度"], changed
        ),
        Section(
            "部门汇总",
            ["框架", "部门", "原分值", "新分值", "分值增减", "原指标数", "新指标数", "增加指标", "减少指标"],
            departments,
        ),
        Section("类别分值", ["框架", "类别", "原分值", "新分值", "分值增减", "原指标数", "新指标数"], categories),
    ]
    if len(diffs) == 1 and not added_frameworks and not removed_frameworks:  # one pair: the 框架 column says nothing
        report[1:] = [Section(s.title, s.headers[1:], [row[1:] for row in s.rows]) for s in report[1:]]
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
    """One sheet per section: bold frozen header, column widths fitted to Chinese text, wrapped cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in report:
        sheet = workbook.create_sheet(section.title)
        sheet.append(section.headers)
        for row in section.rows:
            sheet.append([v if isinstance(v, int | float) or v is None else _cell(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        wrap = Alignment(wrap_text=True, vertical="top")
        for index, header in enumerate(section.headers, start=1):
            values = [header] + [_cell(row[index - 1]) for row in section.rows]
            width = max(display_width(line) for v in values for line in (v.split("\n") or [""]))
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _XLSX_MAX_WIDTH)
            for cell in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell[0].alignment = wrap
    workbook.save(path)
