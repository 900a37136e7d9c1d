"""What the pages show, built from the store's answers (no SQL, no Flask): copies of one notice
merged into one cited answer, owner answers a page at a time, a department's load per framework, a
framework's table as written, the frameworks list one row per notice, and the year-on-year diff as
``kaohe diff`` reports it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from export.diff_report import Section, framework_label, sections
from frameworks.diff import DiffIndicator, FrameworkDiff, diff_indicators
from frameworks.yearly import RegionDiff, identity, pair_frameworks, side_of
from store.copies import FRAMEWORK_KIND_LABELS as FRAMEWORK_KIND_LABELS  # the pages' words for kinds
from store.copies import NoticeFramework
from store.copies import merge_copies as merge_copies  # the owner page's answers, copies merged
from store.copies import one_per_notice as one_per_notice  # the frameworks page's rows, as `kaohe frameworks`
from store.dept_view import FrameworkLoad, Notice, RegionYear, framework_loads, mentions_by_notice, region_years
from store.framework_queries import framework_by_id, framework_indicators, pick_frameworks
from store.results import FrameworkSummary, IndicatorAnswer, MentionRow

# -- owner answers, a page at a time -------------------------------------------

PER_PAGE = 50
PAGES = (1, 1_000_000)  # the page numbers a request may ask for


@dataclass
class Paging:
    """Where a page of answers sits among all of them: ``共 156 条，第 51–100 条``, page 2 of 4."""

    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        return min(self.total, (self.page - 1) * self.per_page + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)


def page_window(page: int) -> dict[str, int]:
    """The ``limit`` and ``offset`` of page ``page`` (from 1), for ``store.queries.owners``."""
    return {"limit": PER_PAGE, "offset": (page - 1) * PER_PAGE}


def paging(total: int, page: int) -> Paging:
    return Paging(total=total, page=page)


# -- departments --------------------------------------------------------------


@dataclass
class DeptPage:
    """A unit's page in the words of ``kaohe dept`` (``store.dept_view``): per region and year one line
    per framework (never one sum across kinds), each framework's rows, the notices that name it in prose."""

    totals: list[RegionYear]
    groups: list[FrameworkLoad]
    notices: list[Notice]


def group_by_framework(
    answers: Sequence[IndicatorAnswer],
    units: Sequence[tuple[str | None, str]],
    frameworks: Mapping[int, Mapping[str, Any]],
) -> list[FrameworkLoad]:
    """Answers grouped by framework (copies merged), each with its own total by the framework's kind."""
    return framework_loads(answers, units, frameworks)


def dept_page(
    answers: Sequence[IndicatorAnswer],
    units: Sequence[tuple[str | None, str]],
    frameworks: Mapping[int, Mapping[str, Any]],
    mentions: Sequence[MentionRow],
) -> DeptPage:
    groups = group_by_framework(answers, units, frameworks)
    return DeptPage(totals=region_years(groups), groups=groups, notices=mentions_by_notice(mentions))


# -- frameworks ---------------------------------------------------------------


def copies_of(summary: FrameworkSummary, summaries: Sequence[FrameworkSummary]) -> list[FrameworkSummary]:
    """The same framework in the other files of the same notice (region, year and identity equal)."""
    return [
        s
        for s in summaries
        if s.id != summary.id
        and (s.region, s.year) == (summary.region, summary.year)
        and identity(s) == identity(summary)
        and s.document != summary.document
    ]


def counterparts(summary: FrameworkSummary, summaries: Sequence[FrameworkSummary]) -> list[NoticeFramework]:
    """Frameworks of the same region and kind in other years, to compare with (same identity first)."""
    others = [s for s in summaries if s.region == summary.region and s.year != summary.year and s.kind == summary.kind]
    rows = one_per_notice(others)
    return sorted(rows, key=lambda r: (identity(r.summary) != identity(summary), -(r.summary.year or 0)))


@dataclass
class TableRow:
    """A row of a framework's table: the category cell once, spanning its indicators."""

    answer: IndicatorAnswer
    category: str
    category_rowspan: int  # 0: covered by the category cell above


def table_rows(answers: Sequence[IndicatorAnswer]) -> list[TableRow]:
    rows = [TableRow(a, " / ".join(a.category_path) or (a.category or ""), 1) for a in answers]
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].category != rows[start].category:
            rows[start].category_rowspan = i - start
            for covered in rows[start + 1 : i]:
                covered.category_rowspan = 0
            start = i
    return rows


# -- diff ---------------------------------------------------------------------


@dataclass
class DiffReport:
    title: str
    sections: list[Section]
    sides: list[Any]  # the FrameworkSide of each framework compared


def _diff_pair(db: Any, old: Any, new: Any) -> FrameworkDiff:
    before = [DiffIndicator.from_answer(a) for a in framework_indicators(db, old.id)]
    after = [DiffIndicator.from_answer(a) for a in framework_indicators(db, new.id)]
    return diff_indicators(before, after).model_copy(update={"old": old, "new": new})


def diff_by_ids(db: Any, old_id: int, new_id: int) -> DiffReport | None:
    """``kaohe diff OLD NEW``; None when either framework does not exist."""
    old, new = framework_by_id(db, old_id), framework_by_id(db, new_id)
    if old is None or new is None:
        return None
    result = _diff_pair(db, side_of(old), side_of(new))
    title = f"考核指标对比：{framework_label(result.old)} → {framework_label(result.new)}"
    return DiffReport(title, sections([result]), [result.old, result.new])


def diff_by_region(db: Any, region: str, old_year: int, new_year: int) -> DiffReport | None:
    """``kaohe diff --region R --years Y1 Y2``; None when a year has no framework."""
    old, new = pick_frameworks(db, region, old_year), pick_frameworks(db, region, new_year)
    if not old or not new:
        return None
    pairs, removed, added = pair_frameworks(old, new)
    diffs = [_diff_pair(db, a, b) for a, b in pairs]
    result = RegionDiff(region=region, old_year=old_year, new_year=new_year, diffs=diffs,
                        added_frameworks=added, removed_frameworks=removed)  # fmt: skip
    report = sections(result.diffs, result.added_frameworks, result.removed_frameworks)
    sides = [s for pair in pairs for s in pair]
    return DiffReport(f"{region} {old_year} → {new_year} 年度考核指标对比", report, sides)
