"""Reading notices: ``kaohe parse`` (one file, nothing stored) and ``kaohe-ingest`` / ``kaohe ingest``."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from commands.options import (
    CONTEXT,
    Command,
    IntIn,
    db_option,
    emit_json,
    json_option,
    ocr_progress,
    open_store,
)
from store.copies import files_label
from store.errors import StoreError
from textview.table import render_table

# Start fast: the parsers and the table reader load inside the commands that use them.
if TYPE_CHECKING:
    from frameworks.explain import TableReading
    from parsers import Cell, Document


# -- parse -------------------------------------------------------------------


@click.command(name="parse")
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
    from parsers.errors import IngestError

    try:
        with ocr_progress():
            document = parse_file(file)
    except IngestError as e:
        raise click.ClickException(str(e)) from e
    if explain:
        readings = table_readings(document)
        if as_json:
            emit_json(readings)
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
    if src.ocr_pages:
        lines.append(f"  文字识别：第 {page_ranges(src.ocr_pages)} 页（{src.ocr_engine}）")
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


def page_ranges(pages: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` → ``1–3、5``."""
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return "、".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _cell_label(cell: Cell) -> str:
    span = f"⟨{cell.rowspan}×{cell.colspan}⟩" if cell.rowspan > 1 or cell.colspan > 1 else ""
    return f"c{cell.col}{span} {cell.text.replace(chr(10), '⏎')}"


# -- ingest ------------------------------------------------------------------

JOBS = IntIn(1, 256, "并行解析的进程数")


@click.command(name="ingest", context_settings=CONTEXT, cls=Command)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@json_option
@click.option("-s", "--silent", is_flag=True, help="不显示进度条。")
@click.option("--fail-fast", is_flag=True, help="遇到第一个失败的文件即停止。")
@click.option(
    "-j",
    "--jobs",
    type=JOBS,
    default=lambda: os.environ.get("KAOHE_JOBS") or None,
    show_default="$KAOHE_JOBS 或 CPU 核数",
    help="并行解析的进程数；存储仍按文件顺序逐个写入，结果与逐个解析相同。",
)
def ingest_command(
    paths: tuple[Path, ...], db: Path, as_json: bool, silent: bool, fail_fast: bool, jobs: int | None
) -> None:
    """把通知（文件，或文件夹及其子文件夹）读入存储；每份文件一个事务，失败的文件不留半点内容。

    \b
    示例：
        kaohe-ingest samples/
        kaohe-ingest 2021年通知/ --db 考核.db --json
        kaohe-ingest 2021年通知/ -j 1        # 只用一个解析进程
    """
    from datetime import UTC, datetime

    from ingest.discover import iter_notice_files
    from ingest.pipeline import FileResult, ingest_paths

    store = open_store(db, must_exist=False)
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
        with ocr_progress(enabled=not silent):
            summary = ingest_paths(files, store, on_file=on_file, fail_fast=fail_fast, jobs=jobs)
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
        lines.append(f"  - {message}  [{files_label(sorted(files))}]")
    return [*lines, ""]
