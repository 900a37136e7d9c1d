"""Varied copies of the sample notices, for benchmark corpora.

A variant takes the blocks of a sample (``scripts/sample_content*.py``) and
changes what differs between real notices of the genre: the county and its
one-character short form (``佳县`` / ``佳考办发`` / ``驻佳``), the year, the
document number, township names, the quantities in target texts (scaled;
points ``（2分）`` and years are left alone so every framework still adds up)
and the order of rows: category blocks are shuffled, and rows inside a block
too when the table has no second level of categories. Merged cells are
rebuilt afterwards: a column that had vertical merges merges equal neighbours
again, the way an author fills a table in Word. Everything comes from one
``random.Random`` so a seed gives the same files on every run.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # the sample writers import each other as top-level modules

import regex  # noqa: E402
import sample_content as jia  # noqa: E402
import sample_content_zhashui as zhashui  # noqa: E402
from sample_model import LEFT, UP, Block, Grid, Para, grid  # noqa: E402

from parsers.document import Table  # noqa: E402

# Counties of 陕西 with the short form their offices use in document numbers (佳考办发, 柞考办发).
COUNTIES = (
    ("米脂县", "米"), ("府谷县", "府"), ("靖边县", "靖"), ("定边县", "定"), ("绥德县", "绥"), ("吴堡县", "吴"),
    ("清涧县", "清"), ("子洲县", "子"), ("镇安县", "镇"), ("山阳县", "山"), ("商南县", "商"), ("丹凤县", "丹"),
    ("洛南县", "洛"), ("宁陕县", "宁"), ("石泉县", "石"), ("汉阴县", "汉"), ("紫阳县", "紫"), ("岚皋县", "岚"),
    ("平利县", "平"), ("旬阳县", "旬"), ("白河县", "白"), ("宜君县", "宜"), ("黄龙县", "黄"), ("延川县", "延"),
)  # fmt: skip
TOWNS = ("金明镇", "高家堡镇", "店头镇", "桃园镇", "双河镇", "石门镇", "龙泉镇", "新街镇", "清水镇", "马坊镇")
YEARS = tuple(range(2018, 2026))

# A quantity in a target: a number followed by a unit that is not 分 (points), 年/月/日 (dates) or 号.
_QUANTITY = regex.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)(?=(?:万元|亿元|万亩|亩|家|个|人次|人|吨|万株|株|万只|只|头|场次|名|天|条|km²|%))"
)


@dataclass(frozen=True)
class Variant:
    """What one generated notice changes against its sample."""

    county: str
    short: str
    year: int
    number: int
    towns: tuple[str, str]
    scale: float
    seed: int


def random_variant(rng: random.Random, number: int) -> Variant:
    county, short = rng.choice(COUNTIES)
    towns = rng.sample(TOWNS, 2)
    return Variant(county, short, rng.choice(YEARS), number, (towns[0], towns[1]), rng.uniform(0.6, 1.6), rng.random())


def scale_quantities(text: str, scale: float) -> str:
    """Multiply the quantities of a target text; integers stay integers, percentages stay below 100."""

    def scaled(match: regex.Match[str]) -> str:
        raw = match.group(1)
        value = float(raw) * scale
        if text[match.end() : match.end() + 1] == "%" and float(raw) < 100:
            return f"{min(value, 99.5):.1f}".rstrip("0").rstrip(".")
        return str(max(1, round(value))) if "." not in raw else f"{value:.1f}"

    return _QUANTITY.sub(scaled, text)


def _shift_years(text: str, years: dict[str, int]) -> str:
    """Replace the sample's years in one pass (so 2020→2019 is not shifted again by 2019→2018)."""
    return regex.sub("|".join(years), lambda m: str(years[m.group(0)]), text)


def _jia_text(text: str, v: Variant) -> str:
    text = text.replace("佳考办发〔2020〕5号", f"{v.short}考办发〔{v.year}〕{v.number}号")
    for old, new in (("佳县", v.county), ("佳考办", f"{v.short}考办"), ("驻佳", f"驻{v.short}")):
        text = text.replace(old, new)
    text = text.replace("螅镇", v.towns[0]).replace("坑镇", v.towns[1])
    text = _shift_years(text, {"2020": v.year, "2019": v.year - 1})
    return scale_quantities(text, v.scale)


