"""Which unit a person means by a name typed as people type it (``kaohe dept``, ``/dept/<name>``).

People leave the county out (``林业局``), use short forms (``发改局``, ``教体局``) or half a name
(``县教育局`` for 县教育和体育局). A name is looked up **in each region on its own**, against the
units the store knows there (:class:`KnownUnits`: the names its documents resolved to and the
spellings they used) and the registry's rules (DOMAIN §4.2). Tiers, the first that finds something
decides:

1. ``exact`` — a unit of the region, as typed.
2. ``alias`` — a spelling a document of the region used, or the registry's alias and rules
   (jurisdiction-scoped: DOMAIN §4.2 rule 6).
3. ``prefix`` — the same after re-attaching the region's prefix, ``县`` or ``县委`` (``区`` in a
   district; DOMAIN §2.6 prefix elision).
4. ``partial`` — the characters typed appear in order in the unit's name, its first and last
   character kept once the prefix is set aside (``县教育局`` in 县教育和体育局).

Across regions only the best tier counts. One name everywhere (县林业局 in 佳县 and 柞水县) is
an answer, listed per region. Two units or more — in one region, or different units in different
regions (``发改局``: 县发展改革和科技局 in 佳县, 县发展和改革局 in 柞水县) — are candidates for the
person to choose from, never merged. When nothing is found, the closest units are suggestions
(rapidfuzz). Pure: the caller gives the registry and the store's names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Literal

import regex
from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from normalize.departments import SPECIAL_OWNERS, DepartmentRegistry, canonical_region, known_regions

__all__ = ["KnownUnits", "UnitLookup", "UnitMatch", "lookup_unit", "region_label"]

logger = logging.getLogger(__name__)

Via = Literal["exact", "alias", "prefix", "partial", "suggestion"]
_TIER: dict[str, int] = {"exact": 0, "alias": 1, "prefix": 2, "partial": 3}
_LEVEL_PREFIX = regex.compile(r"^(?:中共|共青团)?(?:[县区市旗]委(?!员)|[县区市旗])")
_SPELLED_PLACE = regex.compile(r"^(?:中共|中国共产党|共青团)?")
SUGGEST_CUTOFF = 60.0  # fuzz.ratio: 县体育局 ~ 县教育和体育局 is 73, 县体育局 ~ 县林业局 only 50
SUGGEST_LIMIT = 3


class KnownUnits(BaseModel):
    """What the store knows of one region: its units' canonical names and the spellings documents used."""

    region: str | None
    names: frozenset[str]
    aliases: dict[str, str] = Field(default_factory=dict)  # as written → canonical


class UnitMatch(BaseModel):
    region: str | None
    unit: str  # canonical, as the store has it
    via: Via


class UnitLookup(BaseModel):
    """The answer: ``matches`` (one unit, per region), else ``candidates`` (choose), else ``suggestions``."""

    name: str
    matches: list[UnitMatch] = Field(default_factory=list)
    candidates: list[UnitMatch] = Field(default_factory=list)
    suggestions: list[UnitMatch] = Field(default_factory=list)
    several_regions: bool = False  # the look-up covered more than one region

    @property
    def found(self) -> bool:
        return bool(self.matches)

    @property
    def units(self) -> list[tuple[str | None, str]]:
        """(region, canonical) pairs of the answer, for the store's queries."""
        return [(m.region, m.unit) for m in self.matches]

    def understood_as(self) -> str | None:
        """``“发改局”即 佳县 县发展改革和科技局``, when the name is not the unit's own."""
        if not self.matches or all(m.unit == self.name for m in self.matches):
            return None
        return f"“{self.name}”即 " + "；".join(f"{region_label(m.region)} {m.unit}" for m in self.matches)

    def problem(self) -> str | None:
        """Why there is no answer, in the words a person reads; None when there is one."""
        if self.matches:
            return None
        if self.candidates:
            return f"“{self.name}”可指不同的单位：{_listing(self.candidates)}。"
        message = f"没有找到单位“{self.name}”。"
        if self.suggestions:
            shown = "、".join(
                f"{m.unit}（{region_label(m.region)}）" if self.several_regions else m.unit for m in self.suggestions
            )
            message += f"你是否要找：{shown}？"
        return message


def region_label(region: str | None) -> str:
    return region or "（未知地区）"


def _listing(matches: Sequence[UnitMatch]) -> str:
    """``佳县 县发展改革和科技局；柞水县 县发展和改革局`` (one region: ``佳县 县教育和体育局、县教育科技局``)."""
    by_region: dict[str | None, list[str]] = {}
    for m in matches:
        by_region.setdefault(m.region, []).append(m.unit)
    return "；".join(f"{region_label(region)} {'、'.join(units)}" for region, units in by_region.items())


def _level(region: str | None) -> str:
    """The prefix a region's unit names start with: 县, 区 (南郑区), 市 (county-level city), 旗."""
    return region[-1] if region and region[-1] in "县区市旗" else "县"


