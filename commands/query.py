"""Questions to the store: ``kaohe owner``, ``dept``, ``search``, ``frameworks``, ``warnings``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from commands.options import (
    LIMIT,
    OUTPUT,
    YEAR,
    Text,
    db_option,
    emit_json,
    json_option,
    open_store,
    writing,
)
from store.copies import KIND_LABELS, RELATION_LABELS, files_label, merge_copies
from textview.table import render_table

# -- queries -----------------------------------------------------------------


def _merge_copies(answers: Sequence[Any]) -> list[tuple[Any, str]]:
    """One line per answer, with where it was found: ``name.docx|pdf 表1行3`` (page when one file)."""
    return [(m.answer, "；".join(c.short_label for c in m.citations)) for m in merge_copies(answers)]


def _answers_table(answers: Sequence[Any], with_relation: bool = False) -> str:
    merged = _merge_copies(answers)
    with_assessors = any(a.assessors for a, _ in merged)
    assessor_header = ["考核单位"] if with_assessors else []
    headers = ["指标", "分值", "类型", "牵头单位", "配合单位", *assessor_header, "类别", "框架", "来源"]
    if with_relation:
        headers.insert(3, "关系")
    rows = []
    for a, where in merged:
        framework = " ".join(filter(None, [a.framework.region, str(a.framework.year or ""), a.framework.assessee]))
        lead = a.lead + ("（承上）" if a.inherited else "") if a.lead else ""
        # The indicator's own name first when the table gives it apart from its requirement text.
        text = f"{a.name}：{a.indicator}" if a.name and a.name not in a.indicator else a.indicator
        row = [
            text,
            a.points,
            KIND_LABELS.get(a.kind, a.kind),
            lead,
            a.cooperating,
            *([a.assessors] if with_assessors else []),
            a.category,
            framework,
            where,
        ]
        if with_relation:
            row.insert(3, RELATION_LABELS.get(a.relation or "", ""))
        rows.append(row)
    return render_table(headers, rows)


LIMIT_HELP = "最多显示几条答案（同一通知的各份副本算一条）；0 表示全部。"


def _say_if_incomplete(page: Any) -> None:
    """More answers than shown: say so on stderr (stdout keeps only the data)."""
    if len(page.answers) < page.total:
        click.echo(f"显示 {len(page.answers)} / {page.total} 条；用 --limit 0 显示全部", err=True)


@click.command(name="owner")
@click.argument("query", type=Text("查询内容"))
@click.option("--year", type=YEAR, help="只查这一年度的框架。")
@click.option("--region", help="只查这个县区的框架，如 佳县。")
@click.option("--limit", type=LIMIT, default=50, show_default=True, help=LIMIT_HELP)
@db_option
@json_option
def owner_command(query: str, year: int | None, region: str | None, limit: int, db: Path, as_json: bool) -> None:
    """哪个单位牵头含有 QUERY 的指标（先按包含查找，找不到再模糊匹配）。

    QUERY 可用繁体、全角或带空格输入。同一通知的各份副本（.docx、.pdf…）算一条答案，列出每份文件；
    相符的多于 --limit 时，在标准错误输出上说明共有多少条。

    \b
    示例：
        kaohe owner 营造林面积
        kaohe owner 隐性债务 --json
        kaohe owner 工作 --limit 0
    """
    from store.queries import owners

    store = open_store(db)
    page = owners(store.db, query, year=year, region=region, limit=limit or None)
    if as_json:
        emit_json(page.answers)
    elif not page.answers:
        raise click.ClickException(f"没有与“{query}”相符的指标")
    else:
        if page.match == "fuzzy":
            click.echo(f"没有完全包含“{query}”的指标；下面是表述相近的指标（模糊匹配），请核对：", err=True)
        click.echo(_answers_table(page.answers))
    _say_if_incomplete(page)


@click.command(name="dept")
@click.argument("name", type=Text("单位名称"))
@click.option("--region", help="只在这个县区内查找，如 佳县（默认：存储中的每个地区）。")
@click.option("--year", type=YEAR, help="只看这一年度的框架（及通知）。")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx", "md", "csv"]), help="导出格式（需 -o 文件）。")
@click.option("-o", "--output", type=OUTPUT, help="把该单位的一览表导出到这个文件。")
@db_option
@json_option
def dept_command(
    name: str, region: str | None, year: int | None, fmt: str | None, output: Path | None, db: Path, as_json: bool
) -> None:
    """一个单位牵头、配合、负责考核或被考核的全部指标（责任分解），按框架分别合计。

    NAME 按平时的写法即可：全称、别名、简称或不带县名（发改局、林业局、县教育局），在每个地区内解析。
    一个名称指向不同单位时列出它们（用 --region 或全称选定）；找不到时提示最接近的单位。两种情况都以 1 退出。

    加 -o 时，把同样内容写成文件（每个框架一节，与 kaohe breakdown 的写法相同）。

    \b
    示例：
        kaohe dept 林业局
        kaohe dept 发改局 --region 佳县 --year 2020
        kaohe dept 县林业局 --year 2020 -o 县林业局.docx
    """
    from store.dept_view import framework_loads, mentions_by_notice
    from store.queries import department, mentions
    from store.unit_queries import framework_points

    if fmt and output is None:
        raise click.UsageError("--format 需要同时用 -o 给出文件")
    store = open_store(db)
    lookup = _find_unit(store.db, name, region)
    if output is not None:
        _export_dept(store.db, lookup, year, fmt, output)
        return
    answers = department(store.db, lookup.units, year=year)
    if as_json:
        emit_json(answers)
        return
    prose = mentions_by_notice(mentions(store.db, lookup.units, year=year))
    if not answers and not prose:
        when = f" {year} 年度" if year else ""
        named = "、".join(dict.fromkeys(u for _, u in lookup.units))
        raise click.ClickException(f"{named}：库中没有{when}相关的指标或正文提及")
    ids = sorted({a.framework.id for a in answers})
    loads = framework_loads(answers, lookup.units, framework_points(store.db, ids))
    click.echo(_dept_report(loads, prose))


def _find_unit(db: Any, name: str, region: str | None) -> Any:
    """The unit NAME means (printing how it was understood to stderr); a ClickException when none or several."""
    from store.unit_queries import RegionUnknown, find_unit

    try:
        lookup = find_unit(db, name, region)
    except RegionUnknown as e:
        raise click.ClickException(str(e)) from e
    if not lookup.found:
        hint = "请输入单位全称。" if lookup.candidates else ""
        if len({c.region for c in lookup.candidates}) > 1:
            hint = "请用 --region 选定地区，或输入单位全称。"
        raise click.ClickException(f"{lookup.problem()}{hint}")
    if lookup.understood_as():
        click.echo(lookup.understood_as(), err=True)
    return lookup


def _export_dept(db: Any, lookup: Any, year: int | None, fmt: str | None, output: Path) -> None:
    from export import BreakdownError, write_breakdown
    from export.breakdown import department_breakdown

    try:
        sheet = department_breakdown(db, lookup.name, year=year, units=lookup.units)
        with writing(output):
            write_breakdown(sheet, output, fmt)
    except BreakdownError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"已写入 {output}：{sheet.title}，{sum(len(s.rows) for s in sheet.sections)} 行", err=True)


def _dept_report(loads: Sequence[Any], notices: Sequence[Any]) -> str:
    """Per region and year one line per framework (never one sum), then each framework's rows, then prose."""
    from store.dept_view import TOTALS_NOTE, region_years

    lines = []
    for group in region_years(loads):
        lines.append(f"{group.region or '（未知地区）'} {group.year or ''} {group.unit}")
        lines += [f"  {load.label} · {load.title or '（无标题）'}：{load.summary}" for load in group.loads]
    if loads:
        lines.append(f"（{TOTALS_NOTE}）")
    for load in loads:
        where = " ".join(filter(None, [load.region, str(load.year or ""), load.assessee]))
        lines += ["", f"【{load.title or '（无标题）'}】{where} — {load.label}：{load.summary}"]
        lines.append(_answers_table(load.answers, with_relation=True))
    if notices:
        lines += ["", f"正文提及（{len(notices)} 份通知）:"]
        for notice in notices:
            lines.append(f"  {notice.label}")
            lines += [f"    {p.label}：…{p.context}…" for p in notice.paragraphs]
    return "\n".join(lines).lstrip("\n")


