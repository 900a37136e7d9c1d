"""``kaohe diff``: two frameworks, or a region's two years, compared indicator by indicator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from commands.options import (
    FRAMEWORK_ID,
    OUTPUT,
    YEAR,
    FloatIn,
    db_option,
    emit_text,
    json_option,
    open_store,
    writing,
)

# -- diff --------------------------------------------------------------------


@click.command(name="diff")
@click.argument("frameworks_ids", nargs=-1, type=FRAMEWORK_ID, metavar="[OLD NEW]")
@click.option("--region", help="比较这个县区两个年度的全部框架。")
@click.option("--years", nargs=2, type=YEAR, metavar="OLD NEW", help="两个年度（与 --region 同用）。")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "xlsx"]), default="text", show_default=True)
@click.option("-o", "--output", type=OUTPUT, help="把报告写入这个文件。")
@click.option("--threshold", type=FloatIn(0, 100, "配对阈值"), default=None, help="新旧指标配对的相似度阈值（0–100）。")
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
    store = open_store(db)
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
    from export.diff_report import framework_label, render_markdown, render_text, sections, write_xlsx
    from frameworks.diff import FrameworkDiff

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
        with writing(output):
            write_xlsx(report, output)
        click.echo(f"已写入 {output}", err=True)
        return
    else:
        text = f"{title}\n\n{render_text(report)}"
    emit_text(text, output)
