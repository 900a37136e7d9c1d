"""The rules in force: the default 办法 parameters, a user's rules file, or a region's ingested 办法.

Every parameter lives in a TOML table named after its RuleSet field (``[threshold]``) or its
nested path (``[weights.town]``), holding its value(s) and citation (``rule``, ``label``,
``article``, ``inferred``, ``note``); scoring/data/rules-default.toml is the reference. A user's
file may state only the parameters it changes, and a scalar may be written bare
(``threshold = 0.65``). Bad keys and values raise ``RulesError`` naming the file and the key;
inconsistent sums (weights, social components, splits) are reported in ``RuleSet.warnings``,
never corrected.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from scoring.model import GRADES, CategoryWeights, Citation, RuleSet, SocialComponents
from store.rules_queries import StoredRuleValue, latest_rule_values

log = logging.getLogger(__name__)

_META_KEYS = {"rule", "label", "article", "inferred", "note"}
_NONE_WORDS = {"none", "无", "不设", "null"}
CATEGORIES = ("town", "dept", "resident")


class RulesError(ValueError):
    """A rules file that cannot be used: unknown key, wrong type, value out of range."""

    def __init__(self, source: str, key: str, message: str) -> None:
        super().__init__(f"{source}: [{key}] {message}")
        self.source, self.key, self.message = source, key, message


@dataclass(frozen=True)
class ParamSpec:
    """What one parameter may hold: a single ``value`` or named components."""

    kind: str  # number | share | bool | choice
    components: tuple[str, ...] = ()  # empty: a single "value"
    nullable: bool = False
    choices: tuple[str, ...] = ()
    positive: bool = False

    @property
    def value_keys(self) -> tuple[str, ...]:
        return self.components or ("value",)


_SOCIAL = ("peer", "superior", "representatives", "public")

PARAMS: dict[str, ParamSpec] = {
    "total_scale": ParamSpec("number", positive=True),
    "target_base": ParamSpec("number", positive=True),
    **{f"weights.{c}": ParamSpec("number", components=("target", "social")) for c in CATEGORIES},
    "threshold": ParamSpec("share"),
    "threshold_inclusive": ParamSpec("bool"),
    "cap": ParamSpec("number", nullable=True, positive=True),
    "lower_is_better": ParamSpec("choice", choices=("ratio_if_over", "needs_review")),
    "common_split": ParamSpec("share", components=("routine", "highlight")),
    "onsite_split": ParamSpec("share", components=("routine", "year_end")),
    **{f"social_components.{c}": ParamSpec("number", components=_SOCIAL, nullable=True) for c in CATEGORIES},
    "negative_list_applies_to": ParamSpec("choice", choices=("total",)),
    "city_deduction_multiplier": ParamSpec("number", positive=True),
    "city_bonus_multiplier": ParamSpec("number", positive=True),
    "bonus_cap": ParamSpec("number", nullable=True),
    "deduction_cap": ParamSpec("number", nullable=True),
    "cadre_adjustment_cap": ParamSpec("number", nullable=True),
    "excellent_quota": ParamSpec("share"),
    "quota_scope": ParamSpec("choice", choices=("category", "overall")),
    "quota_rounding": ParamSpec("choice", choices=("floor", "round", "ceil")),
    "poor_below": ParamSpec("number"),
    "veto_grade": ParamSpec("choice", choices=GRADES),
    "city_bonus_share_priority": ParamSpec("share", nullable=True),
    "excellent_priority_rank_share": ParamSpec("share"),
}
"""Every parameter, keyed as its citation is (``weights.town`` for nested ones), in display order."""

_GROUPS = ("weights", "social_components")  # TOML tables whose sub-tables are per-category parameters


@dataclass
class Param:
    """One parameter as read: its value(s) and where it comes from."""

    key: str
    values: dict[str, Any]
    citation: Citation
    label: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Reading a TOML file into parameters


def _convert(source: str, key: str, name: str, raw: Any, spec: ParamSpec) -> Any:
    """One value checked against its spec (numbers as float, "none" as None)."""
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in _NONE_WORDS):
        if spec.nullable:
            return None
        raise RulesError(source, key, f"{name}: 此参数必须有取值，不能为 {raw or '空'}")
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            raise RulesError(source, key, f"{name}: 应为 true 或 false，而不是 {raw!r}")
        return raw
    if spec.kind == "choice":
        if raw not in spec.choices:
            raise RulesError(source, key, f"{name}: 应为 {' / '.join(spec.choices)} 之一，而不是 {raw!r}")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise RulesError(source, key, f"{name}: 应为数字，而不是 {raw!r}")
    value = float(raw)
    if spec.kind == "share" and not 0 <= value <= 1:
        raise RulesError(source, key, f"{name}: 比例应在 0 到 1 之间（60% 写作 0.60），而不是 {raw!r}")
    if value < 0 or (spec.positive and value == 0):
        raise RulesError(source, key, f"{name}: 应为{'正数' if spec.positive else '非负数'}，而不是 {raw!r}")
    return value


def _read_param(source: str, key: str, raw: Any, is_default: bool) -> Param:
    spec = PARAMS[key]
    if not isinstance(raw, dict):
        if spec.components:
            raise RulesError(source, key, f"应为一节，写出 {', '.join(spec.components)}")
        raw = {"value": raw}
    unknown = set(raw) - _META_KEYS - set(spec.value_keys)
    if unknown:
        raise RulesError(source, key, f"未知的键 {', '.join(sorted(unknown))}；可用：{', '.join(spec.value_keys)}")
    values = {k: _convert(source, key, k, raw[k], spec) for k in spec.value_keys if k in raw}
    if not values:
        raise RulesError(source, key, f"没有取值（应写 {', '.join(spec.value_keys)}）")
    for meta in ("rule", "label", "article", "note"):
        if meta in raw and not isinstance(raw[meta], str):
            raise RulesError(source, key, f"{meta} 应为文字")
    if "inferred" in raw and not isinstance(raw["inferred"], bool):
        raise RulesError(source, key, "inferred 应为 true 或 false")
    citation = Citation(
        rule_id=raw.get("rule") or "",
        article=raw.get("article"),
        source="default" if is_default else source,
        inferred=bool(raw.get("inferred", False)),
        note=raw.get("note"),
    )
    return Param(key=key, values=values, citation=citation, label=raw.get("label"))


def _iter_tables(source: str, data: dict[str, Any]):
    """(key, raw) for every parameter in a parsed TOML document; unknown keys raise."""
    for top, raw in data.items():
        if top == "meta":
            continue
        if top in _GROUPS:
            if not isinstance(raw, dict):
                raise RulesError(source, top, f"应按类别分节：[{top}.town] [{top}.dept] [{top}.resident]")
            for category, sub in raw.items():
                key = f"{top}.{category}"
                if key not in PARAMS:
                    raise RulesError(source, key, f"未知的类别 {category!r}；可用：{', '.join(CATEGORIES)}")
                yield key, sub
        elif top in PARAMS:
            yield top, raw
        else:
            raise RulesError(source, top, "未知的参数")


def read_params(path: Path | str, text: str | None = None, is_default: bool = False) -> dict[str, Param]:
    """The parameters a rules TOML states (all of them, or the ones a partial file overrides)."""
    source = str(path)
    try:
        data = tomllib.loads(text if text is not None else Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise RulesError(source, "-", f"无法读取文件：{e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise RulesError(source, "-", "文件不是 UTF-8 编码") from e
    except tomllib.TOMLDecodeError as e:
        raise RulesError(source, "-", f"TOML 格式错误：{e}") from e
    return {key: _read_param(source, key, raw, is_default) for key, raw in _iter_tables(source, data)}


@cache
def _default_params() -> dict[str, Param]:
    text = resources.files("scoring").joinpath("data/rules-default.toml").read_text(encoding="utf-8")
    params = read_params("rules-default.toml", text, is_default=True)
    absent = set(PARAMS) - set(params)
    if absent:  # a packaging error, not a user's: fail loudly
        raise RulesError("rules-default.toml", ", ".join(sorted(absent)), "默认规则缺少参数")
    return params


def default_label(key: str) -> str:
    """The Chinese name of a parameter, from the default rules file."""
    return _default_params()[key].label or key


def default_note(key: str) -> str | None:
    return _default_params()[key].citation.note


# ---------------------------------------------------------------------------------------------
# Building a RuleSet


def overlay(base: dict[str, Param], override: dict[str, Param]) -> dict[str, Param]:
    """``base`` with ``override``'s values (components merged) and citations on top."""
    merged = dict(base)
    for key, param in override.items():
        default = base[key]
        citation = param.citation.model_copy(update={"rule_id": param.citation.rule_id or default.citation.rule_id})
        merged[key] = Param(key, {**default.values, **param.values}, citation, param.label or default.label)
    return merged


