"""一季一通报 (issue 18, part 4): the quarterly 通报 as .docx, with a bar chart of each unit's progress.

The 通报 (A4 portrait, GB/T 9704 margins, 仿宋 三号 on a 28 pt pitch): title, 各有关单位：, a body stated from
the figures only (our wording; it cites no document), 表1 the ranking (``progress.reports.rank_units``, with
``较X月`` when an earlier month of the quarter has data), 图1 a horizontal bar chart drawn with Pillow, 工作要求,
issuer and date, then 附件 滞后指标清单 on landscape pages. The chart names each bar by its unit in a CJK font
(:func:`cjk_font`); without one it numbers the bars by rank and logs why. The module loads python-docx and
Pillow: import it where a 通报 is written.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw, ImageFont

from export.docx import (
    FANGSONG,
    HEITI,
    XIAOBIAOSONG,
    _font_fallbacks,
    _footer,
    _paragraph,
    _row_flag,
    boxed_table,
)
from export.layout import DocxPage, docx_page, docx_widths, footer_line
from progress.levels import Period, level_label
from progress.reports import (
    COLOURS,
    COUNT_HEADERS,
    INDEX_NOTE,
    PACE_CAP,
    Quarter,
    UnitStanding,
    category_counts,
    distinct,
    lagging_rows,
    percent,
    rank_units,
)
from progress.status import StatusRow
from textview.table import display_width

log = logging.getLogger(__name__)
_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_BODY, _PITCH, _TITLE, _TITLE_PITCH, _TABLE = 16, 28, 22, 36, 10.5  # pt: 三号 on GB/T 9704's grid, 二号, 五号
_RANK_MM = {"名次": 12.5, "指标数": 16, "绿色": 12.5, "黄色": 12.5, "红色": 12.5, "未报送": 16, "进度\n指数": 16}
_LAG_HEADERS = ("序号", "单位", "考核指标", "目标值", "完成值", "完成率", "应完成", "预警", "原因")
_LAG_WEIGHTS = (12, 30, 62, 40, 18, 17, 17, 14, 50)
_KNOWN_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Debian, Ubuntu: index 2 is SC
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Arch
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Fedora
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
)


# ------------------------------------------------------------------ the chart (Pillow)


def progress_chart(standings: Sequence[UnitStanding], *, width: int = 1600) -> tuple[bytes, bool]:
    """A horizontal bar chart of each unit's 进度指数, rank 1 on top, a line at 100, as PNG bytes; and True when
    the bars are named by unit (a CJK font was found), False when they are numbered by rank."""
    scale = width / 800
    found = cjk_font()
    font, small = _font(found, round(20 * scale)), _font(found, round(17 * scale))  # 150 mm wide: 五号 and 小五
    labels = [s.unit for s in standings] if found else [str(s.rank) for s in standings]
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    widest = width * 0.32
    labels = [_fit_label(measure, label, font, widest) for label in labels]
    left = max((_size(measure, label, font)[0] for label in labels), default=0) + 24 * scale
    right, top, row_height = width - 80 * scale, 12 * scale, 36 * scale
    bottom = top + row_height * max(len(standings), 1)
    image = Image.new("RGB", (width, round(bottom + 44 * scale)), "white")
    draw = ImageDraw.Draw(image)

    def x(value: float) -> float:
        return left + (right - left) * value / PACE_CAP

    for value in range(0, int(PACE_CAP) + 1, 20):
        colour = (112, 112, 112) if value == 100 else (217, 217, 217)
        draw.line([(x(value), top), (x(value), bottom)], fill=colour, width=round(scale * (2 if value == 100 else 1)))
        _text(draw, (x(value), bottom + 6 * scale), str(value), small, "top")
    for index, (standing, label) in enumerate(zip(standings, labels, strict=True)):
        middle = top + row_height * (index + 0.5)
        bar = (x(0), middle - 12 * scale, max(x(standing.progress), x(0) + 1), middle + 12 * scale)
        draw.rectangle(bar, fill=(68, 114, 196))
        _text(draw, (left - 10 * scale, middle), label, font, "right")
        _text(draw, (bar[2] + 6 * scale, middle), f"{standing.progress:.1f}", small, "left")
    draw.line([(x(0), top), (x(0), bottom)], fill=(64, 64, 64), width=round(scale))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    return buffer.getvalue(), found is not None


def _font(found: tuple[str, int] | None, size: int) -> _Font:
    if found is not None:
        return ImageFont.truetype(found[0], size, index=found[1])
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: one small bitmap font
        return ImageFont.load_default()


def _size(draw: ImageDraw.ImageDraw, text: str, font: _Font) -> tuple[float, float]:
    box = draw.textbbox((0, 0), text, font=font)
    return box[2] - box[0], box[3] - box[1]


def _fit_label(draw: ImageDraw.ImageDraw, label: str, font: _Font, widest: float) -> str:
    """``label``, cut and ended in … when wider than ``widest`` pixels."""
    cut = label
    while len(cut) > 1 and _size(draw, cut if cut == label else cut + "…", font)[0] > widest:
        cut = cut[:-1]
    return cut if cut == label else cut + "…"


def _text(
    draw: ImageDraw.ImageDraw,
    at: tuple[float, float],
    text: str,
    font: _Font,
    side: str,
) -> None:
    """``text`` right of (``left``), left of (``right``) or under (``top``) the point ``at``, centred on it across."""
    box = draw.textbbox((0, 0), text, font=font)
    width, height = box[2] - box[0], box[3] - box[1]
    x = {"left": at[0], "right": at[0] - width, "top": at[0] - width / 2}[side]
    y = at[1] if side == "top" else at[1] - height / 2
    draw.text((x - box[0], y - box[1]), text, font=font, fill=(0, 0, 0))


@cache
def cjk_font() -> tuple[str, int] | None:
    """A font file (and its index in a collection) that draws Chinese: ``$KAOHE_CJK_FONT``, fontconfig's match for
    Noto Sans CJK SC or any Chinese font, then the usual paths; None (logged) when there is none."""
    for path, index in _font_candidates():
        if _draws_chinese(path, index):
            log.debug("进度图字体：%s（%d）", path, index)
            return path, index
    log.warning(
        "未找到中文字体（可安装 fonts-noto-cjk，或用环境变量 KAOHE_CJK_FONT 指定字体文件）：进度图以名次代替单位名称"
    )
    return None


def _font_candidates() -> Iterator[tuple[str, int]]:
    if os.environ.get("KAOHE_CJK_FONT"):
        yield os.environ["KAOHE_CJK_FONT"], 0
    fc_match = shutil.which("fc-match")
    for pattern in ("Noto Sans CJK SC:lang=zh-cn", ":lang=zh-cn"):
        found = _fc_match(fc_match, pattern) if fc_match else None
        if found is not None:
            yield found
    yield from _KNOWN_FONTS


def _fc_match(command: str, pattern: str) -> tuple[str, int] | None:
    """The file and index fontconfig picks for ``pattern`` (some font, whatever its script)."""
    try:
        done = subprocess.run([command, "-f", "%{file}\t%{index}", pattern],
                              capture_output=True, text=True, timeout=10, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = done.stdout.partition("\t")
    return (path, int(index) if index.isdigit() else 0) if path else None


def _draws_chinese(path: str, index: int) -> bool:
    """Whether the font at ``path`` has a glyph for 国 (fontconfig matches *some* font even without a CJK one)."""
    if not Path(path).is_file():
        return False
    try:
        font = ImageFont.truetype(path, 32, index=index)
    except OSError:
        return False

    def glyph(text: str) -> bytes:
        image = Image.new("L", (48, 48))
        ImageDraw.Draw(image).text((4, 4), text, font=font, fill=255)
        return image.tobytes()

    shape = glyph("国")
    return any(shape) and shape != glyph("\U000f0000")  # a private-use code point: the font's missing glyph


# ------------------------------------------------------------------ 一季一通报 (.docx)


def write_bulletin(
    rows_by_month: Sequence[tuple[Period, Sequence[StatusRow]]],
    quarter: str,
    path: Path,
    *,
    issuer: str,
    title: str,
    sources: Sequence[str] = (),
    issued: date | None = None,
) -> Path:
    """The quarter's 通报 (see the module docstring): ranked at the last month with data, compared with the month
    before it. ``issued``: the date under the issuer (today). Returns ``path``."""
    which = Quarter.parse(quarter)
    months = _months(rows_by_month, which)
    period, rows = months[-1]
    standings = rank_units(rows)
    before = months[-2] if len(months) > 1 else None
    trend = _trend(standings, rank_units(before[1])) if before else {}
    lagging = lagging_rows(rows)
    page = docx_page(0)  # portrait, GB/T 9704's margins
    document = new_document()
    _section_setup(document.sections[0], page)
    _font_fallbacks(document)
    document.core_properties.title = title
    _line(document, title, XIAOBIAOSONG, _TITLE, _TITLE_PITCH, align=WD_ALIGN_PARAGRAPH.CENTER)
    _line(document, "", FANGSONG, _BODY, _PITCH)
    _line(document, "各有关单位：", FANGSONG, _BODY, _PITCH)
    _body(document, _opening(which, [p for p, _ in months]))
    _heading(document, "一、总体情况")
    _body(document, _overview(rows, standings, period))
    _heading(document, "二、各单位进展排名")
    _body(document, _ranking_text(standings, before[0] if before else None, trend))
    _ranking_table(document, standings, trend, before[0] if before else None, period, page)
    _chart(document, standings, period, page)
    _heading(document, "三、工作要求")
    last = [_body(document, text) for text in _requests(standings, period)][-1]
    if lagging:
        last.paragraph_format.keep_with_next = True
        last = _body(document, "附件：滞后指标清单")
        last.paragraph_format.space_before = Pt(_PITCH)
    last.paragraph_format.keep_with_next = True  # the signature never stands alone on a page (GB/T 9704)
    _signature(document, issuer, _chinese_date(issued or date.today()))
    if lagging:
        _attachment(document, lagging, period)
    _footer(document, footer_line(sources))
    document.save(str(path))
    log.info("%s：%s，%d 个单位，%d 项滞后", path.name, period.label, len(standings), len(lagging))
    return path


def _months(
    rows_by_month: Sequence[tuple[Period, Sequence[StatusRow]]], quarter: Quarter
) -> list[tuple[Period, list[StatusRow]]]:
    """The months with rows, in order, checked to lie in ``quarter``."""
    months = sorted(((p, distinct(r)) for p, r in rows_by_month if r), key=lambda m: (m[0].year, m[0].month))
    for period, _ in months:
        if period not in quarter.months:
            raise ValueError(f"{period.label}不属于{quarter.label}")
    if len({p for p, _ in months}) < len(months):
        raise ValueError(f"{quarter.label}有月份的进展数据重复")
    if not months:
        raise ValueError(f"{quarter.label}没有任何指标进展数据，无法生成通报")
    return months


def _trend(now: list[UnitStanding], before: list[UnitStanding]) -> dict[str, str]:
    """Each unit's change of 进度指数: ``↑3.2``, ``↓1.5``, ``持平``, or ``—`` (not in the month before)."""
    earlier = {s.unit: s.progress for s in before}
    out = {}
    for standing in now:
        change = round(standing.progress - earlier[standing.unit], 1) if standing.unit in earlier else None
        if change is None:
            out[standing.unit] = "—"
        else:
            out[standing.unit] = f"↑{change:.1f}" if change > 0 else f"↓{-change:.1f}" if change < 0 else "持平"
    return out


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _names(units: Sequence[str], limit: int = 8) -> str:
    """``甲、乙、丙``; a long list ``甲、乙…等12个单位``."""
    if len(units) <= limit:
        return "、".join(units)
    return "、".join(units[:limit]) + f"等{len(units)}个单位"


