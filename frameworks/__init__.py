"""Table understanding: a parsed ``Document`` into assessment frameworks.

A framework is one table (or a run of tables continuing each other) of
indicators: the city-level breakdown, a negative list, a unit's own table.
Format-independent: it reads only the document model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frameworks.build import extract_frameworks
    from frameworks.model import Category, Framework, FrameworkWarning, Indicator, Provenance

__all__ = ["Category", "Framework", "FrameworkWarning", "Indicator", "Provenance", "extract_frameworks"]


def __getattr__(name: str) -> object:
    """The exports load on first use: a command that needs only ``frameworks.yearly`` (picking a notice's
    copies) does not load the table reader."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module("frameworks.build" if name == "extract_frameworks" else "frameworks.model")
    return getattr(module, name)
