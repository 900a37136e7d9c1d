"""kaohe command line: the only module that uses click.

Exit codes: 0 ok, 1 a file failed, the store could not answer or nothing was found, 2 usage error.
A bad argument or a store/file that cannot be used is one `错误：…` line, never a traceback. Everything a
person reads is Chinese (click's own words too: commands.click_zh); ``--json`` carries English codes.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import BaseModel

from ingest.errors import IngestError
from ingest.report import render_table
from store.copies import KIND_LABELS, RELATION_LABELS, merge_copies
from store.errors import OS_REASONS, StoreError, write_problem

# Start fast: the parsers, the table reader, spaCy/jieba, openpyxl… load inside the commands that use them
# (tests/test_fast_start.py checks what `kaohe owner` loads).
if TYPE_CHECKING:
    from frameworks.explain import TableReading
    from parsers import Cell, Document

from commands import click_zh

click_zh.install()  # click's own words (用法：, 选项, 错误：…) in Chinese, before any command runs

CONTEXT = {"help_option_names": ["-h", "--help"]}
DEFAULT_DB = "kaohe.db"
F = TypeVar("F", bound=Callable[..., Any])


# -- bad arguments and environments: one Chinese line each ----------------------------------------------------
# click's own messages are English; these types say what is wrong in Chinese (exit 2, as click's do).


def _label(param: click.Parameter | None) -> str:
    return f"{max(param.opts, key=len)}：" if isinstance(param, click.Option) else ""


class _Bounded:
    """Mixed into click.IntRange/FloatRange: a value out of range, not a number or not finite is one line."""

    def __init__(self, low: float, high: float, what: str) -> None:
        super().__init__(low, high)  # type: ignore[call-arg]
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            number = super().convert(value, param, ctx)  # type: ignore[misc]
            if math.isfinite(number):
                return number
        except click.BadParameter:
            pass
        low, high = (f"{n:g}" if isinstance(n, float) else str(n) for n in (self.min, self.max))  # type: ignore[attr-defined]
        kind = "整数" if isinstance(self, click.IntRange) else "数"
        shown = str(value) if len(str(value)) <= 40 else f"{str(value)[:39]}…"
        raise click.UsageError(f"{_label(param)}{self.what}应为 {low}–{high} 之间的{kind}，收到 {shown}", ctx)


class _IntIn(_Bounded, click.IntRange):
    pass


class _FloatIn(_Bounded, click.FloatRange):
    pass


YEAR = _IntIn(1949, 2100, "年份")
FRAMEWORK_ID = _IntIn(1, 2**63 - 1, "框架编号")  # SQLite's INTEGER range
LIMIT = _IntIn(0, 10_000, "条数")  # owner/search: 0 is every answer
QUERY_MAX = 1000  # characters: longer than any indicator, short enough for the fuzzy fallback


class _Text(click.ParamType):
    """A query or a name: not empty, not longer than QUERY_MAX."""

    name = "text"

    def __init__(self, what: str) -> None:
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not text:
            raise click.UsageError(f"{self.what}不能为空", ctx)
        if len(text) > QUERY_MAX:
            raise click.UsageError(f"{self.what}过长（{len(text)} 字，最多 {QUERY_MAX} 字）", ctx)
        return text


class _FilePath(click.Path):
    """--db, -o: a file (a folder is a usage error). ``output``: a folder that is missing or not writable fails
    before any work (exit 1: the place, not the command line, is wrong)."""

    def __init__(self, output: bool = False) -> None:
        super().__init__(dir_okay=False, path_type=Path)
        self.output = output

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        if path.is_dir():
            raise click.UsageError(f"{_label(param)}{path} 是文件夹，请给出文件名", ctx)
        problem = write_problem(path) if self.output else None
        if problem:
            raise click.ClickException(f"{path}：无法写入，{problem}")
        return path


OUTPUT = _FilePath(output=True)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Writing ``path`` failed all the same (read-only file system, disk full…): one line, exit 1."""
    try:
        yield
    except OSError as e:
        reason = OS_REASONS.get(e.errno or 0, e.strerror or str(e))
        raise click.ClickException(f"{e.filename or path}：无法写入，{reason}") from e


