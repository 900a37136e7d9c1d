"""kaohe command line: the only module that uses click."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from ingest.discover import iter_notice_files
from ingest.errors import IngestError
from parsers import Document, Paragraph, Table
from parsers import parse as parse_file

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="kaohe")
def cli() -> None:
    """kaohe: read 目标责任考核 notices into a store that answers questions."""


@cli.command(name="parse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the document model as JSON (the public contract).")
def parse_command(file: Path, as_json: bool) -> None:
    """Print the document model of one notice.

    \b
    Example:
        kaohe parse samples/2020年度市考核县指标任务分解.docx --json
    """
    document = _parse_or_fail(file)
    if as_json:
        click.echo(document.model_dump_json(indent=2))
    else:
        click.echo(render_outline(document))


def _parse_or_fail(file: Path) -> Document:
    try:
        return parse_file(file)
    except IngestError as e:
        raise click.ClickException(str(e)) from e


def render_outline(document: Document) -> str:
    """A readable outline: metadata, then each block, tables as pipe-separated rows."""
    src, meta = document.source, document.metadata
    lines = [f"{src.path}  [{src.format}, {src.size} bytes, sha256 {src.sha256[:12]}]"]
    for label, value in meta.model_dump().items():
        if value:
            lines.append(f"  {label}: {'; '.join(value) if isinstance(value, list) else value}")
    for index, block in enumerate(document.blocks):
        page = f" p{block.page}" if block.page else ""
        if isinstance(block, Paragraph):
            lines.append(f"[{index}{page}] {block.text}")
        else:
            lines.append(f"[{index}{page}] table {block.n_rows}×{block.n_cols}")
            lines.extend(f"    {r:>3} | " + " | ".join(_cell_label(c) for c in row) for r, row in enumerate(block.rows))
    lines.extend(f"warning: {w.message}" for w in document.warnings)
    return "\n".join(lines)


def _cell_label(cell: object) -> str:
    from parsers import Cell

    assert isinstance(cell, Cell)
    span = ""
    if cell.rowspan > 1 or cell.colspan > 1:
        span = f"⟨{cell.rowspan}×{cell.colspan}⟩"
    return f"c{cell.col}{span} {cell.text.replace(chr(10), '⏎')}"


@click.command(name="ingest", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Read notices (files or folders, recursively) and summarise what was found.

    \b
    Example:
        kaohe-ingest samples/
    """
    started = time.perf_counter()
    results = []
    for path in iter_notice_files(paths):
        try:
            document = parse_file(path)
        except IngestError as e:
            click.echo(f"failed: {e}", err=True)
            results.append({"file": str(path), "status": "failed", "error": str(e)})
            continue
        tables = document.tables
        results.append(
            {
                "file": str(path),
                "status": "ok",
                "format": document.source.format,
                "title": document.metadata.title,
                "doc_number": document.metadata.doc_number,
                "paragraphs": len(document.paragraphs),
                "tables": len(tables),
                "table_rows": sum(t.n_rows for t in tables),
                "warnings": [w.message for w in document.warnings],
            }
        )
    failed = [r for r in results if r["status"] == "failed"]
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r["status"] == "ok":
                click.echo(
                    f"{r['file']}: {r['format']}, {r['tables']} tables / {r['table_rows']} rows, "
                    f"{r['paragraphs']} paragraphs; {r['title'] or '(no title)'}"
                )
        elapsed = time.perf_counter() - started
        click.echo(f"{len(results)} files, {len(failed)} failed, {elapsed:.1f}s", err=True)
    if failed:
        sys.exit(1)


cli.add_command(ingest_command)
