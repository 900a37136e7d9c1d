"""Expected progress and the three colours (三色预警) of one indicator in one month (issue 18).

``judge(targets, Period.parse("2020-06"), actual=145, completion_pct=None, status=None,
reported=True, rules=load_rules())`` → ``Judgement(level="green", completion_pct=50,
expected_pct=50, reason="累计完成 50%（145天/290天），应完成 50%")``.

How a month is judged, in order:

1. not reported by the deadline (the ``report_day`` of the next month, seed 001 三) → ``missing``;
2. ``completion_pct`` filled by the unit wins over ``actual``;
3. else ``actual`` against the indicator's single quantified target, read by its kind:
   - ``prorated`` (``>=``, ``>``: 不少于290天, 营造林面积4万亩): completion = actual ÷ target; expected =
     the office's ``schedule_pct`` or the share of the year elapsed (month ÷ 12: “时间过半、任务过半”).
     A rate target (覆盖率达到95%) is prorated the same way, as the issue asks;
   - ``growth`` / ``reduction`` (增长7%, 下降3%): the actual is the growth (reduction) achieved so far,
     year on year, in the target's unit (5.6 for 5.6 %). A rate is compared like for like — the
     cumulative growth to date against the year's growth target — so expected is 100 % in every
     month unless a ``schedule_pct`` says otherwise;
   - ``ceiling`` (``<=``, ``<``: 不超过2人, 控制在4.3%以内): the actual to date (a count over the year
     such as deaths is cumulative) against the full ceiling: green within it, red beyond it — never
     yellow, never prorated, and a schedule does not apply; completion is 100 within the ceiling,
     else ceiling ÷ actual (as scoring's U11);
4. else the reported ``status`` text (qualitative items, several targets without a composite
   completion, no actual): 未启动/未开展/停滞 → red, 滞后/缓慢 → yellow, 完成/推进中/按计划 → green;
   anything else (also nothing at all) → yellow, “无法判断进度，请核对”.

With a completion (steps 2–3, not ceilings judged by actual) the gap = expected − completion decides:
more than ``red_gap`` points → red (督办单), more than ``yellow_gap`` → yellow (预警提示单), else green.
The thresholds and the report day are rule data (``data/progress-rules.tsv``), each with its source.
"""

from __future__ import annotations

import csv
import logging
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

from normalize.targets import Target

log = logging.getLogger(__name__)

Level = Literal["green", "yellow", "red", "missing"]
Kind = Literal["prorated", "growth", "reduction", "ceiling", "status"]
LEVELS: tuple[Level, ...] = ("green", "yellow", "red", "missing")
_LEVEL_LABELS: dict[str, str] = {"green": "绿", "yellow": "黄", "red": "红", "missing": "未报"}
_KINDS: dict[str, Kind] = {
    ">=": "prorated", ">": "prorated", "growth>=": "growth", "reduction>=": "reduction",
    "<=": "ceiling", "<": "ceiling",
}  # fmt: skip
_PERIOD = regex.compile(r"\s*(\d{4})\s*(?:[-./]|年)\s*(\d{1,2})\s*月?\s*")
# Checked in this order: 未完成 is not 完成, and 进度滞后 is yellow even when it says 推进中.
_STATUS_LEVELS: tuple[tuple[Level, regex.Pattern[str]], ...] = (
    ("red", regex.compile(r"未启动|未开展|未开工|停滞")),
    ("yellow", regex.compile(r"滞后|缓慢")),
    ("green", regex.compile(r"(?<![未没])完成|推进中|正常推进|按计划|按进度")),
)
RULES_TSV = Path(__file__).parent / "data" / "progress-rules.tsv"
_NONE_WORDS = {"", "无", "不设", "none", "null"}


def level_label(level: str) -> str:
    """green → 绿, yellow → 黄, red → 红, missing → 未报."""
    return _LEVEL_LABELS[level]