# -- the words (kaohe's own; every figure from the rows)


def _opening(quarter: Quarter, periods: list[Period]) -> str:
    months = "、".join(f"{p.month}月" for p in periods)
    return (
        f"根据各单位报送的{months}工作进展，对{quarter.year}年度目标责任考核指标推进情况进行了汇总分析。"
        f"现将{quarter.label}进展情况通报如下。"
    )


def _overview(rows: list[StatusRow], standings: list[UnitStanding], period: Period) -> str:
    count = {level: sum(r.level == level for r in rows) for level in COUNT_HEADERS}
    share = percent(count["green"] / len(rows) * 100)
    text = (
        f"截至{period.month}月底，{len(standings)}个单位共承担考核指标{len({r.indicator_id for r in rows})}项，"
        f"按责任单位计{len(rows)}项。其中，进度正常（绿色）{count['green']}项，占{share}；进度滞后（黄色）"
        f"{count['yellow']}项；严重滞后（红色）{count['red']}项；未按时报送{count['missing']}项。"
    )
    unclear = sum(r.level == "yellow" and "无法判断" in r.reason for r in rows)
    if unclear:
        text += f"黄色指标中有{unclear}项因报送内容不足以判断进度，需核对。"
    behind = [(c.category, c.yellow + c.red) for c in category_counts(rows) if c.yellow + c.red]
    behind.sort(key=lambda item: -item[1])
    if behind:
        text += f"黄色、红色指标主要分布在{'、'.join(f'{name}（{n}项）' for name, n in behind[:3])}等类别。"
    silent = [s.unit for s in standings if not s.reported]
    partial = [s.unit for s in standings if s.reported and s.missing]
    late = list(dict.fromkeys(r.unit for r in rows if r.reported_at is not None and not r.on_time))
    if silent:
        text += f"{_names(silent)}未报送{period.month}月工作进展。"
    if partial:
        text += f"{_names(partial)}有部分指标未报送。"
    if late:
        text += f"{_names(late)}逾期报送。"
    if not (silent or partial or late):
        text += "各单位均按时报送了工作进展。"
    return text


