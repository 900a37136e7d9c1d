"""Ruled tables on a page image, found without OCR: ruling lines → tables → cell boxes.

The OCR backend calls :func:`find_tables` on a page image, converts each table's cell boxes from
pixels to points (× 72/dpi) and hands them to ``parsers.pdf_tables.page_table_from_boxes``, the
grid builder the PDF backend feeds with pdfplumber's cells. So a merged cell is one box spanning
the rows and columns it covers, as in Word, and the boxes of a table tile it.

How (the classic morphological approach; sizes in points, see :class:`_Sizes`):

* **Ink**: darker than the paper around it (a local maximum, so shading, grey paper and a phone
  photo's light divide out, and dense text does not hide a faint rule the way a local mean
  does), by a share of the paper's brightness or, on a noisy page, by a margin over the noise.
* **Rules**: an opening with a line kernel longer than any stroke of body-size type but shorter
  than the narrowest column or lowest row, after thickening the ink by a pixel across the line:
  a thin rule under residual skew steps by a pixel every ~100 px, and the thickened rule still
  holds the kernel everywhere, to its ends. Collinear pieces (a broken scanned line) are bridged
  and every rule is lengthened a little at both ends, so that it meets the rule it stops at.
* **Tables**: components of both masks together, wider than any glyph, that enclose at least
  two cells; a lone frame, an underline, the 版头 rule or a big title's 目 do not.
* **Cells**: regions enclosed by rules, i.e. 4-connected components of the non-rule pixels in
  the table's box; a missing rule joins two cells into one component, which is how merges
  show. Every edge snaps to its rule's position (rule centroids clustered per table), so cells
  of one column share exact x edges and neighbours share an edge; a thick or double rule is one
  edge. Regions too small for text (the gap of a double rule) or darker than paper (a desk
  beside a photographed page) are not cells.

Out of scope: tables without ruling lines (left to text) and tables whose outer border is
missing (their outer cells are not enclosed, so they are lost). A rule broken near a junction
by more than a few points, or a row of text pressed against both rules of a low row, gives a
false merge or a false split.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

logger = logging.getLogger(__name__)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in image pixels
A4_LONG_SIDE_PT = 842.0
INK_CONTRAST = 0.15  # ink is this much darker than the paper around it
NOISY = 4.0  # grey levels of noise (σ) above which a page is smoothed before the contrast test
NOISE_MARGIN = 4.0  # ... and darker than this many times the noise's spread
PAPER_SHARE = 0.5  # a cell is paper: on average at least this share of the page's paper brightness
SKEW_LIMIT = 5.0  # degrees searched either way by skew_angle
# A slope needs ink on 0.1% of the page, and rows at the best angle sharper by 30% than at a
# typical one: pages of text or tables gain 38% or more, a photo 25%, a blank page's dust 13%.
SKEW_MIN_INK = 0.001
SKEW_MIN_GAIN = 1.3


@dataclass
class PageGrid:
    """The ruled tables of one page image.

    ``tables``: per table (top to bottom), its cell boxes in pixels. ``rules``: 255 on the ruling
    lines of those tables and on long lone rules (the 版头 line), for the OCR backend to paint
    white so that no text line runs across a rule; short lone lines (``——``, underlines) may be
    text and are left alone.
    """

    tables: list[list[Box]]
    rules: np.ndarray


@dataclass(frozen=True)
class _Sizes:
    """Lengths in pixels, from points at the page's scale (its long side taken as A4's 842 pt)."""

    unit: float  # pixels per point

    @classmethod
    def of(cls, shape: tuple[int, ...]) -> _Sizes:
        return cls(max(shape[:2]) / A4_LONG_SIDE_PT)

    def px(self, points: float, minimum: int = 1) -> int:
        return max(minimum, round(points * self.unit))

    @property
    def window(self) -> int:  # paper brightness window: several text rows, paper in the majority
        return self.px(20)

    @property
    def smooth(self) -> int:  # noise averaged along a rule
        return self.px(2, 3)

    @property
    def h_kernel(self) -> int:  # > a horizontal stroke of 16 pt type, < the narrowest column
        return self.px(16, 5)

    @property
    def v_kernel(self) -> int:  # > a vertical stroke of 14 pt type, < one 10.5 pt text row
        return self.px(14, 5)

    @property
    def gap(self) -> int:  # a break in a scanned rule bridged
        return self.px(3, 2)

    @property
    def reach(self) -> int:  # a rule lengthened at both ends, to meet the one it stops at
        return self.px(1.5)

    @property
    def long_rule(self) -> int:  # longer than any stroke of type, a "——" or a short underline
        return self.px(40)

    @property
    def long_reach(self) -> int:  # how far such a rule is lengthened
        return self.px(4)

    @property
    def snap(self) -> float:  # rule positions closer than this are one edge (double / thick rules)
        return 5 * self.unit

    @property
    def min_cell(self) -> int:  # smaller enclosed regions are the gap of a double rule or specks
        return self.px(6, 3)

    @property
    def min_table_width(self) -> int:  # wider than a glyph of the biggest 版头 type
        return self.px(100)

    @property
    def min_table_height(self) -> int:  # one row of small text
        return self.px(12)


def _paper_brightness(gray: np.ndarray) -> np.ndarray:
    """The paper's brightness around each pixel: the brightest of a window of several text rows.

    Taken at a quarter of the resolution, where averaging has already tamed the noise (a maximum
    of raw noisy pixels would overshoot) and the window is cheap. Shading, grey paper and a phone
    photo's uneven light then divide out; unlike the local *mean* of an adaptive threshold, dense
    text does not darken the estimate, so a faint rule between rows of text still stands out.
    """
    sizes = _Sizes.of(gray.shape)
    height, width = gray.shape
    small = cv2.resize(gray, (max(1, width // 4), max(1, height // 4)), interpolation=cv2.INTER_AREA)
    window = max(3, sizes.window // 4)
    paper = cv2.blur(cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (window, window))), (3, 3))
    return cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)


def _ink_mask(gray: np.ndarray, paper: np.ndarray, *, horizontal: bool) -> np.ndarray:
    """Ink = 255: darker than the paper by ``INK_CONTRAST`` of its brightness, and well above the noise.

    The noise is the robust spread of pixels around the paper (text is too little of a page to
    move a median). A clean page is used as it is: smoothing would close the pixel-wide gaps
    between the strokes of neighbouring characters, and at 100 dpi a row of text would become a
    rule. A noisy one is smoothed along the rule's direction only (noise averages out, a thin rule
    keeps its contrast), and the margin grows to ``NOISE_MARGIN`` times the noise left, so that
    specks between strokes do not join them into lines either. The median also corrects the
    paper estimate, which a maximum puts above the average of noisy paper.
    """
    offset, spread = _paper_noise(gray, paper)
    if spread > NOISY:
        length = _Sizes.of(gray.shape).smooth
        gray = cv2.blur(gray, (length, 1) if horizontal else (1, length))
        offset, spread = _paper_noise(gray, paper)
    limit = cv2.convertScaleAbs(paper, alpha=1 - INK_CONTRAST, beta=offset)
    limit = cv2.min(limit, cv2.subtract(paper, round(NOISE_MARGIN * spread - offset)))
    return cv2.compare(gray, limit, cv2.CMP_LT)


def _paper_noise(gray: np.ndarray, paper: np.ndarray) -> tuple[float, float]:
    """How far the paper lies below its estimate (median, ≤ 0) and how much it scatters (MAD as σ)."""
    sample = np.s_[::5, ::5]
    deviation = gray[sample].astype(np.int16) - paper[sample]
    offset = float(np.median(deviation))
    return offset, 1.4826 * float(np.median(np.abs(deviation - offset)))


def _line_mask(ink: np.ndarray, sizes: _Sizes, *, horizontal: bool) -> np.ndarray:
    """Pixels of the long straight lines in one direction, bridged and lengthened (module docstring).

    Horizontal lines are found as vertical ones in the transposed image: OpenCV's column-wise
    morphology is about twice as fast as its row-wise one.
    """
    if horizontal:
        return cv2.transpose(_vertical_lines(cv2.transpose(ink), sizes.h_kernel, sizes))
    return _vertical_lines(ink, sizes.v_kernel, sizes)


def _vertical_lines(ink: np.ndarray, length: int, sizes: _Sizes) -> np.ndarray:
    def line(n: int) -> np.ndarray:
        return cv2.getStructuringElement(cv2.MORPH_RECT, (1, n))

    thick = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    mask = cv2.morphologyEx(thick, cv2.MORPH_OPEN, line(length))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, line(sizes.gap))
    # A long rule may lose its last piece to a break near a junction: it reaches further than a
    # short piece, which may be a stroke of large type and must not reach the next rule.
    long = cv2.morphologyEx(mask, cv2.MORPH_OPEN, line(sizes.long_rule))
    return cv2.max(cv2.dilate(mask, line(2 * sizes.reach + 1)), cv2.dilate(long, line(2 * sizes.long_reach + 1)))


def _components(mask: np.ndarray, connectivity: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """``cv2.connectedComponentsWithStats`` with 16-bit labels (faster), 32-bit when there are too many."""
    try:
        return cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=cv2.CV_16U)
    except cv2.error:  # more than 65535 components: specks of a noisy page
        return cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=cv2.CV_32S)


def _segments(mask: np.ndarray, *, horizontal: bool) -> tuple[np.ndarray, np.ndarray]:
    """Positions (centroid across the line) and lengths of a line mask's segments."""
    _, _, stats, centroids = _components(mask, 8)
    if horizontal:
        return centroids[1:, 1], stats[1:, cv2.CC_STAT_WIDTH].astype(float)
    return centroids[1:, 0], stats[1:, cv2.CC_STAT_HEIGHT].astype(float)


