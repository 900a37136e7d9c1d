"""OCR engines compared on a degraded scan, read through kaohe's own page pipeline (issue 17).

Each page of the copier scan (``scripts/make_scans.py --full``) is rendered at kaohe's dpi and read by
``parsers.ocr_page.read_page`` with one engine after the other, one page at a time on one thread; the
pages are assembled into a ``Document`` as ``parsers.pdf_parser`` does. Preparing the page, finding
the table grid and placing characters in cells are the same code for every engine: only the engine
differs. Per engine:

* **s/page**: wall and CPU seconds of ``read_page`` (CPU counts this process's threads and, for
  Tesseract, its child processes); the engine's load time is left out.
* **cell chars**: 1 − CER of the table text. For each page, the texts of the table cells on it are
  joined in row-major order (NFKC, whitespace removed), for the typed PDF and for the scan; the
  Levenshtein distances are summed over the pages and divided by the typed length. Joining per page
  keeps one extra or missing row (a repeated header not dropped) from shifting every later cell.
  The typed twin is cut after the same page as the scan, so a row running on past the cut is cut in
  both.
* **owner**: the share of the typed twin's indicator rows the scan answers (``tests/ocr_twins.py``,
  which pairs frameworks by their order: a framework split in two shifts every later one).

Engines: ``rapidocr`` (the product's ``RapidOcrEngine``, PP-OCRv6), ``rapidocr-onnxruntime`` (1.4.4,
PP-OCRv4, same detector sizes and one thread), ``tesseract-psm6`` and ``tesseract-psm11`` (Debian's
``tesseract`` with ``chi_sim``, one thread; TSV words grouped into lines, overlapping word boxes cut
so the characters keep their order). rapidocr-onnxruntime needs the GUI ``opencv-python``, so it
lives in its own venv, run as a child with ``--python``::

    python3 -m venv /tmp/rapidocr14 && /tmp/rapidocr14/bin/pip install -e . rapidocr-onnxruntime==1.4.4
    /tmp/rapidocr14/bin/pip uninstall -y opencv-python opencv-python-headless
    /tmp/rapidocr14/bin/pip install opencv-python-headless

Usage: python benchmarks/bench_ocr_engines.py [--pages 8] [--scan /tmp/full_scan.pdf]
       [--engine NAME ...] [--python /tmp/rapidocr14/bin/python] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from importlib import metadata
from itertools import pairwise
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from ocr_twins import compare_twins  # noqa: E402

from parsers import parse  # noqa: E402
from parsers.detect import fingerprint  # noqa: E402
from parsers.document import Document  # noqa: E402
from parsers.metadata import extract_metadata  # noqa: E402
from parsers.ocr_engine import Box, OcrChar, OcrLine, RapidOcrEngine, even_chars, line_crops, ocr_line, word_chars  # noqa: E402
from parsers.ocr_page import ocr_dpi, read_page  # noqa: E402
from parsers.pdf_lines import assemble  # noqa: E402

TYPED = ROOT / "samples" / "佳县2020年度目标责任考核指标.pdf"
ENGINES = ("rapidocr", "rapidocr-onnxruntime", "tesseract-psm6", "tesseract-psm11")


class RapidOcr14Engine:
    """rapidocr-onnxruntime 1.4.4 (PP-OCRv4), set up like the product's engine."""

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, max_side_len=4000,
                             det_limit_type="max", det_limit_side_len=1280)  # fmt: skip
        versions = metadata.version("rapidocr-onnxruntime"), metadata.version("onnxruntime")
        self.name = "rapidocr-onnxruntime {} · PP-OCRv4 · onnxruntime {}".format(*versions)

    def read(self, image: np.ndarray) -> list[OcrLine]:
        result, _ = self._ocr(image, return_word_box=True, text_score=0.3)
        return [
            ocr_line(quad, text, float(score), word_chars(zip(words, scores, boxes, strict=True)))
            for quad, text, score, boxes, words, scores in result or ()
        ]

    def upside_down_votes(self, image: np.ndarray, boxes: list[Box]) -> tuple[int, int]:
        crops = line_crops(image, boxes)
        labels = self._ocr.text_cls(crops)[1] if crops else []
        flipped = sum(1 for label, score in labels if label == "180" and score > 0.9)
        return sum(1 for label, score in labels if label != "180" and score > 0.9), flipped


