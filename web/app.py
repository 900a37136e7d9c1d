"""The web interface for the office: a small Flask app over a read-only store (``kaohe serve``).

Each page calls the store's query functions, :mod:`web.answers` and (the 进度 pages) :mod:`web.progress_view`,
never SQL of its own. Every request opens its own read-only connection (SQLite refuses writes through it), so
the waitress threads share nothing. :mod:`web.guard` checks the Host, the parameters and adds the security
headers; a bad request is a Chinese 400 and an error never shows a traceback. ``/sql`` exists only
with ``allow_sql`` and runs each statement in a worker process with hard limits (:mod:`web.sql_worker`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException

from frameworks.vocabulary import ROLE_LABELS
from normalize.departments import canonical_region
from progress.levels import load_rules
from store import Store
from store.copies import KIND_LABELS, RELATION_LABELS
from store.dept_view import TOTALS_NOTE
from store.framework_queries import framework_by_id, framework_indicators
from store.queries import counts, department, frameworks, mentions, owners
from store.unit_queries import RegionUnknown, find_unit, framework_points
from store.web_queries import department_counts, framework_categories, framework_reading, framework_warnings
from textview.table import format_cell
from web import answers, progress_view
from web.answers import FRAMEWORK_KIND_LABELS
from web.guard import TEXT_LIMITS, AllowedHosts, check_length, install, int_arg, period_arg, text_arg, year_arg
from web.sql_worker import MAX_ROWS, MEMORY_BYTES, SECONDS, WORKERS, SqlBusy, SqlFailed, SqlRunner

log = logging.getLogger(__name__)
_ERROR_TITLES = {
    400: "请求有误",
    403: "不允许的操作",
    404: "页面不存在",
    405: "不支持的请求方法",
    413: "请求过大",
    500: "服务器内部错误",
    503: "服务器正忙",
}
_MAX_ID = 2**63 - 1  # SQLite's largest integer: a longer framework number is simply not found


class StoreMissing(Exception):
    """The store file does not exist or is not a kaohe store."""


def create_app(db_path: str | Path, allow_sql: bool = False, hosts: AllowedHosts | None = None) -> Flask:
    """The app over the store at ``db_path`` (opened read-only per request), answering ``hosts`` only."""
    db_path = Path(db_path)
    _check_store(db_path)
    app = Flask(__name__)
    app.config.update(KAOHE_DB=db_path, ALLOW_SQL=allow_sql, JSON_AS_ASCII=False)
    if allow_sql:
        app.extensions["kaohe_sql"] = SqlRunner(db_path)
    install(app, hosts or AllowedHosts())
    app.jinja_env.filters["pts"] = format_points
    app.jinja_env.filters["fname"] = lambda p: Path(p).name if p else ""
    app.jinja_env.filters["tuple"] = tuple
    app.jinja_env.filters["when"] = format_received
    app.jinja_env.globals.update(
        KIND_LABELS=KIND_LABELS,
        RELATION_LABELS=RELATION_LABELS,
        ROLE_LABELS=ROLE_LABELS,
        FRAMEWORK_KIND_LABELS=FRAMEWORK_KIND_LABELS,
        LEVEL_WORDS=progress_view.LEVEL_WORDS,
        LEVEL_COLOURS=progress_view.LEVEL_COLOURS,
        LEVEL_MARKS=progress_view.LEVEL_MARKS,
        LEGEND=progress_view.LEGEND,
        counts_text=progress_view.counts_text,
        allow_sql=allow_sql,
        store_name=db_path.name,
        show=lambda v: format_cell(v, one_line=False),
        cell_class=diff_cell_class,
        sql_limits={"rows": MAX_ROWS, "seconds": SECONDS, "memory_mb": MEMORY_BYTES // 2**20, "workers": WORKERS},
    )

    @app.before_request
    def open_store() -> None:
        g.store = Store(db_path, read_only=True)

    @app.teardown_request
    def close_store(_: BaseException | None) -> None:
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> tuple[str, int]:
        code = e.code or 500
        title = _ERROR_TITLES.get(code, "出错了")
        # Our own messages only: werkzeug's default English descriptions are left out.
        message = e.description if e.description != type(e).description else ""
        return render_template("error.html", code=code, title=title, message=message), code

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> tuple[str, int]:
        log.exception("error on %s %s", request.method, request.path)  # the traceback goes to the log only
        message = "页面出错了，错误已记入服务器日志。请返回上一页，或稍后再试。"
        return render_template("error.html", code=500, title=_ERROR_TITLES[500], message=message), 500

    _register_pages(app)
    return app


def _check_store(db_path: Path) -> None:
    if not db_path.is_file():
        raise StoreMissing(f"{db_path}：这里还没有存储；请先运行 kaohe-ingest 文件或文件夹 --db {db_path}")
    store = Store(db_path, read_only=True)
    try:
        if not store.db["frameworks"].exists():
            raise StoreMissing(f"{db_path}：不是 kaohe 的存储（没有 frameworks 表）")
    finally:
        store.close()


def diff_cell_class(header: str) -> str:
    """Numbers right-aligned, indicator texts given room (the diff report's columns)."""
    if "分" in header or "数" in header or header in ("新增", "删除", "调整", "未变", "匹配置信度", "低置信度配对"):
        return "num"
    return "text" if "指标" in header or header.startswith("调整") else ""


def format_points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def format_received(at: str | None) -> str:
    """When a report arrived: ``2020-07-10``, or ``2020-07-10 09:30`` when the time is known."""
    return (at or "")[:16].replace("T", " ")


def _db() -> Any:
    return g.store.db


def _register_pages(app: Flask) -> None:
    app.add_url_rule("/", "index", owner_page)
    app.add_url_rule("/owner", "owner", owner_page)
    app.add_url_rule("/depts", "depts", departments_page)
    app.add_url_rule("/dept/<path:name>", "dept", department_page)
    app.add_url_rule("/frameworks", "frameworks", frameworks_page)
    app.add_url_rule(f"/framework/<int(max={_MAX_ID}):framework_id>", "framework", framework_page)
    app.add_url_rule("/diff", "diff", diff_page)
    app.add_url_rule("/progress", "progress", progress_page)
    app.add_url_rule("/sql", "sql", sql_page, methods=["GET", "POST"])


def _choices() -> dict[str, list[Any]]:
    """Regions and years in the store, for the filter menus."""
    summaries = frameworks(_db())
    return {
        "regions": sorted({s.region for s in summaries if s.region}),
        "years": sorted({s.year for s in summaries if s.year}, reverse=True),
    }


def owner_page() -> str:
    query = text_arg("q", "查询内容") or ""
    year = year_arg()
    region = text_arg("region", "地区")
    number = int_arg("page", "页码", answers.PAGES) or 1
    found = owners(_db(), query, year=year, region=region, **answers.page_window(number)) if query else None
    paging = answers.paging(found.total, number) if found else None
    if paging and number > paging.pages:
        abort(404, f"共 {paging.total} 条，没有第 {number} 页。")
    return render_template(
        "owner.html",
        query=query,
        year=year,
        region=region,
        results=answers.merge_copies(found.answers) if found else [],
        paging=paging,
        fuzzy=bool(found) and found.match == "fuzzy",
        counts=counts(_db()),
        **_choices(),
    )


def departments_page() -> str:
    rows = department_counts(_db())
    by_region: dict[str, list[Any]] = {}
    for row in rows:
        by_region.setdefault(row.region or "（未知地区）", []).append(row)
    return render_template("depts.html", by_region=by_region)


def department_page(name: str) -> str | tuple[str, int]:
    """A unit by any name people type, per region (``?region=``); none or several: a page to choose from."""
    check_length(name, TEXT_LIMITS["name"], "单位名称")
    year, region = year_arg(), text_arg("region", "地区")
    try:
        lookup = find_unit(_db(), name, region)
    except RegionUnknown as e:
        abort(404, f"{e}。")
    if not lookup.found:  # several units: choose one (200); none: 404 with the closest units
        return render_template("dept_missing.html", lookup=lookup, year=year), 200 if lookup.candidates else 404
    found = department(_db(), lookup.units, year=year)
    prose = mentions(_db(), lookup.units, year=year)
    if not found and not prose:
        abort(404, f"“{name}”在库中没有{f' {year} 年度' if year else ''}相关的指标或正文提及。")
    frameworks_of = framework_points(_db(), sorted({a.framework.id for a in found}))
    choices = _choices()
    return render_template(
        "dept.html",
        name=name,
        year=year,
        region=canonical_region(region),
        lookup=lookup,
        page=answers.dept_page(found, lookup.units, frameworks_of, prose),
        totals_note=TOTALS_NOTE,
        progress=progress_view.unit_progress(_db(), lookup.units, year, load_rules()),
        **choices,
    )


def frameworks_page() -> str:
    region = text_arg("region", "地区")
    year = year_arg()
    kind = text_arg("kind", "类型")
    summaries = [f for f in frameworks(_db(), region=region, year=year) if not kind or f.kind == kind]
    return render_template(
        "frameworks.html", rows=answers.one_per_notice(summaries), region=region, year=year, kind=kind, **_choices()
    )


def framework_page(framework_id: int) -> str:
    summary = framework_by_id(_db(), framework_id)
    if summary is None:
        abort(404, f"没有编号为 {framework_id} 的考核框架。")
    items = framework_indicators(_db(), framework_id)
    every = frameworks(_db())
    listed = sum(a.points or 0 for a in items if a.kind == "indicator")
    categories = framework_categories(_db(), framework_id)
    listed_by_category = {}
    for c in categories:
        inside = [a for a in items if a.category_path[: len(c.path)] == c.path and a.kind == "indicator"]
        listed_by_category[tuple(c.path)] = sum(a.points or 0 for a in inside)
    return render_template(
        "framework.html",
        f=summary,
        rows=answers.table_rows(items),
        listed=listed,
        categories=categories,
        listed_by_category=listed_by_category,
        warnings=framework_warnings(_db(), framework_id),
        reading=framework_reading(_db(), framework_id),
        copies=answers.copies_of(summary, every),
        counterparts=answers.counterparts(summary, every),
    )


def diff_page() -> str:
    old, new = int_arg("old", "旧框架编号"), int_arg("new", "新框架编号")
    if old is None and new is None:
        old, new = _by_year(int_arg("compare", "框架编号"), int_arg("with", "对比框架编号"))
    region = text_arg("region", "地区")
    old_year, new_year = year_arg("old_year", "旧年度"), year_arg("new_year", "新年度")
    report = None
    if old is not None and new is not None:
        report = answers.diff_by_ids(_db(), old, new)
        if report is None:
            abort(404, f"没有编号为 {old} 或 {new} 的考核框架。")
    elif region and old_year and new_year:
        report = answers.diff_by_region(_db(), region, old_year, new_year)
        if report is None:
            abort(404, f"{region} 缺少 {old_year} 或 {new_year} 年度的考核框架。")
    choices = _choices()
    if report is not None and report.sides:  # the menus show what is compared
        region = region or report.sides[0].region
        old_year, new_year = old_year or report.sides[0].year, new_year or report.sides[-1].year
    years = choices["years"]
    return render_template(
        "diff.html",
        report=report,
        region=region,
        old_year=old_year or (years[1] if len(years) > 1 else None),
        new_year=new_year or (years[0] if years else None),
        **choices,
    )


def _by_year(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    """Two framework ids as (old, new): the earlier year is the old one (the framework page's form)."""
    if a is None or b is None:
        return a, b
    years = {i: (f.year or 0, i) if (f := framework_by_id(_db(), i)) else (0, i) for i in (a, b)}
    first, second = sorted((a, b), key=years.__getitem__)
    return first, second


def progress_page() -> str:
    """The board of one region, year and month: a row per unit, a coloured cell per indicator."""
    region, year, period = canonical_region(text_arg("region", "地区")), year_arg(), period_arg()
    choices = _choices()
    first = (next(iter(choices["regions"]), None), next(iter(choices["years"]), None))
    choice = progress_view.choose(_db(), region, year, period, first)
    board = None
    if choice.region and choice.year and choice.period and str(choice.period) in choice.periods:
        board = progress_view.board(_db(), choice.region, choice.year, choice.period, load_rules())
    return render_template("progress.html", choice=choice, board=board, asked=period is not None, **choices)


def sql_page() -> tuple[str, int, dict[str, str]]:
    if not current_app.config["ALLOW_SQL"]:
        abort(404)
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):  # another site's page or form
        abort(403, "SQL 查询只接受本页面提交的语句。")
    sql = (request.values.get("sql") or "").strip()
    result, error, status, headers = None, None, 200, {}
    if sql:
        try:
            result = current_app.extensions["kaohe_sql"].run(sql)
        except SqlFailed as e:
            error, status = str(e), e.status
            if isinstance(e, SqlBusy):
                headers["Retry-After"] = "5"
    return render_template("sql.html", sql=sql, result=result, error=error), status, headers
