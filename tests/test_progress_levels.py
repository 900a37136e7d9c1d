"""progress.levels: expected progress and the three colours of one indicator in one month (issue 18)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import seed_path

from normalize.targets import parse_targets
from progress.levels import (
    LEVELS,
    Period,
    ProgressRules,
    default_rules,
    judge,
    level_label,
    load_rules,
)

RULES = default_rules()
JUNE = Period.parse("2020-06")

GROWTH = "生产总值增长7%（2分）"
DAYS = "城市环境空气质量优良天数不少于290天(3分）"
DEATHS = "道路交通事故死亡人数不超过2人（0.5分）"
JOBLESS = "城镇登记失业率控制在4.3%以内（1分）"
FOREST = "营造林面积4万亩(2分）"
POVERTY = "完成年度脱贫攻坚任务"


def _judge(text: str, period: Period = JUNE, rules: ProgressRules = RULES, **reported: object):
    fields = {"actual": None, "completion_pct": None, "status": None, "reported": True, **reported}
    return judge(parse_targets(text), period, rules=rules, **fields)  # type: ignore[arg-type]


# Each case: indicator text, what the unit reported, and the expected (kind, level, completion, expected, reason).
# fmt: off
CASES = (
    # cumulative against the prorated target: June expects half of the year
    (DAYS, {"actual": 145}, ("prorated", "green", 50, 50, "累计完成 50%（145天/290天），应完成 50%")),
    (DAYS, {"actual": 110}, ("prorated", "yellow", 37.93, 50, "累计完成 37.9%（110天/290天），应完成 50%")),
    (FOREST, {"actual": 1.1}, ("prorated", "red", 27.5, 50, "累计完成 27.5%（1.1万亩/4万亩），应完成 50%")),
    (FOREST, {"actual": 2.48}, ("prorated", "green", 62, 50, "累计完成 62%（2.48万亩/4万亩），应完成 50%")),
    # growth like for like: the growth to date against the year's growth, 100 % expected every month
    (GROWTH, {"actual": 7.2}, ("growth", "green", 102.86, 100, "已增长 7.2%，目标增长 7%，完成 102.9%，应完成 100%")),
    (GROWTH, {"actual": 5.6}, ("growth", "yellow", 80, 100, "已增长 5.6%，目标增长 7%，完成 80%，应完成 100%")),
    (GROWTH, {"actual": 3.5}, ("growth", "red", 50, 100, "已增长 3.5%，目标增长 7%，完成 50%，应完成 100%")),
    ("单位GDP能耗下降3%", {"actual": 2.85},
     ("reduction", "green", 95, 100, "已下降 2.85%，目标下降 3%，完成 95%，应完成 100%")),
    # ceilings: green within, red beyond, never prorated
    (DEATHS, {"actual": 2}, ("ceiling", "green", 100, 100, "控制性指标：已达 2人，未超过上限 2人")),
    (DEATHS, {"actual": 3}, ("ceiling", "red", 66.67, 100, "控制性指标：已达 3人，超过上限 2人")),
    (JOBLESS, {"actual": 4.1}, ("ceiling", "green", 100, 100, "控制性指标：已达 4.1%，未超过上限 4.3%")),
    (JOBLESS, {"actual": 4.5}, ("ceiling", "red", 95.56, 100, "控制性指标：已达 4.5%，超过上限 4.3%")),
    # qualitative: by the reported status
    (POVERTY, {"status": "已完成"}, ("status", "green", None, 50, "报送进展“已完成”")),
    (POVERTY, {"status": "正常推进"}, ("status", "green", None, 50, "报送进展“正常推进”")),
    (POVERTY, {"status": "进度滞后"}, ("status", "yellow", None, 50, "报送进展“进度滞后”")),
    (POVERTY, {"status": "尚未启动"}, ("status", "red", None, 50, "报送进展“尚未启动”")),
    (POVERTY, {"status": "未完成"}, ("status", "yellow", None, 50, "报送进展“未完成”，无法判断进度，请核对")),
    (POVERTY, {"status": "见附件"}, ("status", "yellow", None, 50, "报送进展“见附件”，无法判断进度，请核对")),
    (POVERTY, {}, ("status", "yellow", None, 50, "定性指标未填写进展，无法判断进度，请核对")),
    (POVERTY, {"completion_pct": 30}, ("status", "yellow", 30, 50, "填报完成 30%，应完成 50%")),
    # several targets: the unit's composite completion, else the status
    ("生产总值增长7%，固定资产投资增长10%", {"actual": 6},
     ("growth", "yellow", None, 100, "指标有 2 个量化目标，未填写综合完成率，无法判断进度，请核对")),
    ("生产总值增长7%，固定资产投资增长10%", {"status": "按计划推进"},
     ("growth", "green", None, 100, "报送进展“按计划推进”")),
    # a quantified target without an actual
    (DAYS, {}, ("prorated", "yellow", None, 50, "未填写完成值或完成率，无法判断进度，请核对")),
    (DAYS, {"status": "缓慢"}, ("prorated", "yellow", None, 50, "报送进展“缓慢”")),
    # not reported by the deadline
    (DAYS, {"actual": 145, "reported": False},
     ("prorated", "missing", None, 50, "未按时报送（2020年6月完成情况应于7月15日前报送）")),
)
# fmt: on


@pytest.mark.parametrize(("text", "reported", "expected"), CASES)
def test_levels(text: str, reported: dict[str, object], expected: tuple[object, ...]) -> None:
    got = _judge(text, **reported)
    kind, level, completion, expected_pct, reason = expected
    assert (got.kind, got.level, got.reason) == (kind, level, reason)
    assert got.completion_pct == (None if completion is None else pytest.approx(completion, abs=0.01))
    assert got.expected_pct == pytest.approx(expected_pct)


def test_completion_pct_wins_over_actual() -> None:
    got = _judge(DAYS, actual=290, completion_pct=30)
    assert (got.level, got.completion_pct, got.reason) == ("yellow", 30, "填报完成 30%，应完成 50%")


def test_a_ceiling_with_the_units_completion_is_judged_by_the_gap() -> None:
    assert _judge(DEATHS, actual=5, completion_pct=100).level == "green"


def test_schedule_replaces_the_elapsed_share() -> None:
    # the office's quarterly plan: 30 % by June, not 50 %
    assert _judge(FOREST, actual=1.1).level == "red"
    got = _judge(FOREST, actual=1.1, schedule_pct=30)
    assert (got.level, got.expected_pct, got.reason) == ("green", 30, "累计完成 27.5%（1.1万亩/4万亩），应完成 30%")
    assert _judge(GROWTH, actual=3.5, schedule_pct=65).level == "yellow"  # growth: 50 % against 65 %
    assert _judge(DEATHS, actual=2, schedule_pct=30).expected_pct == 100  # a ceiling is never prorated


def test_elapsed_share_through_the_year() -> None:
    assert _judge(DAYS, Period.parse("2020-03"), actual=72.5).expected_pct == 25
    assert _judge(DAYS, Period.parse("2020-12"), actual=290).level == "green"
    assert _judge(DAYS, Period.parse("2020-12"), actual=250).level == "yellow"  # 86.2 % of 100 %


def test_thresholds_come_from_the_rules() -> None:
    assert _judge(DAYS, actual=110).level == "yellow"  # 12.1 points behind
    strict = RULES.with_values(yellow_gap=5, red_gap=10)
    assert _judge(DAYS, rules=strict, actual=110).level == "red"
    assert _judge(DAYS, rules=strict, actual=130).level == "yellow"  # 5.2 points behind
    lenient = RULES.with_values(yellow_gap=15)
    assert _judge(DAYS, rules=lenient, actual=110).level == "green"
    assert strict.yellow_gap.source == "用户设定"


def test_gap_exactly_at_the_threshold_stays_the_lower_level() -> None:
    assert _judge(DAYS, completion_pct=40).level == "green"  # 10 behind: not more than 10
    assert _judge(DAYS, completion_pct=30).level == "yellow"  # 20 behind: not more than 20


def test_default_rules_and_their_sources() -> None:
    values = {name: rule.value for name, rule in RULES.rows()}
    assert values == {"yellow_gap": 10, "red_gap": 20, "report_day": 15, "late_deduction": None}
    assert RULES.yellow_gap.source.startswith("kaohe 默认")
    assert RULES.report_day.source.startswith("宁办字〔2019〕88号 三")
    seed = seed_path("001").read_text(encoding="utf-8")
    for _, rule in RULES.rows():
        assert rule.label and rule.quote and rule.quote in seed


def test_rules_file_overrides_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "rules.tsv"
    path.write_text("field\tvalue\tsource\nred_gap\t30\t本县2021年实施方案\nreport_day\t10\t\n", encoding="utf-8")
    rules = load_rules(path)
    assert (rules.yellow_gap.value, rules.red_gap.value, rules.report_day.value) == (10, 30, 10)
    assert (rules.red_gap.source, rules.report_day.source) == ("本县2021年实施方案", "rules.tsv")
    assert JUNE.deadline(int(rules.report_day.value or 0)) == date(2020, 7, 10)


# fmt: off
BAD_RULES = (
    ({"yellow_gap": 30}, "0 ≤ 黄色 ≤ 红色"),
    ({"red_gap": None}, "0 ≤ 黄色 ≤ 红色"),
    ({"report_day": 31}, "1 到 28 之间的整数"),
    ({"colour": 1}, "未知的进度规则 colour"),
)
# fmt: on


@pytest.mark.parametrize(("values", "message"), BAD_RULES)
def test_bad_rules_raise(values: dict[str, float | None], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RULES.with_values(**values)


def test_period_parsing() -> None:
    assert Period.parse("2020-06") == Period(year=2020, month=6)
    assert Period.parse("2020-6") == Period.parse("2020年6月") == JUNE
    assert str(JUNE) == "2020-06" and JUNE.label == "2020年6月"
    assert JUNE.elapsed_share == 0.5
    assert Period.parse("2020-12").elapsed_share == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("2020", "无法识别"), ("六月", "无法识别"), ("2020-06-15", "无法识别"), ("2020-13", "月份应在 1 到 12 之间")],
)
def test_bad_periods_raise_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Period.parse(text)


def test_deadline_is_the_report_day_of_the_next_month() -> None:
    assert JUNE.deadline() == date(2020, 7, 15)
    assert Period.parse("2020-12").deadline() == date(2021, 1, 15)
    assert Period.parse("2020-12").deadline(int(RULES.report_day.value or 0)) == date(2021, 1, 15)


def test_level_labels() -> None:
    assert [level_label(level) for level in LEVELS] == ["绿", "黄", "红", "未报"]
