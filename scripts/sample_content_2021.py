"""Content of the 2021 sample: 佳县's 市考 decomposition one year on (invented for the diff).

The table is the 2020 one (``sample_content.CITY_ROWS``) with ``sample_changes_2021.CHANGES``
applied: rows are expanded to one record each (merged cells resolved), edited, then written
back with vertical merges for runs of the same category and the same owner. Points are written
``（N分）`` throughout and each category's declared total is the sum of its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex
import sample_content as jia
from sample_changes_2021 import CHANGES, Change
from sample_model import PAGE_BREAK, UP, Block, Para, grid

TITLE = "佳县考核委员会办公室关于印发《2021年度目标责任考核指标》的通知"
ISSUER = jia.ISSUER
DATE = "2021年4月16日"
TABLE_TITLE = "2021年度市考核县指标任务分解"
_POINTS = regex.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")


@dataclass(frozen=True)
class Row:
    category: str
    text: str  # without points
    points: str  # "" when the row has none
    owner: str


def rows_2020() -> list[Row]:
    """The 2020 table, one record per indicator, merged cells resolved."""
    rows: list[Row] = []
    category = owner = ""
    for cat_cell, item, owner_cell in jia.CITY_ROWS[1:]:
        category = category if cat_cell == UP else cat_cell.split("\n")[0]
        owner = owner if owner_cell == UP else owner_cell
        found = _POINTS.search(item)
        text = item[: found.start()] if found else item
        rows.append(Row(category, text, found[1] if found else "", owner))
    return rows


def _same(row: Row, text: str) -> bool:
    return row.text.rstrip("。") == text.rstrip("。")


def apply_changes(rows: list[Row], changes: tuple[Change, ...] = CHANGES) -> list[Row]:
    """The 2021 records: edits in place, removals dropped, additions and moves at the end of their category."""
    out = list(rows)
    for change in changes:
        if change.kind == "added":
            assert change.after and change.category and change.owner and change.points is not None
            _append_to_category(out, Row(change.category, change.after, change.points, change.owner))
            continue
        (index,) = [i for i, row in enumerate(out) if _same(row, change.before or "")]
        if change.kind == "removed":
            del out[index]
            continue
        row = out.pop(index) if change.category else out[index]
        edited = replace(
            row,
            text=change.after or row.text,
            points=row.points if change.points is None else change.points,
            owner=change.owner or row.owner,
            category=change.category or row.category,
        )
        if change.category:
            _append_to_category(out, edited)
        else:
            out[index] = edited
    return out


def _append_to_category(rows: list[Row], row: Row) -> None:
    last = max(i for i, r in enumerate(rows) if r.category == row.category)
    rows.insert(last + 1, row)


def city_rows() -> list[tuple[str, str, str]]:
    """The 2021 grid: category and owner runs merged, declared totals summed."""
    records = apply_changes(rows_2020())
    totals: dict[str, float] = {}
    for r in records:
        totals[r.category] = totals.get(r.category, 0.0) + float(r.points or 0)
    grid_rows: list[tuple[str, str, str]] = [jia.CITY_ROWS[0]]
    previous: Row | None = None
    for r in records:
        category = UP if previous and previous.category == r.category else f"{r.category}\n（{totals[r.category]:g}分）"
        owner = UP if previous and previous.owner == r.owner else r.owner
        text = f"{r.text}（{r.points}分）" if r.points else r.text
        grid_rows.append((category, text, owner))
        previous = r
    return grid_rows


def blocks() -> list[Block]:
    return [
        Para(ISSUER, "issuer"),
        Para("佳考办发〔2021〕3号", "docno", rule_below=True),
        Para(TITLE, "title"),
        Para("各镇党委、政府，各便民服务中心，县委各部门，县级国家机关各部门，各人民团体：", "recipients"),
        Para(
            "经县考核委员会研究同意，现将2021年度市考核我县的指标任务分解印发给你们。"
            "与上年相比，部分指标的目标值、分值和责任单位有调整，请各单位对照执行。"
        ),
        Para("同一指标列有多个责任单位的，由排在首位的单位牵头，其余单位配合。"),
        Para("附件：" + TABLE_TITLE, "attachment_note"),
        Para(ISSUER, "signature"),
        Para(DATE, "date"),
        Para("（此件公开发布）", "note"),
        PAGE_BREAK,
        Para("附件", "attachment_label"),
        Para(TABLE_TITLE, "attachment_title"),
        grid(city_rows(), (28.0, 88.0, 40.0), centered_cols=(0, 2)),
        Para("抄送：县委、县人大常委会、县政府、县政协主要领导。", "imprint"),
        Para(ISSUER + "　　　　　　　　" + DATE + "印发", "imprint"),
    ]