class _StoreErrors:
    """A typed store error (store.errors) from any command is one `错误：…` line and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except StoreError as e:
            raise click.ClickException(str(e)) from e


class _Group(_StoreErrors, click.Group):
    pass


class _Command(_StoreErrors, click.Command):
    pass


def db_option(func: F) -> F:
    return click.option(
        "--db",
        type=_FilePath(),
        default=lambda: os.environ.get("KAOHE_DB", DEFAULT_DB),
        show_default=f"$KAOHE_DB 或 ./{DEFAULT_DB}",
        help="SQLite 存储文件。",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="输出 JSON（README 中有字段说明；代码为英文）。")(func)


def _open_store(db: Path, must_exist: bool = True) -> Any:
    from store import Store

    if must_exist and not db.exists():
        raise click.ClickException(f"{db}：这里还没有存储；请先运行 kaohe-ingest 文件或文件夹 --db {db}")
    return Store(db)


def _emit_json(items: Sequence[BaseModel] | BaseModel) -> None:
    if isinstance(items, BaseModel):
        click.echo(items.model_dump_json(indent=2))
    else:
        click.echo(json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, indent=2))


@click.group(context_settings=CONTEXT, cls=_Group)
@click.version_option(package_name="kaohe")
def cli() -> None:
    """kaohe：把目标责任考核通知读入存储，回答谁牵头、单位承担什么、年度对比、得分与等次。"""


# -- parse -------------------------------------------------------------------


@cli.command(name="parse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--explain-table", "explain", is_flag=True, help="改为说明每张考核表各列的读法及依据")
@json_option
def parse_command(file: Path, explain: bool, as_json: bool) -> None:
    """显示一份通知读出的内容（不写入存储）：文号等信息、段落与表格。

    加 --explain-table 时，改为列出读到的每张考核表：每一列读作什么（责任单位、分值、考核单位…），
    以及决定读法的表头文字和内容。

    \b
    示例：
        kaohe parse samples/佳县2020年度目标责任考核指标.docx --json
        kaohe parse notice.docx --explain-table
    """
    from frameworks.explain import table_readings
    from parsers import parse as parse_file

    try:
        document = parse_file(file)
    except IngestError as e:
        raise click.ClickException(str(e)) from e
    if explain:
        readings = table_readings(document)
        if as_json:
            _emit_json(readings)
        else:
            if not readings:
                raise click.ClickException(f"{file}：未识别出考核指标表")
            click.echo(render_readings(readings))
        return
    click.echo(document.model_dump_json(indent=2) if as_json else render_outline(document))


def render_readings(readings: Sequence[TableReading]) -> str:
    from frameworks.vocabulary import ROLE_LABELS

    parts = []
    for r in readings:
        certainty = "" if r.margin is None else f"，领先次优读法 {r.margin:g} 分"
        tables = "、".join(str(t + 1) for t in r.tables)
        parts.append(f"【{r.title or '(无标题)'}】表{tables}，{r.indicators} 项指标{certainty}")
        rows = [
            (c.col + 1, c.header or "(空)", ROLE_LABELS[c.role], f"{c.score:g}",
             f"{ROLE_LABELS[c.runner_up]} {c.margin:+g}" if c.runner_up and c.margin is not None else "",
             "；".join(c.evidence))
            for c in r.columns
        ]  # fmt: skip
        parts.append(render_table(["列", "表头", "读作", "得分", "次选", "依据"], rows))
        parts.extend(f"  ! {w}" for w in r.warnings)
    return "\n\n".join(parts)


METADATA_LABELS = {
    "issuer": "发文机关", "co_issuers": "联合发文机关", "doc_number": "发文字号", "title": "标题",
    "recipients": "主送机关", "date": "成文日期", "attachments": "附件", "cc": "抄送机关", "printed_by": "印发机关",
    "printed_date": "印发日期", "doc_number_parts": "文号各部分", "wenzhong": "文种", "genre": "内容类别",
}  # fmt: skip


def render_outline(document: Document) -> str:
    """A readable outline: metadata, then each block, tables as rows of cells."""
    from parsers import Paragraph

    src, meta = document.source, document.metadata
    lines = [f"{src.path}  [{src.format}，{src.size} 字节，sha256 {src.sha256[:12]}]"]
    for label, value in meta.model_dump().items():
        if value:
            shown = "；".join(map(str, value)) if isinstance(value, list) else value
            lines.append(f"  {METADATA_LABELS.get(label, label)}：{shown}")
    for index, block in enumerate(document.blocks):
        page = f" 第{block.page}页" if block.page else ""
        if isinstance(block, Paragraph):
            lines.append(f"[{index}{page}] {block.text}")
        else:
            lines.append(f"[{index}{page}] 表格 {block.n_rows} 行 × {block.n_cols} 列")
            lines.extend(f"    {r:>3} | " + " | ".join(_cell_label(c) for c in row) for r, row in enumerate(block.rows))
    lines.extend(f"警告：{w.message}" for w in document.warnings)
    return "\n".join(lines)


def _cell_label(cell: Cell) -> str:
    span = f"⟨{cell.rowspan}×{cell.colspan}⟩" if cell.rowspan > 1 or cell.colspan > 1 else ""
    return f"c{cell.col}{span} {cell.text.replace(chr(10), '⏎')}"


# -- ingest ------------------------------------------------------------------


@click.command(name="ingest", context_settings=CONTEXT, cls=_Command)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@json_option
@click.option("-s", "--silent", is_flag=True, help="不显示进度条。")
@click.option("--fail-fast", is_flag=True, help="遇到第一个失败的文件即停止。")
def ingest_command(paths: tuple[Path, ...], db: Path, as_json: bool, silent: bool, fail_fast: bool) -> None:
    """把通知（文件，或文件夹及其子文件夹）读入存储；每份文件一个事务，失败的文件不留半点内容。

    \b
    示例：
        kaohe-ingest samples/
        kaohe-ingest 2021年通知/ --db 考核.db --json
    """
    from datetime import UTC, datetime

    from ingest.discover import iter_notice_files
    from ingest.pipeline import FileResult, ingest_paths

    store = _open_store(db, must_exist=False)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    files = list(iter_notice_files(paths))
    show_bar = not silent and not as_json and len(files) > 1
    label = "导入中" if show_bar else ""
    with click.progressbar(length=len(files), label=label, file=sys.stderr, hidden=not show_bar) as bar:

        def on_file(result: FileResult) -> None:
            bar.update(1)
            if result.status == "failed":
                click.echo(f"\n错误：{result.error}", err=True)

        # A file the store refuses (locked, read-only) is a failed result there (StoreError.not_stored).
        summary = ingest_paths(files, store, on_file=on_file, fail_fast=fail_fast)
    if as_json:
        click.echo(summary.model_dump_json(indent=2))
    else:
        click.echo(_ingest_report(summary, store), err=False)
    _record_run(store, started_at, summary)
    store.close()
    if summary.failed:
        sys.exit(1)


def _record_run(store: Any, started_at: str, summary: Any) -> None:
    """The run's row in ingest_runs; a store that refuses it is reported, the summary is already out."""
    try:
        store.record_run(started_at, len(summary.files), summary.count("added", "replaced"),
                         summary.count("unchanged", "duplicate"), len(summary.failed))  # fmt: skip
    except StoreError as e:
        click.echo(f"错误：本次运行未记入 ingest_runs：{e}", err=True)


