"""The OCR engine behind one small interface: a page image in, text lines with character boxes out.

kaohe reads scans fully offline: RapidOCR's wheel carries the PP-OCR models (PP-OCRv6 small
detection and recognition, the PP-OCRv4 line-direction classifier), run by ONNX Runtime on the
CPU, so nothing is fetched at run time. Why this engine (measured by
``benchmarks/bench_ocr_engines.py``, reported in ``docs/ocr.md``): on our degraded scans its reading
answers the owner questions of the typed twin (222 of 223), where the older ``rapidocr-onnxruntime``
(PP-OCRv4: 螅 is not in its dictionary) and Tesseract's ``chi_sim`` (``（`` read as ``〈``) fail; it
gives a box per character, and it depends on ``opencv-python-headless`` instead of the GUI build.

Everything engine-specific stays in :class:`RapidOcrEngine`; the rest of kaohe sees
:class:`OcrEngine`. :func:`load_engine` returns the process's engine, loaded once, or raises
:class:`OcrUnavailable` with the reason (a missing package, ``KAOHE_OCR=off``), which the
backends turn into the ``no_text_layer`` warning instead of a crash.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
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


_engine: OcrEngine | None = None
_LOADING = threading.Lock()
# One detection at a time: at 1,280 px its activations take ~390 MB, and ONNX Runtime keeps a session's
# buffers between runs, so the process holds one engine (one set of sessions) that the page threads share;
# recognition, the larger share of the time, runs on both cores at once (ONNX Runtime sessions may be run
# from several threads). Measured on 4 scanned pages: one engine per thread peaked at 1,126 MB.
_DETECTING = threading.Lock()


def load_engine() -> OcrEngine:
    """The process's engine, loaded on first use; :class:`OcrUnavailable` when it cannot run.

    Each ONNX Runtime session runs on one core, and pages are read in parallel by threads (ONNX Runtime
    releases the GIL): that beats one page on two cores, whose worker threads spin while waiting and
    lose badly on a busy machine (measured: 5.6 s a page on one thread, 7.4 s on two, other core loaded).
    """
    global _engine
    if ocr_disabled():
        raise OcrUnavailable("文字识别已关闭（KAOHE_OCR=off）")
    with _LOADING:
        if _engine is not None:
            return _engine
        try:
            _one_malloc_arena()
            _engine = RapidOcrEngine()
        except ImportError as e:
            raise OcrUnavailable(f"文字识别组件未安装（{e.name or e}）：请重新执行 pip install -e .") from e
        except Exception as e:  # an engine that fails to load must never take the document down with it
            logger.warning("文字识别引擎加载失败", exc_info=True)
            raise OcrUnavailable(f"文字识别引擎无法加载（{type(e).__name__}: {e}）"[:300]) from e
        return _engine


def _quad_box(quad: Any) -> Box:
    points = np.asarray(quad, dtype=float).reshape(-1, 2)
    return (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max()))


def even_chars(text: str, confidence: float, box: Box) -> tuple[OcrChar, ...]:
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
        for model in (self._ocr._load_det_model(), self._ocr._load_cls_model(), self._ocr._load_rec_model()):
            model.session.session = _lean_session(model.session.session._model_path)
        self.name = (
            f"RapidOCR {metadata.version('rapidocr')} · PP-OCRv6 small · onnxruntime {metadata.version('onnxruntime')}"
        )

    def read(self, image: np.ndarray) -> list[OcrLine]:
        from rapidocr.main import RapidOCRError

        ocr = self._ocr
        original = ocr.load_img(image)
        resized, record = ocr.preprocess_img(original)
        with _DETECTING:
            try:
                crops, found = ocr.detect_and_crop(resized, record)
            except RapidOCRError:  # nothing detected
                return []
        turned, directions = ocr.cls_and_rotate(crops)
        result = ocr.build_final_output(original, found, directions, ocr.recognize_txt(turned), crops, record)
        if not getattr(result, "txts", None):
            return []
        words = result.word_results or ()
        aligned = len(words) == len(result.txts)  # RapidOCR drops box-less lines from word_results
        return [
            ocr_line(quad, text, float(score), word_chars(words[i]) if aligned else ())
            for i, (quad, text, score) in enumerate(zip(result.boxes, result.txts, result.scores, strict=True))
        ]

    def upside_down_votes(self, image: np.ndarray, boxes: list[Box]) -> tuple[int, int]:
        crops = line_crops(image, boxes)
        if not crops:
            return 0, 0
        labels = self._ocr._load_cls_model()(crops).cls_res or []
        flipped = sum(1 for label, score in labels if "180" in label and score > 0.9)
        upright = sum(1 for label, score in labels if "180" not in label and score > 0.9)
        return upright, flipped


M_ARENA_MAX = -8  # glibc's mallopt parameter


def _one_malloc_arena() -> None:
    """Have every thread allocate from glibc's main arena.

    Each thread otherwise gets an arena of its own and keeps the detector's freed buffers there, so the
    page threads, taking turns at detection, each held a copy: 18 scanned pages peaked at 1,113 MB, one
    arena 863 MB, at the same speed (ONNX Runtime makes few, large allocations). Only arenas not yet
    created are affected, so this runs before the page threads start; elsewhere than glibc it does nothing.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(M_ARENA_MAX, 1)


def _lean_session(model_path: str) -> Any:
    """The model's ONNX Runtime session without memory patterns and without spinning threads.

    RapidOCR's sessions keep a memory plan, and its buffers, for every input shape they meet; recognition
    meets a new line width in nearly every batch, so a long scan's memory grew page by page (1,106 MB
    after 18 pages). Without patterns each run allocates what it needs and frees it.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    options.enable_mem_pattern = False
    options.enable_cpu_mem_arena = False
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(model_path, sess_options=options, providers=["CPUExecutionProvider"])


def ocr_line(quad: Any, text: str, score: float, chars: tuple[OcrChar, ...]) -> OcrLine:
    """A recognised line from any engine: its box from the detector's quadrilateral, and its characters, spread
    evenly over the box when the engine gave none or they do not spell the text."""
    box = _quad_box(quad)
    if "".join(c.text for c in chars).replace(" ", "") != text.replace(" ", ""):
        chars = even_chars(text, score, box)
    return OcrLine(text=text, confidence=score, box=box, chars=chars)


def line_crops(image: np.ndarray, boxes: list[Box]) -> list[np.ndarray]:
    """The text lines cut out of the page (BGR, at least 8 px each way), for a line-direction classifier."""
    crops = [image[int(t) : int(b), int(x0) : int(x1)] for x0, t, x1, b in boxes]
    return [_bgr(c) for c in crops if c.size and c.shape[0] >= 8 and c.shape[1] >= 8]


def word_chars(words: Any) -> tuple[OcrChar, ...]:
    """RapidOCR's word boxes: one per Han character, one per run of Latin letters or digits."""
    chars: list[OcrChar] = []
    for text, score, quad in words:
        box = _quad_box(quad)
        if len(text) == 1:
            chars.append(OcrChar(text, float(score), box))
        else:
            chars.extend(even_chars(text, float(score), box))
    return tuple(chars)


def _bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return np.stack([image] * 3, axis=-1)
    return image
