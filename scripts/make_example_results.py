"""Build examples/佳县2020年度考核结果.xlsx: the 佳县 2020 results template, filled deterministically.

    python scripts/make_example_results.py [--samples samples] [--out examples/佳县2020年度考核结果.xlsx]

Ingests the samples into a temporary store, writes the template ``kaohe template --region 佳县
--year 2020`` writes (the default selection: the 10 assessed units' own tables and the negative
list, not the 市考 breakdown), then fills it: the cases are listed in examples/README.md and in
``SPECIAL`` below. Run it again after the samples or the template
layout change; the output is the same every time (no randomness, no dates).
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]

# (unit, indicator name or text start) → the column to fill and its value: the hand-picked cases.
SPECIAL: dict[tuple[str, str], dict[str, Any]] = {
    ("坑镇", "固定资产投资招商引资"): {"completion_pct": 60, "note": "完成率恰为60%（门槛，计分）"},
    ("乌镇", "科技工作"): {"completion_pct": 59.9, "note": "完成率59.9%，低于60%不得分"},
    ("店镇", "农业农村工作"): {"completion_pct": 130, "note": "超额完成（130%）"},
    ("县林业局", "完成营造林及种草面积4万亩"): {"actual": 4.8, "note": "实际4.8万亩，完成120%"},
    ("县财政局", "争取财力性补助资金2亿元"): {"actual": 2.7, "note": "实际2.7亿元，完成135%"},
    ("螅镇", "综治维稳扫黑除恶"): {"qualitative_score": 4.5, "note": "定性评分"},
    ("店镇", "安全生产"): {"routine_pct": 90, "year_end_pct": 80, "note": "现场考核：平时90%，年终实地80%"},
}
# Targets counted in whole things: an actual of 0.78 项 makes no sense, so the actual is rounded.
_WHOLE_UNITS = {"个", "家", "项", "人", "株", "所", "座", "条", "户", "次"}
DEDUCTIONS = [  # unit, item text start, amount, city_imposed, reason
    ("螅镇", "未完成全面建成小康社会补短板工作年度任务的", None, "否", "补短板任务未完成（按条目分值扣）"),
    ("县财政局", "未完成隐性债务化解任务的", None, "是", "市考因本单位被扣分，加倍扣分"),
]
BONUS = [("县林业局", 1, "否", "获省级林业工作表彰")]
VETOES = [("通镇", "发生较大安全生产事故，安全生产工作一票否决")]
FLAGS = {"金明寺镇": "主要负责人被调整"}

_HIGHER_FACTORS = (1.0, 1.05, 0.92, 1.12, 0.85, 1.0, 0.78, 1.1, 0.96)
_PCT_CYCLE = (100, 95, 88, 102, 110, 76, 100, 92, 97)
_QUALITATIVE_SHARE = (1.0, 0.9, 0.95, 0.8, 1.0, 0.85, 0.9)
_SOCIAL_SHARE = (0.95, 0.9, 0.85, 0.8, 0.92, 0.75, 0.88, 0.82)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "佳县2020年度考核结果.xlsx")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        content, infos = build_template(args.samples, Path(tmp) / "kaohe.db", args.out)
    fill(args.out, content, infos)
    print(f"wrote {args.out}: {len(content.lines)} lines, {len(content.units)} units")


def build_template(samples: Path, db_path: Path, out: Path) -> tuple[Any, dict[int, Any]]:
    from ingest.pipeline import ingest_paths
    from scoring.rules import rules_for_region
    from scoring.template import template_rows, write_template
    from store.db import Store
    from store.scoring_queries import indicator_infos, select_frameworks

    store = Store(db_path)
    ingest_paths([samples], store)
    selection = select_frameworks(store.db, region="佳县", year=2020)  # as `kaohe template` selects
    infos = indicator_infos(store.db, selection.framework_ids)
    social_max = rules_for_region(store.db, "佳县").social_components
    content = template_rows(infos, social_max=social_max, notes=selection.notes())
    write_template(content, out)
    return content, {i.id: i for i in infos}


def fill(path: Path, content: Any, infos: dict[int, Any]) -> None:
    book = load_workbook(path)
    _fill_lines(book["指标完成情况"], content, infos)
    _fill_events(book, content)
    _fill_social(book["社会评价"], content)
    sheet = book["单位情况"]
    for row in range(2, sheet.max_row + 1):
        unit = sheet.cell(row=row, column=1).value
        if unit in FLAGS:
            sheet.cell(row=row, column=3, value=FLAGS[unit])
    book.save(path)


def _fill_lines(sheet: Any, content: Any, infos: dict[int, Any]) -> None:
    columns = {sheet.cell(row=1, column=c).value: c for c in range(1, sheet.max_column + 1)}
    for n, line in enumerate(content.lines):
        row = n + 2
        assert sheet.cell(row=row, column=columns["indicator_id"]).value == line.indicator_id
        values = _special(line, infos[line.indicator_id]) or _ordinary(n, infos[line.indicator_id])
        for key, value in values.items():
            sheet.cell(row=row, column=columns[key], value=value)


def _special(line: Any, info: Any) -> dict[str, Any] | None:
    for (unit, start), values in SPECIAL.items():
        if line.unit == unit and (info.name == start or info.text.startswith(start)):
            return values
    return None


def _ordinary(n: int, info: Any) -> dict[str, Any]:
    numeric = [t for t in info.targets if t["comparator"] != "qualitative"]
    single = len(info.targets) == 1 and numeric and not numeric[0].get("values")
    if single and numeric[0]["comparator"] in (">=", ">") and numeric[0]["value"]:
        actual = numeric[0]["value"] * _HIGHER_FACTORS[n % len(_HIGHER_FACTORS)]
        whole = numeric[0].get("unit") in _WHOLE_UNITS
        return {"actual": max(round(actual), 1) if whole else round(actual, 4)}
    if numeric:
        return {"completion_pct": _PCT_CYCLE[n % len(_PCT_CYCLE)]}
    if info.points:
        return {"qualitative_score": round(info.points * _QUALITATIVE_SHARE[n % len(_QUALITATIVE_SHARE)], 2)}
    return {"note": "原文未给分值，留待复核"}


def _fill_events(book: Any, content: Any) -> None:
    items = {item.item: item.indicator_id for item in content.deduction_items}
    sheet = book["负面清单扣分"]
    for n, (unit, start, amount, city, reason) in enumerate(DEDUCTIONS, start=2):
        item_id = next(i for text, i in items.items() if text.startswith(start))
        for col, value in enumerate((unit, item_id, amount, city, reason), start=1):
            sheet.cell(row=n, column=col, value=value)
    sheet = book["加分"]
    for n, values in enumerate(BONUS, start=2):
        for col, value in enumerate(values, start=1):
            sheet.cell(row=n, column=col, value=value)
    sheet = book["一票否决"]
    for n, (unit, reason) in enumerate(VETOES, start=2):
        sheet.cell(row=n, column=1, value=unit)
        sheet.cell(row=n, column=3, value=reason)


def _fill_social(sheet: Any, content: Any) -> None:
    categories = {u.unit: u.category for u in content.units}
    for row in range(2, sheet.max_row + 1):
        unit = sheet.cell(row=row, column=1).value
        if unit not in categories:
            continue
        top = content.social_max[categories[unit]]
        share = _SOCIAL_SHARE[row % len(_SOCIAL_SHARE)]
        for col, maximum in enumerate((top.peer, top.superior, top.representatives, top.public), start=2):
            if maximum is not None:
                sheet.cell(row=row, column=col, value=round(maximum * share, 2))


if __name__ == "__main__":
    main()
