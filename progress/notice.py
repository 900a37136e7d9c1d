"""The 预警提示单 and the 督办单 (issue 18): one printable notice per unit whose indicators lag.

Seed 001 (宁办字〔2019〕88号 三、强化日常预警督办): the 考核办 “对欠账指标及时发出预警提示单和督办单”, and the
督查室 sees to it that “发现问题限期整改落实”. Which one a unit gets (:func:`notices_for`):

- ``supervision`` (督办单): any of its indicators is red this month, or yellow this month and yellow or red
  the month before (same ``indicator_id`` and unit in ``previous``) — a warning that went unheeded;
- ``warning`` (预警提示单): otherwise, any indicator yellow or ``missing``. A unit that only failed to report
  gets a 预警提示单 saying 未按时报送 and asking for the figures: not reporting is not, on its own, a lagging
  indicator, and seed 001 already has its own sanction for it (逾期提供…扣除其年度考核相应分值);
- no notice when every indicator is green.

A notice lists the unit's lagging rows, red first, then yellow, then 未报送 (each in the input order).

编号: ``<prefix><预警|督办>〔<year>〕<month>-<nn>``, ``nn`` counting each kind separately from 01 in the order
the units first appear in ``rows`` (the roster order the store returns), e.g. ``预警〔2020〕6-03``. With an
office prefix it is a 发文字号 and ends in 号: ``佳考办预警〔2020〕6-03号``. Numbers are given over all units,
so filter by unit (``--dept``) after :func:`notices_for`: a unit's number does not depend on the filter.

:func:`write_notice` lays out one A4 page by GB/T 9704: margins 37/35/28/26 mm (text block 156 × 225 mm),
the title in 方正小标宋简体 二号, text in 仿宋_GB2312 三号 at a fixed 28 pt line pitch (22 lines of 28
characters), the table in 仿宋 with a 黑体 header, the issuer centred over the date, the date 4 characters
from the right edge with room above for the seal. The height is estimated (``export/layout.py``) and the type
shrinks a step at a time (table 小四 → 五号; text 三号 → 四号; table 小五; text 小四) until the page holds; beyond
about 15 rows, or with very long indicator names, a second page is accepted. The body is kaohe's own
wording; it cites no document unless the office passes ``basis`` (seed 001 is 宁陕's, of 2019, and its
title survives only with a space where a line broke, so it is not quoted by default).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import regex
from pydantic import BaseModel, ConfigDict

from progress.levels import Period
from progress.status import StatusRow
from textview.table import display_width

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

log = logging.getLogger(__name__)

NoticeKind = Literal["warning", "supervision"]
TITLES: dict[str, str] = {"warning": "预警提示单", "supervision": "督办单"}
NUMBER_WORDS: dict[str, str] = {"warning": "预警", "supervision": "督办"}
HEADERS = ("序号", "指标", "目标", "报送\n完成", "应完成", "差距\n(百分点)", "预警")
_LAGGING = {"red": 0, "yellow": 1, "missing": 2}  # the order rows are listed in
_FILE_UNSAFE = regex.compile(r'[\\/:*?"<>|\s]+')
_PT_MM = 25.4 / 72
_PROGRESS_CHARS = 24  # a qualitative progress text is cut here in the 报送完成 column


class Notice(BaseModel):
    """One unit's 预警提示单 or 督办单 for one month."""

    model_config = ConfigDict(frozen=True)

    unit: str
    kind: NoticeKind
    period: Period
    number: str  # 编号, e.g. 佳考办督办〔2020〕6-01号
    rows: list[StatusRow]  # the lagging rows: red, then yellow, then missing
    repeated: list[int] = []  # indicator_ids yellow this month and yellow or red the month before

    @property
    def title(self) -> str:
        return TITLES[self.kind]


def notices_for(
    rows: Sequence[StatusRow], previous: Sequence[StatusRow] | None, period: Period, *, prefix: str = ""
) -> list[Notice]:
    """One notice per unit with lagging rows, in the order units first appear in ``rows``; ``previous``: the
    month before's rows (None: none known, so nothing is yellow twice running). See the module docstring."""
    behind = {(r.indicator_id, r.unit) for r in previous or () if r.level in ("yellow", "red")}
    units: dict[str, list[StatusRow]] = {}
    for row in rows:
        units.setdefault(row.unit, []).append(row)
    counters = dict.fromkeys(TITLES, 0)
    notices = []
    for unit, own in units.items():
        lagging = sorted((r for r in own if r.level in _LAGGING), key=lambda r: _LAGGING[r.level])
        if not lagging:
            continue
        repeated = [r.indicator_id for r in lagging if r.level == "yellow" and (r.indicator_id, unit) in behind]
        kind: NoticeKind = "supervision" if repeated or any(r.level == "red" for r in lagging) else "warning"
        counters[kind] += 1
        number = f"{prefix}{NUMBER_WORDS[kind]}〔{period.year}〕{period.month}-{counters[kind]:02d}"
        number += "号" if prefix else ""
        notices.append(Notice(unit=unit, kind=kind, period=period, number=number, rows=lagging, repeated=repeated))
    log.info("%s：%d 份预警提示单，%d 份督办单", period.label, counters["warning"], counters["supervision"])
    return notices


