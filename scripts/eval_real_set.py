"""How well kaohe reads the real tables in tests/data/real/: rows right, by field and format.

Usage: python scripts/eval_real_set.py [--no-holdout] [--rows] [--json]
``--rows`` lists every row that is wrong, with what kaohe gave.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from real_set import FIELDS, evaluate, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-holdout", action="store_true", help="leave out the folders kept for the final measure")
    parser.add_argument("--rows", action="store_true", help="list the rows that are wrong")
    parser.add_argument("--json", action="store_true", help="the summary as JSON")
    parser.add_argument("--formats", help="only these formats, comma-separated (docx,html,pdf,txt)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    formats = set(args.formats.split(",")) if args.formats else None
    reports = evaluate(include_holdout=not args.no_holdout, formats=formats)
    totals = summary(reports)
    if args.json:
        print(json.dumps(totals, ensure_ascii=False, indent=2))
        return 0
    print(f"{'file':58} {'rows':>4} {'right':>6}  " + " ".join(f"{f[:6]:>6}" for f in FIELDS))
    for report in reports:
        rows = report.rows
        n = len(rows) or 1
        shares = " ".join(f"{sum(r.checks[f] for r in rows) / n:6.0%}" for f in FIELDS)
        label = f"{report.folder}/{report.file}" + (" (holdout)" if report.holdout else "")
        label += " (flat)" if report.unstructured else ""
        print(f"{label:58} {len(rows):4} {sum(r.correct for r in rows) / n:6.0%}  {shares}")
        if args.rows:
            for row in rows:
                if not row.correct:
                    wrong = [f for f, ok in row.checks.items() if not ok]
                    print(f"    ✗ {row.indicator[:24]:24} {','.join(wrong):30} {row.got}")
    print()
    for fmt, s in totals.items():
        fields = " ".join(f"{f}={s[f]:.0%}" for f in FIELDS)
        print(f"{fmt:5} rows={s['rows']:4} right={s['correct']:.0%} found+lead={s['found_with_lead']:.0%}  {fields}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
