"""Department (unit) names: split owner cells, detect the region, resolve names per region.

Three layers, applied in this order:

* ``split_units`` (``normalize.unit_cells``, re-exported here) turns an owner cell
  (``县乡村振兴局、财政局等牵头部门``) into mentions: separators, prefix elision, co-location, glued names.
* ``detect_region`` finds the county/district a document belongs to.
* ``DepartmentRegistry.resolve`` maps one name to its canonical form **for a region**: exact
  canonical name, then alias (jurisdiction-scoped rows win over general ones), then the region's
  roster, then normalising rules (DOMAIN §4.2). It never merges two units on a guess.

Data (``normalize/data/``, carried by the project): ``dept-aliases.tsv`` (canonical, alias, region,
kind, where_seen; an empty region means the alias holds everywhere, a filled one scopes it, and
``succession`` rows feed :meth:`DepartmentRegistry.successor` only), ``rosters.tsv`` (names assessed
per region/year; an empty region lists bodies every county has), ``regions.tsv`` (known counties),
``short-forms.tsv`` (DOMAIN §4.2 rule 4).

Regions are written with their suffix (``佳县``, ``柞水县``, ``南郑区``): a one-character stem such
as ``佳`` is ambiguous, and the suffix records whether unit names start with 县 or 区.
Canonical names are stored at county level (``县财政局``) and re-levelled on output
(``区财政局`` in a district).
"""

from __future__ import annotations

import csv
import functools
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

import regex
from pydantic import BaseModel

from normalize.unit_cells import (
    SPECIAL_OWNERS,
    SpecialOwner,
    UnitList,
    UnitMention,
    parse_unit_list,
    split_colocation,
    split_units,
)

__all__ = [
    "SPECIAL_OWNERS",
    "AliasRecord",
    "DepartmentRegistry",
    "Resolution",
    "SpecialOwner",
    "Succession",
    "UnitList",
    "UnitMention",
    "canonical_region",
    "default_registry",
    "detect_region",
    "known_regions",
    "parse_unit_list",
    "split_colocation",
    "split_units",
]

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
ALIASES_TSV = DATA_DIR / "dept-aliases.tsv"
ROSTERS_TSV = DATA_DIR / "rosters.tsv"
REGIONS_TSV = DATA_DIR / "regions.tsv"

Via = Literal["exact", "alias", "rule", "roster", "unresolved"]


class Resolution(BaseModel):
    canonical: str
    resolved: bool
    via: Via


class AliasRecord(BaseModel):
    canonical: str
    alias: str
    region: str | None
    kind: str  # abbreviation | typo | co-location | prefix-elision | expansion | succession
    evidence: str


class Succession(BaseModel):
    """A predecessor body and its successor (a reform, not a synonym: scope may change)."""

    predecessor: str
    successor: str
    partial: bool = False
    evidence: str = ""


_JUNK = "*＊\"“”'‘’。.:："
_SPACES = regex.compile(r"\s+")
_COUNTY_LEVEL = regex.compile(r"^(团)?([区旗])(?!域)")
_CITY_LEVEL = regex.compile(r"^(团)?([区旗市])(?!域)")


# --- regions ---------------------------------------------------------------------------------


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@functools.cache
def known_regions() -> tuple[str, ...]:
    """County-level names from ``data/regions.tsv`` (with suffix), longest first."""
    names = {row["region"] for row in _read_tsv(REGIONS_TSV)}
    return tuple(sorted(names, key=lambda name: (-len(name), name)))


def canonical_region(region: str | None) -> str | None:
    """``柞水`` → ``柞水县``, ``南郑`` → ``南郑区``; a known or unknown full name is kept as given."""
    if not region or not region.strip():
        return None
    region = region.strip()
    if region in known_regions():
        return region
    for suffix in "县区市旗":
        if region + suffix in known_regions():
            return region + suffix
    return region


_STOP_FIRST = "全各本我该市县区省经由对在驻"
_ISSUER_LINE = regex.compile(
    rf"(?m)^[ \t\u3000]*(?:中共)?(?P<name>[^\P{{Han}}{_STOP_FIRST}]\p{{Han}}{{0,3}}?(?:县|区|旗))"
    r"(?:委|人民政府|考核委员会|委员会|目标责任考核)"
)
_NOT_AFTER_REGION = "域级直"  # 最佳县域… is 最佳 + 县域, not 佳县


