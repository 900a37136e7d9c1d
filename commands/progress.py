"""``kaohe progress``: the year between the notices — monthly report forms out, filled forms back, the colours.

``template`` writes the form each responsible unit fills by the 15th; ``add`` reads filled forms back
(every cell checked, a bad file stores nothing, a unit's corrected form replaces its earlier one and
keeps it as history); ``status`` shows each indicator and unit in green, yellow, red or missing;
``late`` lists the units that had not reported by the deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from commands.options import CONTEXT, OUTPUT, db_option, emit_json, json_option, open_store, writing
from commands.scoring import selection_options
from textview.table import render_table

LEVELS = ("green", "yellow", "red", "missing")  # progress.levels.LEVELS, spelt here so `kaohe` starts without it


class PeriodType(click.ParamType):
    name = "period"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from progress.levels import Period

        try:
            return Period.parse(str(value))
        except ValueError as e:
            self.fail(str(e), param, ctx)


PERIOD = PeriodType()


def rules_option(func: Any) -> Any:
    """``--progress-rules FILE``: the office's own thresholds, deadline or late deduction (a .tsv with the fields
    ``kaohe rules`` lists as progress.*; any subset)."""
    return click.option(
        "--progress-rules",
        "rules_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="平时考核规则文件（.tsv：field、value、source 列，字段同 kaohe rules 中的 progress.*）",
    )(func)


def _rules(path: Path | None) -> Any:
    from progress.levels import load_rules

    try:
        return load_rules(path)
    except ValueError as e:
        raise click.ClickException(str(e)) from e


@click.group(name="progress", context_settings=CONTEXT)
def progress_group() -> None:
    """平时考核：月度进度填报表、读回填报、三色预警、逾期未报。

    \b
    示例：
        kaohe progress template --period 2020-06 --region 佳县 --year 2020 -o 6月进度填报.xlsx
        kaohe progress add 6月进度填报-县林业局.xlsx
        kaohe progress status --period 2020-06 --region 佳县 --year 2020 --level red
        kaohe progress late --period 2020-06 --region 佳县 --year 2020
    """


def _lines(
    db: Any, framework_ids: tuple[int, ...], region: str | None, year: int | None, dept: str | None
) -> list[Any]:
    from store.progress_queries import PROGRESS_KINDS, progress_lines
    from store.scoring_queries import select_frameworks

    if not framework_ids and not (region and year):
        raise click.UsageError("请给出框架编号，或同时给出 --region 和 --year")
    selection = select_frameworks(db, framework_ids, region, year, PROGRESS_KINDS)
    if selection.unknown_ids:
        raise click.ClickException(f"没有这些框架：{'、'.join(map(str, selection.unknown_ids))}")
    lines = progress_lines(db, selection.framework_ids)
    if dept:
        lines = [line for line in lines if _unit_matches(line.unit, dept)]
        if not lines:
            raise click.ClickException(f"所选框架中没有「{dept}」负责的指标")
    if not lines:
        raise click.ClickException("所选框架中没有要按月报送进度的指标（市考分解或单位考核表）")
    return lines


def _place(lines: Sequence[Any], region: str | None) -> str:
    """The region the forms and reports are for: the one asked, else the frameworks' own."""
    return region or next((x.region for x in lines if x.region), "") or ""


def _sources(lines: Sequence[Any]) -> list[str]:
    """The frameworks' titles, once each, for the footers."""
    return list(dict.fromkeys(x.framework_title for x in lines if x.framework_title))


def _unit_matches(unit: str, wanted: str) -> bool:
    squeezed = "".join(wanted.split())
    return unit == squeezed or squeezed in unit


