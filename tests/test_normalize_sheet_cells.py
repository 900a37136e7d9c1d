"""Spreadsheet cells read back from the forms kaohe writes (results for scoring, monthly progress)."""

from __future__ import annotations

import pytest

from normalize.sheet_cells import cell_text, typed_percent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        (" 县财政局 ", "县财政局"),
        (3.0, "3"),
        (2.5, "2.5"),
        (7, "7"),
        ("—", "—"),  # a dash is text here; the progress form reads it as empty
    ],
)
def test_cell_text(value: object, expected: str | None) -> None:
    assert cell_text(value) == expected


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (0.29, "0%", 29),  # 0.29 * 100 is 28.999999999999996
        (0.625, "0.0%", 62.5),
        (1, "0%", 100),
        (85, "General", 85),
        (0.85, None, 0.85),
        (True, "0%", True),
        ("85%", "0%", "85%"),
    ],
)
def test_typed_percent(value: object, number_format: str | None, expected: object) -> None:
    assert typed_percent(value, number_format) == expected