def _cluster(positions: np.ndarray, weights: np.ndarray, tolerance: float) -> np.ndarray:
    """Rule positions within ``tolerance`` of a cluster's first member merged (length-weighted mean)."""
    order = np.argsort(positions)
    centres: list[float] = []
    group: list[int] = []
    for i in order:
        if group and positions[i] - positions[group[0]] > tolerance:
            centres.append(float(np.average(positions[group], weights=weights[group])))
            group = []
        group.append(i)
    if group:
        centres.append(float(np.average(positions[group], weights=weights[group])))
    return np.array(centres)


def _snap(value: float, edges: np.ndarray) -> float:
    return float(edges[np.abs(edges - value).argmin()])


def _table_cells(h: np.ndarray, v: np.ndarray, gray: np.ndarray, dark: float, sizes: _Sizes) -> list[Box]:
    """Cell boxes of one table, from its rule masks and image cropped to its box (crop coordinates).

    A region darker on average than ``dark`` is not paper: the streaks of a desk beside a
    photographed page enclose "cells" too (and the page edge then frames the whole page).
    """
    rules = cv2.bitwise_or(h, v)
    padded = cv2.copyMakeBorder(cv2.bitwise_not(rules), 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=255)
    count, _, stats, _ = _components(padded, 4)
    ys, y_len = _segments(h, horizontal=True)
    xs, x_len = _segments(v, horizontal=False)
    if len(ys) < 2 or len(xs) < 2:
        return []
    rows, cols = _cluster(ys, y_len, sizes.snap), _cluster(xs, x_len, sizes.snap)
    height, width = padded.shape
    cells: list[Box] = []
    for x, y, w, hgt, _area in stats[1:count]:
        if x == 0 or y == 0 or x + w == width or y + hgt == height:
            continue  # outside the table's border (the padding joins it all into one region)
        if w < sizes.min_cell or hgt < sizes.min_cell or gray[y - 1 : y + hgt - 1, x - 1 : x + w - 1].mean() < dark:
            continue
        # The region starts just inside its rules: snap each side to the nearest rule (−1: padding).
        box = (_snap(x - 1, cols), _snap(y - 1, rows), _snap(x + w - 1, cols), _snap(y + hgt - 1, rows))
        if box[2] > box[0] and box[3] > box[1]:
            cells.append(box)
    return cells


