"""Pair the frameworks of two years of one region, for ``kaohe diff --region R --years Y1 Y2``.

A store often holds the same notice several times (received as .docx, .pdf, .html…): each copy
gives its own framework rows. Frameworks are identified by (kind, title with its years
abstracted, group, assessee, n-th such framework in its document); of several copies of one
identity in a year, the one from the most faithful format is taken (:data:`FORMAT_PREFERENCE`)
and the others are named as ``copies``. A year's identity without a partner in the other year
is an added or removed framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import regex
from pydantic import BaseModel, Field

from frameworks.diff import FrameworkDiff, FrameworkSide

FORMAT_PREFERENCE = (".docx", ".html", ".txt", ".pdf", ".doc", ".wps")
_YEAR = regex.compile(r"(?:19|20)\d{2}")
_SPACES = regex.compile(r"\s+")


class RegionDiff(BaseModel):
    """Every framework of ``old_year`` against its counterpart of ``new_year`` in one region."""

    region: str
    old_year: int
    new_year: int
    diffs: list[FrameworkDiff] = Field(default_factory=list)
    added_frameworks: list[FrameworkSide] = Field(default_factory=list)
    removed_frameworks: list[FrameworkSide] = Field(default_factory=list)


def side_of(summary: Any, copies: Sequence[str] = ()) -> FrameworkSide:
    """A ``FrameworkSide`` from a ``store.results.FrameworkSummary``."""
    return FrameworkSide(
        id=summary.id,
        title=summary.title,
        kind=summary.kind,
        region=summary.region,
        year=summary.year,
        group=summary.group,
        assessee=summary.assessee,
        document=summary.document,
        copies=list(copies),
    )


def identity(summary: Any) -> tuple[Any, ...]:
    title = _SPACES.sub("", _YEAR.sub("YYYY", summary.title or ""))
    return (summary.kind, title, summary.group or "", summary.assessee or "")


def pick_copies(frameworks: Sequence[Any]) -> dict[tuple[Any, ...], FrameworkSide]:
    """One framework per identity (the preferred format's copy), keyed by identity + occurrence."""
    occurrences: dict[tuple[Any, ...], int] = {}
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for f in sorted(frameworks, key=lambda f: f.id):
        base = (f.document, *identity(f))
        n = occurrences[base] = occurrences.get(base, 0) + 1
        groups.setdefault((*identity(f), n), []).append(f)
    picked = {}
    for key, copies in groups.items():
        copies.sort(key=_preference)
        chosen = copies[0]
        picked[key] = side_of(chosen, [c.document for c in copies[1:] if c.document != chosen.document])
    return picked


def _preference(summary: Any) -> tuple[int, str, int]:
    suffix = Path(summary.document or "").suffix.lower()
    rank = FORMAT_PREFERENCE.index(suffix) if suffix in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE)
    return rank, summary.document or "", summary.id


def pair_frameworks(
    old: Sequence[Any], new: Sequence[Any]
) -> tuple[list[tuple[FrameworkSide, FrameworkSide]], list[FrameworkSide], list[FrameworkSide]]:
    """(pairs, removed, added) between the frameworks of an old and a new year."""
    old_picked, new_picked = pick_copies(old), pick_copies(new)
    pairs = [(side, new_picked[key]) for key, side in old_picked.items() if key in new_picked]
    removed = [side for key, side in old_picked.items() if key not in new_picked]
    added = [side for key, side in new_picked.items() if key not in old_picked]
    return pairs, removed, added
