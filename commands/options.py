"""What every kaohe command shares: click's words in Chinese, parameter types, ``--db``/``--json``, output helpers.

``click_zh.install()`` runs when this module is imported, before any command module creates a click type or
option: every command module imports this one first (``cli.py`` imports the command modules).
A bad argument or a store/file that cannot be used is one `错误：…` line, never a traceback (exit 2 for usage,
1 for the place or the store).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from commands import click_zh
from store.errors import OS_REASONS, StoreError, write_problem

click_zh.install()  # click's own words (用法：, 选项, 错误：…) in Chinese, before any command runs

CONTEXT = {"help_option_names": ["-h", "--help"]}
DEFAULT_DB = "kaohe.db"
F = TypeVar("F", bound=Callable[..., Any])


# -- bad arguments and environments: one Chinese line each ----------------------------------------------------
# click's own messages are English; these types say what is wrong in Chinese (exit 2, as click's do).


def _label(param: click.Parameter | None) -> str:
    return f"{max(param.opts, key=len)}：" if isinstance(param, click.Option) else ""


class Bounded:
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


class IntIn(Bounded, click.IntRange):
    pass


class FloatIn(Bounded, click.FloatRange):
    pass


YEAR = IntIn(1949, 2100, "年份")
FRAMEWORK_ID = IntIn(1, 2**63 - 1, "框架编号")  # SQLite's INTEGER range
LIMIT = IntIn(0, 10_000, "条数")  # owner/search: 0 is every answer
QUERY_MAX = 1000  # characters: longer than any indicator, short enough for the fuzzy fallback


class Text(click.ParamType):
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


class FilePath(click.Path):
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


OUTPUT = FilePath(output=True)


@contextmanager
def writing(path: Path) -> Iterator[None]:
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


class Group(_StoreErrors, click.Group):
    pass


class Command(_StoreErrors, click.Command):
    pass


def db_option(func: F) -> F:
    return click.option(
        "--db",
        type=FilePath(),
        default=lambda: os.environ.get("KAOHE_DB", DEFAULT_DB),
        show_default=f"$KAOHE_DB 或 ./{DEFAULT_DB}",
        help="SQLite 存储文件。",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="输出 JSON（README 中有字段说明；代码为英文）。")(func)


def open_store(db: Path, must_exist: bool = True) -> Any:
    from store import Store

    if must_exist and not db.exists():
        raise click.ClickException(f"{db}：这里还没有存储；请先运行 kaohe-ingest 文件或文件夹 --db {db}")
    return Store(db)


def emit_json(items: Sequence[BaseModel] | BaseModel) -> None:
    if isinstance(items, BaseModel):
        click.echo(items.model_dump_json(indent=2))
    else:
        click.echo(json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, indent=2))


def emit_text(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
        return
    with writing(output):
        output.write_text(text + "\n", encoding="utf-8")
    click.echo(f"已写入 {output}", err=True)


# -- long reads -----------------------------------------------------------------------------------------------

MIN_PAGES_SHOWN = 3  # a scan of one or two pages needs no progress line


@contextmanager
def ocr_progress(enabled: bool = True) -> Iterator[None]:
    """A line on stderr for every page OCR has read, while a long scan is read (also from the ingest worker)."""
    from parsers.progress import PageProgress, page_listener

    def show(progress: PageProgress) -> None:
        if progress.total >= MIN_PAGES_SHOWN:
            click.echo(
                f"{progress.file}：文字识别第 {progress.done}/{progress.total} 页（第 {progress.number} 页，"
                f"{progress.seconds:.1f} 秒）",
                err=True,
            )

    if not enabled:
        yield
        return
    with page_listener(show):
        yield
