"""The OCR engine behind one small interface: a page image in, text lines with character boxes out.

kaohe reads scans fully offline: RapidOCR's wheel carries the PP-OCR models (PP-OCRv6 small
detection and recognition, the PP-OCRv4 line-direction classifier), run by ONNX Runtime on the
CPU, so nothing is fetched at run time. Why this engine (measured in ``benchmarks/bench_ocr.py``
and ``docs/ocr.md``): on our degraded scans it reads table cells as well as the older
``rapidocr-onnxruntime`` (PP-OCRv4) and far better than Tesseract's ``chi_sim``, gives a box per
character (which places text in the right table cell even when one detected line crosses a
rule), and depends on ``opencv-python-headless`` instead of the GUI build.

Everything engine-specific stays in :class:`RapidOcrEngine`; the rest of kaohe sees
:class:`OcrEngine`. :func:`load_engine` returns the process's engine, loaded once, or raises
:class:`OcrUnavailable` with the reason (a missing package, ``KAOHE_OCR=off``), which the
backends turn into the ``no_text_layer`` warning instead of a crash.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Protocol

import numpy as np

logger = logging.getLogger(__name__)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in image pixels


@dataclass(frozen=True)
class OcrChar:
    text: str
    confidence: float
    box: Box


@dataclass(frozen=True)
class OcrLine:
    """One detected text line: its text, the recogniser's confidence, its box and its characters."""

    text: str
    confidence: float
    box: Box
    chars: tuple[OcrChar, ...]


class OcrEngine(Protocol):
    name: str  # engine, version and models, as shown in ``source.ocr_engine``

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Text lines of an upright page image (2-D uint8 grey or H×W×3 BGR)."""
        ...

    def upside_down_votes(self, image: np.ndarray, boxes: list[Box]) -> tuple[int, int]:
        """How many of the text lines in ``boxes`` read upright and how many upside down."""
        ...


class OcrUnavailable(Exception):
    """The OCR engine cannot run here; ``reason`` says why, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def ocr_disabled() -> bool:
    return os.environ.get("KAOHE_OCR", "").strip().lower() in {"0", "off", "no", "false"}


_per_thread = threading.local()


def load_engine() -> OcrEngine:
    """This thread's engine, loaded on first use; :class:`OcrUnavailable` when it cannot run.

    One engine per thread, each running ONNX Runtime on one core: pages are read in parallel by
    threads (ONNX Runtime releases the GIL), which beats one page on two cores — its worker threads
    spin while waiting and lose badly on a busy machine (measured: 5.6 s a page on one thread, 7.4 s
    on two, with the other core loaded).
    """
    if ocr_disabled():
        raise OcrUnavailable("文字识别已关闭（KAOHE_OCR=off）")
    engine = getattr(_per_thread, "engine", None)
    if engine is not None:
        return engine
    try:
        engine = _per_thread.engine = RapidOcrEngine()
    except ImportError as e:
        raise OcrUnavailable(f"文字识别组件未安装（{e.name or e}）：请重新执行 pip install -e .") from e
    except Exception as e:  # an engine that fails to load must never take the document down with it
        logger.warning("文字识别引擎加载失败", exc_info=True)
        raise OcrUnavailable(f"文字识别引擎无法加载（{type(e).__name__}: {e}）"[:300]) from e
    return engine


def engine_name() -> str:
    """The engine's name and versions, checking that it is installed (without loading its models)."""
    if ocr_disabled():
        raise OcrUnavailable("文字识别已关闭（KAOHE_OCR=off）")
    try:
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError as e:
        raise OcrUnavailable(f"文字识别组件未安装（{e.name or e}）：请重新执行 pip install -e .") from e
    except Exception as e:  # a broken native library (a missing libstdc++ symbol) raises other errors
        raise OcrUnavailable(f"文字识别引擎无法加载（{type(e).__name__}: {e}）"[:300]) from e
    return f"RapidOCR {metadata.version('rapidocr')} · PP-OCRv6 small · onnxruntime {metadata.version('onnxruntime')}"


def _quad_box(quad: Any) -> Box:
    points = np.asarray(quad, dtype=float).reshape(-1, 2)
    return (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max()))


def _even_chars(text: str, confidence: float, box: Box) -> tuple[OcrChar, ...]:
    """Characters spread evenly over the line: when the engine gives no boxes of its own."""
    x0, top, x1, bottom = box
    width = (x1 - x0) / max(len(text), 1)
    return tuple(
        OcrChar(ch, confidence, (x0 + i * width, top, x0 + (i + 1) * width, bottom)) for i, ch in enumerate(text)
    )


class RapidOcrEngine:
    """RapidOCR 3 with its bundled PP-OCRv6 models on ONNX Runtime (CPU)."""

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        params = {
            "Global.log_level": "error",
            "Global.return_word_box": True,
            "Global.text_score": 0.3,  # low-confidence lines are kept and flagged, not dropped silently
            # The page is not shrunk before detection: 200-dpi A4 is 1654×2339 px, and small table
            # text needs every pixel (the default 2,000 px cap would read it at 170 dpi).
            "Global.max_side_len": 4000,
            # Lines are found on the page shrunk to 1,280 px (a quarter of the cost of full size, the
            # same lines found on our scans); each line is then read from the full-size image.
            "Det.limit_type": "max",
            "Det.limit_side_len": 1280,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        self._ocr = RapidOCR(params=params)
        self.name = engine_name()

    def read(self, image: np.ndarray) -> list[OcrLine]:
        result = self._ocr(image)
        if not getattr(result, "txts", None):
            return []
        words = result.word_results or ()
        aligned = len(words) == len(result.txts)  # RapidOCR drops box-less lines from word_results
        lines = []
        for i, (quad, text, score) in enumerate(zip(result.boxes, result.txts, result.scores, strict=True)):
            box = _quad_box(quad)
            chars = _word_chars(words[i]) if aligned else ()
            if "".join(c.text for c in chars).replace(" ", "") != text.replace(" ", ""):
                chars = _even_chars(text, float(score), box)
            lines.append(OcrLine(text=text, confidence=float(score), box=box, chars=chars))
        return lines

    def upside_down_votes(self, image: np.ndarray, boxes: list[Box]) -> tuple[int, int]:
        crops = [image[int(t) : int(b), int(x0) : int(x1)] for x0, t, x1, b in boxes]
        crops = [_bgr(c) for c in crops if c.size and c.shape[0] >= 8 and c.shape[1] >= 8]
        if not crops:
            return 0, 0
        labels = self._ocr._load_cls_model()(crops).cls_res or []
        flipped = sum(1 for label, score in labels if "180" in label and score > 0.9)
        upright = sum(1 for label, score in labels if "180" not in label and score > 0.9)
        return upright, flipped


def _word_chars(words: Any) -> tuple[OcrChar, ...]:
    """RapidOCR's word boxes: one per Han character, one per run of Latin letters or digits."""
    chars: list[OcrChar] = []
    for text, score, quad in words:
        box = _quad_box(quad)
        if len(text) == 1:
            chars.append(OcrChar(text, float(score), box))
        else:
            chars.extend(_even_chars(text, float(score), box))
    return tuple(chars)


def _bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return np.stack([image] * 3, axis=-1)
    return image
