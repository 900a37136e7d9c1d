"""The score report for people: the terminal table and the .xlsx for circulation (汇总 / 明细 / 说明).

``summary_rows`` is the one table both share: one row per unit, categories in the order
镇（办）, 县直部门, 驻县单位, each sorted by rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ingest.report import display_width, render_table
from scoring.explain import flag_label
from scoring.model import CATEGORY_LABELS, RuleSet, ScoreReport, UnitScore

SUMMARY_HEADERS = ["类别", "名次", "单位", "目标任务得分", "加权", "社会评价", "扣分", "加分", "总分", "等次", "标记"]
DETAIL_HEADERS = ["单位", "指标ID", "指标", "分值", "完成率%", "规则", "得分", "需复核", "计算过程"]
RULE_HEADERS = ["参数", "取值", "规则编号", "依据", "说明"]
_CATEGORY_ORDER = {"town": 0, "dept": 1, "resident": 2}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_MAX_WIDTH = 60


def ordered_units(report: ScoreReport) -> list[UnitScore]:
    return sorted(report.units, key=lambda u: (_CATEGORY_ORDER[u.category], u.rank or 10**6, u.unit))


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summary_rows(report: ScoreReport) -> list[list[object]]:
    """One row per unit (numbers rounded to 2 decimals for reading; the JSON keeps full precision)."""
    return [
        [
            CATEGORY_LABELS[u.category], u.rank, u.unit, _number(u.target_score), _number(u.target_weighted),
            _number(u.social), _number(u.deductions), _number(u.bonus), _number(u.total), u.grade or "待定",
            "、".join(flag_label(f) for f in u.flags),
        ]
        for u in ordered_units(report)
    ]  # fmt: skip


def render_summary(report: ScoreReport) -> str:
    """The readable terminal table of ``kaohe score``."""
    where = " ".join(str(x) for x in (report.region, report.year) if x)
    title = f"{where} 年度目标责任考核得分与等次".strip()
    return f"{title}\n\n" + render_table(SUMMARY_HEADERS, summary_rows(report))


def detail_rows(report: ScoreReport) -> list[list[object]]:
    rows: list[list[object]] = []
    for unit in ordered_units(report):
        for line in unit.lines:
            rows.append(
                [
                    unit.unit, line.indicator_id, line.indicator, line.points, _number(line.completion_pct),
                    line.rule, round(line.score, 4), "是" if line.needs_review else "",
                    "\n".join(step.label for step in line.steps),
                ]
            )  # fmt: skip
    return rows


def rule_rows(rules: RuleSet) -> list[list[object]]:
    """Every rule value in force, with the article (or 'default, inferred') it comes from."""
    values = rules.model_dump(exclude={"citations", "missing", "warnings", "region"})
    rows: list[list[object]] = []
    for name, value in values.items():
        if isinstance(value, dict) and name in ("weights", "social_components"):
            for category, inner in value.items():
                rows.append(_rule_row(rules, f"{name}.{category}", inner))
        else:
            rows.append(_rule_row(rules, name, value))
    return rows


def _rule_row(rules: RuleSet, field: str, value: object) -> list[object]:
    citation = rules.citations.get(field)
    shown = value if isinstance(value, str | int | float) else str(value)
    if value is None:
        shown = "不设"
    return [field, shown, citation.rule_id if citation else "", rules.cite(field), citation.note if citation else ""]


def write_report_xlsx(report: ScoreReport, path: Path, notes: Sequence[str] = ()) -> None:
    """汇总 (rank and grade per category), 明细 (one row per line), 说明 (rules and citations; ``notes``
    first, e.g. which frameworks were scored: ``FrameworkSelection.notes()``)."""
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    _fill(summary, SUMMARY_HEADERS, summary_rows(report))
    _fill(book.create_sheet("明细"), DETAIL_HEADERS, detail_rows(report))
    about = book.create_sheet("说明")
    rows = [
        *([note] for note in notes),
        ["总分 = 目标任务得分 × 类别权重 ÷ 100 + 社会评价 + 加分 − 扣分；名次按总分在类别内排列，同分同名次。"],
        ["等次：一票否决、市级以上通报批评、总分低于较差线 → 较差；优秀不超过类别单位数 × 优秀比例。"],
        ["“待定”的等次须人工复核（缺数据、同分争最后的优秀名额等）。"],
        [],
        RULE_HEADERS,
        *rule_rows(report.rules),
    ]
    for row in rows:
        about.append(row)
    about.column_dimensions["A"].width = 32
    for letter, width in zip("BCDE", (18, 12, 36, 60), strict=True):
        about.column_dimensions[letter].width = width
    for cell in about[len(notes) + 5]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    book.save(path)


def _fill(sheet: Worksheet, headers: list[str], rows: list[list[object]]) -> None:
    """Bold frozen header, widths fitted to Chinese text (capped), wrapped long cells."""
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        values = [header, *(str(r[index - 1]) for r in rows if r[index - 1] is not None)]
        width = max(display_width(part) for v in values for part in (v.split("\n") or [""]))
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and ("\n" in cell.value or display_width(cell.value) > _MAX_WIDTH):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
