"""One answer per indicator of a notice, however many copies of it the store holds.

An office often receives the same notice as .docx, .pdf and .doc; each copy is stored (it is
what someone may cite), but a query answers once and cites every copy. No SQL here: this folds
the answers the queries return. Used by the command line and the web pages alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.results import FrameworkSummary, IndicatorAnswer, SourceRef

KIND_LABELS = {"indicator": "指标", "deduction": "扣分", "veto": "一票否决", "bonus": "加分"}
FRAMEWORK_KIND_LABELS = {
    "breakdown": "任务分解",
    "negative_list": "负面清单",
    "common": "共性指标",
    "per_unit": "单位指标",
    "template": "申报样表",
}
RELATION_LABELS = {"lead": "牵头", "cooperating": "配合", "assessor": "考核", "assessee": "被考核"}
NOT_CARRIED = ("cooperating", "assessor")  # relations whose points are not the unit's own


def files_label(files: Sequence[str]) -> str:
    """The files of one notice as people cite them: ``佳县2020年度目标责任考核指标.docx|pdf`` (、 between names)."""
    stems: dict[str, list[str]] = {}
    for path in files:
        stems.setdefault(Path(path).stem, []).append(Path(path).suffix.lstrip("."))
    return "、".join(f"{stem}.{'|'.join(sorted(set(suffixes)))}" for stem, suffixes in stems.items())


@dataclass
class Citation:
    """One place of a notice, in every format it was received in: ``name.docx|pdf 表1行3``."""

    stem: str
    suffixes: list[str]
    table: int
    row: int
    pages: list[tuple[str, int]]  # (suffix, page) where the format has pages
    copies: int  # how many stored files cite this place

    @property
    def label(self) -> str:
        """Every format's page: ``name.docx|pdf 表1行3（pdf 第2页）``."""
        pages = "".join(f"（{suffix} 第{page}页）" for suffix, page in self.pages)
        return f"{self.stem}.{'|'.join(self.suffixes)} 表{self.table + 1}行{self.row}{pages}"

    @property
    def short_label(self) -> str:
        """For a terminal column: the page only when one file is cited, ``name.pdf 表1行3 第2页``."""
        page = f" 第{self.pages[0][1]}页" if self.copies == 1 and self.pages else ""
        return f"{self.stem}.{'|'.join(self.suffixes)} 表{self.table + 1}行{self.row}{page}"


@dataclass
class MergedAnswer:
    answer: IndicatorAnswer
    citations: list[Citation]
    framework_ids: list[int]  # the framework of every answer merged (not of the copies an answer carries)


def same_notice_key(a: IndicatorAnswer) -> tuple[Any, ...]:
    """Answers equal but for their file: the same notice received in several formats. The indicator's own name
    and category path count (``见专项责任书。`` under 安全生产 and under 信访工作 are two answers); the store keys
    its search index by the same fields (``store.search_index.COPY_FIELDS``)."""
    f = a.framework
    return (a.indicator, a.name, a.points, a.kind, a.lead, tuple(a.cooperating), a.category, tuple(a.category_path),
            f.title, f.region, f.year, f.assessee, a.relation)  # fmt: skip


def fold_copies(answers: Sequence[IndicatorAnswer]) -> list[IndicatorAnswer]:
    """One answer per indicator of a notice, in the order answers first appear: the first one, with the other
    copies' sources in ``copies`` (``kaohe owner --json``)."""
    firsts: dict[tuple[Any, ...], IndicatorAnswer] = {}
    copies: dict[tuple[Any, ...], list[SourceRef]] = {}
    for a in answers:
        key = same_notice_key(a)
        if key in firsts:
            copies[key] += [a.source, *a.copies]
        else:
            firsts[key], copies[key] = a, list(a.copies)
    return [a.model_copy(update={"copies": copies[key]}) for key, a in firsts.items()]


def merge_copies(answers: Sequence[IndicatorAnswer]) -> list[MergedAnswer]:
    """One answer per indicator of a notice, citing every copy (an answer's own ``copies`` included), in the
    order answers first appear."""
    merged: dict[tuple[Any, ...], tuple[IndicatorAnswer, list[SourceRef], list[int]]] = {}
    for a in answers:
        _, sources, ids = merged.setdefault(same_notice_key(a), (a, [], []))
        sources += [a.source, *a.copies]
        ids.append(a.framework.id)
    return [MergedAnswer(a, cite(sources), ids) for a, sources, ids in merged.values()]


def cite(sources: Sequence[SourceRef]) -> list[Citation]:
    places: dict[tuple[str, int, int], list[SourceRef]] = {}
    for src in sources:
        places.setdefault((Path(src.file).stem, src.table, src.row), []).append(src)
    return [
        Citation(
            stem=stem,
            suffixes=sorted({Path(s.file).suffix.lstrip(".") for s in same}),
            table=table,
            row=row,
            pages=sorted({(Path(s.file).suffix.lstrip("."), s.page) for s in same if s.page}),
            copies=len(same),
        )
        for (stem, table, row), same in places.items()
    ]


@dataclass
class NoticeFramework:
    """A framework as one row of the list: the preferred copy, the other copies' ids."""

    summary: FrameworkSummary
    copies: list[FrameworkSummary] = field(default_factory=list)


def one_per_notice(summaries: Sequence[FrameworkSummary]) -> list[NoticeFramework]:
    """The frameworks, the copies of one notice folded into one row (``frameworks.yearly.pick_copies``)."""
    from frameworks.yearly import identity, pick_copies  # not at import: the owner query does not need it

    by_year: dict[tuple[str | None, int | None], list[FrameworkSummary]] = {}
    for s in summaries:
        by_year.setdefault((s.region, s.year), []).append(s)
    by_id = {s.id: s for s in summaries}
    rows = []
    for group in by_year.values():
        for side in pick_copies(group).values():
            chosen = by_id[side.id or 0]  # sides made from summaries always carry their id
            copies = [s for s in group if s.id != chosen.id and identity(s) == identity(chosen)]
            copies = [s for s in copies if s.document in side.copies]
            rows.append(NoticeFramework(chosen, copies))
    return sorted(rows, key=lambda r: (r.summary.region or "", r.summary.year or 0, r.summary.id))
