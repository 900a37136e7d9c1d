"""normalize.numbers: Chinese numerals, Arabic numbers with 万/亿, the matching form of text."""

from __future__ import annotations

import pytest
from conftest import seed_path

from normalize.numbers import chinese_to_number, fold_width, normalize_for_matching, parse_number, strip_markdown

# fmt: off
CHINESE_NUMERALS = (
    ("一", 1.0),
    ("两", 2.0),            # 两 = 2 (两个维护, 连续两年)
    ("十", 10.0),
    ("十二", 12.0),
    ("二十", 20.0),
    ("二十三", 23.0),
    ("一百零五", 105.0),
    ("三百", 300.0),
    ("两千", 2000.0),
    ("一万二千", 12000.0),
    ("三千五百万", 35_000_000.0),
    ("一亿二千万", 120_000_000.0),
    ("二〇二二", 2022.0),    # years digit by digit (GB/T 9704-1999 dates)
    ("二○二二", 2022.0),    # ○ U+25CB typed for 〇
    ("二零一九", 2019.0),
    ("二O二二", 2022.0),     # letter O typed for 〇
    ("三点五", 3.5),
    (" 五 ", 5.0),
)
NOT_CHINESE_NUMERALS = ("", "万", "亿", "三场", "abc", "五上", "点五")

NUMBERS = (
    ("7", 7.0),
    ("0.5", 0.5),
    ("-0.5", -0.5),
    ("-1.5", -1.5),
    ("1.6万", 16_000.0),
    ("14.5万", 145_000.0),
    ("3亿", 300_000_000.0),
    ("14亿", 1_400_000_000.0),
    ("3千万", 30_000_000.0),
    ("１２", 12.0),          # full-width digits
    ("１．５万", 15_000.0),
    ("－０.５", -0.5),       # full-width minus
    ("\u22122", -2.0),       # U+2212 minus sign
    ("1,200", 1200.0),
    (" 35 ", 35.0),
    ("二十", 20.0),
    ("两", 2.0),
)
NOT_NUMBERS = ("", "—", "x", "7%", "3000万元", "分", "1.2.3")

MATCHING_FORMS = (
    # seed 000 title: spaces injected around digits and at wrap points
    ("柞水县考核委员会办公室 关于申报 2022 年度目标责任考核 指标任务的通知",
     "柞水县考核委员会办公室关于申报2022年度目标责任考核指标任务的通知"),
    ("核心 职能 目标 (800 分)", "核心职能目标(800分)"),           # seed 000 附件4
    ("民生保障           （10分）", "民生保障(10分)"),             # seed 002, full-width brackets
    ("乡村振兴     (36分）", "乡村振兴(36分)"),                  # mixed widths
    ("（一）聚焦高质量发展：", "(一)聚焦高质量发展:"),              # NFKC: （）： → ASCII
    ("《党委（党组）意识形态工作责任制实施办法》。",                 # 《》。 stay
     "《党委(党组)意识形态工作责任制实施办法》。"),
    ("“两边一补齐”、“两拆一提升”", "“两边一补齐”、“两拆一提升”"),   # “”、 stay
    ("对县直有关部门承担的**实施乡村振兴战略、秦岭生态环境保护**等考核任务",
     "对县直有关部门承担的实施乡村振兴战略、秦岭生态环境保护等考核任务"),
    ("- 附件：", "附件:"),                                          # markdown bullet
    ("[image: image1]6、申报", "6、申报"),                          # seed 003
    ("<p>1. ; (x 分)</p> <p>2. ; (x 分)</p>", "1. ;(x分)\n2. ;(x分)"),
    ("中共柞水县委办公室　　　 2022年3月21日印发", "中共柞水县委办公室2022年3月21日印发"),  # U+3000
    ("佳芦河崔家河底断面水质均达到Ⅱ类", "佳芦河崔家河底断面水质均达到Ⅱ类"),   # Ⅱ kept, not II
    ("水保治理面积1.55km²", "水保治理面积1.55km²"),
    ("控制在0.12‰以内", "控制在0.12‰以内"),
    ("公众满意率达到９５％", "公众满意率达到95%"),
    ("考核 QQ 群（631438498）", "考核QQ群(631438498)"),
    ("PM2.5 浓度", "PM2.5浓度"),
    ("经济发展\n\n（20分）", "经济发展\n(20分)"),
)
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CHINESE_NUMERALS)
def test_chinese_to_number(text: str, expected: float) -> None:
    assert chinese_to_number(text) == expected


@pytest.mark.parametrize("text", NOT_CHINESE_NUMERALS)
def test_chinese_to_number_rejects(text: str) -> None:
    assert chinese_to_number(text) is None


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "expected"), MATCHING_FORMS)
def test_normalize_for_matching(text: str, expected: str) -> None:
    assert normalize_for_matching(text) == expected


def test_fold_width_keeps_offsets() -> None:
    text = "城镇登记失业率控制在４．３％以内（１分），水质达到Ⅱ类…"
    folded = fold_width(text)
    assert len(folded) == len(text)
    assert folded == "城镇登记失业率控制在4.3%以内(1分),水质达到Ⅱ类…"


def test_strip_markdown_leaves_plain_text_alone() -> None:
    text = "各镇党委、政府：\n\t经济发展"
    assert strip_markdown(text) == text


def test_normalize_for_matching_on_seed_000_is_stable() -> None:
    text = seed_path("000").read_text(encoding="utf-8")
    once = normalize_for_matching(text)
    assert normalize_for_matching(once) == once  # idempotent
    assert "**" not in once
    assert "柞考办发〔2022〕2号" in once  # 〔〕 are not NFKC-folded
    assert "2022年度目标责任考核指标任务的通知" in once
