"""Text clean-up shared by the backends: Chinese line joining, CJK spaces, page numbers."""

from __future__ import annotations

import pytest

from normalize.text import is_page_number, join_paragraphs, join_wrapped, squeeze_cjk_spaces

# fmt: off
WRAPPED = (
    (["经济", "发展"], "经济发展"),
    (["细颗粒物PM2.5浓度年均值", "不高于35微克/立方米"], "细颗粒物PM2.5浓度年均值不高于35微克/立方米"),
    (["Total GDP", "growth"], "Total GDP growth"),
    (["增长8.2%", "(3分）"], "增长8.2% (3分）"),
    (["  职能 ", "", " 工作"], "职能工作"),
)
SQUEEZED = (
    ("考 核 内 容", "考核内容"),
    ("县发展改革和科技局\u3000县林业局", "县发展改革和科技局县林业局"),
    ("2022 年度", "2022 年度"),  # a digit beside a Han character keeps its space: not ours to judge here
    ("PM2.5 浓度", "PM2.5 浓度"),
)
PAGE_NUMBERS = (
    ("— 3 —", False, True), ("-12-", False, True), ("－ 3 －", False, True), ("第3页 共10页", False, True),
    ("3", True, False), ("3/10", True, False), ("生产总值增长7%", False, False), ("（2分）", False, False),
)
# fmt: on


@pytest.mark.parametrize(("lines", "expected"), WRAPPED)
def test_join_wrapped(lines: list[str], expected: str) -> None:
    assert join_wrapped(lines) == expected


def test_join_paragraphs_keeps_paragraphs_apart() -> None:
    assert join_paragraphs([["经济", "发展"], [], ["（20分）"]]) == "经济发展\n（20分）"


@pytest.mark.parametrize(("text", "expected"), SQUEEZED)
def test_squeeze_cjk_spaces(text: str, expected: str) -> None:
    assert squeeze_cjk_spaces(text) == expected


@pytest.mark.parametrize(("text", "only_when_bare", "always"), PAGE_NUMBERS)
def test_is_page_number(text: str, only_when_bare: bool, always: bool) -> None:
    assert is_page_number(text) is always
    assert is_page_number(text, bare=True) is (always or only_when_bare)
