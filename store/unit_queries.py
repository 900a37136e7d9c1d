"""The units the store knows per region, and finding the one a person means (``kaohe dept``, ``/dept``).

A unit is known in a region when a document of that region names it: in an owner cell (the
``departments`` table, and ``responsibilities`` for assessors), as the assessee of a per-unit table,
or in prose (``mentions``). ``aliases`` keeps the spellings those documents used. The look-up itself
is :func:`normalize.unit_lookup.lookup_unit` (pure); this module only reads the store.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from normalize.departments import DepartmentRegistry, canonical_region, default_registry
from normalize.unit_lookup import KnownUnits, UnitLookup, lookup_unit

__all__ = ["RegionUnknown", "find_unit", "known_units"]

_NAMES = """
select coalesce(region, '') as region, name from departments
union select coalesce(region, ''), unit from responsibilities where unit is not null
union select coalesce(region, ''), assessee from frameworks where assessee is not null
union select coalesce(region, ''), unit from mentions where resolved = 1
"""


class RegionUnknown(ValueError):
    """``--region`` names a region the store has nothing of."""

    def __init__(self, region: str, known: list[str]) -> None:
        self.region, self.known = region, known
        listed = "、".join(known) or "（无）"
        super().__init__(f"库中没有地区“{region}”的单位；库中的地区：{listed}")


def known_units(db: Database) -> list[KnownUnits]:
    """Per region (None: documents whose region is unknown), the units named and the spellings used."""
    names: dict[str, set[str]] = {}
    for row in db.query(_NAMES):
        names.setdefault(row["region"], set()).add(row["name"])
    aliases: dict[str, dict[str, str]] = {}
    for row in db.query("select coalesce(region, '') as region, alias, canonical from aliases"):
        aliases.setdefault(row["region"], {})[row["alias"]] = row["canonical"]
    return [
        KnownUnits(region=region or None, names=frozenset(units), aliases=aliases.get(region, {}))
        for region, units in sorted(names.items())
    ]


def find_unit(
    db: Database, name: str, region: str | None = None, registry: DepartmentRegistry | None = None
) -> UnitLookup:
    """The unit ``name`` means in ``region`` (every region of the store when None).

    Raises :class:`RegionUnknown` when ``region`` is given but the store has no unit there.
    """
    stores = known_units(db)
    region = region.strip() if region and region.strip() else None
    if region is not None and canonical_region(region) not in {k.region for k in stores}:
        raise RegionUnknown(canonical_region(region) or region, sorted(k.region for k in stores if k.region))
    return lookup_unit(name, stores, registry or default_registry(), region=region)


def framework_points(db: Database, framework_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each framework's kind, declared total and the points its indicators list (for a unit's totals)."""
    if not framework_ids:
        return {}
    marks = ",".join("?" * len(framework_ids))
    sql = (
        "select f.id, f.kind, f.declared_total, sum(case when i.kind = 'indicator' then i.points end) as listed "
        f"from frameworks f left join indicators i on i.framework_id = f.id where f.id in ({marks}) group by f.id"
    )
    return {r["id"]: r for r in db.query(sql, framework_ids)}