def _ingest_report(summary: Any, store: Any) -> str:
    rows = [
        (Path(f.file).name, _status_label(f), f.frameworks, f.indicators, f.deductions, len(f.warnings),
         f"{f.seconds:.2f} 秒")
        for f in summary.files
    ]  # fmt: skip
    table = render_table(["文件", "状态", "框架", "指标", "扣分项", "警告", "用时"], rows)
    totals = (
        f"共 {len(summary.files)} 个文件：导入 {summary.count('added', 'replaced')} 个，"
        f"未变 {summary.count('unchanged')} 个，重复 {summary.count('duplicate')} 个，"
        f"失败 {len(summary.failed)} 个；框架 {sum(f.frameworks for f in summary.files)} 个，"
        f"指标 {sum(f.indicators for f in summary.files)} 项，"
        f"扣分项 {sum(f.deductions for f in summary.files)} 项，"
        f"警告 {sum(len(f.warnings) for f in summary.files)} 条；用时 {summary.seconds:.1f} 秒 → {store.path}"
    )
    return "\n".join([table, *_warning_lines(summary), totals])


STATUS_LABELS = {"added": "已导入", "replaced": "已更新", "unchanged": "未变", "duplicate": "重复", "failed": "失败"}


def _status_label(result: Any) -> str:
    """``added`` alone would hide a notice that gave nothing: say so in the row itself."""
    if any(w.startswith("0 项指标") for w in result.warnings):  # not a 办法 with rules only: nothing read
        return f"{STATUS_LABELS[result.status]}（0 项指标）"
    return STATUS_LABELS[result.status]


def _warning_lines(summary: Any) -> list[str]:
    """Each distinct warning once, with the files it came from (copies of a notice share theirs)."""
    files_by_message: dict[str, list[str]] = {}
    for f in summary.files:
        for message in f.warnings:
            files_by_message.setdefault(message, []).append(f.file)
    if not files_by_message:
        return []
    lines = ["", "警告（原样报告，未作更正）:"]
    for message, files in files_by_message.items():
        stems = sorted({Path(p).stem for p in files})
        suffixes = "|".join(sorted({Path(p).suffix.lstrip(".") for p in files}))
        lines.append(f"  - {message}  [{'、'.join(stems)}.{suffixes}]")
    return [*lines, ""]


