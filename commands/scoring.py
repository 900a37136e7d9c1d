"""Year-end scoring: ``kaohe template`` (the sheet to fill in), ``kaohe score`` and ``kaohe rules``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from commands.options import (
    FRAMEWORK_ID,
    OUTPUT,
    YEAR,
    F,
    db_option,
    emit_json,
    emit_text,
    json_option,
    open_store,
    writing,
)

# -- score -------------------------------------------------------------------


# store.scoring_queries.ALL_KINDS (not imported here: cli imports stay light)
def selection_options(func: F) -> F:
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


@click.command(name="score")
@selection_options
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
    from parsers.errors import IngestError
    from scoring.results_io import check_results, read_results
    from scoring.rules import RulesError, load_rules_file, rules_for_region
    from store.scoring_queries import indicator_infos

    store = open_store(db)
    selection = select_frameworks(store.db, framework_ids, region, year, kinds)
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
        with writing(output):
            write_report_xlsx(report, output, notes=notes)
        click.echo(f"已写入 {output}", err=True)
        return
    else:
        text = render_summary(report)
    emit_text(text, output)


def _only_region(infos: Sequence[Any]) -> str | None:
    regions = {info.region for info in infos if info.region}
    return regions.pop() if len(regions) == 1 else None


# -- template ----------------------------------------------------------------


@click.command(name="template")
@selection_options
@click.option("-o", "--output", required=True, type=OUTPUT, help=".xlsx 或 .csv 文件")
@click.option(
    "--progress-rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="平时考核规则文件（.tsv，同 kaohe rules 所列字段）：定了逾期报送的扣分时，逾期单位预填入扣分表",
)
@db_option
def template_command(
    framework_ids: tuple[int, ...],
    region: str | None,
    year: int | None,
    kinds: tuple[str, ...],
    output: Path,
    progress_rules: Path | None,
    db: Path,
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
    from progress.levels import load_rules as load_progress_rules
    from progress.status import late_deductions
    from scoring.rules import rules_for_region
    from scoring.template import prefill_from_progress, template_rows, write_template
    from scoring.template_model import PrefilledDeduction
    from store.progress_queries import latest_reports
    from store.scoring_queries import indicator_infos

    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.UsageError("-o 的文件须以 .xlsx 或 .csv 结尾")
    store = open_store(db)
    selection = select_frameworks(store.db, framework_ids, region, year, kinds)
    infos = indicator_infos(store.db, selection.framework_ids)
    rules = rules_for_region(store.db, region or _only_region(infos))
    content = template_rows(infos, social_max=rules.social_components, notes=selection.notes())
    prefilled = prefill_from_progress(content, latest_reports(store.db, [i.id for i in infos], content.year))
    try:
        late_rules = load_progress_rules(progress_rules)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    if content.region and content.year:
        assessed = {u.unit for u in content.units}  # a unit the template does not score has no deductions here
        content.deductions = [
            PrefilledDeduction(unit=unit, amount=points, reason=reason)
            for unit, points, reason in late_deductions(store.db, content.region, content.year, late_rules)
            if unit in assessed
        ]
    with writing(output):
        write_template(content, output)
    click.echo(
        f"已写入 {output}：{len(content.units)} 个单位共 {len(content.lines)} 行，来自 "
        f"{len(content.framework_ids)} 个框架，负面清单 {len(content.deduction_items)} 项"
        + (f"；{prefilled} 行的完成值取自最近一次月度进度报送" if prefilled else "")
        + (f"；逾期报送进度的扣分 {len(content.deductions)} 条已填入" if content.deductions else "")
    )
    for note in content.notes:
        click.echo(f"  {note}", err=True)


def select_frameworks(
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


@click.command(name="rules")
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
    """显示现行计分规则：每个取值、来源（默认或办法第几条）和说明；其后是平时考核的三色预警阈值与报送期限。

    \b
    示例：
        kaohe rules                       # the defaults (柞水县 办法 2022, seed 004)
        kaohe rules --region 柞水县       # as the ingested 办法 states them
        kaohe rules --file 本县规则.toml --json
    """
    from progress.levels import load_rules as load_progress_rules
    from scoring.rules import RulesError, load_default_rules, load_rules_file, rules_for_region
    from scoring.rules_view import render_rules, rule_rows

    try:
        rules = rules_for_region(_open_rules_store(db).db, region) if region else load_default_rules()
        if rules_file is not None:
            rules = load_rules_file(rules_file, base=rules)
    except RulesError as e:
        raise click.UsageError(str(e)) from e
    progress = load_progress_rules()
    if as_json:
        emit_json([*rule_rows(rules), *progress_rule_rows(progress)])
        for warning in rules.warnings:
            click.echo(f"警告：{warning}", err=True)
    else:
        click.echo(render_rules(rules))
        click.echo("")
        click.echo(render_progress_rules(progress))


def _open_rules_store(db: Path) -> Any:
    from store import Store

    if not db.exists():
        raise click.ClickException(f"{db}：这里还没有存储；请先运行 kaohe-ingest 文件或文件夹 --db {db}")
    return Store(db, read_only=True)


def progress_rule_rows(rules: Any) -> list[Any]:
    """The progress rules as ``kaohe rules --json`` rows (fields ``progress.yellow_gap`` …)."""
    from scoring.rules_view import RuleRow

    return [
        RuleRow(field=f"progress.{name}", rule_id="", label=rule.label, value=rule.value, source=rule.source,
                article=None, quote=rule.quote, inferred=rule.quote is None, stated_by_document=False)
        for name, rule in rules.rows()
    ]  # fmt: skip


def render_progress_rules(rules: Any) -> str:
    """The progress rules table, for ``kaohe rules``."""
    from textview.table import render_table

    body = [
        [rule.label, "未定" if rule.value is None else f"{rule.value:g}", rule.source, rule.quote or ""]
        for _, rule in rules.rows()
    ]
    table = render_table(["参数", "取值", "来源", "原文"], body)
    return f"平时考核（月度进度、三色预警）参数\n\n{table}"
