"""The score report for people: the terminal table and the .xlsx for circulation.

``summary_rows`` is the one table both share: one row per unit, categories in the order
镇（办）, 县直部门, 驻县单位, each sorted by rank. The workbook: 汇总 (that table under the title
``佳县2020年度目标责任考核得分与等次``, one page wide, the category label merged over its units),
then one ``明细-单位`` sheet per unit that prints as the unit's one-page statement (its lines,
the unit-level steps — social evaluation, deductions, bonus, total —, rank and grade, and the rules
applied with their articles), then 说明 (how the total is made, the rules in force and where each
comes from). The page layout is ``export/layout.py``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scoring.explain import flag_label
from scoring.model import CATEGORY_LABELS, ScoreReport, UnitScore
from textview.table import render_table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_HEADERS = ["类别", "名次", "单位", "目标任务得分", "加权", "社会评价", "扣分", "加分", "总分", "等次", "标记"]
DETAIL_HEADERS = ["单位", "指标ID", "指标", "分值", "完成率%", "规则", "得分", "需复核", "计算过程"]
_CATEGORY_ORDER = {"town": 0, "dept": 1, "resident": 2}


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


def report_title(report: ScoreReport, subject: str = "目标责任考核得分与等次") -> str:
    """``佳县2020年度目标责任考核得分与等次``."""
    return f"{report.region or ''}{f'{report.year}年度' if report.year else ''}{subject}"


def write_report_xlsx(report: ScoreReport, path: Path, notes: Sequence[str] = (), sources: Sequence[str] = ()) -> None:
    """汇总, one 明细 sheet per unit, 说明 (``notes`` first, e.g. which frameworks were scored:
    ``FrameworkSelection.notes()``). ``sources``: the notices or files to name in the footer
    (default: the framework ids)."""
    from export.layout import new_workbook, sheet_name

    book = new_workbook()
    footer = _footer(report, sources)
    summary = book.active
    summary.title = "汇总"
    _summary_sheet(summary, report, footer)
    for unit in ordered_units(report):
        _unit_sheet(book.create_sheet(sheet_name(f"明细-{unit.unit}", book.sheetnames)), report, unit, footer)
    _about_sheet(book.create_sheet("说明"), report, notes, footer)
    book.save(path)


def _footer(report: ScoreReport, sources: Sequence[str]) -> str:
    from export.layout import footer_line

    if sources:
        return footer_line(sources)
    return footer_line([f"考核框架 {' '.join(map(str, report.framework_ids))}"] if report.framework_ids else [])


def _summary_sheet(sheet: Worksheet, report: ScoreReport, footer: str) -> None:
    from export.layout import SheetLayout, fit_widths

    rows = summary_rows(report)
    limits = {"类别": (8, 10), "单位": (10, 20), "标记": (12, 40)}
    page = SheetLayout(sheet, fit_widths(SUMMARY_HEADERS, rows, limits), size=11)
    page.title(report_title(report))
    page.header(SUMMARY_HEADERS)
    first = page.last_row + 1
    for row in rows:
        page.row(row, center={0, 1, 9}, number_format="0.00", skip_height={0})
    start = first
    for index in range(1, len(rows) + 1):  # one 类别 label per run of units
        if index == len(rows) or rows[index][0] != rows[start - first][0]:
            page.merge_down(0, start, first + index - 1)
            start = first + index
    page.text("注：总分 = 目标任务得分 × 类别权重 ÷ 100 + 社会评价 + 加分 − 扣分；名次在类别内排列；"
              "“待定”须人工复核。各单位得分明细见“明细-单位名”表。", size=9)  # fmt: skip
    page.finish(footer, landscape=True)


_UNIT_HEADERS = ["序号", "指标编号", "考核指标", "分值", "完成率(%)", "得分", "计算过程"]


def _unit_sheet(sheet: Worksheet, report: ScoreReport, unit: UnitScore, footer: str) -> None:
    """One unit's statement on one page."""
    from export.layout import BAND_FILL, SheetLayout, fit_widths

    rows: list[list[object]] = [
        [n, line.indicator_id, line.indicator, line.points, _number(line.completion_pct), round(line.score, 2),
         "；".join(step.label for step in line.steps) + ("（需复核）" if line.needs_review else "")]
        for n, line in enumerate(unit.lines, start=1)
    ]  # fmt: skip
    limits = {"指标编号": (6, 8), "考核指标": (20, 36), "计算过程": (24, 44)}
    page = SheetLayout(sheet, fit_widths(_UNIT_HEADERS, rows, limits, size=10), size=10)
    page.title(f"{unit.unit}{f'{report.year}年度' if report.year else ''}目标责任考核得分明细", size=14)
    grade = unit.grade or "待定"
    page.text(f"类别：{CATEGORY_LABELS[unit.category]}　　名次：{unit.rank or '—'}　　总分：{unit.total:.2f}"
              f"　　等次：{grade}", bold=True, size=11)  # fmt: skip
    page.header(_UNIT_HEADERS)
    for row in rows:
        page.row(row, center={0}, number_format="0.##")
    total = page.row(["合计", None, None, unit.raw_points, None, round(unit.raw_score, 2), None], bold=True,
                     skip_height={0})  # fmt: skip
    page.merge_across(total, 0, 2)
    parts = [
        ("目标任务得分（折合百分）", unit.target_score), ("目标任务加权得分", unit.target_weighted),
        ("社会评价", unit.social), ("扣分", -unit.deductions if unit.deductions else 0.0), ("加分", unit.bonus),
        ("总分", unit.total),
    ]  # fmt: skip
    for label, value in parts:
        row = page.row([label, None, None, None, None, _number(value), None], bold=label == "总分", skip_height={0})
        page.merge_across(row, 0, 4)
    page.text("单位得分与等次", bold=True, boxed=True, fill=BAND_FILL, keep_with_next=True)
    for step in unit.steps:
        page.text(f"· {step.label}" + (f"〔{step.rule_id}〕" if step.rule_id else ""), size=9)
    if unit.flags:
        page.text("标记：" + "、".join(flag_label(f) for f in unit.flags), size=9)
    page.text("适用规则及依据", bold=True, boxed=True, fill=BAND_FILL, keep_with_next=True)
    page.text("；".join(f"{rule_id} {citation}" for rule_id, citation in _rules_applied(unit)) + "。", size=9)
    page.finish(footer, landscape=False, one_page=True)