def build_rule_set(params: dict[str, Param], region: str | None = None, missing: list[str] | None = None) -> RuleSet:
    """A RuleSet from a complete set of parameters, with the consistency warnings it raises."""
    fields: dict[str, Any] = {}
    for key, param in params.items():
        if "." in key:
            group, category = key.split(".")
            model = CategoryWeights if group == "weights" else SocialComponents
            fields.setdefault(group, {})[category] = model(**_complete(param))
        elif PARAMS[key].components:
            fields[key] = dict(param.values)
        else:
            fields[key] = param.values["value"]
    rules = RuleSet(
        region=region,
        **fields,
        citations={key: p.citation for key, p in params.items()},
        missing=missing or [],
    )
    rules.warnings = check_rules(rules)
    for warning in rules.warnings:
        log.info("规则%s：%s", f"（{region}）" if region else "", warning)
    return rules


def _complete(param: Param) -> dict[str, Any]:
    return {name: param.values.get(name) for name in PARAMS[param.key].value_keys}


def check_rules(rules: RuleSet) -> list[str]:
    """Inconsistencies between parameters, in Chinese; empty when the rules add up."""
    problems = []
    labels = {"town": "镇（办）", "dept": "县直部门", "resident": "驻县单位"}
    for category, weights in rules.weights.items():
        if abs(weights.target + weights.social - rules.total_scale) > 1e-9:
            parts = f"目标任务 {weights.target:g} + 社会评价 {weights.social:g}"
            problems.append(f"{labels[category]}：{parts} ≠ 总分 {rules.total_scale:g}")
        components = rules.social_components.get(category)
        if components is not None:
            total = sum(v for v in components.model_dump().values() if v is not None)
            if abs(total - weights.social) > 1e-9:
                problems.append(f"{labels[category]}：社会评价各项合计 {total:g} ≠ 社会评价权重 {weights.social:g}")
    for name, split in (("共性指标常规/特色亮点", rules.common_split), ("现场考核平时/年终", rules.onsite_split)):
        if abs(sum(split.values()) - 1) > 1e-9:
            problems.append(f"{name}比例合计 {sum(split.values()):g} ≠ 1")
    return problems


