"""Reading a 办法's scoring parameters: seed 004, the sample 办法 (.docx/.wps), and 办法 with other numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, seed_path

from parsers import parse
from parsers.document import Cell, Document, Paragraph, Source, Table
from scoring.rules import PARAMS
from scoring.rules_extract import extract_rule_values, looks_like_rules_document


def _by_field(document: Document) -> dict[str, tuple[object, str | None, str]]:
    return {r.field: (r.value, r.article, r.quote) for r in extract_rule_values(document)}


def _document(*blocks: str | Table, genre: str | None = "办法") -> Document:
    source = Source(path="/tmp/办法.txt", sha256="0" * 64, format="txt", size=1)
    document = Document(source=source, blocks=[Paragraph(text=b) if isinstance(b, str) else b for b in blocks])
    document.metadata.genre = genre
    return document


@pytest.fixture(scope="module")
def seed_004() -> dict[str, tuple[object, str | None, str]]:
    return _by_field(parse(seed_path("004")))


def test_seed_004_values_and_articles(seed_004: dict) -> None:
    expected = {
        "total_scale": (100.0, "第二十四条（一）"),
        "target_base": (100.0, "第二十四条（一）"),
        "weights.town": ({"target": 90.0, "social": 10.0}, "第二十四条（一）"),
        "weights.dept": ({"target": 85.0, "social": 15.0}, "第二十四条（一）"),
        "weights.resident": ({"target": 70.0, "social": 30.0}, "第二十四条（一）"),
        "threshold": (0.60, "第二十四条（一）"),
        "common_split": ({"routine": 0.8, "highlight": 0.2}, "第二十四条（一）"),
        "onsite_split": ({"routine": 0.4, "year_end": 0.6}, "第二十一条"),
        "social_components.town": ({"peer": 2.0, "superior": 3.0, "representatives": 2.0, "public": 3.0}, "第二十五条"),
        "social_components.dept": ({"peer": 3.0, "superior": 4.0, "representatives": 3.0, "public": 5.0}, "第二十五条"),
        "social_components.resident": (
            {"peer": None, "superior": 9.0, "representatives": 6.0, "public": 15.0},
            "第二十五条",
        ),
        "excellent_quota": (0.30, "第二十七条"),
        "poor_below": (80.0, "第二十七条（四）"),
        "veto_grade": ("较差", "第二十七条（四）"),
        "cadre_adjustment_cap": (3.0, "第二十六条（三）"),
        "city_bonus_share_priority": (0.30, "第二十七条"),
        "excellent_priority_rank_share": (0.60, "第二十七条"),
    }
    assert {field: value[:2] for field, value in seed_004.items()} == expected


def test_seed_004_quotes_are_the_clauses(seed_004: dict) -> None:
    assert seed_004["weights.dept"][2] == "对县直党群系统和政府系统部门（单位）目标任务考核占85分，社会评价占15分"
    assert "60%以上" in seed_004["threshold"][2]
    assert "40:60" in seed_004["onsite_split"][2]


def test_seed_004_states_60_percent_both_ways_so_no_tie_break(seed_004: dict) -> None:
    # "60%以上" scores and "60%以下" does not: the boundary is not decided by the text.
    assert "threshold_inclusive" not in seed_004
    assert "quota_scope" not in seed_004  # "考核对象总数的30%": per category or overall is not said


def test_seed_004_cadre_rules_do_not_leak_into_unit_rules(seed_004: dict) -> None:
    # 第二十四条（二） (cadres, 百分制, 60%) and 第二十九条 (25% quota, 低于80分 → not 优秀) come later.
    assert seed_004["excellent_quota"][0] == 0.30
    assert not seed_004["total_scale"][1].endswith("（二）")


def test_seed_001_is_not_a_rules_document() -> None:
    assert not looks_like_rules_document(parse(seed_path("001")))


def _check_sample(values: dict) -> None:
    assert values["weights.town"][:2] == ({"target": 90.0, "social": 10.0}, "第九条")
    assert values["social_components.resident"][0] == {
        "peer": None,
        "superior": 9.0,
        "representatives": 6.0,
        "public": 15.0,
    }
    assert values["social_components.town"][1] == "第九条"  # read from the table under 第九条
    assert values["threshold"][:2] == (0.60, "第十条")
    assert values["threshold_inclusive"][0] is True  # "完成不足60%的，该指标不得分"
    assert values["target_base"][:2] == (100.0, "第十条")
    assert values["common_split"][:2] == ({"routine": 0.8, "highlight": 0.2}, "第十一条")
    assert values["onsite_split"][:2] == ({"routine": 0.4, "year_end": 0.6}, "第八条")
    assert values["cadre_adjustment_cap"][:2] == (3.0, "第十四条")
    assert values["city_deduction_multiplier"][:2] == (2.0, "第十五条")  # "按所扣分值的两倍扣分"
    assert values["negative_list_applies_to"][0] == "total"
    assert values["excellent_quota"][:2] == (0.30, "第十六条")
    assert values["quota_scope"][0] == "category"  # "每一类别考核对象总数的30%"
    assert values["poor_below"][:2] == (80.0, "第十七条（一）")  # inline sub-item
    assert values["veto_grade"][:2] == ("较差", "第十七条（二）")
    assert "cap" not in values and "bonus_cap" not in values


def test_sample_docx() -> None:
    _check_sample(_by_field(parse(SAMPLES / "柞水县年度目标责任考核工作办法.docx")))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_sample_wps() -> None:
    _check_sample(_by_field(parse(SAMPLES / "柞水县年度目标责任考核工作办法.wps")))


def test_values_are_read_not_assumed(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "甲乙县人民政府办公室",
            "关于印发《甲乙县年度目标责任考核办法》的通知",
            "甲乙县年度目标责任考核办法",
            "第一条 为做好年度目标责任考核工作，制定本办法。",
            "第二条 单位年度目标责任考核实行百分制。对镇（办）目标任务考核占80分，社会评价占20分；"
            "对县直部门（单位）目标任务考核占八十五分，社会评价占十五分。",
            "第三条 量化指标完成目标任务65%以上的，按实际完成的比例计分，完成不足65%的不计分。"
            "党的建设等共性指标常规工作考核占70%，特色亮点考核占30%。",
            "第四条 领导干部量化指标完成目标任务50%以上的，按实际完成的比例计分。领导干部加减分值原则上不超过2分。",
            "第五条 优秀等次比例一般不超过考核对象总数的百分之二十五。年度考核综合得分低于75分的，应评为较差等次。",
        ]
    )
    path = tmp_path / "甲乙县年度目标责任考核办法.txt"
    path.write_text(text, encoding="utf-8")
    values = {field: value for field, (value, _, _) in _by_field(parse(path)).items()}
    assert values == {
        "total_scale": 100.0,
        "weights.town": {"target": 80.0, "social": 20.0},
        "weights.dept": {"target": 85.0, "social": 15.0},  # Chinese numerals
        "threshold": 0.65,  # the cadre 50% of 第四条 does not override it
        "threshold_inclusive": True,
        "common_split": {"routine": 0.7, "highlight": 0.3},
        "cadre_adjustment_cap": 2.0,
        "excellent_quota": 0.25,  # 百分之二十五
        "poor_below": 75.0,
    }


def test_cadre_only_threshold_is_not_a_unit_threshold() -> None:
    document = _document("第一条 县管科级领导干部年度考核实行百分制。量化指标完成目标任务70%以上的，按比例计分。")
    assert _by_field(document) == {}


def test_cover_notice_before_the_first_article_states_nothing() -> None:
    document = _document("对镇（办）目标任务考核占90分，社会评价占10分。", "第一条 为了规范考核，制定本办法。")
    assert _by_field(document) == {}


def test_onsite_split_by_ratio_and_by_percentages() -> None:
    ratio = _document("第八条 现场考核指标实行“双印证”，考核结果按30:70的权重计算总得分。")
    assert _by_field(ratio)["onsite_split"][0] == pytest.approx({"routine": 0.3, "year_end": 0.7})
    shares = _document("第八条 实地核实的指标，平时考核成绩占50%、年终实地考核成绩占50%。")
    assert _by_field(shares)["onsite_split"][0] == {"routine": 0.5, "year_end": 0.5}


def test_social_components_table_with_other_numbers() -> None:
    header = [
        Cell(text="类别", row=0, col=0, rowspan=2),
        Cell(text="目标任务考核", row=0, col=1, rowspan=2),
        Cell(text="社会评价", row=0, col=2, colspan=3),
        Cell(text="上级评价", row=1, col=2),
        Cell(text="群众评价", row=1, col=3),
        Cell(text="小计", row=1, col=4),
    ]
    row = [Cell(text=t, row=2, col=i) for i, t in enumerate(["镇（办）", "80", "8", "12", "20"])]
    table = Table.from_cells(header + row)
    values = _by_field(_document("第九条 社会评价的构成见下表。", table))
    assert values["social_components.town"][0] == {
        "peer": None,
        "superior": 8.0,
        "representatives": None,
        "public": 12.0,
    }
    assert values["weights.town"][:2] == ({"target": 80.0, "social": 20.0}, "第九条")


def test_city_multipliers() -> None:
    values = _by_field(
        _document(
            "第十条 因负面清单被市上扣分的责任单位，在县考中予以三倍扣分。",
            "第十一条 市考指标认定结果与县考对接，实行双倍加减分。",
        )
    )
    assert values["city_deduction_multiplier"][:2] == (3.0, "第十条")
    assert values["city_bonus_multiplier"][:2] == (2.0, "第十一条")


def test_every_extracted_field_is_a_parameter(seed_004: dict) -> None:
    assert set(seed_004) <= set(PARAMS)


def test_rules_document_detection() -> None:
    articles = [f"第{n}条 考核实行百分制，按分值计分。" for n in "一二三"]
    assert looks_like_rules_document(_document(*articles, genre=None))
    assert not looks_like_rules_document(_document("关于报送材料的通知", genre="通知"))
