"""The 一览表 as Markdown (a pipe table per section) and CSV (UTF-8 with BOM, one header row)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from export.breakdown import Breakdown, chinese_ordinal


def _text(value: object) -> str:
    return "" if value is None else str(value)


def render_markdown(breakdown: Breakdown) -> str:
    """A heading, then per section a heading (when there are sections to tell apart) and a pipe table."""
    lines = ["附件", "", f"# {breakdown.title}", ""]
    for number, section in enumerate(breakdown.sections, start=1):
        if section.department is not None or section.title:
            lines += [f"## {chinese_ordinal(number)}、{section.heading()}", ""]
        lines.append("| " + " | ".join(breakdown.headers) + " |")
        lines.append("|" + "|".join("---:" if h in ("序号", "分值") else "---" for h in breakdown.headers) + "|")
        for row in section.rows:
            cells = (_text(v).replace("|", "\\|").replace("\n", "") for v in breakdown.cells(row))
            lines.append("| " + " | ".join(cells) + " |")
        if section.department is not None:
            lines.append(_total_line(breakdown.headers, "小计", section.carried_points))
        lines.append("")
    if breakdown.by == "category":
        lines += [f"合计：{breakdown.total_points:g}分", ""]
    lines += ["说明：", ""] + [f"{n}. {line}" for n, line in enumerate(breakdown.notes(), start=1)]
    return "\n".join(lines) + "\n"


def _total_line(headers: list[str], label: str, points: float) -> str:
    cells = [""] * len(headers)
    cells[headers.index("考核指标")] = f"**{label}**"
    cells[headers.index("分值")] = f"**{points:g}**"
    return "| " + " | ".join(cells) + " |"


CSV_HEADERS = ["分组", "序号", "考核内容", "考核指标", "分值", "分工", "牵头单位", "配合单位", "来源文件", "来源位置"]


def render_csv(breakdown: Breakdown) -> str:
    """One header row, then one line per row; 分组 is the section (a department, a framework or empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for section in breakdown.sections:
        for row in section.rows:
            writer.writerow(
                [
                    section.title or "",
                    row.seq,
                    "／".join(row.category_path),
                    row.indicator,
                    "" if row.points is None else f"{row.points:g}",
                    row.relation_label,
                    row.lead or "",
                    "、".join(row.cooperating),
                    row.source.file_name,
                    row.source.location,
                ]
            )
    return out.getvalue()


def write_markdown(breakdown: Breakdown, path: Path) -> None:
    path.write_text(render_markdown(breakdown), encoding="utf-8")


def write_csv(breakdown: Breakdown, path: Path) -> None:
    """UTF-8 with a BOM: Excel on a Chinese Windows opens it without garbling."""
    path.write_text(render_csv(breakdown), encoding="utf-8-sig", newline="")
