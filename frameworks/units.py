"""Unit cells into canonical unit names for one region."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from normalize.departments import DepartmentRegistry, UnitMention, split_units
from normalize.unit_shape import is_filler, is_person_name, is_person_title


@dataclass
class Owners:
    names: list[str] = field(default_factory=list)  # canonical (or as written when unresolved)
    written: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def names_no_unit(mention: UnitMention) -> bool:
    """A person (牵头单位及主要负责人: ``伍泽国``, ``副县长``) or a filler in an owner cell: no unit at all."""
    return is_person_title(mention.text) or is_person_name(mention.as_written) or is_filler(mention.as_written)


class UnitResolver:
    """Splits unit cells (first listed leads) and resolves each name within a region."""

    def __init__(self, registry: DepartmentRegistry, region: str | None, roster: list[str] | None = None) -> None:
        self.registry = registry
        self.region = region
        # The year's roster, by canonical name: a name listed there is a real unit even if the registry lacks it.
        self.roster = {self.registry.resolve(name, region).canonical for name in roster or []}

    @functools.cached_property
    def known_names(self) -> frozenset[str]:
        """Every name the registry and the roster know, as written: a cheap first test of a cell."""
        return frozenset(self.registry.names() | self.roster)

    def canonical(self, name: str) -> tuple[str, bool]:
        resolution = self.registry.resolve(name, self.region)
        return resolution.canonical, resolution.resolved or resolution.canonical in self.roster

    def resolve_cells(self, cells: list[str], assessee: str | None) -> Owners:
        owners = Owners()
        for cell in cells:
            for mention in split_units(cell):
                if names_no_unit(mention):
                    continue
                if mention.special == "assessee" and assessee:
                    name, resolved = assessee, True
                elif mention.special:
                    name, resolved = mention.text, True
                else:
                    name, resolved = self.canonical(mention.text)
                if name in owners.names:
                    continue
                owners.names.append(name)
                owners.written.append(mention.as_written)
                if not resolved:
                    owners.unresolved.append(mention.as_written)
        return owners