def find_tables(gray: np.ndarray) -> PageGrid:
    """The ruled tables of a page image.

    ``gray``: 2-D uint8 page image (white paper ≈ 255), any resolution from 100 to 400 dpi,
    deskewed to within about 0.5° (see :func:`skew_angle`).
    """
    sizes = _Sizes.of(gray.shape)
    paper = _paper_brightness(gray)
    h = _line_mask(_ink_mask(gray, paper, horizontal=True), sizes, horizontal=True)
    v = _line_mask(_ink_mask(gray, paper, horizontal=False), sizes, horizontal=False)
    union = cv2.bitwise_or(h, v)
    dark = PAPER_SHARE * float(np.percentile(paper[::8, ::8], 90))  # the page's paper, not a desk's
    count, labels, stats, _ = _components(union, 8)
    rules = np.zeros_like(union)
    tables: list[tuple[tuple[int, int], list[Box]]] = []
    for label in range(1, count):
        x, y, w, hgt, _area = stats[label]
        window = np.s_[y : y + hgt, x : x + w]
        own = labels[window] == label  # this component only, not a dash or stroke inside its box
        if w >= gray.shape[1] / 4 or hgt >= gray.shape[0] / 4:
            rules[window][own] = 255  # any long rule: no text crosses it
        if w < sizes.min_table_width or hgt < sizes.min_table_height:
            continue  # a line, or the strokes of a big title's glyph (佳县's 目 encloses "cells")
        cells = _table_cells(np.where(own, h[window], 0), np.where(own, v[window], 0), gray[window], dark, sizes)
        if len(cells) < 2:
            continue  # a frame round a note, or no closed region at all
        rules[window][own] = 255
        tables.append(((y, x), [(x0 + x, t + y, x1 + x, b + y) for x0, t, x1, b in cells]))
        logger.debug("table at %s: %d cells", (x, y, w, hgt), len(cells))
    tables.sort(key=lambda item: item[0])  # reading order: top to bottom, then left to right
    return PageGrid([cells for _, cells in tables], rules)


