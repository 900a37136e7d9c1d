"""Numbers as the notices write them, and a matching form of text.

``chinese_to_number`` reads Chinese numerals (``一百零五``, ``两``, ``二〇二二``);
``parse_number`` reads Arabic numbers with magnitude words (``1.6万``, ``3亿``),
full-width digits included. ``normalize_for_matching`` gives a copy of a text that
regexes can match reliably; the original text is kept elsewhere and is what gets stored.
"""

from __future__ import annotations

import logging
import unicodedata
from decimal import Decimal, InvalidOperation

import regex

log = logging.getLogger(__name__)

_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# Extra zeros seen in digit-by-digit years only (二O二二, 二0二二): DOMAIN §1.2 成文日期.
_YEAR_ZEROS = {"O": 0, "Ｏ": 0, "0": 0, "０": 0}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

_ARABIC = regex.compile(r"(?P<sign>[+-]?)\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<mag>[十百千万亿]*)")
_THOUSANDS = regex.compile(r"(?<=\d),(?=\d{3}(?!\d))")

# NFKC would turn these into ASCII look-alikes that lose meaning (Ⅱ类 → II类, ① → 1, km² → km2).
_KEEP = frozenset("ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ²³‰℃㎡…①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
_MARKDOWN = (
    (regex.compile(r"\*\*(.+?)\*\*"), r"\1"),  # bold (seed 000)
    (regex.compile(r"</?p\s*>|<br\s*/?>", regex.IGNORECASE), "\n"),  # HTML paragraphs in a cell (seed 000 附件2)
    (regex.compile(r"\[image:[^\]]*\]", regex.IGNORECASE), ""),  # seed 003
    (regex.compile(r"(?m)^[ \t]*[-*+][ \t]+"), ""),  # bullets: "- 附件："
)
_CJK = r"\p{Han}\u3000-\u303f\uff00-\uffef“”‘’《》…—·"
_SPACES = regex.compile(r"[ \t\u00a0]+")
_SPACE_BY_CJK = regex.compile(rf"(?<=[{_CJK}()]) | (?=[{_CJK}()])")


def chinese_to_number(text: str) -> float | None:
    """``十二`` → 12, ``一百零五`` → 105, ``两`` → 2, ``二〇二二`` → 2022, ``三点五`` → 3.5; None if not a numeral."""
    s = text.strip()
    if not s:
        return None
    whole, _, fraction = s.partition("点")
    integer = _read_integer(whole)
    if integer is None:
        return None
    if not fraction:
        return float(integer)
    if not all(c in _DIGITS for c in fraction):
        return None
    return float(f"{integer}.{''.join(str(_DIGITS[c]) for c in fraction)}")


def _read_integer(s: str) -> int | None:
    if not s:
        return None
    if len(s) >= 2 and all(c in _DIGITS or c in _YEAR_ZEROS for c in s):
        # Written digit by digit, the way years are: 二〇二二.
        return int("".join(str(_DIGITS.get(c, 0)) for c in s))
    if any(c not in _DIGITS and c not in _MAGNITUDES for c in s) or not any(c in _DIGITS or c in "十百千" for c in s):
        return None
    total = wan = section = 0
    number: int | None = None
    for c in s:
        if c in _DIGITS:
            number = _DIGITS[c]
        elif c in _SMALL_UNITS:
            section += (1 if number is None else number) * _SMALL_UNITS[c]
            number = None
        elif c == "万":
            wan = (section + (number or 0)) * 10_000
            section, number = 0, None
        else:  # 亿
            total = (total + wan + section + (number or 0)) * 100_000_000
            wan = section = 0
            number = None
    return total + wan + section + (number or 0)


def parse_number(text: str) -> float | None:
    """``1.6万`` → 16000, ``14.5万`` → 145000, ``3亿`` → 3e8, ``１２`` → 12, ``-0.5``, ``二十``; None otherwise."""
    s = unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()
    s = _THOUSANDS.sub("", s)
    m = _ARABIC.fullmatch(s)
    if m is None:
        sign = -1 if s.startswith("-") else 1
        value = chinese_to_number(s.lstrip("+-"))
        return None if value is None else sign * value
    try:
        amount = Decimal(m["num"])  # exact: 1.6 × 10000 is 16000, not 16000.000000000002
    except InvalidOperation:  # pragma: no cover - the regex admits only decimal digits
        return None
    for c in m["mag"]:
        amount *= _MAGNITUDES[c]
    return float(-amount if m["sign"] == "-" else amount)


def fold_width(text: str) -> str:
    """NFKC character by character where it maps one character to one (``，`` → ``,``, ``２`` → ``2``,
    U+3000 → space), so offsets into the result are offsets into ``text``. ``_KEEP`` stays as is."""
    return text.translate(_FOLD_TABLE)


class _FoldTable(dict):
    """A ``str.translate`` table that works out each character's folding the first time it is seen."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


def _fold_char(c: str) -> str:
    if c in _KEEP or c.isascii():
        return c
    folded = unicodedata.normalize("NFKC", c)
    return folded if len(folded) == 1 else c


_FOLD_TABLE = _FoldTable()


def strip_markdown(text: str) -> str:
    """Remove markdown / HTML residue: ``**bold**``, ``<p>``, ``[image: …]``, leading bullets."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text


def normalize_for_matching(text: str) -> str:
    """A copy of ``text`` for regex matching, never for storage.

    Strips markdown residue (``**``, ``<p>``, ``[image: …]``, bullets), applies NFKC
    (``，：（）％１`` → ASCII) except to the characters in ``_KEEP``, collapses runs of
    spaces (U+3000 included) and drops spaces next to CJK characters or brackets
    (``2022 年度`` → ``2022年度``, ``核心 职能 目标 (800 分)`` → ``核心职能目标(800分)``).
    ``。、《》“”`` are untouched by NFKC, so they survive as they are.
    """
    text = strip_markdown(text)
    text = "".join(c if c in _KEEP else unicodedata.normalize("NFKC", c) for c in text)
    lines = (_SPACE_BY_CJK.sub("", _SPACES.sub(" ", line).strip()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