def chinese_date(day: date) -> str:
    """2020-07-20 → 2020年7月20日 (GB/T 9704-2012: Arabic numerals, no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def notice_file_name(notice: Notice) -> str:
    """``<编号>-<单位>-<预警提示单|督办单>.docx``, characters a file system refuses replaced by ``_``."""
    return _FILE_UNSAFE.sub("_", f"{notice.number}-{notice.unit}-{notice.title}").strip("._") + ".docx"


def write_notices(
    notices: Iterable[Notice],
    folder: Path,
    *,
    issuer: str,
    issued: date,
    reply_days: int = 10,
    basis: str | None = None,
) -> list[Path]:
    """Each notice as ``folder/<notice_file_name>`` (the folder is created); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_notice(n, folder / notice_file_name(n), issuer=issuer, issued=issued, reply_days=reply_days,
                     basis=basis)
        for n in notices
    ]  # fmt: skip


# ------------------------------------------------------------------ the words


def body_text(notice: Notice, *, issuer: str, reply: date, basis: str | None = None) -> str:
    """The notice's one paragraph; ``basis``: the office's own rule as cited (``《…》（…号）``), or none."""
    period, when = notice.period.label, chinese_date(reply)
    levels = {r.level for r in notice.rows}
    opening = f"根据{basis}有关要求，经" if basis else "经"
    opening += f"汇总分析{period}各单位考核指标完成情况，"
    missing = f"标注“未报送”的指标未按时报送{period}完成情况，请一并补报并说明原因。" if "missing" in levels else ""
    if notice.kind == "warning" and levels == {"missing"}:
        return (
            f"{opening}你单位未按时报送下列考核指标{period}完成情况，现予以预警提示。"
            f"请于{when}前补报完成情况，并书面说明未按时报送的原因。"
        )
    if notice.kind == "warning":
        return (
            f"{opening}你单位承担的下列指标完成进度落后于应完成进度，现予以预警提示。请认真分析滞后原因，"
            f"采取有力措施加快推进，确保完成全年目标任务，并于{when}前将原因分析及整改措施书面报送{issuer}。{missing}"
        )
    red, repeated = "red" in levels, bool(notice.repeated)
    how = "严重落后于应完成进度" if red else "连续两个月落后于应完成进度"
    how = "严重落后于应完成进度或连续两个月落后" if red and repeated else how
    return (
        f"{opening}你单位承担的下列指标完成进度{how}，现予以督办。请高度重视，认真查找原因，明确责任领导和责任人，"
        f"限期整改，并于{when}前将整改措施及进展情况书面报送{issuer}。整改落实情况将纳入你单位"
        f"{notice.period.year}年度目标责任考核。{missing}"
    )


def table_cells(notice: Notice) -> list[list[str]]:
    """The table's rows under :data:`HEADERS`: percentages, the gap in points, the level in words."""
    cells = []
    for number, row in enumerate(notice.rows, start=1):
        done = _number(row.completion_pct, "%")
        if row.level != "missing" and row.completion_pct is None:
            done = _cut(row.progress or "") or "—"
        gap = None
        if row.completion_pct is not None and row.expected_pct is not None:
            gap = row.expected_pct - row.completion_pct
        label = {"red": "红色", "yellow": "黄色", "missing": "未报送"}[row.level]
        label += "（连续两月）" if row.indicator_id in notice.repeated and row.level == "yellow" else ""
        cells.append([str(number), row.indicator, row.target, done, _number(row.expected_pct, "%"),
                      _number(gap), label])  # fmt: skip
    return cells


def _number(value: float | None, suffix: str = "") -> str:
    """62.07 → '62.1', 50 → '50'; None → '—'."""
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".") + suffix


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _PROGRESS_CHARS else text[: _PROGRESS_CHARS - 1] + "…"


# ------------------------------------------------------------------ the page


