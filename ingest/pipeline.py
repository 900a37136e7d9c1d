"""The ingest pipeline: file → Document → frameworks → store, one transaction per file."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from frameworks import extract_frameworks
from frameworks.build import locate
from frameworks.mentions import find_mentions
from frameworks.roster import find_roster, roster_count_warnings
from ingest.discover import iter_notice_files
from ingest.errors import IngestError
from normalize.departments import DepartmentRegistry, default_registry
from parsers import ParseWarning, parse
from parsers.detect import file_sha256
from scoring.rules_extract import extract_rule_values, looks_like_rules_document
from store import Store
from store.results import RosterRow

log = logging.getLogger(__name__)


class FileResult(BaseModel):
    """What happened to one file: ok (added/replaced), unchanged, duplicate or failed."""

    file: str
    status: str
    error: str | None = None
    frameworks: int = 0
    indicators: int = 0
    deductions: int = 0
    warnings: list[str] = Field(default_factory=list)
    seconds: float = 0.0
    duplicate_of: str | None = None


class RunSummary(BaseModel):
    files: list[FileResult] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(1 for f in self.files if f.status in statuses)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]


def ingest_file(path: Path, store: Store, registry: DepartmentRegistry) -> FileResult:
    """Parse, understand and store one file; an IngestError becomes a failed result, the store untouched."""
    started = time.perf_counter()
    path = path.resolve()  # one identity per file, however the user spelled its path
    status, other = store.find_document(str(path), file_sha256(path))
    if status in ("unchanged", "duplicate"):
        return FileResult(file=str(path), status=status, duplicate_of=other)
    try:
        document = parse(path)
    except IngestError as e:
        return FileResult(file=str(path), status="failed", error=str(e), seconds=time.perf_counter() - started)
    roster = find_roster(document)
    document.warnings += [ParseWarning(code="roster_count", message=m) for m in roster_count_warnings(roster)]
    place = locate(document)
    frameworks = extract_frameworks(document, registry, roster, place)
    region, year = place
    roster_rows = [
        RosterRow(region=region, year=year, category=e.category, unit=registry.resolve(e.unit, region).canonical,
                  as_written=e.unit)
        for e in roster
    ]  # fmt: skip
    # A 办法's scoring parameters (threshold, weights, quotas…) are stored for its region: kaohe rules / score.
    rule_values = extract_rule_values(document) if looks_like_rules_document(document) else []
    if not frameworks and not rule_values:
        # Said, not silent: a notice with tables kaohe cannot read looks exactly like one without any.
        tables = len(document.tables)
        detail = f"{tables} 个表格均未能读作考核指标表" if tables else "文中没有表格"
        document.warnings.append(
            ParseWarning(code="no_indicators", message=f"0 项指标：未识别出考核指标表（{detail}）")
        )
    saved = store.save(document, frameworks, region, find_mentions(document, region), roster_rows, rule_values)
    return FileResult(
        file=str(path),
        status=saved.status,
        frameworks=saved.frameworks,
        indicators=saved.indicators,
        deductions=saved.deductions,
        warnings=[w.message for w in document.warnings] + [w for f in frameworks for w in f.warnings],
        seconds=time.perf_counter() - started,
        duplicate_of=saved.duplicate_of,
    )


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    registry: DepartmentRegistry | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    fail_fast: bool = False,
) -> RunSummary:
    """Ingest files and folders (recursively); one bad file never stops the batch unless ``fail_fast``."""
    registry = registry or default_registry()
    started = time.perf_counter()
    summary = RunSummary()
    for path in iter_notice_files(paths):
        result = ingest_file(path, store, registry)
        summary.files.append(result)
        if on_file is not None:
            on_file(result)
        if fail_fast and result.status == "failed":
            break
    summary.seconds = time.perf_counter() - started
    return summary
