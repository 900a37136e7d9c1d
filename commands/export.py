"""``kaohe breakdown``: a 任务分解 framework exported as a 责任分解一览表 (.xlsx/.docx/.md/.csv)."""

from __future__ import annotations

from pathlib import Path

import click

from commands.options import (
    FRAMEWORK_ID,
    OUTPUT,
    YEAR,
    db_option,
    open_store,
    writing,
)

# -- breakdown (责任分解一览表) ------------------------------------------------


EXPORT_FORMATS = ["xlsx", "docx", "md", "csv"]


@click.command(name="breakdown")
@click.argument("framework_ids", nargs=-1, type=FRAMEWORK_ID, metavar="[FRAMEWORK_ID]...")
@click.option("--region", help="不给编号时：这个县区的任务分解框架。")
@click.option("--year", type=YEAR, help="不给编号时：这一年度的任务分解框架。")
@click.option("--dept", "dept_name", help="只导出这个单位牵头或配合的行（可用别名）。")
@click.option("--by", type=click.Choice(["category", "dept"]), default="category", show_default=True,
              help="按市里下发的类别分组，或每个单位一节并给出分值合计。")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), help="默认按输出文件的扩展名。")
@click.option("--title", help="标题（默认由框架标题生成）。")
@click.option("-o", "--output", required=True, type=OUTPUT, help="输出文件。")
@db_option
def breakdown_command(
    framework_ids: tuple[int, ...],
    region: str | None,
    year: int | None,
    dept_name: str | None,
    by: str,
    fmt: str | None,
    title: str | None,
    output: Path,
    db: Path,
) -> None:
    """导出指标任务和责任分解一览表（.xlsx、.docx、.md、.csv）：分值、牵头单位、配合单位。

    不给编号时，导出 --region/--year 的任务分解框架（市考分解）；同一通知存有多种格式时只导出一份。

    \b
    示例：
        kaohe breakdown --region 佳县 --year 2020 -o 责任分解.docx
        kaohe breakdown --region 佳县 --year 2020 --by dept -o 责任分解.xlsx
        kaohe breakdown 1 --dept 县发改局 -o 发改局.md
    """
    from export import BreakdownError, write_breakdown
    from export.breakdown import build_breakdown, department_units
    from export.writers import format_for
    from store.breakdown_queries import frameworks_by_ids, frameworks_of

    try:
        chosen = format_for(output, fmt)
    except BreakdownError as e:
        raise click.UsageError(str(e)) from e
    store = open_store(db)
    found = frameworks_by_ids(store.db, framework_ids) if framework_ids else frameworks_of(store.db, region, year)
    missing = sorted(set(framework_ids) - {f.id for f in found})
    if missing or not found:
        what = f"没有编号为 {missing[0]} 的框架" if missing else "没有找到任务分解框架"
        raise click.ClickException(f"{what}；见 kaohe frameworks")
    units = department_units(store.db, dept_name) if dept_name else None
    try:
        breakdown = build_breakdown(store.db, found, by=by, units=units, title=title)  # type: ignore[arg-type]
    except BreakdownError as e:
        hint = "" if framework_ids else "（请用 --region 和 --year 选定）"
        raise click.ClickException(f"{e}{hint}") from e
    if not breakdown.sections:
        raise click.ClickException(f"{dept_name}：该单位在任务分解中没有指标")
    with writing(output):
        write_breakdown(breakdown, output, chosen)
    rows = sum(len(s.rows) for s in breakdown.sections)
    click.echo(f"已写入 {output}：{breakdown.title}，{len(breakdown.sections)} 节 {rows} 行，"
               f"{breakdown.total_points:g} 分，来自 {'、'.join(Path(d).name for d in breakdown.documents)}",
               err=True)  # fmt: skip
