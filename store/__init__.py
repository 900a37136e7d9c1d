"""The SQLite store (sqlite-utils): the only package that knows SQL."""

from store.db import Store
from store.results import FrameworkSummary, IndicatorAnswer, SaveResult, WarningRow

__all__ = ["FrameworkSummary", "IndicatorAnswer", "SaveResult", "Store", "WarningRow"]