def skew_angle(gray: np.ndarray) -> float:
    """Degrees to rotate the page by (cv2 convention, counter-clockwise positive) to level its lines.

    Projection profiles: the ink's rows are sharpest (largest sum of squared row counts) when
    sheared by the page's slope; text rows and rules both count. A coarse search over ±5° is
    refined around its best. 0.0 when there is too little ink or no angle stands out.
    """
    ys, xs = np.nonzero(_ink_mask(gray, _paper_brightness(gray), horizontal=True))
    if len(ys) < SKEW_MIN_INK * gray.size:
        return 0.0  # a blank page's dust
    step = len(ys) // 100_000 + 1  # every step-th ink pixel: plenty for a slope, and deterministic
    ys, xs = ys[::step], xs[::step]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64) - gray.shape[1] / 2

    def sharpness(angle: float) -> float:
        rows = np.round(ys - xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    coarse = np.linspace(-SKEW_LIMIT, SKEW_LIMIT, 41)
    scores = np.array([sharpness(a) for a in coarse])
    best = float(coarse[scores.argmax()])
    if scores.max() < SKEW_MIN_GAIN * np.median(scores) or abs(best) >= SKEW_LIMIT:
        return 0.0  # no rows stand out (specks, a photo), or beyond the search (not a skew)
    fine = np.linspace(best - 0.25, best + 0.25, 26)
    scores = np.array([sharpness(a) for a in fine])
    # Near the true angle a rule's pixels round to the same rows for a range of angles: take the
    # middle of that plateau, not its first angle.
    return round(float(fine[scores >= scores.max() * (1 - 1e-4)].mean()), 2)
