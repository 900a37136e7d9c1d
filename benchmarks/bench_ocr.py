"""OCR speed, memory and accuracy: a 10-page scan read at 150, 200 and 300 dpi.

Usage: python benchmarks/bench_ocr.py [--pages 10] [--dpi 150 200 300] [--threads N] [--scan PDF]

The scan is the copier-degraded 佳县 2020 notice that ``scripts/make_scans.py --full`` writes (made
here when ``--scan`` is not given). Each resolution runs in a fresh process (``kaohe parse``'s own
path: ``parsers.parse`` with ``KAOHE_OCR_DPI``), so its peak RSS is its own. Printed per resolution:
seconds per page (wall), CPU seconds per page, the child's peak RSS while it reads the scan (its
``ru_maxrss``, every thread), and the owner questions of the typed twin's rows on those
pages that the scan answers (``tests/ocr_twins.py``). Goal (issue 17): ≤ 3 s per A4 page on 2 cores, peak RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPED = ROOT / "samples" / "佳县2020年度目标责任考核指标.pdf"

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {tests!r})
import pypdfium2 as pdfium
from ocr_twins import compare_twins
from parsers import parse
scan, pages, typed = {scan!r}, {pages}, {typed!r}
cut = pdfium.PdfDocument(scan)
part = pdfium.PdfDocument.new()
part.import_pages(cut, list(range(pages)))
path = {out!r}
part.save(path)
started, cpu = time.perf_counter(), time.process_time()
document = parse(path)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the scan's read alone
report = compare_twins(parse(typed), document)
print(json.dumps({{"wall": wall, "cpu": cpu, "ocr_pages": len(document.source.ocr_pages),
                  "rows": report.rows, "answered": report.answered,
                  "peak_mb": peak}}))
"""


def run(scan: Path, pages: int, dpi: int, threads: int | None, workdir: Path) -> dict[str, float]:
    env = {**os.environ, "KAOHE_OCR_DPI": str(dpi)}
    if threads:
        env["KAOHE_OCR_THREADS"] = str(threads)
    code = CHILD.format(
        tests=str(ROOT / "tests"), scan=str(scan), pages=pages, typed=str(TYPED), out=str(workdir / f"{dpi}.pdf")
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--dpi", type=int, nargs="+", default=[150, 200, 300])
    parser.add_argument("--threads", type=int, help="pages read at once (default: one per core)")
    parser.add_argument("--scan", type=Path, help="an image-only PDF of the 佳县 2020 sample (default: made now)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        scan = args.scan
        if scan is None:
            scan = workdir / "full_scan.pdf"
            subprocess.run([sys.executable, "scripts/make_scans.py", "--full", str(scan)], cwd=ROOT, check=True,
                           capture_output=True)  # fmt: skip
        print(f"{args.pages} pages of {scan.name}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        print(f"{'dpi':>4} {'s/page':>7} {'CPU s/page':>10} {'peak RSS':>9} {'owner answered':>15}")
        for dpi in args.dpi:
            started = time.perf_counter()
            r = run(scan, args.pages, dpi, args.threads, workdir)
            pages = max(r["ocr_pages"], 1)
            share = r["answered"] / r["rows"] if r["rows"] else 0.0
            print(f"{dpi:>4} {r['wall'] / pages:>7.2f} {r['cpu'] / pages:>10.2f} {r['peak_mb']:>7.0f}MB "
                  f"{share:>9.1%} of {r['rows']:>3}  ({time.perf_counter() - started:.0f} s in all)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
