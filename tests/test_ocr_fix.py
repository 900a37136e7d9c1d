"""normalize.ocr_fix (issue 17): OCR'd points cells read as numbers, misread unit names matched to known ones."""

from __future__ import annotations

import pytest

from normalize.ocr_fix import closest_unit, read_points

# fmt: off
POINTS = (
    # what parse_points_cell reads is read alike
    ("2", 2.0), ("2分", 2.0), ("（3 分)", 3.0), ("(0.5分）", 0.5), ("-0.5", -0.5), ("１２", 12.0),
    # look-alikes of digits
    ("O.5", 0.5), ("o.5", 0.5), ("〇", 0.0), ("l", 1.0), ("I", 1.0), ("|", 1.0), ("lO", 10.0), ("I.5分", 1.5),
    ("1S5", 155.0),                                  # S between digits
    ("2。5", 2.5), ("2，5", 2.5), ("2·5", 2.5), ("０．５", 0.5),  # a decimal point misread
    ("1,000", 1000.0),                               # a thousands separator stays one
    ("1 0", 10.0), ("3（分）", 3.0), ("2分。", 2.0),  # stray spaces, the column's unit, punctuation
    # not a number
    ("两分", None), ("～", None), ("S", None), ("1S", None), ("分值", None), ("", None), ("  ", None),
    ("—", None), (None, None),
)
UNITS = (
    ("县友展改早和科技局", "县发展改革和科技局"),  # 2 of 9 misread
    ("县林韭局", "县林业局"),                      # 1 of 4
    ("县林业屆", "县林业局"),                      # the ending misread as no unit word
    ("县发展改革和科技局", "县发展改革和科技局"),  # exact
    ("县X政局", None),                             # 县财政局 or 县民政局: never a guess
    ("县档案馆", None),                            # a 馆 is not a 局
    ("市林业局", None),                            # the city's bureau is not the county's
    ("县林韭菜局", None),                          # another length
    ("县友展改早和科技处", None),                  # another kind of unit
    ("县友展改早和料拉局", None),                  # 4 of 9 misread: too many
    ("团县韭", None),                              # three characters: too short to tell
    ("县农业局", None),                            # 农 is a unit's word: maybe a real unit beside 县林业局
    ("县市场监督管理", "县市场监督管理局"),        # its 局 wrapped onto a line of its own and missed
    ("县农业农村", "县农业农村局"),                # the same: no unit word, one name completes it
    ("县农业", None),                              # three characters after 县: too short to complete
)
KNOWN = (
    "县发展改革和科技局", "县自然资源和规划局", "县林业局", "县农业农村局",
    "县财政局", "县民政局", "县档案局", "县水利局", "团县委", "县市场监督管理局",
)
# fmt: on


@pytest.mark.parametrize(("text", "expected"), POINTS)
def test_read_points(text: str | None, expected: float | None) -> None:
    assert read_points(text) == expected


@pytest.mark.parametrize(("read", "expected"), UNITS)
def test_closest_unit(read: str, expected: str | None) -> None:
    assert closest_unit(read, KNOWN).best == expected


def test_an_ambiguous_name_reports_its_rivals() -> None:
    match = closest_unit("县X政局", KNOWN)
    assert match.best is None
    assert set(match.close) == {"县财政局", "县民政局"}
    assert match.score == match.runner_up_score == 0.75


def test_a_correction_beats_its_runner_up_clearly() -> None:
    match = closest_unit("县友展改早和科技局", KNOWN)
    assert match.close == ("县发展改革和科技局",)
    assert match.score == pytest.approx(7 / 9)
    assert match.runner_up_score < 0.5


def test_a_name_of_unit_words_is_kept_but_its_neighbour_named() -> None:
    match = closest_unit("县农业局", KNOWN)
    assert (match.best, match.close) == (None, ("县林业局",))


def test_nothing_comparable() -> None:
    match = closest_unit("县档案馆", KNOWN)
    assert (match.best, match.close, match.score) == (None, (), 0.0)
    assert closest_unit("县林韭局", []).best is None
