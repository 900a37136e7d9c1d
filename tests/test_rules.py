"""The rules in force: default file, a user's rules file, and a region's stored 办法 values."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_file
from normalize.departments import default_registry
from scoring.rules import PARAMS, RulesError, load_default_rules, load_rules_file, rules_for_region
from scoring.rules_view import format_value, rule_rows
from store import Store

BANFA = """甲乙县人民政府办公室

关于印发《甲乙县年度目标责任考核办法》的通知

甲乙县人民政府办公室

{date}

甲乙县年度目标责任考核办法

第一条 为做好年度目标责任考核工作，制定本办法。

第二条 单位年度目标责任考核实行百分制。对镇（办）目标任务考核占80分，社会评价占20分。

第三条 量化指标完成目标任务{threshold}%以上的，按实际完成的比例计分，完成不足{threshold}%的不计分。
"""


def _write(path: Path, **values: str) -> Path:
    path.write_text(BANFA.format(**({"date": "2024年3月1日", "threshold": "65"} | values)), encoding="utf-8")
    return path


def _ingest(path: Path, store: Store) -> None:
    assert ingest_file(path, store, default_registry()).status in ("added", "replaced")


# -- defaults ----------------------------------------------------------------------------------


def test_default_rules_values() -> None:
    rules = load_default_rules()
    assert (rules.threshold, rules.threshold_inclusive, rules.cap) == (0.60, True, 1.0)
    assert rules.weights["dept"].target == 85 and rules.weights["resident"].social == 30
    assert rules.social_components["resident"].peer is None
    assert rules.social_components["dept"].public == 5
    assert (rules.common_split, rules.onsite_split) == (
        {"routine": 0.8, "highlight": 0.2},
        {"routine": 0.4, "year_end": 0.6},
    )
    assert (rules.excellent_quota, rules.poor_below, rules.veto_grade) == (0.30, 80, "较差")
    assert (rules.city_deduction_multiplier, rules.city_bonus_multiplier, rules.cadre_adjustment_cap) == (2, 2, 3)
    assert rules.bonus_cap is None and rules.deduction_cap is None
    assert rules.warnings == [] and rules.missing == []


def test_every_default_is_cited() -> None:
    rules = load_default_rules()
    assert set(rules.citations) == set(PARAMS)
    assert all(c.rule_id and c.source == "default" for c in rules.citations.values())
    threshold = rules.citations["threshold"]
    assert (threshold.rule_id, threshold.article, threshold.inferred) == ("U09", "第二十四条（一）", False)
    assert rules.citations["cap"].inferred and rules.citations["cap"].article is None
    assert rules.citations["city_deduction_multiplier"].article == "宁办字〔2019〕88号 四"
    assert rules.cite("poor_below") == "第二十七条（四）（默认）"


# -- a user's rules file -----------------------------------------------------------------------


def test_partial_file_overrides_only_what_it_states(tmp_path: Path) -> None:
    path = tmp_path / "本县规则.toml"
    path.write_text('threshold = 0.65\n[weights.town]\ntarget = 80\nsocial = 20\narticle = "第九条"\n', "utf-8")
    rules = load_rules_file(path)
    assert rules.threshold == 0.65 and rules.weights["town"].target == 80
    assert rules.weights["dept"].target == 85 and rules.poor_below == 80
    assert rules.citations["threshold"].source == str(path)
    assert rules.citations["threshold"].rule_id == "U09"  # the id stays the default's
    assert rules.citations["weights.town"].article == "第九条"
    # The town's social components still add up to 10: reported, not corrected.
    assert rules.social_components["town"].public == 3
    assert rules.warnings == ["镇（办）：社会评价各项合计 10 ≠ 社会评价权重 20"]


def test_partial_component_override_keeps_the_other_components(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text("[social_components.resident]\npeer = 3\npublic = 12\n", "utf-8")
    rules = load_rules_file(path)
    assert rules.social_components["resident"].model_dump() == {
        "peer": 3.0,
        "superior": 9.0,
        "representatives": 6.0,
        "public": 12.0,
    }
    assert rules.warnings == []


def test_none_word_and_full_tables(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text('[cap]\nvalue = "none"\nnote = "按字面"\n[bonus_cap]\nvalue = 5\n', "utf-8")
    rules = load_rules_file(path)
    assert rules.cap is None and rules.bonus_cap == 5
    assert rules.citations["cap"].note == "按字面"


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("thresold = 0.6\n", "thresold", "未知的参数"),
        ("[weights.village]\ntarget = 90\nsocial = 10\n", "weights.village", "未知的类别"),
        ("[weights.town]\ntarget = 90\nsocail = 10\n", "weights.town", "未知的键 socail"),
        ("threshold = 60\n", "threshold", "0.60"),
        ('threshold = "六成"\n', "threshold", "应为数字"),
        ("threshold_inclusive = 1\n", "threshold_inclusive", "true 或 false"),
        ('quota_rounding = "up"\n', "quota_rounding", "floor / round / ceil"),
        ('poor_below = "none"\n', "poor_below", "必须有取值"),
        ("total_scale = 0\n", "total_scale", "正数"),
        ("weights = 5\n", "weights", "按类别分节"),
        ("[threshold]\narticle = 5\nvalue = 0.6\n", "threshold", "article 应为文字"),
        ('[threshold]\nnote = "x"\n', "threshold", "没有取值"),
    ],
)
def test_bad_files_name_the_file_and_key(tmp_path: Path, text: str, key: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(RulesError) as error:
        load_rules_file(path)
    assert error.value.key == key
    assert str(path) in str(error.value) and message in str(error.value)
    assert isinstance(error.value, ValueError)


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="无法读取"):
        load_rules_file(tmp_path / "absent.toml")
    path = tmp_path / "broken.toml"
    path.write_text("threshold = \n", "utf-8")
    with pytest.raises(RulesError, match="TOML 格式错误"):
        load_rules_file(path)


def test_inconsistent_weights_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text("[weights.dept]\ntarget = 80\nsocial = 15\n[common_split]\nroutine = 0.9\n", "utf-8")
    warnings = load_rules_file(path).warnings
    assert "县直部门：目标任务 80 + 社会评价 15 ≠ 总分 100" in warnings
    assert "共性指标常规/特色亮点比例合计 1.1 ≠ 1" in warnings


# -- a region's 办法 in the store ---------------------------------------------------------------


def test_region_rules_come_from_its_banfa_with_citations(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    path = _write(tmp_path / "甲乙县年度目标责任考核办法.txt").resolve()
    _ingest(path, store)
    rules = rules_for_region(store.db, "甲乙县")
    assert rules.region == "甲乙县"
    assert rules.threshold == 0.65 and rules.threshold_inclusive is True
    assert rules.weights["town"].model_dump() == {"target": 80.0, "social": 20.0}
    citation = rules.citations["threshold"]
    assert (citation.source, citation.article, citation.rule_id) == (str(path), "第三条", "U09")
    assert "65%以上" in citation.quote and citation.document_id is not None
    assert "threshold" not in rules.missing and "poor_below" in rules.missing
    assert rules.poor_below == 80 and rules.citations["poor_below"].source == "default"
    assert rules.warnings == ["镇（办）：社会评价各项合计 10 ≠ 社会评价权重 20"]
    rows = {row.field: row for row in rule_rows(rules)}
    assert rows["threshold"].stated_by_document and not rows["poor_below"].stated_by_document
    assert format_value("threshold", rows["threshold"].value) == "65%"


def test_region_without_banfa_uses_defaults(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    rules = rules_for_region(store.db, "佳县")
    assert rules.threshold == 0.60 and set(rules.missing) == set(PARAMS)
    assert all(c.source == "default" for c in rules.citations.values())


def test_latest_banfa_wins(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    _ingest(_write(tmp_path / "新办法.txt", date="2024年3月1日", threshold="70"), store)
    _ingest(_write(tmp_path / "旧办法.txt", date="2019年3月1日", threshold="50"), store)
    assert rules_for_region(store.db, "甲乙县").threshold == 0.70


def test_replaced_moved_and_removed_banfa(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    path = _write(tmp_path / "办法.txt").resolve()
    _ingest(path, store)
    _ingest(_write(path, threshold="75"), store)  # the file changed: its values are replaced
    assert rules_for_region(store.db, "甲乙县").threshold == 0.75
    assert store.db.execute("select count(*) from rule_values where field = 'threshold'").fetchone()[0] == 1
    moved = str(tmp_path / "moved.txt")
    store.move_document(str(path), moved)
    assert rules_for_region(store.db, "甲乙县").citations["threshold"].source == moved
    store.remove_document(moved)
    assert store.db.execute("select count(*) from rule_values").fetchone()[0] == 0
    assert rules_for_region(store.db, "甲乙县").threshold == 0.60


def test_file_over_region_rules_keeps_document_citations(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    _ingest(_write(tmp_path / "办法.txt"), store)
    path = tmp_path / "r.toml"
    path.write_text("poor_below = 75\n", "utf-8")
    rules = load_rules_file(path, base=rules_for_region(store.db, "甲乙县"))
    assert (rules.threshold, rules.poor_below, rules.region) == (0.65, 75, "甲乙县")
    assert rules.citations["threshold"].article == "第三条"
    assert rules.citations["poor_below"].source == str(path)
