"""A scanned notice against its typed twin: does the scan answer the owner questions the typed file answers?

For every indicator row of the typed document (its frameworks, as ``kaohe`` stores them), the scan
answers the owner question when one of its rows of the same framework carries a text a search
finds from the typed one (similarity ≥ ``TEXT_SIMILARITY`` after folding spaces and brackets), the
same points and the same lead unit. Cooperating units are counted apart. Used by
``tests/test_ocr_samples.py`` (the floor) and ``scripts/eval_ocr.py`` (the report).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex
from rapidfuzz import fuzz

from frameworks.build import extract_frameworks
from frameworks.model import Indicator
from parsers.document import Document

TEXT_SIMILARITY = 90


def _fold(text: str) -> str:
    text = text.translate(str.maketrans("（）：；，", "():;,"))
    return regex.sub(r"\s+", "", text)


@dataclass
class TwinReport:
    rows: int = 0  # indicator rows of the typed document
    found: int = 0  # rows the scan has (text a search finds)
    answered: int = 0  # found with the same points and lead unit
    cooperating: int = 0  # found with the same cooperating units too
    misses: list[str] = field(default_factory=list)  # what differs, one line per row

    @property
    def share(self) -> float:
        return self.answered / self.rows if self.rows else 0.0


def _indicators(document: Document, pages: set[int] | None = None) -> list[list[Indicator]]:
    frameworks = [
        [i for i in f.indicators if i.kind == "indicator" and (pages is None or i.source.page in pages)]
        for f in extract_frameworks(document)
    ]
    return [rows for rows in frameworks if rows]


def compare_twins(typed: Document, scanned: Document) -> TwinReport:
    """Rows of ``typed`` on the pages ``scanned`` holds (a scan of part of a notice compares to that part)."""
    report = TwinReport()
    theirs = _indicators(scanned)
    pages = set(range(1, (scanned.source.pages or 0) + 1)) or None
    for number, rows in enumerate(_indicators(typed, pages)):
        candidates = theirs[number] if number < len(theirs) else []
        for row in rows:
            report.rows += 1
            text = _fold(row.text)
            best = max(candidates, key=lambda c: fuzz.ratio(text, _fold(c.text)), default=None)
            if best is None or fuzz.ratio(text, _fold(best.text)) < TEXT_SIMILARITY:
                report.misses.append(f"框架 {number + 1}：找不到「{row.text}」")
                continue
            report.found += 1
            if (best.points, best.lead) != (row.points, row.lead):
                report.misses.append(
                    f"框架 {number + 1}：「{row.text}」{row.points} 分 {row.lead} ≠ 扫描件 {best.points} 分 {best.lead}"
                    f"（识别为「{best.text}」）"
                )
                continue
            report.answered += 1
            report.cooperating += best.cooperating == row.cooperating
    return report