def _rules_applied(unit: UnitScore) -> list[tuple[str, str]]:
    """Each rule id the unit's numbers went through, with its article (or where the value comes from)."""
    found: dict[str, str] = {}
    for step in [*(s for line in unit.lines for s in line.steps), *unit.steps]:
        if step.rule_id and (step.citation or step.rule_id not in found):
            found[step.rule_id] = step.citation or found.get(step.rule_id) or "办法未规定"
    return sorted(found.items())


def _about_sheet(sheet: Worksheet, report: ScoreReport, notes: Sequence[str], footer: str) -> None:
    from export.layout import SheetLayout, fit_widths
    from scoring.rules_view import TABLE_HEADERS, table_rows

    rows = table_rows(report.rules)
    limits = {"参数": (14, 26), "编号": (6, 6), "取值": (8, 24), "来源": (12, 24), "说明": (16, 44)}
    page = SheetLayout(sheet, fit_widths(TABLE_HEADERS, rows, limits, size=10), size=10)
    page.title(report_title(report, "目标责任考核计分说明"), size=14)
    for text in [
        *notes,
        "总分 = 目标任务得分 × 类别权重 ÷ 100 + 社会评价 + 加分 − 扣分；名次按总分在类别内排列，同分同名次。",
        "等次：一票否决、市级以上通报批评、总分低于较差线 → 较差；优秀不超过类别单位数 × 优秀比例。",
        "“待定”的等次须人工复核（缺数据、同分争最后的优秀名额等）。",
    ]:
        page.text(text)
    page.blank()
    page.header(TABLE_HEADERS)
    for row in rows:
        page.row(row)
    page.finish(footer)