def _core(name: str) -> str:
    """The name without its level prefix: 县委组织部 → 组织部, 县教育和体育局 → 教育和体育局."""
    return _LEVEL_PREFIX.sub("", name, count=1)


def _squeeze(name: str) -> str:
    return "".join(name.split())


def _is_partial(typed: str, name: str) -> bool:
    """The typed characters in order in ``name``, same first and last character (prefixes set aside)."""
    short, full = _core(typed), _core(name)
    if len(short) < 2 or short[0] != full[:1] or short[-1] != full[-1:]:
        return False
    rest = iter(full)
    return all(char in rest for char in short)


def _spelled_place(name: str, regions: Iterable[str | None]) -> tuple[str | None, str]:
    """A region the name spells out (佳县林业局, 中共柞水县委组织部) and the name at county level."""
    bare = _SPELLED_PLACE.sub("", name, count=1)
    places = {*known_regions(), *(r for r in regions if r)}
    for place in sorted(places, key=len, reverse=True):
        if bare.startswith(place) and len(bare) > len(place):
            rest = bare[len(place) :]
            return place, rest if rest.startswith(_level(place)) else _level(place) + rest
    return None, name


def _forms(name: str, region: str | None) -> list[str]:
    """The name as typed, then with the region's prefix re-attached (``县`` and ``县委``)."""
    if _LEVEL_PREFIX.match(name) or name.startswith("团"):
        return [name]
    level = _level(region)
    return [name, level + name, level + "委" + name]


def _known(form: str, known: KnownUnits, registry: DepartmentRegistry) -> list[tuple[str, Via]]:
    if form in known.names:
        return [(form, "exact")]
    hits = []
    if known.aliases.get(form) in known.names:
        hits.append(known.aliases[form])
    resolution = registry.resolve(form, known.region)
    if resolution.resolved and resolution.canonical in known.names:
        hits.append(resolution.canonical)
    return [(unit, "alias") for unit in dict.fromkeys(hits)]


def _in_region(name: str, known: KnownUnits, registry: DepartmentRegistry) -> list[UnitMatch]:
    """The units ``name`` may be in one region, all found at the same (the best) tier."""
    forms = _forms(name, known.region)
    typed = _known(name, known, registry)
    if typed:
        return [UnitMatch(region=known.region, unit=unit, via=via) for unit, via in typed]
    prefixed = dict.fromkeys(unit for form in forms[1:] for unit, _ in _known(form, known, registry))
    if prefixed:  # 县X and 县委X both known: two candidates, not the first one
        return [UnitMatch(region=known.region, unit=unit, via="prefix") for unit in prefixed]
    partial = sorted(n for n in known.names if any(_is_partial(form, n) for form in forms[:2]))
    return [UnitMatch(region=known.region, unit=unit, via="partial") for unit in partial]


def _suggest(name: str, scope: Sequence[KnownUnits]) -> list[UnitMatch]:
    scored = []
    for known in scope:
        forms = _forms(name, known.region)[:2]
        for unit in known.names:
            score = max(fuzz.ratio(form, unit) for form in forms)
            if score >= SUGGEST_CUTOFF:
                scored.append((-score, unit, known.region or ""))
    best = sorted(scored)[:SUGGEST_LIMIT]
    return [UnitMatch(region=region or None, unit=unit, via="suggestion") for _, unit, region in best]


def _scope(name: str, stores: Sequence[KnownUnits], region: str | None) -> tuple[str, list[KnownUnits]]:
    """The typed name at county level and the regions to look in (``region``, and a place the name spells)."""
    place, local = _spelled_place(name, (k.region for k in stores))
    wanted = canonical_region(region)
    scope = [k for k in stores if wanted is None or k.region == wanted]
    if place is not None:
        scope = [k for k in scope if k.region == place]
    usable = [k.model_copy(update={"names": frozenset(n for n in k.names if n not in SPECIAL_OWNERS)}) for k in scope]
    return local, usable


def lookup_unit(
    name: str, stores: Sequence[KnownUnits], registry: DepartmentRegistry, region: str | None = None
) -> UnitLookup:
    """The unit(s) ``name`` means in ``region`` (every region of ``stores`` when None); see the module doc."""
    typed = _squeeze(name)
    local, scope = _scope(typed, stores, region)
    found = [m for known in scope for m in _in_region(local, known, registry)]
    result = UnitLookup(name=typed, several_regions=len(scope) > 1)
    if not found:
        return result.model_copy(update={"suggestions": _suggest(local, scope)})
    best = min(_TIER[m.via] for m in found)
    found = [m for m in found if _TIER[m.via] == best]
    regions = [m.region for m in found]
    if len(set(regions)) < len(regions) or len({m.unit for m in found}) > 1:
        logger.debug("%s: %d candidates, not merged", typed, len(found))
        return result.model_copy(update={"candidates": found})
    return result.model_copy(update={"matches": found})