def _ranking_text(standings: list[UnitStanding], before: Period | None, trend: dict[str, str]) -> str:
    def listed(chosen: list[UnitStanding]) -> str:
        return "、".join(f"{s.unit}（{s.progress:.1f}）" for s in chosen)

    text = "按进度指数由高到低排序（计算方法见表1注），"
    count = min(3, len(standings) // 2)
    if count == 0:
        text += f"{listed(standings)}。"
    else:
        top = [s for s in standings if s.rank <= standings[count - 1].rank]
        bottom = [s for s in standings if s.rank >= standings[-count].rank and s not in top]
        text += f"排名靠前的是{listed(top)}"
        text += f"，排名靠后的是{listed(bottom)}。" if bottom else "。"
    if before is not None:
        moves = [trend[s.unit][0] for s in standings]
        text += (
            f"与{before.month}月相比，进度指数上升的单位{moves.count('↑')}个，下降的{moves.count('↓')}个，"
            f"持平的{moves.count('持')}个。"
        )
    return text + "各单位排名见表1，进度指数见图1。"


def _requests(standings: list[UnitStanding], period: Period) -> list[str]:
    behind = [s.unit for s in standings if s.red or s.yellow]
    silent = [s.unit for s in standings if s.missing]
    requests = []
    if behind:
        requests.append(
            f"请{_names(behind)}认真分析指标进度滞后的原因，逐项制定赶进度措施，加快推进，确保全年目标任务如期完成。"
        )
    if silent:
        requests.append(f"请{_names(silent)}在下月报送时一并补报{period.month}月未报送指标的工作进展。")
    requests.append("各单位要对照年度目标任务，按时如实报送月度工作进展，准确填写完成值和完成率。")
    return requests


# -- the page


def _section_setup(section: DocxSection, page: DocxPage) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width), Mm(page.height)
    section.top_margin, section.bottom_margin = Mm(page.top), Mm(page.bottom)
    section.left_margin, section.right_margin = Mm(page.left), Mm(page.right)
    section.footer_distance = Mm(page.footer)


