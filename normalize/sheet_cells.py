"""Values of spreadsheet cells as people typed them: the forms kaohe writes come back filled in (results for
``kaohe score``, monthly progress for ``kaohe progress add``), read by openpyxl or from a .csv."""

from __future__ import annotations

from typing import Any


def cell_text(value: Any) -> str | None:
    """The cell as text, stripped; ``None`` when empty. Excel gives a typed ``3`` back as ``3.0``: read ``3``."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def typed_percent(value: Any, number_format: str | None) -> Any:
    """Excel stores a typed ``62%`` as 0.62 with a % format: give back 62 (rounded to 10 places, so that 0.29
    is 29, not 28.999999999999996); any other value as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (number_format or ""):
        return round(value * 100, 10)
    return value