cli.add_command(ingest_command)


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


@cli.command(name="owner")
@click.argument("query", type=_Text("查询内容"))
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

    store = _open_store(db)
    page = owners(store.db, query, year=year, region=region, limit=limit or None)
    if as_json:
        _emit_json(page.answers)
    elif not page.answers:
        raise click.ClickException(f"没有与“{query}”相符的指标")
    else:
        if page.match == "fuzzy":
            click.echo(f"没有完全包含“{query}”的指标；下面是表述相近的指标（模糊匹配），请核对：", err=True)
        click.echo(_answers_table(page.answers))
    _say_if_incomplete(page)


@cli.command(name="dept")
@click.argument("name", type=_Text("单位名称"))
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
    store = _open_store(db)
    lookup = _find_unit(store.db, name, region)
    if output is not None:
        _export_dept(store.db, lookup, year, fmt, output)
        return
    answers = department(store.db, lookup.units, year=year)
    if as_json:
        _emit_json(answers)
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
        with _writing(output):
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


@cli.command(name="frameworks")
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

    store = _open_store(db)
    items = frameworks(store.db, region=region, year=year)
    if as_json:
        _emit_json(items)  # every copy: programs need each framework's id
        return
    if not items:
        where = " ".join(filter(None, [region, f"{year} 年度" if year else None]))
        raise click.ClickException(f"存储中没有{where or '任何'}考核框架")
    rows = []
    for row in one_per_notice(items):
        f, files = row.summary, [row.summary.document, *(c.document for c in row.copies)]
        name = Path(f.document).stem + "." + "|".join(sorted(Path(p).suffix.lstrip(".") for p in files))
        kind = FRAMEWORK_KIND_LABELS.get(f.kind, f.kind)
        rows.append((f.id, f.region, f.year, kind, f.title, f.group, f.assessee, f.indicators, f.points, name))
    headers = ["编号", "地区", "年度", "类型", "标题", "分组", "被考核单位", "指标", "分值", "文件"]
    click.echo(render_table(headers, rows))
    copies = f"（{len(items)} 份，含同一通知其他格式的副本；编号为所选的一份，--json 列出全部）"
    click.echo(f"共 {len(rows)} 个框架{copies if len(items) > len(rows) else ''}", err=True)


@cli.command(name="search")
@click.argument("text", type=_Text("搜索内容"))
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

    store = _open_store(db)
    page = owners(store.db, text, limit=limit or None)
    if as_json:
        _emit_json(page.answers)
    else:
        if not page.answers:
            raise click.ClickException(f"没有与“{text}”相符的指标")
        click.echo(_answers_table(page.answers))
    _say_if_incomplete(page)


@cli.command(name="warnings")
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

    store = _open_store(db)
    items = warnings(store.db, document)
    if as_json:
        _emit_json(items)
    else:
        rows = [(Path(w.document).name, w.code, w.message) for w in items]
        click.echo(render_table(["文件", "代码", "内容"], rows) if rows else "没有警告")


# -- diff --------------------------------------------------------------------


@cli.command(name="diff")
@click.argument("frameworks_ids", nargs=-1, type=FRAMEWORK_ID, metavar="[OLD NEW]")
@click.option("--region", help="比较这个县区两个年度的全部框架。")
@click.option("--years", nargs=2, type=YEAR, metavar="OLD NEW", help="两个年度（与 --region 同用）。")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "xlsx"]), default="text", show_default=True)
@click.option("-o", "--output", type=OUTPUT, help="把报告写入这个文件。")
@click.option(
    "--threshold", type=_FloatIn(0, 100, "配对阈值"), default=None, help="新旧指标配对的相似度阈值（0–100）。"
)
@db_option
@json_option
def diff_command(
    frameworks_ids: tuple[int, ...],
    region: str | None,
    years: tuple[int, int] | None,
    fmt: str,
    output: Path | None,
    threshold: float | None,
    db: Path,
    as_json: bool,
) -> None:
    """两个年度考核框架的对比：新增、删除和变化的指标（及变化之处）。

    \b
    示例：
        kaohe diff 1 36                          # 框架编号见 kaohe frameworks
        kaohe diff --region 佳县 --years 2020 2021 --format xlsx -o 佳县考核指标对比.xlsx
    """
    from frameworks.diff import FrameworkDiff
    from frameworks.yearly import RegionDiff

    if bool(frameworks_ids) == bool(region or years) or (frameworks_ids and len(frameworks_ids) != 2):
        raise click.UsageError("请给出两个框架编号（旧 新），或 --region 地区 --years 旧年度 新年度")
    if (region is None) != (years is None):
        raise click.UsageError("--region 与 --years 须同时给出")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx 需要同时用 -o 给出文件")
    store = _open_store(db)
    if frameworks_ids:
        result: FrameworkDiff | RegionDiff = _diff_by_ids(store.db, *frameworks_ids, threshold=threshold)
    else:
        assert region is not None and years is not None
        result = _diff_by_region(store.db, region, *years, threshold=threshold)
    _emit_diff(result, fmt, output, as_json)


