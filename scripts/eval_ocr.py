"""How well a scanned notice answers the owner questions its typed twin answers.

Usage: python scripts/eval_ocr.py TYPED SCANNED [--misses]
Prints rows found, owner questions answered (same points and lead unit) and cooperating units
right, as shares of the typed document's indicator rows; ``--misses`` lists what differs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from ocr_twins import compare_twins

from parsers import parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("typed", type=Path)
    parser.add_argument("scanned", type=Path)
    parser.add_argument("--misses", action="store_true", help="list the rows that differ")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scanned = parse(args.scanned)
    seconds = time.perf_counter() - started
    report = compare_twins(parse(args.typed), scanned)
    pages = len(scanned.source.ocr_pages)
    print(
        f"OCR pages {pages} in {seconds:.1f} s ({seconds / max(pages, 1):.2f} s/page),",
        f"engine {scanned.source.ocr_engine}",
    )
    print(f"rows {report.rows}: found {report.found / report.rows:.1%}, owner answered {report.share:.1%}, "
          f"cooperating right {report.cooperating / report.rows:.1%}")  # fmt: skip
    if args.misses:
        print("\n".join(report.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