def _zhashui_text(text: str, v: Variant) -> str:
    text = text.replace("柞考办发〔2022〕2号", f"{v.short}考办发〔{v.year}〕{v.number}号")
    text = text.replace("柞水县", v.county).replace("柞", v.short)
    text = _shift_years(text, {"2022": v.year, "2021": v.year - 1})
    return scale_quantities(text, v.scale)


SAMPLES = {
    "jia": (jia.blocks, _jia_text),
    "zhashui": (zhashui.notice_blocks, _zhashui_text),
    "rules": (zhashui.rules_blocks, _zhashui_text),
}


def variant_blocks(kind: str, v: Variant) -> list[Block]:
    """The blocks of sample ``kind`` (jia, zhashui, rules) changed as ``v`` says."""
    make_blocks, change = SAMPLES[kind]
    rng = random.Random(v.seed)
    out: list[Block] = []
    for block in make_blocks():
        if isinstance(block, Para):
            out.append(replace(block, text=change(block.text, v)))
        elif isinstance(block, Grid):
            out.append(vary_grid(block, lambda t: change(t, v), rng))
        else:
            out.append(block)
    return out


def title_of(blocks: list[Block]) -> str:
    return next(b.text for b in blocks if isinstance(b, Para) and b.role == "title")


# -- tables ------------------------------------------------------------------


def marker_rows(table: Table) -> list[list[str]]:
    """The table as rows of texts with ``UP``/``LEFT`` markers (the inverse of ``sample_model.grid``)."""
    rows = [[""] * table.n_cols for _ in range(table.n_rows)]
    for cells in table.rows:
        for cell in cells:
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    rows[cell.row + dr][cell.col + dc] = LEFT if dc else UP if dr else cell.text
    return rows


def vary_grid(spec: Grid, change, rng: random.Random) -> Grid:  # type: ignore[no-untyped-def]
    """Texts changed by ``change``, body rows shuffled, vertical merges rebuilt."""
    rows = [[t if t in (UP, LEFT) else change(t) for t in row] for row in marker_rows(spec.table)]
    head, body = rows[: spec.header_rows], rows[spec.header_rows :]
    if _shuffle_safe(spec.table, spec.header_rows):
        body = _shuffled_body(body, rng)
    return grid(
        [tuple(r) for r in head + body],
        spec.widths_mm,
        header_rows=spec.header_rows,
        txt_repeat_header_before=spec.txt_repeat_header_before,
        centered_cols=spec.centered_cols,
    )


def _shuffle_safe(table: Table, header_rows: int) -> bool:
    """No body cell spans both ways (its rows cannot be separated safely)."""
    return all(c.rowspan == 1 or c.colspan == 1 for r in table.rows[header_rows:] for c in r)


def _shuffled_body(body: list[list[str]], rng: random.Random) -> list[list[str]]:
    merge_cols = {c for row in body for c, t in enumerate(row) if t == UP}
    filled = [row[:] for row in body]
    for r, row in enumerate(filled):
        for c, text in enumerate(row):
            if text == UP and r:
                row[c] = filled[r - 1][c]
    groups: list[list[list[str]]] = []
    for original, row in zip(body, filled, strict=True):
        if original[0] != UP or not groups:
            groups.append([])
        groups[-1].append(row)
    totals = [g for g in groups if g[0][0].startswith("合计")]
    movable = [g for g in groups if not g[0][0].startswith("合计")]
    rng.shuffle(movable)
    if 1 not in merge_cols:  # no second category level: rows may move inside their block
        for group in movable:
            rng.shuffle(group)
    out = [row for group in movable + totals for row in group]
    for r in range(len(out) - 1, 0, -1):
        above, row = out[r - 1], out[r]
        if LEFT in above or LEFT in row:
            continue
        for c in merge_cols:
            if row[c] and row[c] == above[c]:
                row[c] = UP
    return out