@progress_group.command(name="template")
@click.option("--period", required=True, type=PERIOD, help="填报的月份，如 2020-06")
@selection_options
@click.option("--dept", help="只为这个单位生成")
@click.option("--split", is_flag=True, help="每个单位一个文件（文件名后加单位名）")
@click.option("-o", "--output", required=True, type=OUTPUT, help=".xlsx 或 .csv 文件")
@rules_option
@db_option
def template_command(
    period: Any,
    framework_ids: tuple[int, ...],
    region: str | None,
    year: int | None,
    kinds: tuple[str, ...],
    dept: str | None,
    split: bool,
    output: Path,
    rules_file: Path | None,
    db: Path,
) -> None:
    """生成月度工作进展填报表：每个责任单位一个工作表（--split 时一个文件），列出它牵头、配合或被考核的
    每项指标及其目标；单位填写累计完成值、完成率、进展情况、存在问题、下步措施（前四列锁定）。

    \b
    示例：
        kaohe progress template --period 2020-06 --region 佳县 --year 2020 -o 6月进度填报.xlsx
        kaohe progress template --period 2020-06 --region 佳县 --year 2020 --dept 县林业局 -o 林业局.csv
    """
    from progress.intake import period_in_name
    from progress.sheets import FormLine, ProgressForm, write_form
    from progress.status import deadline

    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.UsageError("-o 的文件须以 .xlsx 或 .csv 结尾")
    store = open_store(db)
    lines = _lines(store.db, framework_ids, region, year, dept)
    rules = _rules(rules_file)
    place = _place(lines, region) or None
    assessed = year or next((line.year for line in lines if line.year), None)
    form = ProgressForm(
        period=str(period),
        region=place,
        year=assessed,
        title=f"{place or ''}{assessed or ''}年度目标责任考核 {period.month}月 工作进展填报表",
        deadline=deadline(period, rules),
        lines=[
            FormLine(indicator_id=x.indicator_id, unit=x.unit, indicator=x.indicator, target=x.target, role=x.role)
            for x in lines
        ],
        sources=_sources(lines),
    )
    with writing(output):
        written = write_form(form, output, split=split)
    units = len({x.unit for x in lines})
    click.echo(f"已写入 {'、'.join(map(str, written))}：{units} 个单位共 {len(lines)} 行，报送截止 {form.deadline}")
    if output.suffix.lower() == ".csv" and period_in_name(output) is None:
        click.echo(f"提示：.csv 没有标题行，读回时请加 --period {period}，或在文件名中写明月份（如 {period}-单位.csv）",
                   err=True)  # fmt: skip


@progress_group.command(name="add")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period", type=PERIOD, help="填报的月份（表中已写明时可省略）")
@click.option(
    "--received", type=click.DateTime(formats=["%Y-%m-%d"]), help="考核办收到的日期（默认今天），据此判断是否逾期"
)
@db_option
def add_command(files: tuple[Path, ...], period: Any, received: Any, db: Path) -> None:
    """读回填好的进度填报表（.xlsx 或 .csv）：逐格检查，有错的文件不存入任何内容；同一单位同一月份再次
    报送时，新表替换旧表，旧表留作历史。月份取 --period，或表中写明的月份，或文件名中的月份（2020-06）。
    监视文件夹收到填报表时也这样读入。

    \b
    示例：
        kaohe progress add 6月进度填报-县林业局.xlsx 6月进度填报-县财政局.xlsx
        kaohe progress add 县交通运输局.xlsx --received 2020-07-16
    """
    from progress.intake import take_in

    store = open_store(db, must_exist=True)
    failed = 0
    for path in files:
        intake = take_in(store, path, period, received.date().isoformat() if received else None)
        if intake.stored is None:
            failed += 1
            click.echo(f"错误：{intake.message()}", err=True)
        else:
            click.echo(intake.message())
    if failed:
        raise SystemExit(1)


@progress_group.command(name="status")
@click.option("--period", required=True, type=PERIOD, help="月份，如 2020-06")
@selection_options
@click.option("--dept", help="只看这个单位")
@click.option("--level", "levels", multiple=True, type=click.Choice(LEVELS), help="只看这一级（可重复）")
@click.option(
    "--schedule",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="考核办的进度计划表（指标编号 + 一季度…四季度 或 1月…12月，累计应完成 %）",
)
@json_option
@rules_option
@db_option
def status_command(
    period: Any,
    framework_ids: tuple[int, ...],
    region: str | None,
    year: int | None,
    kinds: tuple[str, ...],
    dept: str | None,
    levels: tuple[str, ...],
    schedule: Path | None,
    as_json: bool,
    rules_file: Path | None,
    db: Path,
) -> None:
    """各指标、各责任单位本月的进度与三色预警：绿（正常）、黄（落后超过 10 个百分点）、红（超过 20 个，或突破
    控制性指标）、未报（截止日前未报送）。阈值见 kaohe rules。

    \b
    示例：
        kaohe progress status --period 2020-06 --region 佳县 --year 2020
        kaohe progress status --period 2020-06 --region 佳县 --year 2020 --level red --json
        kaohe progress status --period 2020-06 --region 佳县 --year 2020 --schedule 进度计划.xlsx
    """
    from progress.schedule import ScheduleError, read_schedule
    from progress.status import status_rows

    try:
        plan = read_schedule(schedule) if schedule else None
    except ScheduleError as e:
        raise click.ClickException(str(e)) from e
    store = open_store(db)
    rows = status_rows(store.db, _lines(store.db, framework_ids, region, year, dept), period, _rules(rules_file), plan)
    if levels:
        rows = [r for r in rows if r.level in levels]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        raise click.ClickException("没有符合条件的指标")
    click.echo(render_status(rows))