def detect_region(text: str, known: Iterable[str] | None = None) -> str | None:
    """The county/district a document belongs to, with its suffix (``宁陕县``), or None.

    Known names (``data/regions.tsv`` plus ``known``) are counted in the text and the most frequent
    wins (ties: the earliest). An unknown county counts only when the document names it as an
    issuer at the start of a line (``中共X县委…``, ``X县人民政府…``, ``X县考核委员会…``), so ``全县``,
    ``县直`` or ``市考`` never match.
    """
    names = set(known_regions()) | set(known or ())
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for name in names:
        for match in regex.finditer(rf"{regex.escape(name)}(?![{_NOT_AFTER_REGION}])", text):
            counts[name] += 1
            first_seen.setdefault(name, match.start())
    if counts:
        return max(counts, key=lambda name: (counts[name], -first_seen[name]))
    issuer = _ISSUER_LINE.search(text)
    return issuer["name"] if issuer else None


# --- the registry ----------------------------------------------------------------------------

SHORT_FORMS_TSV = DATA_DIR / "short-forms.tsv"  # DOMAIN §4.2 rule 4: 发改局 → 发展和改革局 …
_RENMIN = (
    ("人民政府", "政府"), ("人民法院", "法院"), ("人民检察院", "检察院"), ("人民代表大会常务委员会", "人大常委会"),
)  # fmt: skip
_BRACKETS = str.maketrans({"(": "（", ")": "）", "【": "（", "】": "）", "[": "（", "]": "）"})
_RULE_DEPTH = 3


class _Scoped:
    """Marker: the alias exists, but only for other regions."""


_SCOPED = _Scoped()
_Hit = tuple[str, Via] | _Scoped | None
_Candidate = tuple[str, str | None, str]  # (key, region, level)


def _clean(name: str) -> str:
    return _SPACES.sub("", name).strip(_JUNK).translate(_BRACKETS)


def _level_key(name: str, city_level: bool = False) -> tuple[str, str]:
    """Map a leading 区/旗 (市 in a county-level city) to 县: canonical names are county-level."""
    match = (_CITY_LEVEL if city_level else _COUNTY_LEVEL).match(name)
    if not match:
        return name, "县"
    return name[: match.start(2)] + "县" + name[match.end(2) :], match[2]


def _relevel(canonical: str, level: str) -> str:
    if level == "县":
        return canonical
    return regex.sub(r"^(团|共青团)?县", lambda match: (match[1] or "") + level, canonical, count=1)


def _explicit_place(name: str) -> str | None:
    """The region a name spells out itself: 中共柞水县委组织部 → 柞水县."""
    bare = regex.sub(r"^(?:中共|中国共产党|共青团)", "", _clean(name))
    return next((place for place in known_regions() if bare.startswith(place) and bare != place), None)


