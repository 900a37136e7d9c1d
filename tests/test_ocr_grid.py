"""Ruled tables on page images (``parsers.ocr_grid``): pages drawn here, degraded copies, a real render.

Pages are A4 at 200 dpi (1654×2339 px), drawn with cv2: black rules of 2 px (1 and 7 px too), ``putText`` or
filled bars as text. The expected boxes come from the drawing; a box matches when each edge is
within ``TOLERANCE`` px (the snapped edge lies at a rule's centre, the drawing's by a pixel).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest

from parsers.ocr_grid import Box, find_tables, skew_angle
from parsers.pdf_tables import page_table_from_boxes

WIDTH, HEIGHT, DPI = 1654, 2339, 200
TOLERANCE = 3.0  # px
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "佳县2020年度目标责任考核指标.pdf"

Merge = tuple[int, int, int, int]  # row, col, rowspan, colspan


def blank() -> np.ndarray:
    return np.full((HEIGHT, WIDTH), 255, np.uint8)


def fake_text(page: np.ndarray, x: int, y: int, text: str = "Sample 12", scale: float = 0.9) -> None:
    """A line of "text" whose top is at ``y`` (strokes shorter than any rule kernel)."""
    (_, height), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
    cv2.putText(page, text, (x, y + height), cv2.FONT_HERSHEY_SIMPLEX, scale, 0, 2, cv2.LINE_AA)


def draw_table(
    page: np.ndarray,
    left: int,
    top: int,
    widths: Sequence[int],
    heights: Sequence[int],
    merges: Sequence[Merge] = (),
    thickness: int = 2,
) -> list[Box]:
    """Draw a ruled table (a merge leaves out the rules inside it, as Word does); its expected cell boxes."""
    xs = np.cumsum([left, *widths]).tolist()
    ys = np.cumsum([top, *heights]).tolist()
    owner = {(r, c): (r, c, 1, 1) for r in range(len(heights)) for c in range(len(widths))}
    for r0, c0, rs, cs in merges:
        owner.update({(r, c): (r0, c0, rs, cs) for r in range(r0, r0 + rs) for c in range(c0, c0 + cs)})
    for i, y in enumerate(ys):  # horizontal rules, one column at a time
        for j in range(len(widths)):
            if 0 < i < len(heights) and owner[(i - 1, j)] == owner[(i, j)]:
                continue
            cv2.line(page, (xs[j], y), (xs[j + 1], y), 0, thickness)
    for j, x in enumerate(xs):
        for i in range(len(heights)):
            if 0 < j < len(widths) and owner[(i, j - 1)] == owner[(i, j)]:
                continue
            cv2.line(page, (x, ys[i]), (x, ys[i + 1]), 0, thickness)
    cells = sorted(set(owner.values()))
    for r, c, _, _ in cells:
        fake_text(page, xs[c] + 14, ys[r] + 16)
    return [(xs[c], ys[r], xs[c + cs], ys[r + rs]) for r, c, rs, cs in cells]


def matches(found: Sequence[Box], expected: Sequence[Box], tolerance: float = TOLERANCE) -> bool:
    """Same number of boxes, each expected box found with every edge within ``tolerance``."""
    return len(found) == len(expected) and all(
        any(max(abs(a - b) for a, b in zip(box, want, strict=True)) <= tolerance for box in found) for want in expected
    )


def grid(boxes: Sequence[Box]) -> list[tuple[int, int, int, int]]:
    """The boxes as the OCR backend uses them: in points, through ``page_table_from_boxes``."""
    table = page_table_from_boxes([tuple(v * 72 / DPI for v in box) for box in boxes], 1)
    assert table is not None
    return sorted((c.row, c.col, c.rowspan, c.colspan) for c in table.cells)


def rotated(page: np.ndarray, degrees: float) -> np.ndarray:
    matrix = cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), degrees, 1.0)
    return cv2.warpAffine(page, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR, borderValue=255)


def grey_paper(page: np.ndarray) -> np.ndarray:
    """A grey scan background, darker towards one corner (uneven light)."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    light = 0.72 + 0.2 * (xx / WIDTH + yy / HEIGHT) / 2
    return (page * light).astype(np.uint8)


def noisy_jpeg(page: np.ndarray) -> np.ndarray:
    """Sensor noise, then a JPEG round trip at a low quality."""
    noise = np.random.default_rng(7).normal(0, 12, page.shape)
    noisy = np.clip(page + noise, 0, 255).astype(np.uint8)
    _, data = cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 40])
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


# A category column: header row, then 12 rows whose first cell is one (no rules in that column).
CATEGORY_HEIGHTS = [60] + [56] * 12
CATEGORY_MERGES = [(1, 0, 12, 1), (1, 2, 3, 1)]


