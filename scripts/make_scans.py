"""Make scanned and photographed copies of the 佳县 sample notice for OCR tests (issue 17).

Renders ``samples/佳县2020年度目标责任考核指标.pdf`` with pypdfium2 at 200 dpi and degrades the
pages as a copier or a phone camera would: rotation, blur, noise, uneven toner, a red seal over
the 署名/成文日期, perspective and uneven light. Writes the image-only
``samples/佳县2020年度目标责任考核指标（扫描件）.pdf`` and the fixtures in ``tests/data/scans/``
(described in their ``SOURCE.md``). Every random draw comes from a fixed seed and PDFium's
creation date and /ID are pinned, so re-running writes byte-identical files.

Usage: python scripts/make_scans.py [--full PDF]   (--full: all 18 pages scanned, for scripts/eval_ocr.py)
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import logging
import re
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

log = logging.getLogger("make_scans")
ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples" / "佳县2020年度目标责任考核指标.pdf"
SCANNED = ROOT / "samples" / "佳县2020年度目标责任考核指标（扫描件）.pdf"
SAMPLE_PAGES = 7  # the notice and 附件1 (市考 decomposition and 负面清单): samples/ stays small
OUT = ROOT / "tests" / "data" / "scans"
DPI = 200
SEED = 17  # the issue number
SCAN_QUALITY = 52  # 55 makes the 18 pages 3.05 MB, 60 3.3 MB
BACKGROUND = 228  # grey levels above this are paper
THRESHOLD = 190  # black-and-white scan; 165 breaks the thin horizontals of the table's Song face
SEAL_MM = 42
SEAL_RGB = np.array([205, 35, 45], np.float32)
DESK_RGB = np.array([120, 88, 62], np.float32)
PAPER_RGB = np.array([246, 242, 232], np.float32)  # white paper under warm room light
DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
Box = tuple[float, float, float, float]


def find_pages(plumber: pdfplumber.PDF) -> tuple[int, Box, list[Box], int]:
    """The seal page, the box (pt) of its 署名 + 成文日期 and of each 署名 character; the first table page."""
    seal = table = None
    for index, page in enumerate(plumber.pages):
        lines = page.extract_text_lines()
        for name, date in itertools.pairwise(lines):
            if seal is None and DATE_LINE.match(date["text"]):
                box = (min(name["x0"], date["x0"]), name["top"], max(name["x1"], date["x1"]), date["bottom"])
                chars = [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in name["chars"] if c["text"].strip()]
                seal = (index, box, chars)
        text = page.extract_text() or ""
        if table is None and "考核内容" in text and "责任单位" in text:
            table = index
    if seal is None or table is None:
        raise SystemExit(f"{SOURCE.name} 中找不到成文日期或考核表，无法定位盖章页和表格页")
    return *seal, table


def render(pdf: pdfium.PdfDocument, index: int) -> np.ndarray:
    """One page as a float32 grayscale array at DPI."""
    bitmap = pdf[index].render(scale=DPI / 72, grayscale=True)
    return np.asarray(bitmap.to_pil().convert("L"), np.float32)


def smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int] = (5, 4)) -> np.ndarray:
    """Low-frequency values in [0, 1]: the scale of toner streaks, light falloff, wood grain."""
    coarse = rng.random(cells).astype(np.float32)
    return np.clip(cv2.resize(coarse, shape[::-1], interpolation=cv2.INTER_CUBIC), 0, 1)


def seal_mask(rng: np.random.Generator, glyphs: list[np.ndarray], size: int) -> np.ndarray:
    """Ink coverage (0–1) of a round official seal: ring, star, the office's name along the top arc."""
    mask = np.zeros((size, size), np.float32)
    centre, radius = size / 2, size / 2 - 2
    cv2.circle(mask, (size // 2, size // 2), int(radius - size * 0.02), 1.0, int(size * 0.035), cv2.LINE_AA)
    k = np.arange(10)
    r, a = np.where(k % 2 == 0, 0.24, 0.095) * size, k * np.pi / 5
    star = np.stack([centre + r * np.sin(a), centre - r * np.cos(a)], axis=1)
    cv2.fillPoly(mask, [np.round(star).astype(np.int32)], 1.0, cv2.LINE_AA)
    side, arc_r = int(size * 0.14), radius - size * 0.14
    for k, glyph in enumerate(glyphs):
        angle = np.deg2rad(-110 + 220 * (k + 0.5) / len(glyphs))
        ink = cv2.resize(cv2.dilate(1 - glyph / 255, np.ones((2, 2))), (side, side))  # seal type is bold
        m = cv2.getRotationMatrix2D((side / 2, side / 2), -np.rad2deg(angle), 1.0)
        m[:, 2] += (centre + arc_r * np.sin(angle) - side / 2, centre - arc_r * np.cos(angle) - side / 2)
        mask = np.maximum(mask, cv2.warpAffine(ink, m, (size, size)))
    # Uneven stamp pressure: some areas pale, a few ink gaps.
    mask *= 0.6 + 0.4 * smooth_field(rng, mask.shape, (4, 4))
    mask *= cv2.GaussianBlur((rng.random(mask.shape) > 0.06).astype(np.float32), (0, 0), 1.2)
    tilt = cv2.getRotationMatrix2D((centre, centre), rng.uniform(-12, 12), 1.0)
    return cv2.warpAffine(mask, tilt, (size, size))


def stamp(gray: np.ndarray, box: Box, chars: list[Box], rng: np.random.Generator) -> np.ndarray:
    """RGB page with the seal pressed over the 署名/日期, which sit below its centre (GB/T 9704 7.3.5.1)."""
    px = [[round(v * DPI / 72) for v in char] for char in chars]
    # The arc text is the 署名 itself, cut from the page: no font needed.
    glyphs = [gray[top:bottom, x0:x1] for x0, top, x1, bottom in px]
    size = round(SEAL_MM / 25.4 * DPI)
    cx, cy = round((box[0] + box[2]) / 2 * DPI / 72), round(box[1] * DPI / 72)
    mask = np.zeros(gray.shape, np.float32)
    top, left = cy - size // 2, cx - size // 2
    mask[top : top + size, left : left + size] = seal_mask(rng, glyphs, size)
    # Multiply like ink: red over black toner stays black.
    rgb = np.repeat(gray[..., None], 3, axis=2)
    return rgb * (1 - mask[..., None] * (1 - SEAL_RGB / 255))


def uneven_toner(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Greyish paper, ink that is denser in some bands than in others."""
    paper = 238 + 10 * smooth_field(rng, img.shape[:2])
    density = 0.8 + 0.2 * smooth_field(rng, img.shape[:2], (9, 3))
    if img.ndim == 3:
        paper, density = paper[..., None], density[..., None]
    ink = 1 - img / 255
    return paper - (paper - 22) * ink * density


def rotate(img: np.ndarray, degrees: float) -> np.ndarray:
    """Page fed slightly crooked; the lid behind it is white."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(245, 245, 245))


def add_noise(img: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Sensor noise, the same in every channel (a copier's noise is in luminance)."""
    noise = rng.normal(0, sigma, img.shape[:2]).astype(np.float32)
    return img + (noise[..., None] if img.ndim == 3 else noise)


def add_specks(img: np.ndarray, rng: np.random.Generator, count: int) -> np.ndarray:
    """Dust on the glass and toner spatter: a few dark dots and sparse pepper pixels."""
    dirt = np.zeros(img.shape[:2], np.float32)
    h, w = dirt.shape
    for _ in range(count):
        centre = (int(rng.integers(w)), int(rng.integers(h)))
        cv2.circle(dirt, centre, int(rng.integers(1, 4)), float(rng.uniform(0.3, 0.8)), -1, cv2.LINE_AA)
    dirt[rng.random((h, w)) < 1.5e-4] = 0.7
    return img * (1 - (dirt[..., None] if img.ndim == 3 else dirt))


def scan(img: np.ndarray, rng: np.random.Generator, degrees: float, sigma: float = 1.5) -> np.ndarray:
    """The copier chain: print, feed crooked, optics blur, sensor noise, dust."""
    img = rotate(uneven_toner(img, rng), degrees)
    img = cv2.GaussianBlur(img, (0, 0), 0.9)
    return add_specks(add_noise(img, rng, sigma), rng, int(rng.integers(8, 25)))


def phone_photo(gray: np.ndarray, rng: np.random.Generator, frame: tuple[int, int] = (2200, 1600)) -> np.ndarray:
    """The page on a desk shot from above and slightly in front: keystone, light from one corner."""
    fh, fw = frame
    grain = smooth_field(rng, frame, (fh // 6, 10))  # wood grain runs across the frame
    desk = DESK_RGB * (0.8 + 0.25 * grain[..., None])
    page = cv2.GaussianBlur(gray, (0, 0), 0.8)[..., None] / 255 * PAPER_RGB
    ph = 0.9 * fh  # the keystone takes back ~6 %
    pw = ph * gray.shape[1] / gray.shape[0]
    x0, y0 = (fw - pw) / 2, (fh - ph) / 2
    # Top corners pulled in more than the bottom ones (camera tilted); each corner jittered on its own.
    inward = np.array([[0.045, 0.035], [-0.038, 0.03], [-0.025, -0.025], [0.03, -0.028]])
    quad = np.array([[x0, y0], [x0 + pw, y0], [x0 + pw, y0 + ph], [x0, y0 + ph]])
    quad += (inward + rng.uniform(-0.005, 0.005, (4, 2))) * (fw, fh)  # 2–5 % of the frame
    h, w = gray.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    warped = cv2.warpPerspective(page, m, (fw, fh), flags=cv2.INTER_LINEAR)
    cover = cv2.warpPerspective(np.ones((h, w), np.float32), m, (fw, fh))[..., None]
    img = desk * (1 - cover) + warped * cover
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    light = 1 - 0.32 * np.hypot(xx / fw, yy / fh) / np.sqrt(2)  # brightest at the top-left corner
    img = cv2.GaussianBlur(img * light[..., None], (0, 0), 1.1)
    return img + rng.normal(0, 2.5, img.shape).astype(np.float32)


def landscape(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """A photo-like picture: sky, sun, soft clouds, rolling hills; no straight edges, no text."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (yy / h)[..., None]
    img = np.array([95, 150, 215], np.float32) * (1 - t) + np.array([225, 230, 235], np.float32) * t
    img += 60 * np.exp(-(((xx - 0.72 * w) ** 2 + (yy - 0.16 * h) ** 2) / (0.05 * w) ** 2))[..., None]  # sun
    clouds = cv2.GaussianBlur((smooth_field(rng, shape, (8, 6)) > 0.7).astype(np.float32), (0, 0), 40)
    img = img * (1 - 0.8 * clouds[..., None]) + 245 * 0.8 * clouds[..., None]
    for base, colour in [(0.45, (110, 135, 95)), (0.58, (70, 120, 60)), (0.74, (55, 95, 40))]:
        phase = rng.uniform(0, 2 * np.pi, 3)
        ridge = base * h + sum(0.04 * h / (k + 1) * np.sin((k + 1) * 2.3 * xx / w + phase[k]) for k in range(3))
        land = np.clip((yy - ridge) / 6, 0, 1)[..., None]
        texture = 0.8 + 0.3 * smooth_field(rng, shape, (60, 45))[..., None]
        img = img * (1 - land) + np.array(colour, np.float32) * texture * land
    return cv2.GaussianBlur(img, (0, 0), 1.0) + rng.normal(0, 3, img.shape).astype(np.float32)


def encode(img: np.ndarray, fmt: str, **params: object) -> bytes:
    """Save an array (L or RGB) in fmt; params go to Pillow."""
    buffer = io.BytesIO()
    Image.fromarray(np.clip(img, 0, 255).round().astype(np.uint8)).save(buffer, fmt, **params)
    return buffer.getvalue()


def write_pdf(
    path: Path, jpegs: list[bytes], size: tuple[float, float], typed: pdfium.PdfDocument | None = None
) -> None:
    """Image-only pages at size (pt), after typed's first two pages if given."""
    pdf = pdfium.PdfDocument.new()
    if typed is not None:
        pdf.import_pages(typed, [0, 1])
    for data in jpegs:
        page = pdf.new_page(*size)
        image = pdfium.PdfImage.new(pdf)
        image.load_jpeg(io.BytesIO(data), inline=True)
        image.set_matrix(pdfium.PdfMatrix().scale(*size))
        page.insert_obj(image)
        page.gen_content()
    buffer = io.BytesIO()
    pdf.save(buffer)
    # PDFium stamps the clock and a random /ID; pin both (same length, so the xref stays valid).
    data = re.sub(rb"D:\d{14}[+-]\d\d'\d\d'", b"D:20200420000000+08'00'", buffer.getvalue())
    old_id = re.compile(rb"/ID\[<\w{32}><\w{32}>\]")
    file_id = hashlib.md5(old_id.sub(b"", data)).hexdigest().upper().encode()
    path.write_bytes(old_id.sub(b"/ID[<%s><%s>]" % (file_id, file_id), data))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="scanned copies of the 佳县 2020 sample for the OCR tests")
    parser.add_argument(
        "--full", type=Path, metavar="PDF", help="also write all 18 pages scanned here (scripts/eval_ocr.py)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    OUT.mkdir(parents=True, exist_ok=True)
    typed = pdfium.PdfDocument(SOURCE)
    size = typed[0].get_size()
    with pdfplumber.open(SOURCE) as plumber:
        seal_page, box, chars, table_page = find_pages(plumber)
    log.info("盖章页: 第%d页, 表格页: 第%d页", seal_page + 1, table_page + 1)

    angles = np.random.default_rng(SEED).uniform(-1.5, 1.5, len(typed))
    angles[4], angles[11] = -1.42, 1.38  # two pages near the ±1.5° limit on purpose
    jpegs = []
    for index in range(len(typed)):
        rng = np.random.default_rng([SEED, index])
        page = render(typed, index)
        if index == seal_page:
            page = stamp(page, box, chars, rng)
        jpegs.append(encode(scan(page, rng, angles[index]), "JPEG", quality=SCAN_QUALITY, optimize=True))
    write_pdf(SCANNED, jpegs[:SAMPLE_PAGES], size)
    if args.full:
        write_pdf(args.full, jpegs, size)
    write_pdf(OUT / "混合-文字页与扫描页.pdf", [jpegs[table_page]], size, typed=typed)

    rng = np.random.default_rng([SEED, 100])
    table = render(typed, table_page)
    light = [scan(render(typed, i), rng, deg) for i, deg in [(table_page, 0.8), (table_page + 1, -0.6)]]
    # A grayscale scanner driver removes the paper tone; with it the PNG is 0.45 MB instead of 1.8 MB.
    png = np.where(light[0] > BACKGROUND, 255, light[0])
    (OUT / "佳县2020-第3页.png").write_bytes(encode(png, "PNG", dpi=(DPI, DPI), optimize=True))
    # Grayscale deflate would be 2 MB a page; a copier's black-and-white mode is 1 bit, group 4.
    frames = [Image.fromarray(page > THRESHOLD) for page in light]
    tif = OUT / "佳县2020-第3至4页.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:], compression="group4", dpi=(DPI, DPI))
    photo = phone_photo(table, rng)
    (OUT / "佳县2020-第3页-手机拍摄.jpg").write_bytes(encode(photo, "JPEG", quality=80, optimize=True))
    blank = scan(np.full(table.shape, 255, np.float32), rng, 0.3)
    write_pdf(OUT / "空白页.pdf", [encode(blank, "JPEG", quality=SCAN_QUALITY, optimize=True)], size)
    picture = landscape(rng, table.shape)
    write_pdf(OUT / "照片页.pdf", [encode(picture, "JPEG", quality=75, optimize=True)], size)
    for path in [SCANNED, *sorted(OUT.iterdir())]:
        log.info("%s: %d KB", path.name, path.stat().st_size // 1024)


if __name__ == "__main__":
    main()