class DepartmentRegistry:
    """Canonical unit names per region: alias rows (``data/dept-aliases.tsv``) plus rosters."""

    def __init__(self, records: Iterable[AliasRecord] = ()) -> None:
        self.records: list[AliasRecord] = []
        self._canonical: dict[str, str] = {}
        self._aliases: dict[str, dict[str | None, str]] = {}
        self._templates: list[tuple[regex.Pattern[str], str]] = []
        self._successions: dict[str, Succession] = {}
        self._rosters: dict[str | None, dict[str, str]] = {}
        # resolve() runs for every owner cell of every notice: answers are memoised until the registry changes.
        self._resolved: dict[tuple[str, str | None], Resolution] = {}
        for record in records:
            self.add(record)

    @classmethod
    def from_tsv(cls, path: Path = ALIASES_TSV, rosters: Path | None = ROSTERS_TSV) -> DepartmentRegistry:
        """Load alias rows (columns canonical, alias, region, kind, where_seen) and optional rosters."""
        registry = cls()
        for row in _read_tsv(path):
            for alias in row["alias"].split(" / "):  # succession rows list merged predecessors
                record = AliasRecord(
                    canonical=row["canonical"],
                    alias=alias.strip(),
                    region=canonical_region(row.get("region")),
                    kind=row.get("kind") or "abbreviation",
                    evidence=row.get("where_seen", ""),
                )
                registry.add(record)
        if rosters is not None:
            for row in _read_tsv(rosters):
                registry.add_roster(row["region"] or None, [row["name"]], year=int(row["year"] or 0) or None)
        return registry

    def add(self, record: AliasRecord) -> None:
        self._resolved.clear()
        self.records.append(record)
        if "XX" in record.alias:
            pattern = regex.escape(_clean(record.alias)).replace("XX", r"(?P<x>\p{Han}{1,8}?)")
            self._templates.append((regex.compile(f"^{pattern}$"), record.canonical))
            return
        canonical_key, _ = _level_key(_clean(record.canonical))
        self._canonical.setdefault(canonical_key, record.canonical)
        alias_key, _ = _level_key(_clean(record.alias))
        if record.kind == "succession":
            predecessor = regex.sub(r"（.*?）$", "", _clean(record.alias))
            partial = "partial" in record.evidence
            # a predecessor is a real body of its own era (县扶贫局 in 2019), never an alias of its successor
            self._canonical.setdefault(_level_key(predecessor)[0], predecessor)
            self._successions[_level_key(predecessor)[0]] = Succession(
                predecessor=predecessor, successor=record.canonical, partial=partial, evidence=record.evidence
            )
            return
        self._aliases.setdefault(alias_key, {})[record.region] = record.canonical

    def add_roster(self, region: str | None, names: Iterable[str], year: int | None = None) -> None:
        """Names assessed in ``region`` (e.g. seed 000 附件5); ``year`` is kept for provenance only.

        ``region=None`` lists bodies every county has (县司法局): known names, never merged.
        """
        self._resolved.clear()
        roster = self._rosters.setdefault(canonical_region(region), {})
        for name in names:
            key, _ = _level_key(_clean(name))
            roster.setdefault(key, _clean(name))

    def names(self) -> set[str]:
        """Every surface form the registry knows (canonical, aliases, rosters, predecessors)."""
        out = set(self._canonical.values())
        out.update(record.alias for record in self.records if "XX" not in record.alias)
        out.update(name for roster in self._rosters.values() for name in roster.values())
        out.update(succession.predecessor for succession in self._successions.values())
        return {_clean(name) for name in out}

    def _lookup(self, key: str, region: str | None) -> _Hit:
        if key in self._canonical:
            return self._canonical[key], "exact"
        scoped = self._aliases.get(key)
        if scoped:
            if region in scoped:
                return scoped[region], "alias"
            if None in scoped:
                return scoped[None], "alias"
            return _SCOPED
        for pattern, canonical in self._templates:
            match = pattern.match(key)
            if match:
                return canonical.replace("XX", match["x"]), "alias"
        for roster in (self._rosters.get(region, {}) if region else {}, self._rosters.get(None, {})):
            if key in roster:
                return roster[key], "roster"
        return None

    def resolve(self, name: str, region: str | None = None) -> Resolution:
        """Canonical form of ``name`` in ``region``; unknown names come back as written, unresolved.

        A place spelled out in the name wins over ``region`` (宁陕县财政局 in a 柞水 document is
        宁陕's bureau). A co-located pair not in the registry resolves to its housing unit.
        """
        key = (name, region)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_uncached(name, region)
        return self._resolved[key]

    def _resolve_uncached(self, name: str, region: str | None) -> Resolution:
        found = self._resolve_known(name, region)
        if found is not None:
            return found
        main, inner = split_colocation(_clean(name))
        if inner and not self._is_scoped(name, region):
            return self.resolve(main, region)
        return Resolution(canonical=regex.sub(r"\s+", "", name), resolved=False, via="unresolved")

    def resolve_mention(self, mention: UnitMention, region: str | None = None) -> Resolution | None:
        """Resolve a split mention (co-location included); None for 相关单位 / 被考核单位."""
        if mention.special:
            return None
        if mention.also_known_as:
            inner = split_colocation(_clean(mention.as_written))[1]
            forms = (f"{mention.text}（{inner}）", f"{mention.text}（{mention.also_known_as}）")
            for composite in dict.fromkeys(forms):
                found = self._resolve_known(composite, region)
                if found is not None:
                    return found
        resolution = self.resolve(mention.text, region)
        if not resolution.resolved and mention.as_written != mention.text:
            # prefix elision guessed wrong (经办中心 is not 县经办中心): the cell's own words decide
            as_written = self.resolve(mention.as_written, region)
            return as_written if as_written.resolved else resolution
        return resolution

    def _is_scoped(self, name: str, region: str | None) -> bool:
        region = _explicit_place(name) or canonical_region(region)
        return isinstance(self._lookup(_level_key(_clean(name))[0], region), _Scoped)

    def _resolve_known(self, name: str, region: str | None) -> Resolution | None:
        region = _explicit_place(name) or canonical_region(region)
        key, level = _level_key(_clean(name), city_level=bool(region and region.endswith("市")))
        hit = self._lookup(key, region)
        if isinstance(hit, tuple):
            return Resolution(canonical=_relevel(hit[0], level), resolved=True, via=hit[1])
        if hit is None:
            ruled = self._resolve_by_rules((key, region, level))
            if isinstance(ruled, str):
                return Resolution(canonical=ruled, resolved=True, via="rule")
        return None

    def successor(self, name: str, region: str | None = None) -> Succession | None:
        """The body that replaced ``name`` in a reform (县扶贫局 → 县乡村振兴局); not an alias."""
        place = _explicit_place(name) or canonical_region(region)
        key, level = _level_key(_clean(name))
        if place and key.startswith(place):
            key, level = "县" + key[len(place) :], place[-1]
        succession = self._successions.get(key)
        if succession is None:
            return None
        return succession.model_copy(
            update={
                "predecessor": _relevel(succession.predecessor, level),
                "successor": _relevel(succession.successor, level),
            }
        )

    def _resolve_by_rules(self, start: _Candidate) -> str | _Scoped | None:
        """Breadth-first over the §4.2 rewrites; the first registry hit wins, a scoped alias stops."""
        seen = {start[:2]}
        frontier = [start]
        for _ in range(_RULE_DEPTH):
            next_frontier: list[_Candidate] = []
            for candidate in (new for old in frontier for new in _rewrites(old)):
                if candidate[:2] in seen:
                    continue
                seen.add(candidate[:2])
                hit = self._lookup(candidate[0], candidate[1])
                if isinstance(hit, _Scoped):
                    return hit
                if hit is not None:
                    return _relevel(hit[0], candidate[2])
                next_frontier.append(candidate)
            frontier = next_frontier
        return None