@dataclass(frozen=True)
class _Sizes:
    body: float  # pt: 编号, 致, the body, 回复时限, the signature
    pitch: float  # pt between the body's lines (fixed)
    table: float  # pt

    @property
    def pair(self) -> tuple[float, float]:
        return self.body, self.table

    @property
    def cell_pitch(self) -> float:
        return round(self.table * 1.3, 1)  # = export.layout.docx_line_mm, so the estimate holds


# 三号 at GB/T 9704's 28 pt pitch with the table in 小四; then smaller, a step at a time, down to 小四 and 小五.
_STEPS = (_Sizes(16, 28, 12), _Sizes(16, 28, 10.5), _Sizes(14, 24, 10.5), _Sizes(14, 22, 9), _Sizes(12, 20, 9))
_TITLE_SIZE, _TITLE_PITCH = 22, 36  # 二号
_SEAL_LINES = 2  # empty lines above the signature: the seal is pressed over the signature and the date
_ROOM = 0.97  # share of the text block's height the estimate may fill


@dataclass(frozen=True)
class _Page:
    body: str
    reply_line: str
    issuer: str
    issued: str
    cells: list[list[str]]


def write_notice(
    notice: Notice,
    path: Path,
    *,
    issuer: str,
    issued: date,
    reply_days: int = 10,
    basis: str | None = None,
) -> Path:
    """Write the notice as a one-page A4 .docx (see the module docstring; over ~15 rows it may take two):
    title, 编号, 致：<unit>, the body, the table, 回复时限 (``issued`` + ``reply_days`` calendar days), the
    issuer and ``issued`` at the bottom right under room for the seal. The reply date is not moved off a
    weekend or holiday. ``basis``: see :func:`body_text`. Returns ``path``."""
    from docx import Document as new_document

    from export.docx import _font_fallbacks, _page_setup
    from export.layout import docx_page

    reply = issued + timedelta(days=reply_days)
    page = _Page(
        body=body_text(notice, issuer=issuer, reply=reply, basis=basis),
        reply_line=f"回复时限：{chinese_date(reply)}前",
        issuer=issuer,
        issued=chinese_date(issued),
        cells=table_cells(notice),
    )
    layout = docx_page(0)  # portrait, GB/T 9704 margins
    sizes, widths = _fit(page, layout.text_width, layout.text_height)
    document = new_document()
    _page_setup(document, layout)
    _font_fallbacks(document)
    document.core_properties.title = f"{notice.unit}{notice.title}（{notice.number}）"
    _head(document, notice, page, sizes)
    _table(document, page.cells, widths, sizes)
    _tail(document, page, sizes)
    document.save(str(path))
    log.info("%s：%s，%d 项，正文 %g 磅，表格 %g 磅", path.name, notice.title, len(notice.rows), *sizes.pair)
    return path


def _widths(cells: list[list[str]], size: float, text_width: float) -> list[float]:
    """Widths (mm): a short column as wide as its header's longest line and its numbers (a number never
    wraps; 报送完成 holding a progress text gets 6 characters and wraps), the rest split between 指标 and 目标
    where the estimate gives the fewest lines (ties: the more even split)."""
    from export.layout import docx_lines

    widths = [0.0] * len(HEADERS)
    for index in (0, 3, 4, 5, 6):
        words = HEADERS[index].split("\n") + [row[index] for row in cells if display_width(row[index]) <= 8]
        widths[index] = max(_width_mm(w, size) for w in words)
    if any(display_width(row[3]) > 8 for row in cells):
        widths[3] = max(widths[3], _width_mm("进展情况滞后", size))
    free = text_width - sum(widths)

    def lines(first: float) -> tuple[int, float]:
        count = sum(max(docx_lines(r[1], first, size), docx_lines(r[2], free - first, size)) for r in cells)
        return count, abs(first - free / 2)

    widths[1] = min((free * share / 40 for share in range(8, 33)), key=lines)  # 20 % … 80 % of the room
    widths[2] = free - widths[1]
    return widths


def _width_mm(text: str, size: float) -> float:
    """The width a cell needs to hold ``text`` on one line: a Chinese character is 1 em, a digit half."""
    return display_width(text) / 2 * size * _PT_MM + 2 * 1.9 + 1.0  # + Word's cell margins, a little slack


