"""Measure table understanding on the real notices in tests/data/real/ (issue 12).

Each file is ingested into a fresh store through the whole pipeline; each expected row is then
asked for the way a clerk asks, ``kaohe owner <its own words>``, and the answer is compared field
by field: found by its own words (in the indicator's name or text, not only in its category),
points, lead, cooperating units, assessors, category, role. Used by ``tests/test_real_set.py``
and ``scripts/eval_real_set.py``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ingest.pipeline import ingest_file
from normalize.departments import default_registry
from normalize.numbers import fold_width
from store import Store
from store.queries import owners
from store.results import IndicatorAnswer

REAL = Path(__file__).resolve().parent / "data" / "real"
FIELDS = ("found", "points", "lead", "cooperating", "assessor", "category", "role")
# The measure of a right row: found by its own words with the right points, lead, cooperating units
# and category. Assessors and the role (responsible/assigning) are reported beside it.
REQUIRED = ("found", "points", "lead", "cooperating", "category")
_ORDINAL = regex.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))\s*")
_POINTS = regex.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


@dataclass
class RowResult:
    folder: str
    file: str
    indicator: str
    checks: dict[str, bool]
    got: dict[str, Any] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return all(self.checks[name] for name in REQUIRED)


@dataclass
class FileReport:
    folder: str
    file: str
    holdout: bool
    rows: list[RowResult]
    warnings: list[str]
    status: str
    unstructured: bool = False  # web text with no cell boundaries at all (expected.json ``txt_form``)

    @property
    def format(self) -> str:
        return Path(self.file).suffix.lstrip(".")

    @property
    def bucket(self) -> str:
        """The format, with web text split into copied tables (``web``) and text without cells (``flat``)."""
        if self.format != "txt":
            return self.format
        return "flat" if self.unstructured else "web"


def folders(include_holdout: bool = True) -> Iterator[tuple[Path, dict[str, Any]]]:
    for expected in sorted(REAL.glob("*/expected.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        if include_holdout or not data.get("holdout"):
            yield expected.parent, data


def evaluate_file(folder: Path, name: str, expected: dict[str, Any]) -> FileReport:
    with tempfile.TemporaryDirectory(prefix="kaohe-real-") as tmp:
        store = Store(Path(tmp) / "real.db")
        try:
            result = ingest_file(folder / name, store, default_registry())
            used: set[int] = set()
            rows = [_check_row(store, row, used, folder.name, name) for row in expected["rows"]]
        finally:
            store.close()
    unstructured = name.endswith(".txt") and expected.get("txt_form") == "unstructured"
    return FileReport(
        folder.name, name, bool(expected.get("holdout")), rows, result.warnings, result.status, unstructured
    )


def evaluate(include_holdout: bool = True, formats: set[str] | None = None) -> list[FileReport]:
    return [
        evaluate_file(folder, name, data)
        for folder, data in folders(include_holdout)
        for name in data["files"]
        if (folder / name).exists() and (formats is None or Path(name).suffix.lstrip(".") in formats)
    ]


def _check_row(store: Store, row: dict[str, Any], used: set[int], folder: str, name: str) -> RowResult:
    query = row.get("find") or row["indicator"]
    candidates = [a for a in owners(store.db, query, limit=500).answers if a.id not in used]
    answer = _best(candidates, row["indicator"])
    if answer is None:
        checks = dict.fromkeys(FIELDS, False)
        return RowResult(folder, name, row["indicator"], checks)
    used.add(answer.id)
    checks = {
        "found": True,
        "points": _same_number(row.get("points"), answer.points),
        "lead": _same_unit(row.get("lead"), [answer.lead, answer.lead_as_written]),
        "cooperating": _same_units(row.get("cooperating", []), answer.cooperating),
        "assessor": "assessor" not in row or _same_units(row.get("assessor") or [], answer.assessors),
        "category": _same_category(row.get("category"), answer),
        "role": "role" not in row or row["role"] == answer.role,
    }
    got = {
        "name": answer.name,
        "text": answer.indicator[:40],
        "points": answer.points,
        "lead": answer.lead,
        "cooperating": answer.cooperating,
        "assessors": answer.assessors,
        "category": answer.category_path,
        "role": answer.role,
    }
    return RowResult(folder, name, row["indicator"], checks, got)


def _key(text: str | None) -> str:
    if not text:
        return ""
    text = fold_width("".join(text.split()))
    text = _POINTS.sub("", _ORDINAL.sub("", text))
    return regex.sub(r"[\p{P}\p{S}]", "", text)


def _best(candidates: list[IndicatorAnswer], indicator: str) -> IndicatorAnswer | None:
    """The answer whose own words (name or text, not its category) hold the indicator's words; the closest first."""
    want = _key(indicator)
    own = [a for a in candidates if want and (want in _key(a.name) or want in _key(a.indicator))]
    if not own:
        return None
    return min(own, key=lambda a: min(len(_key(a.name) or "x" * 999), len(_key(a.indicator))) - len(want))


def _same_number(want: float | None, got: float | None) -> bool:
    if want is None or got is None:
        return want is None and got is None
    return abs(float(want) - got) < 1e-6


def _unit_key(name: str | None) -> str:
    """Spacing, widths and a co-located name in parentheses apart (县政府办（信访局） is one owner, 县政府办)."""
    return _key(regex.sub(r"[（(][^）)]*[）)]$", "", fold_width(name or "")))


def _same_unit(want: str | None, got: list[str | None]) -> bool:
    if not want:
        return not got[0]
    return any(g and _unit_key(g) == _unit_key(want) for g in got) or _resolves_to(want, got[0])


def _resolves_to(want: str, got: str | None) -> bool:
    """An expected name the registry knows by another form (县发改局 / 县发展和改革局)."""
    if not got:
        return False
    registry = default_registry()
    return registry.resolve(want).canonical == registry.resolve(got).canonical and registry.resolve(want).resolved


def _same_units(want: list[str], got: list[str]) -> bool:
    if len(want) != len(got):
        return False
    remaining = list(got)
    for name in want:
        match = next((g for g in remaining if _same_unit(name, [g])), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def _same_category(want: str | None, answer: IndicatorAnswer) -> bool:
    if not want:
        return not answer.category_path
    return bool(answer.category_path) and _key(answer.category_path[-1]) == _key(want)


def summary(reports: list[FileReport]) -> dict[str, Any]:
    """Share of rows right and per field, by format (web text split into ``web`` and ``flat``) and overall."""
    by_format: dict[str, list[RowResult]] = {}
    for report in reports:
        by_format.setdefault(report.format, []).extend(report.rows)
        if report.format == "txt":
            by_format.setdefault(report.bucket, []).extend(report.rows)
    every = [r for report in reports for r in report.rows]
    return {fmt: _shares(rows) for fmt, rows in sorted({**by_format, "all": every}.items())}


def _shares(rows: list[RowResult]) -> dict[str, Any]:
    n = len(rows) or 1
    out: dict[str, Any] = {"rows": len(rows), "correct": sum(r.correct for r in rows) / n}
    for name in FIELDS:
        out[name] = sum(r.checks[name] for r in rows) / n
    out["found_with_lead"] = sum(r.checks["found"] and r.checks["lead"] for r in rows) / n
    return out
