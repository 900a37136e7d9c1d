"""Table understanding: a parsed ``Document`` into assessment frameworks.

A framework is one table (or a run of tables continuing each other) of
indicators: the city-level breakdown, a negative list, a unit's own table.
Format-independent: it reads only the document model.
"""

from frameworks.build import extract_frameworks
from frameworks.model import Category, Framework, FrameworkWarning, Indicator, Provenance

__all__ = ["Category", "Framework", "FrameworkWarning", "Indicator", "Provenance", "extract_frameworks"]
