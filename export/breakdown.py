"""The 指标任务和责任分解一览表: every indicator with its points, lead and cooperating units.

An office circulates it in one of two shapes, both built here from the store:

* ``by="category"`` — the table as the city issues it: 序号, 考核内容 (category, one merged cell
  per run of rows), 考核指标, 分值, 牵头单位, 配合单位, 来源; one section per framework.
* ``by="dept"`` — what each department carries: one section per unit, in the order units first
  appear in the table; its 牵头 rows first, then its 配合 rows, with a 分工 column, and a total
  row. The total counts the points of the indicators the unit **leads** (seed 001: the first
  listed unit 牵头抓总, the others 配合); a cooperating row shows the indicator's points for
  information, but they are the lead's. Only kind ``indicator`` counts (no deductions).

One copy per notice: the store may hold the same notice in several formats; of each framework
the copy from the most faithful format is used (``frameworks.yearly.pick_copies``: .docx, .html,
.txt, .pdf, .doc) and the others are named in the note as copies — their rows are the same
notice, citing them row by row would only repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from sqlite_utils import Database

from frameworks.yearly import pick_copies
from store import breakdown_queries as queries
from store.dept_view import TOTALS_NOTE, framework_loads
from store.results import FrameworkSummary, IndicatorAnswer
from store.unit_queries import framework_points

Grouping = Literal["category", "dept", "framework"]
RELATION_LABELS = {"lead": "牵头", "cooperating": "配合", "assessor": "考核", "assessee": "承担"}
CARRIED = ("lead", "assessee")
NO_UNIT = "（未明确责任单位）"


class BreakdownError(ValueError):
    """The request cannot give one table (nothing found, several regions or years)."""


class SourceCite(BaseModel):
    document: str
    table: int
    row: int
    page: int | None = None

    @property
    def file_name(self) -> str:
        return Path(self.document).name

    @property
    def location(self) -> str:
        """``表1行2`` (rows from 0, the header is row 0), ``第4页`` when known."""
        page = f"第{self.page}页" if self.page else ""
        return f"表{self.table + 1}行{self.row}{page}"

    def cite(self, with_file: bool) -> str:
        return f"{self.file_name} {self.location}" if with_file else self.location


class BreakdownRow(BaseModel):
    seq: int
    category_path: list[str] = Field(default_factory=list)
    category_points: float | None = None
    indicator: str
    points: float | None
    kind: str = "indicator"
    lead: str | None
    cooperating: list[str] = Field(default_factory=list)
    relation: str | None = None  # in a department's section: lead, cooperating or assessee
    source: SourceCite

    @property
    def category(self) -> str:
        """``经济发展（20分）`` — the category as the city writes it, with its declared points (a
        department's section leaves the points out: they are the whole category's, not the unit's)."""
        name = "／".join(self.category_path)
        if name and self.category_points is not None:
            return f"{name}\n（{self.category_points:g}分）"
        return name

    @property
    def relation_label(self) -> str:
        return RELATION_LABELS.get(self.relation or "", "")


class BreakdownSection(BaseModel):
    title: str | None = None
    department: str | None = None
    rows: list[BreakdownRow] = Field(default_factory=list)
    summary: str | None = None  # one unit's sheet: its total in this framework, as `kaohe dept` says it
    subtotal: float | None = None  # …and the one number of its 小计 row (deductions are negative)

    @property
    def carried_points(self) -> float:
        """The points this section carries: led rows in a department's section, every row otherwise."""
        if self.subtotal is not None:
            return self.subtotal
        return sum(
            r.points or 0
            for r in self.rows
            if r.kind == "indicator" and (self.department is None or r.relation in CARRIED)
        )

    @property
    def counts(self) -> tuple[int, int]:
        """(rows led or carried, rows cooperated on)."""
        cooperating = sum(1 for r in self.rows if r.relation == "cooperating")
        return len(self.rows) - cooperating, cooperating

    def heading(self) -> str:
        if self.department is None:
            return self.title or ""
        if self.summary is not None:
            return f"{self.title}——{self.summary}"
        led, cooperating = self.counts
        verb = "牵头" if any(r.relation == "lead" for r in self.rows) or not led else "承担"
        return f"{self.title}（{verb}{led}项，计{self.carried_points:g}分；配合{cooperating}项）"

    def category_runs(self) -> list[tuple[int, int]]:
        """(first row, row count) of each run of consecutive rows in the same category."""
        runs: list[tuple[int, int]] = []
        for index, row in enumerate(self.rows):
            if runs and row.category_path and row.category_path == self.rows[runs[-1][0]].category_path:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((index, 1))
        return runs


class Breakdown(BaseModel):
    title: str
    region: str | None
    year: int | None
    by: Grouping
    documents: list[str] = Field(default_factory=list)  # the copies used
    copies: list[str] = Field(default_factory=list)  # the same notices in other formats
    sections: list[BreakdownSection] = Field(default_factory=list)

    @property
    def with_relation(self) -> bool:
        return self.by != "category"

    @property
    def cite_files(self) -> bool:
        """Rows cite their file only when they come from more than one document."""
        return len(self.documents) > 1

    @property
    def headers(self) -> list[str]:
        head = ["序号", "考核内容", "考核指标", "分值"]
        return [*head, *(["分工"] if self.with_relation else []), "牵头单位", "配合单位", "来源"]

    def cells(self, row: BreakdownRow) -> list[str | float | int | None]:
        """One row as table cells (numbers stay numbers)."""
        points: float | int | None = row.points
        if points is not None and float(points).is_integer():
            points = int(points)
        category = row.category if self.by == "category" else "／".join(row.category_path)
        cells: list[str | float | int | None] = [row.seq, category, row.indicator, points]
        if self.with_relation:
            cells.append(row.relation_label)
        return [*cells, row.lead or "", "、".join(row.cooperating), row.source.cite(self.cite_files)]

    @property
    def total_points(self) -> float:
        return sum(s.carried_points for s in self.sections)

    def notes(self) -> list[str]:
        """The 说明 printed under the table."""
        lines = ["同一指标由多个单位共同承担的，排在第一位的单位牵头抓总，其他单位配合推进落实。"]
        if self.by == "dept":
            lines.append("各单位合计为其牵头指标的分值；配合指标所列分值供参考，计入牵头单位。")
        if self.by == "framework":
            lines.append(TOTALS_NOTE)
        sources = "、".join(Path(d).name for d in self.documents)
        if sources:
            copies = f"（相同通知另有{'、'.join(Path(c).name for c in self.copies)}）" if self.copies else ""
            lines.append(f"来源：{sources}{copies}；“表1行2”指该文件第1张表第2行（表头为第0行）。")
        return lines


def pick_one_copy(found: Sequence[FrameworkSummary]) -> tuple[list[FrameworkSummary], list[str]]:
    """One framework per notice (the most faithful format's copy) and the other copies' files."""
    by_id = {f.id: f for f in found}
    years: dict[tuple[str | None, int | None], list[FrameworkSummary]] = {}
    for framework in found:  # pick_copies pairs frameworks across years: keep each year apart
        years.setdefault((framework.region, framework.year), []).append(framework)
    picked = sorted((s for group in years.values() for s in pick_copies(group).values()), key=lambda s: s.id or 0)
    copies = sorted({c for side in picked for c in side.copies} - {by_id[s.id].document for s in picked if s.id})
    return [by_id[side.id] for side in picked if side.id in by_id], copies


def _row(answer: IndicatorAnswer, seq: int, points: dict[tuple[int, tuple[str, ...]], float]) -> BreakdownRow:
    path = tuple(answer.category_path)
    return BreakdownRow(
        seq=seq,
        category_path=list(path),
        category_points=points.get((answer.framework.id, path)),
        indicator=answer.indicator,
        points=answer.points,
        kind=answer.kind,
        lead=answer.lead,
        cooperating=answer.cooperating,
        relation=answer.relation,
        source=SourceCite(
            document=answer.source.file, table=answer.source.table, row=answer.source.row, page=answer.source.page
        ),
    )


def breakdown_title(found: Sequence[FrameworkSummary], region: str | None, year: int | None) -> str:
    """``佳县2020年度市考核县指标任务和责任分解一览表`` from ``2020年度市考核县指标任务分解``."""
    if len(found) == 1 and found[0].title and "分解" in found[0].title:
        title = found[0].title.replace("任务分解", "任务和责任分解")
        title = title if title.endswith("表") else f"{title}一览表"
        return title if not region or title.startswith(region) else f"{region}{title}"
    when = f"{year}年度" if year else ""
    return f"{region or ''}{when}考核指标任务和责任分解一览表"


def build_breakdown(
    db: Database,
    found: Sequence[FrameworkSummary],
    by: Grouping = "category",
    units: Iterable[str] | None = None,
    title: str | None = None,
) -> Breakdown:
    """The 一览表 of these frameworks (one copy each), grouped ``by``, limited to ``units`` if given."""
    chosen, copies = pick_one_copy(found)
    if not chosen:
        raise BreakdownError("没有可导出的框架")
    places = {(f.region, f.year) for f in chosen}
    if len(places) > 1:
        listed = "、".join(f"{r or '?'} {y or '?'}" for r, y in sorted(places, key=str))
        raise BreakdownError(f"这些框架分属 {listed}；请一次导出一个地区、一个年度")
    region, year = next(iter(places))
    rows = queries.framework_rows(db, [f.id for f in chosen])
    points = queries.category_points(db, [f.id for f in chosen])
    wanted = set(units) if units is not None else None
    sections = []
    for framework in chosen:
        answers = [a for a in rows[framework.id] if wanted is None or _involves(a, wanted)]
        heading = framework.title if len(chosen) > 1 else None
        sections.append(
            BreakdownSection(title=heading, rows=[_row(a, n, points) for n, a in enumerate(answers, start=1)])
        )
    if by == "dept":
        sections = by_department(sections, wanted)
    return Breakdown(
        title=title or breakdown_title(chosen, region, year),
        region=region,
        year=year,
        by=by,
        documents=sorted({f.document for f in chosen}),
        copies=copies,
        sections=[s for s in sections if s.rows],
    )


def _involves(answer: IndicatorAnswer, units: set[str]) -> bool:
    return answer.lead in units or bool(units.intersection(answer.cooperating))


def by_department(sections: Sequence[BreakdownSection], units: set[str] | None = None) -> list[BreakdownSection]:
    """One section per unit (order of first appearance): led rows, then cooperating rows, renumbered."""
    led: dict[str, list[BreakdownRow]] = {}
    helped: dict[str, list[BreakdownRow]] = {}
    for row in (r for s in sections for r in s.rows):
        led.setdefault(row.lead or NO_UNIT, []).append(row.model_copy(update={"relation": "lead"}))
        for unit in row.cooperating:
            helped.setdefault(unit, []).append(row.model_copy(update={"relation": "cooperating"}))
            led.setdefault(unit, [])
    out = []
    for unit in led:
        if units is not None and unit not in units:
            continue
        rows = [r.model_copy(update={"seq": n}) for n, r in enumerate(led[unit] + helped.get(unit, []), start=1)]
        out.append(BreakdownSection(title=unit, department=unit, rows=rows))
    return out


def department_units(db: Database, name: str) -> set[str]:
    """Canonical names ``name`` stands for in the store's regions (any alias, as ``kaohe dept`` accepts)."""
    from normalize.departments import default_registry

    registry = default_registry()
    units = {registry.resolve(name, region).canonical for region in queries.regions(db)}
    return units | {name} | {canonical for _, canonical in queries.aliases_of(db, name)}


def department_breakdown(
    db: Database,
    name: str,
    year: int | None = None,
    region: str | None = None,
    units: Sequence[tuple[str | None, str]] | None = None,
) -> Breakdown:
    """Everything one unit leads, cooperates on, assesses or is assessed on (``kaohe dept NAME -o FILE``):
    one section per framework, headed by its own total as ``kaohe dept`` says it — never one sum across
    kinds. ``units``: the (region, canonical) pairs already looked up; else ``name`` is looked up in
    ``region`` (every region when None) and a name that means none or several units is refused."""
    units = list(units) if units is not None else _looked_up(db, name, region)
    answers = queries.department(db, units, year=year)
    unit = units[0][1] if units else name
    if not answers:
        raise BreakdownError(f"{unit}：库中没有{f' {year} 年度' if year else ''}相关的指标")
    found = queries.frameworks_by_ids(db, sorted({a.framework.id for a in answers}))
    chosen, copies = pick_one_copy(found)
    by_notice = {(f.title, f.region, f.year, f.assessee): f for f in chosen}
    points = queries.category_points(db, [f.id for f in chosen])
    loads = framework_loads(answers, units, framework_points(db, [f.id for f in found]))
    spans = len({(load.region, load.year) for load in loads}) > 1
    sections = []
    for load in loads:
        framework = by_notice[(load.title, load.region, load.year, load.assessee)]
        mine = [a for a in answers if a.framework.id == framework.id]
        mine.sort(key=lambda a: a.relation in ("cooperating", "assessor"))  # stable: carried rows first
        label = f"{framework.title or '(无标题)'}{f'（{framework.assessee}）' if framework.assessee else ''}"
        label = _placed(label, load.region, load.year) if spans else label
        rows = [_row(a, n, points) for n, a in enumerate(mine, start=1)]
        summary = f"{load.label}：{load.summary}"
        section = BreakdownSection(title=label, department=unit, rows=rows, summary=summary, subtotal=load.subtotal)
        sections.append(section)
    years, regions = {f.year for f in chosen}, {f.region for f in chosen}
    return Breakdown(
        title=f"{unit}{f'{year}年度' if year else ''}考核指标任务和责任清单",
        region=next(iter(regions)) if len(regions) == 1 else None,
        year=next(iter(years)) if len(years) == 1 else None,
        by="framework",
        documents=sorted({f.document for f in chosen}),
        copies=copies,
        sections=sections,
    )


def _placed(label: str, region: str | None, year: int | None) -> str:
    """``佳县2021年度市考核县指标任务分解``: the region and year a title does not already say."""
    when = f"{year}年度" if year and str(year) not in label else ""
    return f"{region if region and region not in label else ''}{when}{label}"


def _looked_up(db: Database, name: str, region: str | None) -> list[tuple[str | None, str]]:
    from store.unit_queries import RegionUnknown, find_unit

    try:
        lookup = find_unit(db, name, region)
    except RegionUnknown as e:
        raise BreakdownError(str(e)) from e
    if not lookup.found:
        raise BreakdownError(lookup.problem() or name)
    return lookup.units


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十 (section headings 一、二、…)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"
