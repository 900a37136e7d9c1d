"""Read queries for scoring: the indicators of a set of frameworks, the frameworks of a year, and
which frameworks ``kaohe template`` and ``kaohe score`` work on (``select_frameworks``)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field
from sqlite_utils import Database

from store.queries import _targets, frameworks
from store.results import IndicatorInfo

_INFOS = """
select i.id, i.framework_id, i.text, i.name, i.category, i.points, i.kind, i.lead,
       f.kind as f_kind, f.title as f_title, f.region as f_region, f.year as f_year,
       f.grp as f_group, f.assessee as f_assessee
from indicators i join frameworks f on f.id = i.framework_id
where i.framework_id in ({marks})
order by f.document_id, f.seq, i.seq
"""


def indicator_infos(db: Database, framework_ids: Sequence[int]) -> list[IndicatorInfo]:
    """Every indicator of the given frameworks (document and table order), with its framework's
    kind, title, region, year, group and assessee, and its parsed targets."""
    ids = sorted({int(i) for i in framework_ids})
    if not ids:
        return []
    rows = list(db.query(_INFOS.format(marks=",".join("?" * len(ids))), ids))
    targets = _targets(db, [r["id"] for r in rows])
    return [
        IndicatorInfo(
            id=r["id"],
            framework_id=r["framework_id"],
            framework_kind=r["f_kind"],
            framework_title=r["f_title"],
            region=r["f_region"],
            year=r["f_year"],
            group=r["f_group"],
            assessee=r["f_assessee"],
            text=r["text"],
            name=r["name"],
            category=r["category"],
            points=r["points"],
            kind=r["kind"] or "indicator",
            lead=r["lead"],
            targets=targets.get(r["id"], []),
        )
        for r in rows
    ]


def frameworks_for(db: Database, region: str, year: int) -> list[int]:
    """The frameworks of one region (``佳县``, ``柞水`` finds ``柞水县``) and year, one copy per notice.

    A notice received in several formats gives one framework row per copy; the copy from the most
    faithful format is kept (``frameworks.yearly.FORMAT_PREFERENCE``: .docx first), the same choice
    ``kaohe diff`` makes."""
    from frameworks.yearly import pick_copies

    picked = pick_copies(frameworks(db, region=region, year=year))
    return sorted(side.id for side in picked.values())


def existing_framework_ids(db: Database, framework_ids: Sequence[int]) -> list[int]:
    """Those of ``framework_ids`` that are in the store."""
    ids = sorted({int(i) for i in framework_ids})
    if not ids:
        return []
    sql = f"select id from frameworks where id in ({','.join('?' * len(ids))}) order by id"
    return [r["id"] for r in db.query(sql, ids)]


# The county scores its ASSESSED units on their own tables: a per_unit table per unit, the common
# (共性) tables of their category, the negative list. A breakdown (市考核县指标任务分解) gives a
# line per LEAD unit — departments that are not assessed units, and the 市考 items the assessed
# departments already carry in their own tables (their 市考指标 row) a second time; a template
# (指标设置框架) is a blank form. Both are used only when named by id or by kind.
DEFAULT_KINDS = ("per_unit", "common", "negative_list")
ALL_KINDS = ("per_unit", "common", "negative_list", "breakdown", "template")
KIND_LABELS = {
    "per_unit": "单位考核表",
    "common": "共性指标",
    "negative_list": "负面清单",
    "breakdown": "市考分解，按牵头单位",
    "template": "指标设置框架",
}


class LeftOutFramework(BaseModel):
    id: int
    kind: str
    title: str | None = None


class FrameworkSelection(BaseModel):
    """The frameworks a command works on, and those it left out (said in the 说明 sheet / on stderr)."""

    framework_ids: list[int] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)  # the kinds kept; empty: every kind named by id
    by_region: bool = False
    left_out: list[LeftOutFramework] = Field(default_factory=list)
    unknown_ids: list[int] = Field(default_factory=list)

    def notes(self) -> list[str]:
        """What was selected and left out, in Chinese."""
        notes = []
        kinds = "、".join(f"{k}（{KIND_LABELS.get(k, k)}）" for k in self.kinds)
        if self.by_region and tuple(self.kinds) == DEFAULT_KINDS:
            notes.append(
                f"按地区和年度选取（每份通知取一份副本），默认只含 {kinds} 框架：县对被考核单位按其本单位的指标表计分。"
            )
        elif self.kinds:
            notes.append(f"按 --kind 只含 {kinds} 框架。")
        if self.left_out:
            hint = "需要时用框架编号或 --kind breakdown 选取。" if self.by_region and not self.kinds_named else ""
            notes.append(f"未列入：{self._left_out_text()}。{hint}")
        if self.unknown_ids:
            notes.append("库中没有的框架编号：" + " ".join(map(str, self.unknown_ids)) + "。")
        return notes

    @property
    def kinds_named(self) -> bool:
        return tuple(self.kinds) != DEFAULT_KINDS

    def _left_out_text(self) -> str:
        by_kind: dict[str, list[LeftOutFramework]] = {}
        for framework in self.left_out:
            by_kind.setdefault(framework.kind, []).append(framework)
        parts = []
        for kind, group in by_kind.items():
            if len(group) == 1:
                parts.append(f"《{group[0].title or group[0].id}》（框架 {group[0].id}，{kind}）")
            else:
                ids = " ".join(str(f.id) for f in group)
                parts.append(f"{len(group)} 个 {kind} 框架（{ids}）")
        return "；".join(parts)


def select_frameworks(
    db: Database,
    framework_ids: Sequence[int] = (),
    region: str | None = None,
    year: int | None = None,
    kinds: Sequence[str] = (),
) -> FrameworkSelection:
    """The frameworks ``kaohe template`` and ``kaohe score`` use.

    By id: every named framework in the store (of ``kinds`` when given). By ``region`` and ``year``
    (ids empty): one copy per notice (``frameworks_for``) of ``kinds``, by default
    ``DEFAULT_KINDS`` — the breakdown and template frameworks only when asked for by kind."""
    if framework_ids:
        found = _kinds_of(db, framework_ids)
        selection = FrameworkSelection(kinds=list(kinds))
        selection.unknown_ids = sorted({int(i) for i in framework_ids} - set(found))
    elif region and year:
        found = _kinds_of(db, frameworks_for(db, region, year))
        selection = FrameworkSelection(kinds=list(kinds or DEFAULT_KINDS), by_region=True)
    else:
        raise ValueError("give framework ids, or a region and a year")
    for id_, (kind, title) in sorted(found.items()):
        if not selection.kinds or kind in selection.kinds:
            selection.framework_ids.append(id_)
        else:
            selection.left_out.append(LeftOutFramework(id=id_, kind=kind, title=title))
    return selection


def _kinds_of(db: Database, framework_ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
    ids = sorted({int(i) for i in framework_ids})
    if not ids:
        return {}
    sql = f"select id, kind, title from frameworks where id in ({','.join('?' * len(ids))})"
    return {r["id"]: (r["kind"], r["title"]) for r in db.query(sql, ids)}