@functools.cache
def _short_forms() -> tuple[tuple[str, str], ...]:
    """Short → full forms. Only expanded, never shortened: a full name is unambiguous, a short one
    may be scoped (县发改局), and a scoped alias stops resolution before any rewrite."""
    return tuple((row["short"], row["full"]) for row in _read_tsv(SHORT_FORMS_TSV))


def _rewrites(candidate: _Candidate) -> Iterator[_Candidate]:
    """DOMAIN §4.2 rules 1–4 as one-step rewrites of a county-level key."""
    key, region, level = candidate
    if key.startswith(("中共", "中国共产党")):
        yield regex.sub(r"^(?:中共|中国共产党)", "", key), region, level
    for place in (*known_regions(), *([region] if region else [])):
        if key.startswith(place) and len(key) > len(place):
            yield "县" + key[len(place) :], place, place[-1] if place[-1] in "区旗市" else "县"
    for full, short in _RENMIN:
        if full in key:
            yield key.replace(full, short), region, level
    if "办公室" in key:
        yield key.replace("办公室", "办"), region, level
    elif key.endswith("办"):
        yield key + "公室", region, level
    for short, full in _short_forms():
        if key.endswith(short) and not key.endswith(full):
            yield key[: -len(short)] + full, region, level


@functools.cache
def default_registry() -> DepartmentRegistry:
    """The bundled registry: ``data/dept-aliases.tsv`` plus ``data/rosters.tsv``."""
    return DepartmentRegistry.from_tsv()
