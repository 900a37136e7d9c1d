"""The SQLite store (sqlite-utils): the only package that knows SQL."""

from store import _sqlite_utils  # noqa: F401  (first: sqlite-utils without numpy, see there)
from store.db import Store
from store.errors import NotAStore, StoreError, StoreLocked, StoreUnavailable
from store.results import FrameworkSummary, IndicatorAnswer, SaveResult, WarningRow

__all__ = [
    "FrameworkSummary",
    "IndicatorAnswer",
    "NotAStore",
    "SaveResult",
    "Store",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
    "WarningRow",
]
