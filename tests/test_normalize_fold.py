"""Search folding (normalize.fold): each step on its own, then the steps in their order."""

from __future__ import annotations

import pytest

from normalize.fold import FOLD_STEPS, fold, half_width, lower_case, simplified, without_spaces

# fmt: off
HALF_WIDTH = (
    ("４万亩", "4万亩"),
    ("ＧＤＰ增长７．５％", "GDP增长7.5%"),
    ("（10分）：达标！", "(10分):达标!"),
    ("营造林\u3000面积", "营造林 面积"),      # the ideographic space becomes an ordinary one
    ("⽣态⽂明", "生态文明"),                  # Kangxi radicals from a PDF text layer
    ("。、《》“”", "。、《》“”"),             # left alone by NFKC
    ("营造林面积4万亩", "营造林面积4万亩"),
)
SIMPLIFIED = (
    ("營造林面積", "营造林面积"),
    ("河長制", "河长制"),
    ("經營", "经营"),
    ("乾燥", "干燥"),
    ("乾隆", "乾隆"),                          # phrase-aware: a name stays
    ("禁毒", "禁毒"),                          # simplified text passes through
    ("著名", "著名"),
    ("", ""),
)
WITHOUT_SPACES = (
    ("营造林 面积", "营造林面积"),
    (" 营造林\t面积\n4万亩 ", "营造林面积4万亩"),
    ("GDP 增长", "GDP增长"),
)
LOWER_CASE = (
    ("GDP", "gdp"),
    ("PM2.5", "pm2.5"),
    ("营造林", "营造林"),
)
FOLD = (
    ("營造林面積", "营造林面积"),
    ("營造林 面積４萬畝", "营造林面积4万亩"),
    ("ＧＤＰ", "gdp"),
    ("河長制、湖長制", "河长制、湖长制"),
    ("（１０分）", "(10分)"),
    ("营造林面积4万亩", "营造林面积4万亩"),
    ("   ", ""),
)
# fmt: on


@pytest.mark.parametrize(("text", "expected"), HALF_WIDTH)
def test_half_width(text: str, expected: str) -> None:
    assert half_width(text) == expected


@pytest.mark.parametrize(("text", "expected"), SIMPLIFIED)
def test_simplified(text: str, expected: str) -> None:
    assert simplified(text) == expected


@pytest.mark.parametrize(("text", "expected"), WITHOUT_SPACES)
def test_without_spaces(text: str, expected: str) -> None:
    assert without_spaces(text) == expected


@pytest.mark.parametrize(("text", "expected"), LOWER_CASE)
def test_lower_case(text: str, expected: str) -> None:
    assert lower_case(text) == expected


@pytest.mark.parametrize(("text", "expected"), FOLD)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_the_steps_run_in_a_fixed_order_and_folding_twice_changes_nothing() -> None:
    assert (half_width, simplified, without_spaces, lower_case) == FOLD_STEPS
    for text, _ in HALF_WIDTH + SIMPLIFIED + FOLD:
        assert fold(fold(text)) == fold(text)
