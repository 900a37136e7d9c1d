"""The vocabulary of targets: quantities, comparison cues, baselines (DOMAIN §2.5, §3.4).

Kept apart from ``normalize.targets`` so the word lists can grow without touching the
algorithm. All patterns run on ``normalize_for_matching`` output (ASCII brackets, ``%``).
"""

from __future__ import annotations

from typing import Literal

import regex

Comparator = Literal[
    ">=",  # at least: 达到, 不少于, 不低于, 以上 (inclusive), or no verb at all
    ">",  # exceeds (exclusive): 超过, 高于 — a trigger in a negative list
    "<=",  # at most: 不超过, 不高于, 控制在…以内, 以下 (inclusive)
    "<",  # falls short (exclusive): 低于, 少于, 不足, 未达到 — a trigger
    "==",  # categorical: 达到Ⅱ类
    "!=",  # negated categorical: 未达到Ⅱ类的
    "growth>=",  # grows by at least value: 增长7%, 提升2个百分点
    "growth<",  # (trigger) grew by less than value: 未达到逐年提升2个百分点
    "reduction>=",  # falls by at least value: 下降3.1%, 较上年度降低2%
    "reduction<",  # (trigger) fell by less than value
    "not_above_previous",  # 只减不增: no higher than the baseline, no number
    "qualitative",  # 完成年度任务, 见专项责任书: no number to compare
]
Direction = Literal["higher_better", "lower_better", "binary"]

# ------------------------------------------------------------------ quantities

_UNIT_WORDS = (
    "个百分点 微克/立方米 毫克/立方米 立方米 平方公里 平方米 km² km2 万千瓦时 千瓦时 万千瓦 千瓦 亿美元 万美元 美元 "
    "亿元 万元 千元 元 公顷 亩 吨 只 头 株 公里 千米 人次 场次 周岁 家 个 名 人 户 天 次 篇 条 件 项 场 所 处 台 辆 "
    "本 字 类 分 座 批 村 套 起 期 位 部 份 床 倍 % ‰"
)
_BASE_UNITS = _UNIT_WORDS.split()
_UNITS = sorted({f"{mag}{u}" for u in _BASE_UNITS for mag in ("", "万", "亿")}, key=len, reverse=True)
UNIT = "|".join(regex.escape(u) for u in _UNITS)
# Counting units a Chinese numeral may carry when it is a quantity (两个, 三次), not a slogan.
_COUNT_UNITS = "个|家|名|人|户|次|场|项|篇|条|件|所|处|座|批|村|套|起|期|位|台|本"
ARABIC = r"\d+(?:\.\d+)?"
CHINESE = r"[零〇两一二三四五六七八九十百千]*[两一二三四五六七八九十][零〇两一二三四五六七八九十百千]*"

QUANTITY = regex.compile(
    rf"""(?<![\d.A-Za-z])
    (?:(?P<num>{ARABIC})(?:\s*(?:-|~|至|到)\s*(?P<num2>{ARABIC}))?\s*(?P<approx>余|多)?\s*(?P<unit>{UNIT})?
      |(?P<cnum>{CHINESE})(?P<cunit>{_COUNT_UNITS}))
    (?![\dA-Za-z])""",
    regex.VERBOSE,
)
# Numbers that are dates or deadlines, never targets: 2015年, 6月底, 15日前, 三季度.
NOT_A_TARGET_AFTER = regex.compile(r"\s*(?:年|月|日|号|时|季度|周(?!岁)|-\d{4}年|/\d)")
# A list of quantities: "10%、15%、23%、23%", "100%和98%".
LIST_SEPARATOR = regex.compile(r"\s*(?:、|和|及|与)\s*")

# ------------------------------------------------------------------ comparison cues

