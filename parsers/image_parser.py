"""Image backend: a scanned or photographed notice as PNG, JPEG or (multi-page) TIFF, read by OCR.

Each frame of the file is a page (a TIFF from a copier holds the whole notice). Pillow decodes the
frames one at a time; the EXIF orientation a phone writes is applied; a palette, 16-bit or
transparent image becomes RGB on white paper. The image's own dpi is used when it states a
plausible one (a scanner's 200 or 300), otherwise the page is taken to be A4. Pages are then read
like the scanned pages of a PDF (``parsers.ocr_page``) and assembled by the same rules.

Limits: the pixels of one frame (``max_image_megapixels``, checked from the header before decoding:
a tiny file can declare a huge canvas) and the number of frames (``max_pdf_pages``).
"""

from __future__ import annotations

import warnings as python_warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from parsers.detect import fingerprint
from parsers.document import Document, ParseWarning
from parsers.errors import ParseError, unreadable
from parsers.limits import limits
from parsers.ocr_page import read_pages
from parsers.pdf_lines import assemble

MIN_STATED_DPI = 96  # below this a stated dpi is a screen's default, not a scanner's
MAX_SIDE_PX = 3600  # larger frames (a 600-dpi scan) are shrunk: 300 dpi reads as well, at a quarter of the cost


def parse(path: Path) -> Document:
    lim = limits()
    warnings: list[ParseWarning] = []
    try:
        with python_warnings.catch_warnings():
            python_warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ParseError(path, f"图像无法读取（{type(e).__name__}），文件可能已损坏", "请重新扫描或另存一份") from e
    except OSError as e:
        raise unreadable(path, e) from e
    with image:
        frames = getattr(image, "n_frames", 1)
        if frames > lim.max_pdf_pages:
            raise lim.exceeded(path, "max_pdf_pages", f"共 {frames:,} 页")
        megapixels = image.width * image.height / 1e6
        if megapixels > lim.max_image_megapixels:
            raise lim.exceeded(path, "max_image_megapixels", f"{image.width}×{image.height} 像素")

        def load(number: int) -> tuple[np.ndarray, float | None]:
            try:
                image.seek(number - 1)
                page = _upright_rgb(image)
            except (OSError, ValueError, SyntaxError) as e:
                raise ParseError(path, f"图像第 {number} 页无法解码（{type(e).__name__}: {e}）"[:300]) from e
            dpi = _stated_dpi(image)
            shrink = MAX_SIDE_PX / max(page.size)
            if shrink < 1:
                page = page.resize((round(page.width * shrink), round(page.height * shrink)), Image.Resampling.LANCZOS)
                dpi = dpi * shrink if dpi else None
            return np.ascontiguousarray(np.asarray(page)[:, :, ::-1]), dpi

        reading = read_pages(path, list(range(1, frames + 1)), load, warnings)
    blocks = list(assemble([item for number in sorted(reading.pages) for item in reading.pages[number]]))
    source = fingerprint(path, "image", pages=frames, ocr_pages=sorted(reading.pages), ocr_engine=reading.engine)
    return Document(source=source, blocks=blocks, warnings=warnings)


def _upright_rgb(frame: Image.Image) -> Image.Image:
    frame = ImageOps.exif_transpose(frame) or frame
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        white = Image.new("RGB", frame.size, "white")
        white.paste(frame.convert("RGBA"), mask=frame.convert("RGBA").getchannel("A"))
        return white
    if frame.mode.startswith("I;16") or frame.mode == "I":
        return frame.point(lambda v: v / 256).convert("RGB")
    return frame.convert("RGB")


def _stated_dpi(frame: Image.Image) -> float | None:
    dpi = frame.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if value >= MIN_STATED_DPI else None