def render_status(rows: Sequence[Any]) -> str:
    from progress.levels import level_label

    headers = ["单位", "指标", "目标", "累计完成", "完成率", "应完成", "预警", "说明"]
    order = {"red": 0, "yellow": 1, "missing": 2, "green": 3}
    body = [
        [r.unit, r.indicator, r.target, _number(r.actual), _pct(r.completion_pct), _pct(r.expected_pct),
         level_label(r.level), r.reason]
        for r in sorted(rows, key=lambda r: (r.unit, order[r.level], r.indicator_id))
    ]  # fmt: skip
    counts = {level: sum(1 for r in rows if r.level == level) for level in LEVELS}
    summary = "，".join(f"{level_label(level)} {n}" for level, n in counts.items())
    return f"{render_table(headers, body)}\n共 {len(rows)} 项：{summary}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}%"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@progress_group.command(name="late")
@click.option("--period", required=True, type=PERIOD, help="月份，如 2020-06")
@selection_options
@json_option
@rules_option
@db_option
def late_command(
    period: Any,
    framework_ids: tuple[int, ...],
    region: str | None,
    year: int | None,
    kinds: tuple[str, ...],
    as_json: bool,
    rules_file: Path | None,
    db: Path,
) -> None:
    """截止日（默认次月 15 日）前没有报送本月进度的单位，及办法规定的扣分。

    \b
    示例：
        kaohe progress late --period 2020-06 --region 佳县 --year 2020
    """
    from progress.status import late_units, status_rows

    store = open_store(db)
    rules = _rules(rules_file)
    report = late_units(status_rows(store.db, _lines(store.db, framework_ids, region, year, None), period, rules),
                        period, rules)  # fmt: skip
    if as_json:
        emit_json(report)
        return
    if not report.units:
        click.echo(f"{period} 的进度，各单位均已在 {report.deadline} 前报送")
        return
    headers = ["单位", "情况", "应报指标", "扣分", "依据"]
    body = [
        [u.unit, "未报送" if u.status == "not_reported" else "逾期报送", u.indicators,
         "按情节（未定分值）" if u.deduction is None else f"-{u.deduction:g}", u.rule]
        for u in report.units
    ]  # fmt: skip
    click.echo(render_table(headers, body))
    click.echo(f"截止 {report.deadline}：{len(report.units)} 个单位未按时报送")


@progress_group.command(name="notice")
@click.option("--period", required=True, type=PERIOD, help="月份，如 2020-06")
@selection_options
@click.option("--dept", help="只为这个单位出单")
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="存放各单位 .docx 的文件夹")  # fmt: skip
@click.option("--issuer", help="落款（默认：<地区>考核委员会办公室）")
@click.option("--issued", type=click.DateTime(formats=["%Y-%m-%d"]), help="发出日期（默认今天）")
@click.option("--reply-days", type=click.IntRange(1, 90), default=10, show_default=True, help="限期回复的天数")
@click.option("--prefix", default="", help="编号前的机关代字，如 佳考办（编号成为 佳考办预警〔2020〕6-01号）")
@rules_option
@db_option
def notice_command(
    period: Any,
    framework_ids: tuple[int, ...],
    region: str | None,
    year: int | None,
    kinds: tuple[str, ...],
    dept: str | None,
    folder: Path,
    issuer: str | None,
    issued: Any,
    reply_days: int,
    prefix: str,
    rules_file: Path | None,
    db: Path,
) -> None:
    """为落后的单位各出一份预警提示单（黄色）或督办单（红色，或连续两月黄色）.docx：编号、单位、各项
    落后指标的目标、报送完成、应完成与差距、回复时限、落款与日期，一页 A4，供打印盖章。

    \b
    示例：
        kaohe progress notice --period 2020-06 --region 佳县 --year 2020 -o 预警单/
        kaohe progress notice --period 2020-06 --region 佳县 --year 2020 --dept 县交通运输局 --prefix 佳考办 -o 预警单/
    """
    from datetime import date

    from progress.levels import Period
    from progress.notice import notices_for, write_notices
    from progress.status import status_rows

    store = open_store(db)
    rules = _rules(rules_file)
    lines = _lines(store.db, framework_ids, region, year, None)
    rows = status_rows(store.db, lines, period, rules)
    previous = None
    if period.month > 1:
        previous = status_rows(store.db, lines, Period(year=period.year, month=period.month - 1), rules)
    notices = notices_for(rows, previous, period, prefix=prefix)  # numbered before --dept picks one
    if dept:
        notices = [n for n in notices if _unit_matches(n.unit, dept)]
    if not notices:
        click.echo(f"{period}：没有需要发预警提示单或督办单的单位" + (f"（{dept}）" if dept else ""))
        return
    place = _place(lines, region)
    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
        written = write_notices(notices, folder, issuer=issuer or f"{place}考核委员会办公室",
                                issued=issued.date() if issued else date.today(), reply_days=reply_days)  # fmt: skip
    kinds_count = {title: sum(1 for n in notices if n.title == title) for title in ("预警提示单", "督办单")}
    click.echo(f"已写入 {folder}：" + "，".join(f"{t} {n} 份" for t, n in kinds_count.items() if n))
    for path in written:
        click.echo(f"  {path.name}")