@click.command(name="frameworks")
@click.option("--year", type=YEAR, help="只列这一年度的框架。")
@click.option("--region", help="只列这个县区的框架，如 佳县。")
@db_option
@json_option
def frameworks_command(year: int | None, region: str | None, db: Path, as_json: bool) -> None:
    """列出存储中的考核框架（编号供其他命令使用）；同一通知的各份副本合为一行。

    \b
    示例：
        kaohe frameworks --region 佳县
    """
    from store.copies import FRAMEWORK_KIND_LABELS, one_per_notice
    from store.queries import frameworks

    store = open_store(db)
    items = frameworks(store.db, region=region, year=year)
    if as_json:
        emit_json(items)  # every copy: programs need each framework's id
        return
    if not items:
        where = " ".join(filter(None, [region, f"{year} 年度" if year else None]))
        raise click.ClickException(f"存储中没有{where or '任何'}考核框架")
    rows = []
    for row in one_per_notice(items):
        f, files = row.summary, files_label([row.summary.document, *(c.document for c in row.copies)])
        kind = FRAMEWORK_KIND_LABELS.get(f.kind, f.kind)
        rows.append((f.id, f.region, f.year, kind, f.title, f.group, f.assessee, f.indicators, f.points, files))
    headers = ["编号", "地区", "年度", "类型", "标题", "分组", "被考核单位", "指标", "分值", "文件"]
    click.echo(render_table(headers, rows))
    copies = f"（{len(items)} 份，含同一通知其他格式的副本；编号为所选的一份，--json 列出全部）"
    click.echo(f"共 {len(rows)} 个框架{copies if len(items) > len(rows) else ''}", err=True)