class TesseractEngine:
    """The ``tesseract`` command with ``chi_sim``: TSV words, grouped into lines by block/par/line."""

    def __init__(self, psm: str) -> None:
        version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=True)
        self.psm = psm
        self.name = f"Tesseract {version.stdout.split()[1]} · chi_sim · --psm {psm}"

    def read(self, image: np.ndarray) -> list[OcrLine]:
        png = cv2.imencode(".png", image)[1].tobytes()
        command = ["tesseract", "-", "-", "-l", "chi_sim", "--psm", self.psm, "tsv"]
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        tsv = subprocess.run(command, input=png, capture_output=True, check=True, env=env).stdout.decode()
        line_boxes: dict[tuple[str, ...], Box] = {}
        words: dict[tuple[str, ...], list[tuple[str, float, Box]]] = defaultdict(list)
        for row in tsv.splitlines()[1:]:
            level, _, block, par, line, _, *xywh, conf, text = row.split("\t")
            x, y, w, h = map(float, xywh)
            if level == "4":
                line_boxes[block, par, line] = (x, y, x + w, y + h)
            elif level == "5" and text.strip():
                words[block, par, line].append((text.strip(), max(float(conf), 0.0) / 100, (x, y, x + w, y + h)))
        return [_tesseract_line(found, line_boxes[key]) for key, found in words.items()]

    def upside_down_votes(self, image: np.ndarray, boxes: list[Box]) -> tuple[int, int]:
        return 0, 0


def _tesseract_line(words: list[tuple[str, float, Box]], box: Box) -> OcrLine:
    text = words[0][0]
    for before, (word, _, _) in pairwise(words):
        text += (" " if before[0][-1].isascii() and word[0].isascii() else "") + word
    chars: list[OcrChar] = []
    for i, (word, conf, (x0, _, x1, _)) in enumerate(words):
        # chi_sim word boxes overlap (生产 reaching over 总): cut each at the next so the order holds
        x0 = max(x0, chars[-1].box[2]) if chars else x0
        if i + 1 < len(words) and x0 < words[i + 1][2][0] < x1:
            x1 = words[i + 1][2][0]
        chars.extend(even_chars(word, conf, (x0, box[1], max(x1, x0 + 1), box[3])))
    return OcrLine(text=text, confidence=sum(w[1] for w in words) / len(words), box=box, chars=tuple(chars))


FACTORIES: dict[str, Any] = {
    "rapidocr": RapidOcrEngine,
    "rapidocr-onnxruntime": RapidOcr14Engine,
    "tesseract-psm6": lambda: TesseractEngine("6"),
    "tesseract-psm11": lambda: TesseractEngine("11"),
}


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def table_text(document: Document, pages: int) -> dict[int, str]:
    """Each page's table cell texts, row-major, NFKC and without whitespace."""
    texts: dict[int, str] = defaultdict(str)
    for table in document.tables:
        for r, cells in enumerate(table.rows):
            page = table.row_pages[r] if r < len(table.row_pages) else table.page
            if page is not None and page <= pages:
                texts[page] += "".join("".join(unicodedata.normalize("NFKC", c.text).split()) for c in cells)
    return texts