NEGATION = r"不得|不能|不会|未能|未|没有|没|不"
# Cues that sit right before the number, longest first inside each comparator.
_PREFIX_CUES: dict[str, Comparator] = {
    "大于等于": ">=", "不少于": ">=", "不低于": ">=", "不小于": ">=", "至少": ">=", "≥": ">=", ">=": ">=",
    "力争达到": ">=", "达到": ">=", "达": ">=", "突破": ">=", "提高到": ">=", "提升到": ">=", "增加到": ">=",
    "增至": ">=", "保持在": ">=", "稳定在": ">=",
    "小于等于": "<=", "控制在": "<=", "控制": "<=", "降低到": "<=", "下降到": "<=", "减少到": "<=", "降至": "<=",
    "≤": "<=", "<=": "<=",
    "超过": ">", "高于": ">", "大于": ">", "多于": ">", "超": ">", ">": ">",
    "低于": "<", "小于": "<", "少于": "<", "不足": "<", "不到": "<", "<": "<",
    "增长": "growth>=", "增加": "growth>=", "提高": "growth>=", "提升": "growth>=", "上升": "growth>=",
    "下降": "reduction>=", "降低": "reduction>=", "减少": "reduction>=", "压减": "reduction>=",
    "削减": "reduction>=", "缩减": "reduction>=",
}  # fmt: skip
_CUE_ALTERNATION = "|".join(regex.escape(c) for c in sorted(_PREFIX_CUES, key=len, reverse=True))
# The cue must end where the number starts (allowing 在/为 and spaces): "控制在4.3%", "达到 3000".
PREFIX_CUE = regex.compile(rf"(?P<neg>{NEGATION})?(?P<cue>{_CUE_ALTERNATION})\s*(?:在|为)?\s*$")
SUFFIX_CUE = regex.compile(r"\s*(?P<cue>及以上|以上|及以下|以下|以内|之内|左右)")
_SUFFIX_COMPARATOR: dict[str, Comparator] = {
    "及以上": ">=",
    "以上": ">=",
    "及以下": "<=",
    "以下": "<=",
    "以内": "<=",
    "之内": "<=",
}
# "未达到逐年提升2个百分点" — the negation is not next to the number but still flips it.
NEGATED_ATTAINMENT = regex.compile(r"(?:未|没有|没|不能|未能)(?:达到|完成|实现)")
CATEGORY = regex.compile(r"(?:(?P<neg>未|没有|没|不)?(?:达到|为|保持|优于))?\s*(?P<roman>[ⅠⅡⅢⅣⅤⅥ]|I{1,3}|IV|V|VI)\s*类")
ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "Ⅵ": 6, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
NOT_ABOVE_PREVIOUS = regex.compile(r"只减不增|只降不升|不增加|零增长")

_FLIP: dict[str, Comparator] = {
    ">=": "<", "<": ">=", ">": "<=", "<=": ">", "==": "!=", "!=": "==",
    "growth>=": "growth<", "growth<": "growth>=", "reduction>=": "reduction<", "reduction<": "reduction>=",
}  # fmt: skip


def cue_comparator(cue: str, negated: bool) -> Comparator:
    """The comparator of a prefix cue; 不/未 in front flips it (不超过 → <=, 未达到 → <)."""
    comparator = _PREFIX_CUES[cue]
    return flip(comparator) if negated else comparator


def suffix_comparator(cue: str) -> Comparator | None:
    return _SUFFIX_COMPARATOR.get(cue)


def flip(comparator: Comparator) -> Comparator:
    return _FLIP.get(comparator, comparator)


# ------------------------------------------------------------------ baselines

_CN_DIGIT = "一二三四五六七八九十两"
BASELINE = regex.compile(
    rf"""(?P<prefix>较|比|相比|与|同比)?\s*
    (?P<base>(?P<year>(?:19|20)\d{{2}})\s*年(?:度|末|底)?
      |上一?年度?(?:同期)?|去年(?:同期)?|前一年|上期
      |近(?P<n>[{_CN_DIGIT}\d]+)年(?:的)?平均(?:数|水平|值)?)
    (?:水平)?""",
    regex.VERBOSE,
)
# A cue followed by a baseline and no number: "高于去年的", "不低于上年度水平".
_BASE_ONLY = (
    r"(?:上一?年度?|去年|前一年|近[一二三四五六七八九十两\d]+年(?:的)?平均(?:数|水平|值)?|(?:国家|省|市)(?:要求|标准))"
)
CUE_THEN_BASELINE = regex.compile(rf"(?P<neg>{NEGATION})?(?P<cue>{_CUE_ALTERNATION})\s*(?P<base>{_BASE_ONLY})")


def baseline_name(m: regex.Match[str]) -> str:
    """``较2015年`` → ``2015``; ``近三年平均数`` → ``近三年平均``; ``上年度`` as written."""
    if m["year"]:
        return str(m["year"])
    base = str(m["base"])
    if base.startswith("近"):
        return f"近{m['n']}年平均"
    return base


def find_baseline(text: str) -> str | None:
    """A baseline introduced by 较/比/相比/同比 (a bare year is usually a deadline, not a baseline)."""
    for m in BASELINE.finditer(text):
        if m["prefix"]:
            return baseline_name(m)
    return "上年同期" if "同比" in text else None


# ------------------------------------------------------------------ direction

_HIGHER = frozenset({">=", ">", "growth>="})
_LOWER = frozenset({"<=", "<", "reduction>=", "not_above_previous"})
# For a trigger the comparator describes the bad event; the good direction is the other way.
_TRIGGER_HIGHER = frozenset({"<", "<=", "growth<", "reduction>="})
_TRIGGER_LOWER = frozenset({">", ">=", "reduction<", "growth>=", "not_above_previous"})


def direction_of(comparator: Comparator, trigger: bool) -> Direction:
    higher, lower = (_TRIGGER_HIGHER, _TRIGGER_LOWER) if trigger else (_HIGHER, _LOWER)
    if comparator in higher:
        return "higher_better"
    if comparator in lower:
        return "lower_better"
    return "binary"