def _line(document: Document, text: str, font: str, size: float, pitch: float, **kwargs: Any) -> Paragraph:
    """A paragraph at a fixed line pitch, no space before or after."""
    paragraph = _paragraph(document, text, font, size, **kwargs)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(pitch)
    return paragraph


def _body(document: Document, text: str) -> Paragraph:
    paragraph = _line(document, text, FANGSONG, _BODY, _PITCH, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Pt(_BODY * 2)
    return paragraph


def _heading(document: Document, text: str) -> None:
    paragraph = _line(document, text, HEITI, _BODY, _PITCH)
    paragraph.paragraph_format.first_line_indent = Pt(_BODY * 2)
    paragraph.paragraph_format.keep_with_next = True


def _caption(document: Document, text: str, *, before: bool) -> None:
    paragraph = _line(document, text, HEITI, 12, 20, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.keep_with_next = before
    paragraph.paragraph_format.space_before = Pt(6 if before else 0)
    paragraph.paragraph_format.space_after = Pt(0 if before else 6)


def _ranking_table(
    document: Document,
    standings: list[UnitStanding],
    trend: dict[str, str],
    before: Period | None,
    period: Period,
    page: DocxPage,
) -> None:
    headers = [
        "名次",
        "单位",
        "指标数",
        *COUNT_HEADERS.values(),
        "进度\n指数",
        *([f"较{before.month}月"] if before else []),
    ]
    cells = [[str(s.rank), s.unit, str(s.indicators), *(str(s.count(lv)) for lv in COUNT_HEADERS),
              f"{s.progress:.1f}", *([trend[s.unit]] if before else [])] for s in standings]  # fmt: skip
    fixed = {**_RANK_MM, **({headers[-1]: 16.0} if before else {})}
    widths = [fixed.get(h, 0.0) for h in headers]
    widths[1] = page.text_width - sum(widths)
    _caption(document, f"表1 各单位进展排名（截至{period.label}）", before=True)
    header_fills = {headers.index(name): COLOURS[level] for level, name in COUNT_HEADERS.items()}
    _table(document, headers, cells, widths, left={1}, header_fills=header_fills)
    note = _line(document, f"注：{INDEX_NOTE}", FANGSONG, _TABLE, 16)
    note.paragraph_format.space_before = Pt(3)


def _chart(document: Document, standings: list[UnitStanding], period: Period, page: DocxPage) -> None:
    picture, named = progress_chart(standings)
    with Image.open(io.BytesIO(picture)) as image:
        ratio = image.height / image.width
    width = min(150.0, page.text_width)
    width = min(width, 190.0 / ratio)  # a long list of units: no taller than most of a page
    document.add_picture(io.BytesIO(picture), width=Mm(width), height=Mm(width * ratio))
    holder = document.paragraphs[-1]
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.keep_with_next = True
    holder.paragraph_format.space_before = Pt(12)
    caption = f"图1 各单位进度指数（截至{period.label}，竖线为序时进度100"
    _caption(document, caption + ("）" if named else "；条形旁数字为表1名次）"), before=False)


def _signature(document: Document, issuer: str, issued: str) -> None:
    """The issuer centred over the date, the date 4 characters from the right edge (GB/T 9704), room for a seal."""
    issuer_em, date_em = display_width(issuer) / 2, display_width(issued) / 2
    if issuer_em <= date_em:
        date_right, issuer_right = 4.0, 4.0 + (date_em - issuer_em) / 2
    else:
        issuer_right, date_right = 2.0, 2.0 + (issuer_em - date_em) / 2
    for number, (text, right) in enumerate(((issuer, issuer_right), (issued, date_right))):
        line = _line(document, text, FANGSONG, _BODY, _PITCH, align=WD_ALIGN_PARAGRAPH.RIGHT)
        line.paragraph_format.right_indent = Pt(_BODY * right)
        if number == 0:
            line.paragraph_format.space_before = Pt(_PITCH * 2)
            line.paragraph_format.keep_with_next = True


def _attachment(document: Document, lagging: list[StatusRow], period: Period) -> None:
    """附件 on landscape pages: every yellow, red and missing row, the 预警 cell shaded in its colour."""
    page = docx_page(1000)
    _section_setup(document.add_section(WD_SECTION.NEW_PAGE), page)
    _line(document, "附件", HEITI, _BODY, _PITCH)
    _line(document, f"滞后指标清单（截至{period.label}）", XIAOBIAOSONG, 18, 30, align=WD_ALIGN_PARAGRAPH.CENTER)
    cells = [[str(n), r.unit, r.indicator, r.target, "—" if r.actual is None else f"{r.actual:g}",
              percent(r.completion_pct), percent(r.expected_pct), level_label(r.level), r.reason]
             for n, r in enumerate(lagging, start=1)]  # fmt: skip
    widths = docx_widths(_LAG_WEIGHTS, [0.0] * len(_LAG_WEIGHTS), page.text_width)
    fills = [{_LAG_HEADERS.index("预警"): COLOURS[r.level]} for r in lagging]
    _table(document, _LAG_HEADERS, cells, widths, left={1, 2, 3, 8}, fills=fills)


def _table(
    document: Document,
    headers: Sequence[str],
    cells: list[list[str]],
    widths: list[float],
    *,
    left: set[int],
    header_fills: dict[int, str] | None = None,
    fills: Sequence[dict[int, str]] = (),
) -> None:
    """A boxed table in 五号 仿宋 under a 黑体 header row repeated on every page; rows never split."""
    table = boxed_table(document, 1 + len(cells), widths)
    for number, (row, texts) in enumerate(zip(table.rows, [list(headers), *cells], strict=True)):
        _row_flag(row, "w:cantSplit")
        if number == 0:
            _row_flag(row, "w:tblHeader")
        row.height, row.height_rule = Mm(7), WD_ROW_HEIGHT_RULE.AT_LEAST
        shading = (header_fills or {}) if number == 0 else (fills[number - 1] if fills else {})
        for index, (cell, width, text) in enumerate(zip(row.cells, widths, texts, strict=True)):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            align = WD_ALIGN_PARAGRAPH.LEFT if number and index in left else WD_ALIGN_PARAGRAPH.CENTER
            font = HEITI if number == 0 else FANGSONG
            _paragraph(cell, text, font, _TABLE, align, paragraph=cell.paragraphs[0])
            if index in shading:
                _shade(cell, shading[index])


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)