@progress_group.command(name="summary")
@click.option("--period", required=True, type=PERIOD, help="月份，如 2020-06")
@selection_options
@click.option("-o", "--output", required=True, type=OUTPUT, help=".xlsx 文件")
@rules_option
@db_option
def summary_command(
    period: Any,
    framework_ids: tuple[int, ...],
    region: str | None,
    year: int | None,
    kinds: tuple[str, ...],
    output: Path,
    rules_file: Path | None,
    db: Path,
) -> None:
    """一月一汇总（.xlsx）：各单位按进度指数排名（附条形图）、各单位与各类别的绿黄红数、滞后指标清单。

    \b
    示例：
        kaohe progress summary --period 2020-06 --region 佳县 --year 2020 -o 6月汇总.xlsx
    """
    from progress.reports import summary_title, write_summary
    from progress.status import status_rows

    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("-o 的文件须以 .xlsx 结尾")
    store = open_store(db)
    lines = _lines(store.db, framework_ids, region, year, None)
    rows = status_rows(store.db, lines, period, _rules(rules_file))
    place, sources = _place(lines, region), _sources(lines)
    with writing(output):
        write_summary(rows, period, output, title=summary_title(place, period), sources=sources)
    click.echo(f"已写入 {output}：{len({r.unit for r in rows})} 个单位、{len(rows)} 项")


@progress_group.command(name="bulletin")
@click.option("--quarter", required=True, help="季度，如 2020Q2")
@selection_options
@click.option("--issuer", help="落款（默认：<地区>考核委员会办公室）")
@click.option("--issued", type=click.DateTime(formats=["%Y-%m-%d"]), help="落款日期（默认今天）")
@click.option("-o", "--output", required=True, type=OUTPUT, help=".docx 文件")
@rules_option
@db_option
def bulletin_command(
    quarter: str,
    framework_ids: tuple[int, ...],
    region: str | None,
    year: int | None,
    kinds: tuple[str, ...],
    issuer: str | None,
    issued: Any,
    output: Path,
    rules_file: Path | None,
    db: Path,
) -> None:
    """一季一通报（.docx）：本季度各单位进展排名（附条形图）、总体情况、滞后指标清单与工作要求。

    \b
    示例：
        kaohe progress bulletin --quarter 2020Q2 --region 佳县 --year 2020 -o 二季度通报.docx
    """
    from progress.bulletin import write_bulletin
    from progress.reports import Quarter, bulletin_title
    from progress.status import status_rows

    try:
        parsed = Quarter.parse(quarter)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--quarter") from e
    if output.suffix.lower() != ".docx":
        raise click.UsageError("-o 的文件须以 .docx 结尾")
    store = open_store(db)
    lines = _lines(store.db, framework_ids, region, year, None)
    rules = _rules(rules_file)
    months = [(p, status_rows(store.db, lines, p, rules)) for p in parsed.months]
    months = [(p, rows) for p, rows in months if any(r.reported_at for r in rows)]
    if not months:
        raise click.ClickException(f"{parsed.label}没有任何月度进度报送，无法生成通报（先用 kaohe progress add 读入）")
    place, sources = _place(lines, region), _sources(lines)
    with writing(output):
        write_bulletin(months, str(parsed), output, issuer=issuer or f"{place}考核委员会办公室",
                       title=bulletin_title(place, parsed), sources=sources,
                       issued=issued.date() if issued else None)  # fmt: skip
    click.echo(f"已写入 {output}：{parsed.label}，{len(months)} 个月有报送")
