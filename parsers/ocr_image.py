"""A page image made ready for OCR: grey, seal lifted off, page cut out of a photo, upright and level.

Steps, each cheap next to recognition and each a no-op on a clean scan (a page lying sideways or
upside down is noticed from the recognised lines and turned by ``parsers.ocr_page``):

* **Red seal** (公章): on a colour page, red ink forming a ring 2.5–6 cm across is the seal; it and
  the red inside its ring are painted with the paper's colour, so the signature and date under it
  read. A red 版头 or red rule is wide and flat, never a ring, and stays (it is the issuer's name).
* **Photo**: a page photographed on a desk is cut out along its four edges and warped to a
  rectangle of A4's proportions; uneven light is flattened by dividing by a blurred background.
* **Deskew**: small rotations (within ±5°) are measured on the ruling lines and text rows
  (``parsers.ocr_grid.skew_angle``) and undone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from parsers.ocr_engine import Box, OcrEngine
from parsers.ocr_grid import skew_angle

logger = logging.getLogger(__name__)

A4_RATIO = 297 / 210


@dataclass
class PreparedPage:
    gray: np.ndarray
    dpi: float  # pixels per inch of ``gray``: converts its pixels to PDF points
    rotation: int  # quarter turns undone (degrees, clockwise)
    skew: float  # degrees of skew undone
    dewarped: bool


def prepare(image: np.ndarray, dpi: float | None) -> PreparedPage:
    """``image``: BGR or grey; ``dpi``: its resolution when known (a PDF page, a scan's metadata)."""
    if image.ndim == 3:
        image = _lift_seals(image, dpi or _assumed_dpi(image))
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    else:
        gray = image
    gray, dewarped = _cut_out_page(gray)
    if dewarped:
        gray = _flatten_light(gray)
    skew = skew_angle(gray)
    if abs(skew) >= 0.1:
        gray = _rotate(gray, skew)
    if dpi is None or dewarped:
        dpi = _assumed_dpi(gray)
    return PreparedPage(gray=gray, dpi=dpi, rotation=0, skew=skew, dewarped=dewarped)


def _assumed_dpi(image: np.ndarray) -> float:
    """Without metadata, a page is taken to be A4: its shorter side is 210 mm."""
    return min(image.shape[:2]) / (210 / 25.4)


def _lift_seals(image: np.ndarray, dpi: float) -> np.ndarray:
    b, g, r = (image[:, :, i].astype(np.int16) for i in range(3))
    red = ((r - g > 60) & (r - b > 60) & (r > 120)).astype(np.uint8) * 255
    if not red.any():
        return image
    red = cv2.dilate(red, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(red, connectivity=8)
    low, high = 2.5 / 2.54 * dpi, 6.0 / 2.54 * dpi
    out = image.copy()
    paper = np.median(image.reshape(-1, 3), axis=0).astype(np.uint8)
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        ring_like = low <= w <= high and low <= h <= high and 0.8 <= w / h <= 1.25 and area < 0.6 * w * h
        if ring_like:
            inside = red[y : y + h, x : x + w] > 0
            out[y : y + h, x : x + w][inside] = paper
            logger.debug("seal of %d×%d px lifted at (%d, %d)", w, h, x, y)
    return out


def _cut_out_page(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """A photographed page: its four corners found on a darker background and warped to a rectangle."""
    height, width = gray.shape
    small_scale = 800 / max(height, width)
    small = cv2.resize(gray, None, fx=small_scale, fy=small_scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (9, 9), 0)
    _, paper = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return gray, False
    outline = max(contours, key=cv2.contourArea)
    area_share = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    if not 0.3 <= area_share <= 0.95:
        return gray, False  # the paper fills the frame (a scan) or is not there
    quad = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    if len(quad) != 4 or not cv2.isContourConvex(quad):
        return gray, False
    corners = _order_corners(quad.reshape(4, 2).astype(np.float32) / small_scale)
    top_width = np.linalg.norm(corners[1] - corners[0])
    side_height = np.linalg.norm(corners[3] - corners[0])
    portrait = side_height >= top_width
    out_w = round(float(max(top_width, np.linalg.norm(corners[2] - corners[3]))))
    out_h = round(out_w * A4_RATIO) if portrait else round(out_w / A4_RATIO)
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    warped = cv2.warpPerspective(gray, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC, borderValue=255)
    return warped, True


def _order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    sums, diffs = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array(
        [points[np.argmin(sums)], points[np.argmin(diffs)], points[np.argmax(sums)], points[np.argmax(diffs)]],
        dtype=np.float32,
    )


def _flatten_light(gray: np.ndarray) -> np.ndarray:
    """Divide by the blurred page: a shadow or a lamp's gradient becomes even paper."""
    background = cv2.medianBlur(cv2.resize(gray, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA), 21)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255)
    return flat


def needed_turn(gray: np.ndarray, boxes: list[Box], engine: OcrEngine) -> int:
    """Quarter turns (clockwise degrees: 0, 90 or 180) that make the page upright, judged from its text lines.

    Most lines taller than wide: the page lies sideways (turned 90°, and 180° more afterwards if it then
    reads upside down). Otherwise the engine's line-direction classifier votes on the widest lines.
    """
    if len(boxes) < 3:
        return 0
    tall = sum(1 for x0, t, x1, b in boxes if (b - t) > 1.5 * (x1 - x0))
    wide = sum(1 for x0, t, x1, b in boxes if (x1 - x0) > 1.5 * (b - t))
    if tall > 2 * wide:
        return 90
    widest = sorted(boxes, key=lambda b: b[2] - b[0], reverse=True)[:24]
    upright, flipped = engine.upside_down_votes(gray, widest)
    return 180 if flipped > 2 * max(upright, 1) or (flipped >= 3 and upright == 0) else 0


def turned(page: PreparedPage, degrees: int) -> PreparedPage:
    gray = rotate_quarter(page.gray, degrees)  # a turn keeps the resolution
    return PreparedPage(gray=gray, dpi=page.dpi, rotation=(page.rotation + degrees) % 360, skew=page.skew,
                        dewarped=page.dewarped)  # fmt: skip


def rotate_quarter(gray: np.ndarray, degrees: int) -> np.ndarray:
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(gray, codes[degrees])


def _rotate(gray: np.ndarray, degrees: float) -> np.ndarray:
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