def bench(name: str, scan: Path, pages: int, typed: Document) -> dict[str, Any]:
    engine = FACTORIES[name]()
    dpi = ocr_dpi()
    pdf = pdfium.PdfDocument(str(scan))
    items, warnings, wall, cpu = {}, [], 0.0, 0.0
    for number in range(1, pages + 1):
        page = pdf[number - 1]
        image = np.ascontiguousarray(np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"))[:, :, ::-1])
        page.close()
        started, cpu_started = time.perf_counter(), _cpu()
        items[number] = read_page(image, dpi, number, engine, warnings)
        wall, cpu = wall + time.perf_counter() - started, cpu + _cpu() - cpu_started
        print(f"{name}: page {number} {time.perf_counter() - started:.1f} s", file=sys.stderr)
    pdf.close()
    blocks = list(assemble([item for number in sorted(items) for item in items[number]]))
    source = fingerprint(scan, "pdf", pages=pages, ocr_pages=[n for n in items if items[n]], ocr_engine=engine.name)
    document = Document(source=source, blocks=blocks, warnings=warnings)
    document.metadata = extract_metadata(document)
    report = compare_twins(typed, document)
    want, got = table_text(typed, pages), table_text(document, pages)
    errors = {p: Levenshtein.distance(want[p], got.get(p, "")) for p in sorted(want)}
    return {"engine": name, "version": engine.name, "wall": wall / pages, "cpu": cpu / pages,
            "chars": 1 - sum(errors.values()) / max(sum(map(len, want.values())), 1),
            "page_chars": {str(p): 1 - errors[p] / max(len(want[p]), 1) for p in errors},
            "owner": report.share, "answered": report.answered, "rows": report.rows}  # fmt: skip


def typed_twin(pages: int, path: Path) -> Document:
    """The typed PDF cut after ``pages``, as the scan is: a row going on past the cut is cut in both."""
    whole, cut = pdfium.PdfDocument(str(TYPED)), pdfium.PdfDocument.new()
    cut.import_pages(whole, list(range(pages)))
    cut.save(str(path))
    return parse(path)


def print_tables(results: list[dict[str, Any]]) -> None:
    print("| engine | s/page | CPU s/page | cell chars | owner answered |\n|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['version']} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['chars']:.2%} | "
              f"{r['owner']:.1%} ({r['answered']}/{r['rows']}) |")  # fmt: skip
    pages = sorted({int(p) for r in results for p in r["page_chars"]})
    print("\n| page | " + " | ".join(r["engine"] for r in results) + " |\n|---|" + "---:|" * len(results))
    for p in pages:
        cells = (f"{r['page_chars'].get(str(p), 0.0):.2%}" for r in results)
        print(f"| {p} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scan", type=Path, default=Path("/tmp/full_scan.pdf"), help="built if missing")
    parser.add_argument("--pages", type=int, default=8, help="the first N pages (the scan has 18)")
    parser.add_argument("--engine", action="append", choices=ENGINES, help="default: every one installed")
    parser.add_argument("--python", help="interpreter that runs rapidocr-onnxruntime (its own venv)")
    parser.add_argument("--json", action="store_true", help="one JSON object per engine, no table")
    args = parser.parse_args(argv)
    if not args.scan.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_scans.py"), "--full", str(args.scan)], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        typed, results = typed_twin(args.pages, Path(tmp) / TYPED.name), []
    print(f"load average {os.getloadavg()}, {os.cpu_count()} cores", file=sys.stderr)
    for name in args.engine or ENGINES:
        if name == "rapidocr-onnxruntime" and args.python:
            child = [args.python, __file__, "--engine", name, "--pages", str(args.pages), "--scan", str(args.scan)]
            out = subprocess.run([*child, "--json"], stdout=subprocess.PIPE, check=True)
            results.extend(json.loads(line) for line in out.stdout.decode().splitlines())
            continue
        try:
            results.append(bench(name, args.scan, args.pages, typed))
        except (ImportError, FileNotFoundError) as e:
            print(f"{name}: skipped ({e})", file=sys.stderr)
    print(f"load average {os.getloadavg()}", file=sys.stderr)
    if args.json:
        print("\n".join(json.dumps(r, ensure_ascii=False) for r in results))
    else:
        print_tables(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