def test_plain_grid_gives_twenty_boxes_with_shared_edges() -> None:
    page = blank()
    expected = draw_table(page, 180, 400, [300, 400, 300, 250], [70] * 5)
    (boxes,) = find_tables(page).tables
    assert matches(boxes, expected)
    # Snapped: 5 distinct x edges and 6 y edges, so neighbours share an edge exactly.
    assert len({x for b in boxes for x in (b[0], b[2])}) == 5
    assert len({y for b in boxes for y in (b[1], b[3])}) == 6
    area = sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes)
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    assert area == pytest.approx((right - left) * (bottom - top))  # a tiling: no gap, no overlap


def test_category_cell_spanning_twelve_rows_is_one_box() -> None:
    page = blank()
    expected = draw_table(page, 160, 300, [250, 600, 400], CATEGORY_HEIGHTS, CATEGORY_MERGES)
    (boxes,) = find_tables(page).tables
    assert matches(boxes, expected)
    tall = [b for b in boxes if b[0] < 200 and b[3] - b[1] > 600]
    assert len(tall) == 1
    assert tall[0][3] - tall[0][1] == pytest.approx(56 * 12, abs=TOLERANCE)
    cells = grid(boxes)
    assert (1, 0, 12, 1) in cells
    assert (1, 2, 3, 1) in cells
    assert len(cells) == 3 + 1 + 12 + 10


def test_header_cell_spanning_two_columns() -> None:
    page = blank()
    expected = draw_table(page, 200, 500, [200, 300, 300, 300], [60, 60, 60, 60], [(0, 1, 1, 2)])
    (boxes,) = find_tables(page).tables
    assert matches(boxes, expected)
    assert (0, 1, 1, 2) in grid(boxes)


def test_two_tables_separated_by_text() -> None:
    page = blank()
    first = draw_table(page, 180, 300, [400, 500, 300], [60] * 4)
    for i in range(4):
        fake_text(page, 180, 620 + 50 * i, "Body text between the two tables, a paragraph")
    second = draw_table(page, 180, 900, [300, 300, 300, 300], [60] * 6, [(1, 0, 3, 1)])
    tables = find_tables(page).tables
    assert len(tables) == 2
    assert matches(tables[0], first)
    assert matches(tables[1], second)


def test_rules_frames_and_underlines_are_not_tables() -> None:
    page = blank()
    fake_text(page, 400, 150, "COUNTY OFFICE", 3.0)  # a 版头 title, then its red rule (grey once scanned)
    cv2.line(page, (150, 330), (1500, 330), 76, 6)
    fake_text(page, 200, 500, "Name:")
    cv2.line(page, (320, 530), (900, 530), 0, 2)  # an underline to write on
    cv2.rectangle(page, (200, 700), (1400, 900), 0, 2)  # a frame round a note: one cell
    fake_text(page, 230, 760, "Note: a framed paragraph, no table")
    cv2.line(page, (600, 1200), (1000, 1200), 0, 2)  # a separator
    found = find_tables(page)
    assert found.tables == []
    assert found.rules[330, 800] == 255  # the long rule is painted out all the same


def test_empty_page() -> None:
    found = find_tables(blank())
    assert found.tables == []
    assert not found.rules.any()
    assert skew_angle(blank()) == 0.0


def test_text_touching_rules_adds_no_rows_or_columns() -> None:
    page = blank()
    expected = draw_table(page, 180, 400, [300, 700, 300], [70] * 4)
    for row in range(4):
        y = 400 + 70 * row
        cv2.rectangle(page, (600, y), (604, y + 34), 0, -1)  # a stroke hanging from the rule above
        cv2.rectangle(page, (700, y + 36), (703, y + 70), 0, -1)  # one standing on the rule below
        cv2.rectangle(page, (480, y + 30), (540, y + 33), 0, -1)  # a dash touching a column rule
        fake_text(page, 820, y + 8, "WIDE 1111", 1.4)  # large type, tall strokes
    found = find_tables(page)
    (boxes,) = found.tables
    assert matches(boxes, expected)
    assert found.rules[400, 330] == 255  # the rule under the text is painted out
    assert found.rules[400 + 35, 830:1100].max() == 0  # the text itself is not
    assert found.rules[400 + 35, 1175:1185].max() == 255  # but the column rule beside it is


def test_thick_border_and_double_rule_give_one_edge_each() -> None:
    page = blank()
    expected = draw_table(page, 180, 400, [300, 500, 400], [70] * 4)
    cv2.rectangle(page, (180, 400), (1380, 680), 0, 7)  # a bold outer border
    cv2.line(page, (180, 476), (1380, 476), 0, 2)  # the header's rule doubled, a 4 px gap between
    (boxes,) = find_tables(page).tables
    assert matches(boxes, expected, tolerance=4)
    assert len(grid(boxes)) == 12


def test_skew_angle_of_noise_is_zero() -> None:
    speckle = np.random.default_rng(3).integers(0, 256, (HEIGHT, WIDTH), dtype=np.uint8)
    assert skew_angle(speckle) == 0.0


