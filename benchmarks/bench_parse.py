"""Parse cost (issue 2): ``parsers.parse`` against the raw library read of the same file.

Raw reads, the least any reader of these files has to do:

* .docx — python-docx opens the file and reads every cell of every table
  (``for t in doc.tables: for row in t.rows: for cell in row.cells: cell.text``);
* PDF — pdfplumber ``extract_tables()`` and ``extract_text()`` on every page
  (each page closed after use, as ``parsers.pdf_parser`` does).

Each case runs in a fresh interpreter (imports done before the clock starts):
the best of N runs is reported, and the process's peak RSS (``ru_maxrss``) over
those runs. Goals: parse ≤ 1.5× raw for .docx, ≤ 1.3× for PDF, peak RSS of
parsing a 100-page PDF < 200 MB.

Usage: python benchmarks/bench_parse.py [--out DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from make_corpus import DEFAULT_OUT, ensure_corpus
from measure import current_rss_mb, machine, markdown_table, peak_rss_mb, run_worker, verdict

GOAL_RATIO = {"docx": 1.5, "pdf": 1.3}
GOAL_PDF100_RSS_MB = 200


def raw_docx(path: Path) -> int:
    import docx

    document = docx.Document(str(path))
    cells = 0
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                cell.text  # noqa: B018 — reading the text is the point
                cells += 1
    return cells


def raw_pdf(path: Path) -> int:
    import pdfplumber

    tables = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
            page.extract_text()
            page.close()
    return tables


def kaohe_parse(path: Path) -> int:
    import parsers

    return len(parsers.parse(path).blocks)


def worker(mode: str, fmt: str, path: Path, repeat: int) -> None:
    """Time ``repeat`` reads of ``path`` in this process; print one JSON line."""
    if mode == "raw":
        import docx  # noqa: F401
        import pdfplumber  # noqa: F401

        read = raw_docx if fmt == "docx" else raw_pdf
    else:
        import parsers
        import parsers.metadata

        parsers.backend(fmt)  # import the backend before the clock starts
        read = kaohe_parse
    idle = current_rss_mb()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        read(path)
        times.append(time.perf_counter() - started)
    print(json.dumps({"best": min(times), "times": times, "peak_rss_mb": peak_rss_mb(), "idle_rss_mb": idle}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="benchmark inputs (made if missing)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best counts (default 3)")
    parser.add_argument("--worker", nargs=3, metavar=("MODE", "FORMAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        mode, fmt, path = args.worker
        worker(mode, fmt, Path(path), args.repeat)
        return 0
    manifest = ensure_corpus(args.out)
    large = manifest["large_docx"]
    cases = [
        (f"large .docx ({large['table_rows']} table rows, {large['tables']} tables)", "docx", large["path"], 5),
        *((f"PDF, {pages} pages", "pdf", path, args.repeat) for pages, path in manifest["pdfs"].items()),
    ]
    rows, missed = [], []
    for label, fmt, path, repeat in cases:
        raw = run_worker("bench_parse.py", "raw", fmt, path, "--repeat", str(max(repeat, args.repeat)))
        ours = run_worker("bench_parse.py", "kaohe", fmt, path, "--repeat", str(max(repeat, args.repeat)))
        ratio = ours["best"] / raw["best"]
        ok = ratio <= GOAL_RATIO[fmt]
        if "100 pages" in label:
            ok = ok and ours["peak_rss_mb"] < GOAL_PDF100_RSS_MB
        missed += [] if ok else [label]
        goal = f"≤ {GOAL_RATIO[fmt]}×" + (f", RSS < {GOAL_PDF100_RSS_MB} MB" if "100 pages" in label else "")
        rows.append(
            [
                label,
                f"{raw['best']:.3f}",
                f"{ours['best']:.3f}",
                f"{ratio:.2f}×",
                f"{raw['peak_rss_mb']:.0f}",
                f"{ours['peak_rss_mb']:.0f} ({ours['idle_rss_mb']:.0f} after imports)",
                f"{goal}: {verdict(ok)}",
            ]
        )
        print(f"  {label}: raw {raw['best']:.3f} s, parsers.parse {ours['best']:.3f} s", file=sys.stderr)
    header = ["input", "raw read (s)", "parsers.parse (s)", "ratio", "raw peak RSS (MB)", "parse peak RSS (MB)", "goal"]
    print(f"\n### Parse cost — best of {args.repeat}+ runs, each case in a fresh process\n")
    print(markdown_table(header, rows))
    print(f"\nMachine: {machine()}")
    if missed:
        print(f"\nGoals missed: {'; '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