class Period(BaseModel):
    """One reporting month: the progress of ``year`` up to the end of ``month``."""

    model_config = ConfigDict(frozen=True)

    year: int
    month: int = Field(ge=1, le=12)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2020-06``, ``2020-6``, ``2020.06`` or ``2020年6月``."""
        found = _PERIOD.fullmatch(text)
        if found is None:
            raise ValueError(f"报告期“{text}”无法识别，应写作 年-月，如 2020-06")
        if not 1 <= int(found[2]) <= 12:
            raise ValueError(f"报告期“{text}”的月份应在 1 到 12 之间")
        return cls(year=int(found[1]), month=int(found[2]))

    @property
    def elapsed_share(self) -> float:
        """The share of the year gone by the end of the month (6 → 0.5)."""
        return self.month / 12

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def deadline(self, report_day: int = 15) -> date:
        """The last day to report this month: ``report_day`` of the next month (2020-12 → 2021-01-15)."""
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return date(year, month, report_day)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


class RuleValue(BaseModel):
    """One progress rule: its value (None: not set) and where it comes from."""

    model_config = ConfigDict(frozen=True)

    value: float | None
    label: str
    source: str  # the article, or “kaohe 默认” where no seed states it
    quote: str | None = None  # the sentence of the seed it rests on


class ProgressRules(BaseModel):
    """The thresholds of the three colours and the reporting deadline (``data/progress-rules.tsv``)."""

    model_config = ConfigDict(frozen=True)

    yellow_gap: RuleValue  # points behind the expected completion beyond which a month is yellow
    red_gap: RuleValue  # … red
    report_day: RuleValue  # the day of the next month by which a month is reported
    late_deduction: RuleValue  # points off per late report; None: “by circumstances”, no number

    def rows(self) -> list[tuple[str, RuleValue]]:
        """Every rule in display order, for ``kaohe rules``."""
        return [(name, getattr(self, name)) for name in type(self).model_fields]

    def with_values(self, source: str = "用户设定", **values: float | None) -> ProgressRules:
        """A copy with some values changed (``with_values(yellow_gap=5)``), checked."""
        unknown = sorted(set(values) - set(type(self).model_fields))
        if unknown:
            raise ValueError(f"{source}: 未知的进度规则 {'、'.join(unknown)}")
        update = {
            name: getattr(self, name).model_copy(update={"value": value, "source": source, "quote": None})
            for name, value in values.items()
        }
        return _checked(self.model_copy(update=update), source)


def _checked(rules: ProgressRules, source: str) -> ProgressRules:
    yellow, red, day = rules.yellow_gap.value, rules.red_gap.value, rules.report_day.value
    if yellow is None or red is None or not 0 <= yellow <= red:
        raise ValueError(f"{source}: 黄色、红色预警阈值应为数字，且 0 ≤ 黄色 ≤ 红色（现为 {yellow}、{red}）")
    if day is None or day != int(day) or not 1 <= day <= 28:
        raise ValueError(f"{source}: 报送截止日应为 1 到 28 之间的整数（现为 {day}）")
    return rules


def _read_tsv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["field"]: row for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}


def _value(raw: str | None, where: str) -> float | None:
    text = (raw or "").strip()
    if text.lower() in _NONE_WORDS:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{where} 的取值“{text}”不是数字") from None


@cache
def default_rules() -> ProgressRules:
    """The defaults of ``data/progress-rules.tsv``."""
    rows = _read_tsv(RULES_TSV)
    values = {
        name: RuleValue(
            value=_value(row["value"], f"{RULES_TSV.name}: {name}"),
            label=row["label"], source=row["source"], quote=row["quote"] or None,
        )
        for name, row in rows.items()
    }  # fmt: skip
    return _checked(ProgressRules(**values), RULES_TSV.name)


def load_rules(path: Path | None = None) -> ProgressRules:
    """The defaults, with the values a user's TSV (same columns; any subset of fields) changes."""
    if path is None:
        return default_rules()
    rules = default_rules()
    for name, row in _read_tsv(path).items():
        source = (row.get("source") or "").strip() or path.name
        rules = rules.with_values(source, **{name: _value(row.get("value"), f"{path.name}: {name}")})
    return rules


# ------------------------------------------------------------------ judging one month


class Judgement(BaseModel):
    """The level of one indicator in one month and why, in one short Chinese sentence."""

    model_config = ConfigDict(frozen=True)

    level: Level
    reason: str
    kind: Kind  # how the target was read (see the module docstring)
    completion_pct: float | None = None  # how far the year's target is done (0–100+); None: not known
    expected_pct: float  # what is expected by this month