# name: (how the page is spoilt, whether the boxes stay where they were drawn: not when rotated)
DEGRADATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], bool]] = {
    "grey paper": (grey_paper, True),
    "noise and JPEG": (noisy_jpeg, True),
    "rotated 0.4°": (lambda page: rotated(page, 0.4), False),
    "all three": (lambda page: noisy_jpeg(grey_paper(rotated(page, -0.4))), False),
}


@pytest.mark.parametrize(("degrade", "in_place"), DEGRADATIONS.values(), ids=DEGRADATIONS.keys())
def test_degraded_scan_keeps_the_grid(degrade: Callable[[np.ndarray], np.ndarray], in_place: bool) -> None:
    page = blank()
    expected = draw_table(page, 160, 300, [250, 600, 400], CATEGORY_HEIGHTS, CATEGORY_MERGES)
    for i in range(6):
        fake_text(page, 160, 1150 + 50 * i, "Paragraph text under the table, several lines of it")
    (boxes,) = find_tables(degrade(page)).tables
    assert grid(boxes) == grid(expected)
    assert matches(boxes, expected) or not in_place


def test_desk_around_a_photographed_page_is_not_a_table() -> None:
    """Wood grain and board seams beside the page enclose dark "cells"; only the page's table counts."""
    rng = np.random.default_rng(5)
    photo = np.full((HEIGHT, WIDTH), 70, np.uint8)
    for y in range(0, HEIGHT, 7):
        start, end = int(rng.integers(0, WIDTH // 2)), int(rng.integers(WIDTH // 2, WIDTH))
        cv2.line(photo, (start, y), (end, y), int(rng.choice([40, 110])), 2)
    for x in (60, 100, WIDTH - 100, WIDTH - 60):
        cv2.line(photo, (x, 0), (x, HEIGHT), 30, 4)
    page = blank()
    expected = draw_table(page, 300, 500, [250, 500, 300], [70] * 5)
    inside = np.s_[150 : HEIGHT - 150, 160 : WIDTH - 160]
    photo[inside] = page[inside]
    (boxes,) = find_tables(photo).tables
    assert matches(boxes, expected)


@pytest.mark.parametrize("degrees", [0.5, -0.5])
def test_one_pixel_rules_of_a_bilevel_scan_survive_residual_skew(degrees: float) -> None:
    """A 1-bit scan (TIFF, fax) turned without smoothing: a 1 px rule steps a pixel every ~115 px."""
    page = blank()
    expected = draw_table(page, 160, 300, [250, 600, 400], CATEGORY_HEIGHTS, CATEGORY_MERGES, thickness=1)
    matrix = cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), degrees, 1.0)
    turned = cv2.warpAffine(page, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_NEAREST, borderValue=255)
    (boxes,) = find_tables(np.where(turned < 128, 0, 255).astype(np.uint8)).tables
    assert grid(boxes) == grid(expected)


def test_big_title_glyphs_are_not_tables() -> None:
    """A 版头 glyph such as 目 at 40 pt: bold strokes longer than the rule kernels, enclosing "cells"."""
    page = blank()
    for left in (300, 480):
        cv2.rectangle(page, (left, 150), (left + 100, 290), 0, 12)
        cv2.line(page, (left, 197), (left + 100, 197), 0, 12)
        cv2.line(page, (left, 243), (left + 100, 243), 0, 12)
    assert find_tables(page).tables == []


@pytest.mark.parametrize("degrees", [1.2, -0.8])
def test_skew_angle_undoes_a_rotation(degrees: float) -> None:
    page = blank()
    draw_table(page, 180, 400, [300, 500, 400], [70] * 6)
    for i in range(10):
        fake_text(page, 180, 1000 + 50 * i, "Lines of body text give the slope too")
    assert skew_angle(rotated(page, degrees)) == pytest.approx(-degrees, abs=0.2)
    assert skew_angle(page) == pytest.approx(0.0, abs=0.05)


def test_skew_angle_from_text_alone() -> None:
    page = blank()
    for i in range(30):
        fake_text(page, 180, 300 + 55 * i, "Only text on this page, line after line, no rules")
    assert skew_angle(rotated(page, 1.2)) == pytest.approx(-1.2, abs=0.2)


@pytest.mark.parametrize("dpi", [100, 200, 300])
def test_real_render_matches_pdfplumber_cells(dpi: int) -> None:
    """Page 3 of the 2020 notice (category cells of 12, 8 and 9 rows): the PDF's own cell boxes."""
    document = pdfium.PdfDocument(SAMPLE)
    try:
        gray = np.asarray(document[2].render(scale=dpi / 72).to_pil().convert("L"))
    finally:
        document.close()
    with pdfplumber.open(SAMPLE) as pdf:
        (table,) = pdf.pages[2].find_tables()
        expected = [tuple(cell) for cell in table.cells]
    (boxes,) = find_tables(gray).tables
    in_points = [tuple(v * 72 / dpi for v in box) for box in boxes]
    assert len(in_points) == len(expected) == 50
    assert matches(in_points, expected, tolerance=2.0)