def _fit(page: _Page, text_width: float, text_height: float) -> tuple[_Sizes, list[float]]:
    """The first step of :data:`_STEPS` whose estimated height fits the text block (else the last)."""
    from export.layout import docx_row_mm

    for sizes in _STEPS:
        widths = _widths(page.cells, sizes.table, text_width)
        per_line = math.floor(text_width / (sizes.body * _PT_MM))  # characters a line holds
        body_lines = math.ceil((display_width(page.body) / 2 + 2) / per_line)  # + the 2-character indent
        # 编号, half a line, 致, the body, half a line; half a line, 回复时限, the seal's room, issuer and date
        fixed = _TITLE_PITCH + sizes.pitch * (3 + body_lines + 1.5 + _SEAL_LINES + 2)  # pt
        minimum = sizes.table * 0.6  # mm, a row of one line
        rows = [docx_row_mm(list(HEADERS), widths, sizes.table, minimum)]
        rows += [docx_row_mm(row, widths, sizes.table, minimum) for row in page.cells]
        height = fixed * _PT_MM + sum(rows)
        log.debug("正文 %g 磅、表格 %g 磅：估计高 %.0f mm，版心 %.0f mm", sizes.body, sizes.table, height, text_height)
        if height <= text_height * _ROOM:
            return sizes, widths
    log.info("%d 项指标，一页排不下，接受第二页", len(page.cells))
    return sizes, widths


def _line(document: Document, text: str, font: str, size: float, pitch: float, **kwargs: Any) -> Paragraph:
    """A paragraph at a fixed line pitch (GB/T 9704's grid), no space before or after."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    from export.docx import _paragraph

    paragraph = _paragraph(document, text, font, size, **kwargs)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(pitch)
    return paragraph


def _head(document: Document, notice: Notice, page: _Page, sizes: _Sizes) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from export.docx import FANGSONG, XIAOBIAOSONG

    center = WD_ALIGN_PARAGRAPH.CENTER
    _line(document, notice.title, XIAOBIAOSONG, _TITLE_SIZE, _TITLE_PITCH, align=center)
    number = _line(document, f"编号：{notice.number}", FANGSONG, sizes.body, sizes.pitch, align=center)
    number.paragraph_format.space_after = Pt(sizes.pitch / 2)
    _line(document, f"致：{notice.unit}", FANGSONG, sizes.body, sizes.pitch)
    body = _line(document, page.body, FANGSONG, sizes.body, sizes.pitch, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    body.paragraph_format.first_line_indent = Pt(sizes.body * 2)
    body.paragraph_format.space_after = Pt(sizes.pitch / 2)


def _table(document: Document, cells: list[list[str]], widths: list[float], sizes: _Sizes) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    from export.docx import FANGSONG, HEITI, _paragraph, _row_flag, boxed_table

    table = boxed_table(document, 1 + len(cells), widths)
    for number, (row, texts) in enumerate(zip(table.rows, [list(HEADERS), *cells], strict=True)):
        _row_flag(row, "w:tblHeader" if number == 0 else "w:cantSplit")
        row.height, row.height_rule = Mm(sizes.table * 0.6), WD_ROW_HEIGHT_RULE.AT_LEAST
        for index, (cell, width, text) in enumerate(zip(row.cells, widths, texts, strict=True)):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            left = (number > 0 and index in (1, 2)) or (index == 3 and display_width(text) > 8)
            align = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
            font = HEITI if number == 0 else FANGSONG
            paragraph = _paragraph(cell, text, font, sizes.table, align, paragraph=cell.paragraphs[0])
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            paragraph.paragraph_format.line_spacing = Pt(sizes.cell_pitch)


def _tail(document: Document, page: _Page, sizes: _Sizes) -> None:
    """回复时限, then the issuer centred over the date, the date 4 characters from the right edge (GB/T 9704;
    an issuer longer than the date: the issuer 2 characters from the edge, the date centred under it)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from export.docx import FANGSONG

    reply = _line(document, page.reply_line, FANGSONG, sizes.body, sizes.pitch)
    reply.paragraph_format.space_before = Pt(sizes.pitch / 2)
    reply.paragraph_format.first_line_indent = Pt(sizes.body * 2)
    issuer_em, date_em = display_width(page.issuer) / 2, display_width(page.issued) / 2
    if issuer_em <= date_em:
        date_right, issuer_right = 4.0, 4.0 + (date_em - issuer_em) / 2
    else:
        issuer_right, date_right = 2.0, 2.0 + (issuer_em - date_em) / 2
    for number, (text, right) in enumerate(((page.issuer, issuer_right), (page.issued, date_right))):
        line = _line(document, text, FANGSONG, sizes.body, sizes.pitch, align=WD_ALIGN_PARAGRAPH.RIGHT)
        line.paragraph_format.right_indent = Pt(sizes.body * right)
        if number == 0:
            line.paragraph_format.space_before = Pt(sizes.pitch * _SEAL_LINES)
