"""Exports officials circulate: the 责任分解一览表 as .xlsx, .docx, .md and .csv."""

from export.breakdown import Breakdown, BreakdownError, BreakdownRow, BreakdownSection
from export.writers import FORMATS, write_breakdown

__all__ = ["FORMATS", "Breakdown", "BreakdownError", "BreakdownRow", "BreakdownSection", "write_breakdown"]