@click.command(name="search")
@click.argument("text", type=Text("搜索内容"))
@click.option("--limit", type=LIMIT, default=50, show_default=True, help=LIMIT_HELP)
@db_option
@json_option
def search_command(text: str, limit: int, db: Path, as_json: bool) -> None:
    """在指标内容、名称和类别中全文搜索（中文子串；繁体、全角、空格的处理与 owner 相同）。

    \b
    示例：
        kaohe search 脱贫攻坚
        kaohe search 河長制 --limit 0
    """
    from store.queries import owners

    store = open_store(db)
    page = owners(store.db, text, limit=limit or None)
    if as_json:
        emit_json(page.answers)
    else:
        if not page.answers:
            raise click.ClickException(f"没有与“{text}”相符的指标")
        click.echo(_answers_table(page.answers))
    _say_if_incomplete(page)


@click.command(name="warnings")
@click.option("--document", help="只看路径中含有这段文字的文件。")
@db_option
@json_option
def warnings_command(document: str | None, db: Path, as_json: bool) -> None:
    """导入时发现的一致性警告（合计对不上、未知单位…），原样报告，未作更正。

    \b
    示例：
        kaohe warnings --document 佳县
    """
    from store.queries import warnings

    store = open_store(db)
    items = warnings(store.db, document)
    if as_json:
        emit_json(items)
    else:
        rows = [(Path(w.document).name, w.code, w.message) for w in items]
        click.echo(render_table(["文件", "代码", "内容"], rows) if rows else "没有警告")