def load_default_rules() -> RuleSet:
    """The default rules (scoring/data/rules-default.toml), each value cited to its article."""
    return build_rule_set(_default_params())


def load_rules_file(path: str | Path, base: RuleSet | None = None) -> RuleSet:
    """A user's rules file over the defaults (or over ``base``, e.g. a region's rules).

    Raises RulesError (a ValueError) naming the file and key for unknown keys and bad values.
    """
    params = overlay(_params_of(base) if base is not None else _default_params(), read_params(path))
    return build_rule_set(params, region=base.region if base else None, missing=list(base.missing) if base else [])


def _params_of(rules: RuleSet) -> dict[str, Param]:
    """A RuleSet back into parameters (to overlay a file on a region's rules)."""
    defaults = _default_params()
    params = {}
    for key in PARAMS:
        if "." in key:
            group, category = key.split(".")
            values = getattr(rules, group)[category].model_dump()
        elif PARAMS[key].components:
            values = dict(getattr(rules, key))
        else:
            values = {"value": getattr(rules, key)}
        citation = rules.citations.get(key, defaults[key].citation)
        params[key] = Param(key, values, citation, defaults[key].label)
    return params


def rule_value(rules: RuleSet, key: str) -> Any:
    """The value of one parameter key: a scalar, or a dict of components."""
    if "." in key:
        group, category = key.split(".")
        return getattr(rules, group)[category].model_dump()
    value = getattr(rules, key)
    return dict(value) if isinstance(value, dict) else value


def rules_for_region(db, region: str | None) -> RuleSet:
    """Defaults overlaid with the values read from the region's latest ingested 办法.

    ``missing`` lists the parameters that 办法 did not state (all of them when the region has none).
    """
    if not region:
        return load_default_rules()
    stated = _params_from_rows(latest_rule_values(db, region))
    params = overlay(_default_params(), stated)
    missing = [key for key in PARAMS if key not in stated]
    return build_rule_set(params, region=region, missing=missing)


def _params_from_rows(rows: list[StoredRuleValue]) -> dict[str, Param]:
    """The parameters one 办法 stated, cited to the document, its article and the sentence."""
    params = {}
    for row in rows:
        if row.field not in PARAMS:
            log.warning("%s：存储中的规则值属于未知参数 %s，已忽略", row.path, row.field)
            continue
        spec = PARAMS[row.field]
        values = row.value if spec.components else {"value": row.value}
        try:
            values = {k: _convert(row.path, row.field, k, v, spec) for k, v in values.items()}
        except RulesError as e:  # a stored value the current rules cannot use: keep the default, say why
            log.warning("%s", e)
            continue
        citation = Citation(
            rule_id=_default_params()[row.field].citation.rule_id,
            article=row.article,
            source=row.path,
            document_id=row.document_id,
            quote=row.quote,
        )
        params[row.field] = Param(row.field, values, citation)
    return params
