"""The year's roster of assessed units (考核对象名单): read, counted, used to check owners."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, seed_path

from frameworks import extract_frameworks
from frameworks.roster import find_roster, roster_count_warnings
from parsers import parse

NOTICE = SAMPLES / "柞水县2022年度考核指标申报通知"


@pytest.mark.parametrize("path", [NOTICE.with_suffix(".html"), NOTICE.with_suffix(".txt")])
def test_sample_roster_has_89_units_in_four_categories(path: Path) -> None:
    roster = find_roster(parse(path))
    counts = {c: sum(1 for e in roster if e.category == c) for c in dict.fromkeys(e.category for e in roster)}
    assert counts == {"镇办": 9, "党群系统": 24, "政府系统": 36, "中央和省市驻柞单位": 20}
    assert roster[0].unit == "乾佑街道办事处" and roster[0].declared_count == 9
    assert roster_count_warnings(roster) == []


def test_seed_000_roster_and_owners_outside_it() -> None:
    document = parse(seed_path("000"))
    roster = find_roster(document)
    assert len(roster) == 89
    division = extract_frameworks(document, roster=roster)[0]
    # The 2022 division of labour names 县乡村振兴局 while the roster still lists 县扶贫局 (DOMAIN §4.3).
    (warning,) = [w.message for w in division.warnings if w.code == "outside_roster"]
    assert warning.startswith("镇办2022年度目标责任考核指标设置分工表：不在本年度考核对象名单中的单位：")
    assert "县乡村振兴局" in warning and "县农业农村局" not in warning


def test_declared_count_mismatch_is_reported(tmp_path: Path) -> None:
    notice = tmp_path / "roster.txt"
    notice.write_text(
        "2023年度目标责任考核对象名单\n\n一、镇办（3个）\n\n甲镇、乙镇。\n\n二、政府系统（1个）\n\n县财政局、县林业局。\n",
        encoding="utf-8",
    )
    roster = find_roster(parse(notice))
    assert [e.unit for e in roster] == ["甲镇", "乙镇", "县财政局", "县林业局"]
    assert roster_count_warnings(roster) == [
        "考核对象名单 / 镇办：写明 3 个，列出 2 个",
        "考核对象名单 / 政府系统：写明 1 个，列出 2 个",
    ]


def test_a_notice_without_roster() -> None:
    assert find_roster(parse(SAMPLES / "佳县2020年度目标责任考核指标.txt")) == []