def judge(
    targets: list[Target],
    period: Period,
    *,
    actual: float | None,
    completion_pct: float | None,
    status: str | None,
    reported: bool,
    schedule_pct: float | None = None,
    rules: ProgressRules,
) -> Judgement:
    """The level of one indicator in ``period``; see the module docstring for the order of sources."""
    target, why = _single_target(targets)
    kind = _indicator_kind(targets)
    expected = _expected(kind, period, schedule_pct)
    if not reported:
        deadline = period.deadline(int(rules.report_day.value or 15))
        reason = f"未按时报送（{period.label}完成情况应于{deadline.month}月{deadline.day}日前报送）"
        return Judgement(level="missing", reason=reason, kind=kind, expected_pct=expected)
    if completion_pct is not None:
        return _by_gap(kind, completion_pct, expected, f"填报完成 {_pct(completion_pct)}", rules)
    if target is not None and actual is not None:
        return _by_actual(kind, target, actual, expected, rules)
    if status and status.strip():
        return _by_status(status.strip(), kind, expected)
    reason = f"{why or '未填写完成值或完成率'}，无法判断进度，请核对"
    return Judgement(level="yellow", reason=reason, kind=kind, expected_pct=expected)


def _quantified(targets: list[Target]) -> list[Target]:
    return [t for t in targets if t.comparator in _KINDS and not t.trigger]


def _indicator_kind(targets: list[Target]) -> Kind:
    """The kind shared by every quantified target; ``prorated`` when they differ, ``status`` with none."""
    kinds = {_KINDS[t.comparator] for t in _quantified(targets)}
    if not kinds:
        return "status"
    return kinds.pop() if len(kinds) == 1 else "prorated"


def _single_target(targets: list[Target]) -> tuple[Target | None, str]:
    """The one target ``actual`` is read against, or why there is none."""
    quantified = _quantified(targets)
    if not quantified:
        return None, "定性指标未填写进展"
    if len(quantified) > 1:
        return None, f"指标有 {len(quantified)} 个量化目标，未填写综合完成率"
    target = quantified[0]
    if target.values or target.value is None:
        return None, "目标为分项列表或区间，未填写完成率"
    if target.value <= 0 and _KINDS[target.comparator] != "ceiling":
        return None, f"目标值为 {target.value:g}，未填写完成率"
    return target, ""


def _expected(kind: Kind, period: Period, schedule_pct: float | None) -> float:
    if kind == "ceiling":
        return 100.0
    if schedule_pct is not None:
        return round(schedule_pct, 2)
    return 100.0 if kind in ("growth", "reduction") else round(period.elapsed_share * 100, 2)


def _by_gap(kind: Kind, completion: float, expected: float, head: str, rules: ProgressRules) -> Judgement:
    gap = round(expected - completion, 6)
    level: Level = "green"
    if gap > (rules.red_gap.value or 0):
        level = "red"
    elif gap > (rules.yellow_gap.value or 0):
        level = "yellow"
    reason = f"{head}，应完成 {_pct(expected)}"
    return Judgement(level=level, reason=reason, kind=kind, completion_pct=round(completion, 2), expected_pct=expected)


def _by_actual(kind: Kind, target: Target, actual: float, expected: float, rules: ProgressRules) -> Judgement:
    value, unit = float(target.value or 0), target.unit or ""
    if kind == "ceiling":
        within = actual < value if target.comparator == "<" else actual <= value
        completion = 100.0 if within else (value / actual * 100 if actual else 0.0)
        relation = "未超过" if within else "超过"
        reason = f"控制性指标：已达 {actual:g}{unit}，{relation}上限 {value:g}{unit}"
        level: Level = "green" if within else "red"
        return Judgement(
            level=level, reason=reason, kind=kind, completion_pct=round(completion, 2), expected_pct=expected
        )
    completion = actual / value * 100
    if kind in ("growth", "reduction"):
        verb = "增长" if kind == "growth" else "下降"
        head = f"已{verb} {actual:g}{unit}，目标{verb} {value:g}{unit}，完成 {_pct(completion)}"
    else:
        head = f"累计完成 {_pct(completion)}（{actual:g}{unit}/{value:g}{unit}）"
    return _by_gap(kind, completion, expected, head, rules)


def _by_status(status: str, kind: Kind, expected: float) -> Judgement:
    level = next((found for found, words in _STATUS_LEVELS if words.search(status)), None)
    if level is None:
        reason = f"报送进展“{status}”，无法判断进度，请核对"
        return Judgement(level="yellow", reason=reason, kind=kind, expected_pct=expected)
    return Judgement(level=level, reason=f"报送进展“{status}”", kind=kind, expected_pct=expected)


def _pct(value: float) -> str:
    """62.07 → '62.1%', 50 → '50%'."""
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"