def _diff_kwargs(threshold: float | None) -> dict[str, float]:
    return {} if threshold is None else {"threshold": threshold}


def _diff_pair(db: Any, old: Any, new: Any, threshold: float | None) -> Any:
    from frameworks.diff import DiffIndicator, diff_indicators
    from store.framework_queries import framework_indicators

    before = [DiffIndicator.from_answer(a) for a in framework_indicators(db, old.id)]
    after = [DiffIndicator.from_answer(a) for a in framework_indicators(db, new.id)]
    return diff_indicators(before, after, **_diff_kwargs(threshold)).model_copy(update={"old": old, "new": new})


def _diff_by_ids(db: Any, old_id: int, new_id: int, threshold: float | None) -> Any:
    from frameworks.yearly import side_of
    from store.framework_queries import framework_by_id

    sides = []
    for framework_id in (old_id, new_id):
        summary = framework_by_id(db, framework_id)
        if summary is None:
            raise click.ClickException(f"没有编号为 {framework_id} 的框架；编号见 kaohe frameworks")
        sides.append(side_of(summary))
    return _diff_pair(db, sides[0], sides[1], threshold)


def _diff_by_region(db: Any, region: str, old_year: int, new_year: int, threshold: float | None) -> Any:
    from frameworks.yearly import RegionDiff, pair_frameworks
    from store.framework_queries import pick_frameworks

    old, new = pick_frameworks(db, region, old_year), pick_frameworks(db, region, new_year)
    for year, found in ((old_year, old), (new_year, new)):
        if not found:
            raise click.ClickException(f"存储中没有{region} {year} 年度的框架；见 kaohe frameworks")
    pairs, removed, added = pair_frameworks(old, new)
    for side in [s for pair in pairs for s in pair]:
        click.echo(f"{side.year} {side.title or ''} {side.assessee or ''}：{Path(side.document or '').name}"
                   f"{f'（另有 {len(side.copies)} 份相同通知）' if side.copies else ''}", err=True)  # fmt: skip
    diffs = [_diff_pair(db, a, b, threshold) for a, b in pairs]
    return RegionDiff(region=region, old_year=old_year, new_year=new_year, diffs=diffs,
                      added_frameworks=added, removed_frameworks=removed)  # fmt: skip


def _emit_diff(result: Any, fmt: str, output: Path | None, as_json: bool) -> None:
    from frameworks.diff import FrameworkDiff
    from ingest.diff_report import framework_label, render_markdown, render_text, sections, write_xlsx

    if isinstance(result, FrameworkDiff):
        report = sections([result])
        title = f"考核指标对比：{framework_label(result.old)} → {framework_label(result.new)}"
    else:
        report = sections(result.diffs, result.added_frameworks, result.removed_frameworks)
        title = f"{result.region} {result.old_year} → {result.new_year} 年度考核指标对比"
    if as_json:
        text = result.model_dump_json(indent=2)
    elif fmt == "md":
        text = render_markdown(report, title)
    elif fmt == "xlsx":
        assert output is not None
        with _writing(output):
            write_xlsx(report, output)
        click.echo(f"已写入 {output}", err=True)
        return
    else:
        text = f"{title}\n\n{render_text(report)}"
    _emit_text(text, output)


def _emit_text(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
        return
    with _writing(output):
        output.write_text(text + "\n", encoding="utf-8")
    click.echo(f"已写入 {output}", err=True)


# -- watch -------------------------------------------------------------------


@cli.command(name="watch")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option("--poll", is_flag=True, help="定时查看文件夹，而不是等待文件系统通知（网络共享文件夹用）。")
@click.option("--settle", type=_FloatIn(0, 3600, "秒数"), default=2.0, show_default=True,
              help="文件须保持不变多少秒才读取。")  # fmt: skip
@click.option("--log", "log_file", type=OUTPUT, help="同时把日志写入这个文件。")
def watch_command(folder: Path, db: Path, poll: bool, settle: float, log_file: Path | None) -> None:
    """持续导入存入 FOLDER 的每份通知（已有的和新到的），直到停止。

    文件写完后导入，再移到 FOLDER/processed/（重复的也是），失败的移到 FOLDER/failed/ 并附
    文件名.error.txt 说明。每个文件在标准错误输出上记一行日志。

    \b
    示例：
        kaohe watch /srv/考核/收件 --db /srv/考核/kaohe.db
        kaohe watch /mnt/share/考核 --poll --log watch.log
    """
    import logging

    from ingest.watch import Watcher, WatchOptions

    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        with _writing(log_file):
            handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    watch_log = logging.getLogger("ingest.watch")
    watch_log.setLevel(logging.INFO)
    for handler in handlers:
        watch_log.addHandler(handler)
    Watcher(folder, db, WatchOptions(settle=settle, poll=poll)).run()  # says why and exits 1 when it cannot go on


# -- score -------------------------------------------------------------------


# store.scoring_queries.ALL_KINDS (not imported here: cli imports stay light)
def _selection_options(func: F) -> F:
    """FRAMEWORK_ID... or --region/--year, and --kind: how kaohe template and kaohe score choose frameworks."""
    from store.scoring_queries import ALL_KINDS

    for option in reversed(
        [
            click.argument("framework_ids", nargs=-1, type=FRAMEWORK_ID),
            click.option(
                "--region",
                help="这个县区被考核单位的框架（与 --year 同用），每份通知取一份副本。",
            ),
            click.option("--year", type=YEAR, help="考核年度（与 --region 同用）。"),
            click.option(
                "--kind",
                "kinds",
                multiple=True,
                type=click.Choice(ALL_KINDS),
                help="只用这些类型的框架（可重复）。用 --region/--year 时默认为 per_unit（单位考核表）、"
                "common（共性指标）和 negative_list（负面清单）；breakdown（市考分解）须明确要求。",
            ),
        ]
    ):
        func = option(func)
    return func


@cli.command(name="score")
@_selection_options
@click.option("--results", "results_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="规则 .toml 文件，覆盖该地区的规则（见 kaohe rules --region 地区）。",
)
@click.option("--explain", "explain_name", metavar="UNIT", help="逐分说明一个单位的得分。")
@click.option("--format", "fmt", type=click.Choice(["table", "xlsx"]), default="table", show_default=True)
@click.option("-o", "--output", type=OUTPUT, help="把报告写入这个文件。")
@click.option("--allow-partial", is_flag=True, help="结果表有错误时，只对无误的行计分。")
@db_option
@json_option
def score_command(
    framework_ids: tuple[int, ...], results_file: Path, region: str | None, year: int | None, kinds: tuple[str, ...],
    rules_file: Path | None, explain_name: str | None, fmt: str, output: Path | None, allow_partial: bool, db: Path,
    as_json: bool,
) -> None:  # fmt: skip
    """按填好的考核结果表计分、排名、评定等次。

    框架的选法与 kaohe template 相同：用 --region/--year 时取被考核单位的考核表（per_unit）、共性指标和
    负面清单；市考分解只在 --kind breakdown 或给出编号时使用。请用生成模板时的同一选法。

    \b
    示例：
        kaohe score --region 佳县 --year 2020 --results 考核结果.xlsx
        kaohe score 12 13 --results 考核结果.xlsx --explain 螅镇
        kaohe score --region 佳县 --year 2020 --results 考核结果.xlsx --format xlsx -o 考核结果汇总.xlsx
    """
    from scoring.engine import score, without_error_rows

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx 需要同时用 -o 给出文件")
    selection, infos, rules, sheet = _score_inputs(framework_ids, region, year, kinds, rules_file, results_file, db)
    for note in selection.notes():
        click.echo(note, err=True)
    for error in sheet.errors:
        click.echo(str(error), err=True)
    if sheet.errors and not allow_partial:
        raise click.ClickException(
            f"{results_file} 有 {len(sheet.errors)} 处错误；请改正，或用 --allow-partial 只计无误的行"
        )
    if sheet.errors:
        click.echo(f"--allow-partial：上面 {len(sheet.errors)} 行不计，其余照常计分", err=True)
    report = score(infos, without_error_rows(sheet), rules)
    _emit_score(report, sheet, explain_name, as_json, fmt, output, selection.notes())


def _score_inputs(
    framework_ids: tuple[int, ...], region: str | None, year: int | None, kinds: tuple[str, ...],
    rules_file: Path | None, results_file: Path, db: Path,
) -> tuple[Any, Any, Any, Any]:  # fmt: skip
    """The framework selection, indicators, rules in force and checked results sheet of ``kaohe score``."""
    from scoring.results_io import check_results, read_results
    from scoring.rules import RulesError, load_rules_file, rules_for_region
    from store.scoring_queries import indicator_infos

    store = _open_store(db)
    selection = _select_frameworks(store.db, framework_ids, region, year, kinds)
    infos = indicator_infos(store.db, selection.framework_ids)
    rules = rules_for_region(store.db, region or _only_region(infos))
    try:
        if rules_file:
            rules = load_rules_file(rules_file, base=rules)  # the file over the region's 办法 values
    except RulesError as e:
        raise click.UsageError(str(e)) from e
    try:
        return selection, infos, rules, check_results(read_results(results_file), infos)
    except IngestError as e:
        raise click.ClickException(str(e)) from e


def _emit_score(
    report: Any, sheet: Any, explain_name: str | None, as_json: bool, fmt: str, output: Path | None,
    notes: Sequence[str] = (),
) -> None:  # fmt: skip
    from scoring.explain import explain_unit, find_unit
    from scoring.report_xlsx import render_summary, write_report_xlsx

    if explain_name:
        unit = find_unit(report, explain_name)
        if unit is None:
            raise click.ClickException(f"结果中没有单位“{explain_name}”（或有多个单位与之相符）")
        text = explain_unit(unit)
    elif as_json:
        payload = report.model_dump(mode="json")
        payload["partial"], payload["sheet_errors"] = bool(sheet.errors), [str(e) for e in sheet.errors]
        text = json.dumps(payload, ensure_ascii=False, indent=2)
    elif fmt == "xlsx":
        assert output is not None
        with _writing(output):
            write_report_xlsx(report, output, notes=notes)
        click.echo(f"已写入 {output}", err=True)
        return
    else:
        text = render_summary(report)
    _emit_text(text, output)


def _only_region(infos: Sequence[Any]) -> str | None:
    regions = {info.region for info in infos if info.region}
    return regions.pop() if len(regions) == 1 else None


# -- template ----------------------------------------------------------------


@cli.command(name="template")
@_selection_options
@click.option("-o", "--output", required=True, type=OUTPUT, help=".xlsx 或 .csv 文件")
@db_option
def template_command(
    framework_ids: tuple[int, ...], region: str | None, year: int | None, kinds: tuple[str, ...], output: Path, db: Path
) -> None:
    """生成各单位填报的考核结果模板（.xlsx，或带 BOM 的 UTF-8 .csv）。

    用 --region/--year 时：被考核单位的考核表（per_unit）、其类别的共性指标和负面清单；市考分解（按牵头单位
    分行）只在 --kind breakdown 或给出编号时加入。社会评价的满分取该地区的规则（kaohe rules）。

    \b
    示例：
        kaohe template --region 佳县 --year 2020 -o 考核结果.xlsx
        kaohe template --region 佳县 --year 2020 --kind breakdown --kind negative_list -o 市考分解结果.csv
        kaohe template 15 16 17 14 -o 考核结果.xlsx
    """
    from scoring.rules import rules_for_region
    from scoring.template import template_rows, write_template
    from store.scoring_queries import indicator_infos

    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.UsageError("-o 的文件须以 .xlsx 或 .csv 结尾")
    store = _open_store(db)
    selection = _select_frameworks(store.db, framework_ids, region, year, kinds)
    infos = indicator_infos(store.db, selection.framework_ids)
    rules = rules_for_region(store.db, region or _only_region(infos))
    content = template_rows(infos, social_max=rules.social_components, notes=selection.notes())
    with _writing(output):
        write_template(content, output)
    click.echo(
        f"已写入 {output}：{len(content.units)} 个单位共 {len(content.lines)} 行，来自 "
        f"{len(content.framework_ids)} 个框架，负面清单 {len(content.deduction_items)} 项"
    )
    for note in content.notes:
        click.echo(f"  {note}", err=True)


def _select_frameworks(
    db: Any, framework_ids: tuple[int, ...], region: str | None, year: int | None, kinds: tuple[str, ...]
) -> Any:
    """The frameworks of `kaohe template` and `kaohe score` (store.scoring_queries.select_frameworks)."""
    from store.scoring_queries import select_frameworks

    if not framework_ids and not (region and year):
        raise click.UsageError("请给出框架编号，或 --region 地区 --year 年度")
    selection = select_frameworks(db, framework_ids, region, year, kinds)
    if not selection.framework_ids:
        raise click.ClickException("存储中没有这样的框架" + "".join(f"；{n}" for n in selection.notes()))
    return selection


# ---------------------------------------------------------------------------------------------
# kaohe rules: the scoring rules in force (scoring/rules.py, scoring/rules_view.py)


@cli.command(name="rules")
@click.option("--region", help="用这个县已导入的办法覆盖默认规则，如 柞水县。")
@click.option(
    "--file",
    "rules_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="规则 TOML 文件（完整的，或只写要改的参数），最后覆盖。",
)
@db_option
@json_option
def rules_command(region: str | None, rules_file: Path | None, db: Path, as_json: bool) -> None:
    """显示现行计分规则：每个取值、来源（默认或办法第几条）和说明。

    \b
    示例：
        kaohe rules                       # the defaults (柞水县 办法 2022, seed 004)
        kaohe rules --region 柞水县       # as the ingested 办法 states them
        kaohe rules --file 本县规则.toml --json
    """
    from scoring.rules import RulesError, load_default_rules, load_rules_file, rules_for_region
    from scoring.rules_view import render_rules, rule_rows

    try:
        rules = rules_for_region(_open_rules_store(db).db, region) if region else load_default_rules()
        if rules_file is not None:
            rules = load_rules_file(rules_file, base=rules)
    except RulesError as e:
        raise click.UsageError(str(e)) from e
    if as_json:
        _emit_json(rule_rows(rules))
        for warning in rules.warnings:
            click.echo(f"警告：{warning}", err=True)
    else:
        click.echo(render_rules(rules))


def _open_rules_store(db: Path) -> Any:
    from store import Store

    if not db.exists():
        raise click.ClickException(f"{db}：这里还没有存储；请先运行 kaohe-ingest 文件或文件夹 --db {db}")
    return Store(db, read_only=True)


# -- breakdown (责任分解一览表) ------------------------------------------------


EXPORT_FORMATS = ["xlsx", "docx", "md", "csv"]


@cli.command(name="breakdown")
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
    store = _open_store(db)
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
    with _writing(output):
        write_breakdown(breakdown, output, chosen)
    rows = sum(len(s.rows) for s in breakdown.sections)
    click.echo(f"已写入 {output}：{breakdown.title}，{len(breakdown.sections)} 节 {rows} 行，"
               f"{breakdown.total_points:g} 分，来自 {'、'.join(Path(d).name for d in breakdown.documents)}",
               err=True)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# kaohe serve: the read-only web interface (web/app.py, web/serve.py)


@cli.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听的地址（0.0.0.0：所有地址）。")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--allow-sql", is_flag=True, help="另外提供 /sql 页面：在只读存储上逐条执行 SELECT。")
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="浏览器访问本服务时可用的另一个名称（Host 头），如 kaohe.office.lan；可重复。",
)
def serve_command(db: Path, host: str, port: int, allow_sql: bool, allowed_hosts: tuple[str, ...]) -> None:
    """在浏览器中只读查看存储：指标归属、单位、考核框架、年度对比。

    除非 --host 另有指定，只在本机监听。只应答发往 localhost、127.0.0.1、[::1]、--host 地址或
    --allowed-host 名称的请求（--host 0.0.0.0 时也应答 IP 地址）；其他名称一律返回 400。

    \b
    示例：
        kaohe serve                                   # then open http://127.0.0.1:8001/
        kaohe serve --db /srv/考核/kaohe.db --host 0.0.0.0 --port 8080 --allowed-host kaohe.office.lan
    """
    from web.app import StoreMissing
    from web.serve import create_server, is_local, url_of

    try:
        server = create_server(db, host=host, port=port, allow_sql=allow_sql, allowed_hosts=allowed_hosts)
    except StoreMissing as e:
        raise click.ClickException(str(e)) from e
    except OSError as e:
        raise click.ClickException(f"无法在 {host}:{port} 监听：{e.strerror or e}") from e
    if not is_local(host):
        click.echo(f"警告：在 {host} 上监听：能连到本机的每台计算机都能读取存储", err=True)
    if allow_sql:
        click.echo("警告：--allow-sql：/sql 可在存储上执行任意 SELECT（只读）", err=True)
    click.echo(f"kaohe serve：{url_of(server, host, port)}  （存储 {db}，只读；按 Ctrl+C 停止）")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("已停止", err=True)
