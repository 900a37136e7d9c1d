"""Ingest throughput and owner-query latency (issue 3).

1. Ingest the generated corpus (≥ 200 notices: .docx/.txt/.html/.pdf) into a
   fresh store with ``ingest.pipeline.ingest_paths``: documents/s, pages/s
   (pages are known for the PDF subset only: PDF pages over the time spent on
   the PDF files), peak RSS. Compared with the parse-only cost of the same files
   (``parsers.parse`` on each), per format. Goal: ingest ≤ 1.5× parse.
   Then serial (``jobs=1``) and parallel (``jobs`` = the usable cores, or
   ``--jobs``) ingest beside parse-only in one process and in as many processes
   (a fork pool): each as a ratio to its yardstick, the parallel speed-up over
   serial, and the peak RSS of the parent and of the largest worker.
2. ``store.queries.owners`` latency over ~200 varied queries (substrings of real
   indicators of every length: 1, 2, 3 and 4–10 characters, the last also typed
   in traditional characters; misspelt ones that take the fuzzy path, strings
   found nowhere; a quarter with a year filter) on a store of ≥ 100,000
   indicators (corpus + bulk .txt notices, built through the pipeline and
   cached). Goal: p95 < 50 ms for every kind (issue 14).

Each part runs in a fresh interpreter; imports and the department registry are
loaded before the clock starts.

Usage: python benchmarks/bench_ingest.py [--out DIR] [--queries N] [--jobs N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from make_corpus import DEFAULT_OUT, build_query_store, ensure_corpus
from measure import machine, markdown_table, peak_rss_mb, run_worker, verdict

GOAL_INGEST_OVER_PARSE = 1.5
GOAL_QUERY_P95_MS = 50.0
QUERY_SEED = 7
QUERY_KINDS = ("substring", "substring", "one", "short", "three", "traditional", "misspelt", "absent")
QUERY_SIZES = {"one": 1, "short": 2, "three": 3}  # characters; the other kinds take 4–10
QUERY_LABELS = {
    "one": "1 character",
    "short": "2 characters",
    "three": "3 characters",
    "substring": "4–10 characters",
    "traditional": "4–10, traditional",
    "misspelt": "misspelt (fuzzy)",
    "absent": "found nowhere",
    "all": "**all**",
}
FORMATS = (".docx", ".txt", ".html", ".pdf")


def _files(corpus: Path) -> list[Path]:
    from ingest.discover import iter_notice_files

    return list(iter_notice_files([corpus]))


def _preload(nlp: bool = False) -> None:
    """Imports happen before the clock in every worker (jieba only where ingest uses it, so the parse-only
    peak RSS stays the parsers'); building the jieba dictionary (``normalize.nlp.tokenizer``) is work ingest
    does, and stays inside it."""
    if nlp:
        import jieba  # noqa: F401

    import parsers

    for fmt in ("docx", "pdf", "txt", "html"):
        parsers.backend(fmt)
    import parsers.metadata


def usable_cores() -> int:
    """As ``ingest.pipeline.usable_cores``, not imported here: the runs' peak RSS would carry this process's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def children_peak_rss_mb() -> float:
    """The peak RSS of the largest child this process has waited for (its parse workers). It counts the pages a
    worker shares with the parent it was forked from, and Linux carries ``ru_maxrss`` over fork: hence each
    measurement in a fresh process that forks its workers early."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _timed_parse(path: Path) -> tuple[str, float]:
    import parsers

    t0 = time.perf_counter()
    parsers.parse(path)
    return path.name, time.perf_counter() - t0


def parse_worker(corpus: Path, jobs: int = 1) -> dict:
    """``parsers.parse`` on every file: in this process, or with ``jobs`` > 1 in a fork pool of as many processes."""
    import multiprocessing

    _preload()
    files = _files(corpus)
    started = time.perf_counter()
    if jobs == 1:
        per_file = dict(map(_timed_parse, files))
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            per_file = dict(pool.imap(_timed_parse, files, chunksize=1))
            pool.close()
            pool.join()
    return {"seconds": time.perf_counter() - started, "per_file": per_file, "jobs": jobs,
            "peak_rss_mb": peak_rss_mb(), "worker_peak_rss_mb": children_peak_rss_mb()}  # fmt: skip


def _raw_texts(path: Path) -> list[str]:
    """What the raw libraries give of a file, with no understanding: python-docx paragraphs and every cell,
    pdfplumber ``extract_tables`` + ``extract_text`` of every page, lxml's text of an HTML page, a .txt's lines."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        texts = [paragraph.text for paragraph in document.paragraphs]
        return texts + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    if suffix == ".pdf":
        import pdfplumber

        texts = []
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                texts += [cell or "" for table in page.extract_tables() for row in table for cell in row]
                texts.append(page.extract_text() or "")
                page.close()
        return texts
    if suffix in (".html", ".htm"):
        import lxml.html

        return [text.strip() for text in lxml.html.fromstring(path.read_bytes()).itertext() if text.strip()]
    return path.read_bytes().decode("utf-8", errors="replace").splitlines()


def _timed_raw(path: Path) -> tuple[str, float, list[str]]:
    t0 = time.perf_counter()
    texts = _raw_texts(path)
    return path.name, time.perf_counter() - t0, texts


def raw_worker(corpus: Path, jobs: int = 1) -> dict:
    """The raw libraries' read of every file, its texts written to SQLite by this process in one transaction
    per file (the yardstick of ingest: reading and storing with no understanding); ``jobs`` > 1 reads in a
    fork pool."""
    import multiprocessing
    import sqlite3

    import docx  # noqa: F401
    import lxml.html  # noqa: F401
    import pdfplumber  # noqa: F401

    files = _files(corpus)
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-raw-") as tmp:
        db = sqlite3.connect(Path(tmp) / "raw.db")
        db.execute("CREATE TABLE texts (file TEXT, position INTEGER, text TEXT)")
        per_file = {}
        started = time.perf_counter()
        with contextlib.ExitStack() as stack:
            if jobs == 1:
                answers = map(_timed_raw, files)
            else:
                pool = stack.enter_context(multiprocessing.get_context("fork").Pool(jobs))
                answers = pool.imap(_timed_raw, files, chunksize=1)
            for name, seconds, texts in answers:
                with db:
                    db.executemany("INSERT INTO texts VALUES (?, ?, ?)", [(name, i, t) for i, t in enumerate(texts)])
                per_file[name] = seconds
        seconds = time.perf_counter() - started
        db.close()
    return {"seconds": seconds, "per_file": per_file, "jobs": jobs,
            "peak_rss_mb": peak_rss_mb(), "worker_peak_rss_mb": children_peak_rss_mb()}  # fmt: skip


def ingest_worker(corpus: Path, jobs: int = 1) -> dict:
    from ingest.pipeline import ingest_paths
    from normalize.departments import default_registry
    from store import Store
    from store.queries import counts

    _preload(nlp=True)
    registry = default_registry()
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-") as tmp:
        store = Store(Path(tmp) / "ingest.db")
        started = time.perf_counter()
        summary = ingest_paths([corpus], store, registry, jobs=jobs)
        seconds = time.perf_counter() - started
        totals = counts(store.db)
        store.close()
    return {
        "seconds": seconds,
        "per_file": {Path(f.file).name: f.seconds for f in summary.files},
        "statuses": {s: summary.count(s) for s in {f.status for f in summary.files}},
        "counts": totals,
        "jobs": jobs,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": children_peak_rss_mb(),  # the workers are joined when ingest_paths returns
    }


# Functions ``ingest.pipeline`` calls for each file, timed by wrapping them where the pipeline looks them up.
PIPELINE_STEPS = {
    "parse": "parse",
    "roster": "find_roster",
    "frameworks": "extract_frameworks",
    "mentions": "find_mentions",
}


def stages_worker(corpus: Path) -> dict:
    """Where ingest time goes: the real ``ingest_paths`` with its steps (and ``Store.save``) timed."""
    import os

    os.environ["KAOHE_ISOLATE"] = "0"  # the steps are timed in this process: read the files here, not in a worker
    import ingest.pipeline as pipeline
    from normalize.departments import default_registry
    from normalize.nlp import tokenizer
    from store import Store

    _preload(nlp=True)
    registry = default_registry()
    started = time.perf_counter()
    tokenizer()  # jieba with the unit vocabulary: built once per process, on first use
    seconds = {"load jieba (once)": time.perf_counter() - started}

    def timed(step: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[step] = seconds.get(step, 0.0) + time.perf_counter() - t0

        return wrapper

    for step, name in PIPELINE_STEPS.items():
        if hasattr(pipeline, name):
            setattr(pipeline, name, timed(step, getattr(pipeline, name)))
    Store.save = timed("save (store.save)", Store.save)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-") as tmp:
        store = Store(Path(tmp) / "stages.db")
        t0 = time.perf_counter()
        pipeline.ingest_paths([corpus], store, registry)
        total = time.perf_counter() - t0
        store.close()
    seconds["other (hashing, lookups, results)"] = total - sum(v for k, v in seconds.items() if "once" not in k)
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def make_queries(db, n: int) -> list[tuple[str, str, int | None]]:  # type: ignore[no-untyped-def]
    """(kind, query, year) triples drawn from the store's own texts, deterministic for a given store."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    rng = random.Random(QUERY_SEED)
    max_id = next(iter(db.query("select max(id) as m from indicators")))["m"]
    years = [r["year"] for r in db.query("select distinct year from frameworks where year is not null")]
    texts: list[str] = []
    while len(texts) < n:
        row = list(db.query("select text from indicators where id = ?", [rng.randint(1, max_id)]))
        text = "".join((row[0]["text"] or "").split()) if row else ""
        if len(text) >= 12:
            texts.append(text)
    queries = []
    for index, text in enumerate(texts):
        kind = QUERY_KINDS[index % len(QUERY_KINDS)]
        size = QUERY_SIZES.get(kind) or rng.randint(4, 10)
        start = rng.randint(0, len(text) - size)
        query = text[start : start + size]
        if kind == "misspelt":
            position = rng.randrange(len(query))
            query = query[:position] + rng.choice("甲乙丙丁戊己庚辛壬癸") + query[position + 1 :]
        elif kind == "traditional":
            query = to_traditional.convert(query)
        elif kind == "absent":
            query = "".join(rng.choice("鑫淼焱垚犇骉羴猋") for _ in range(rng.randint(4, 8)))
        year = rng.choice(years) if index % 4 == 3 and years else None
        queries.append((kind, query, year))
    return queries


def query_worker(db_path: Path, n: int) -> dict:
    from store import Store
    from store.queries import counts, owners

    store = Store(db_path)
    queries = make_queries(store.db, n)
    for _, query, year in queries[:5]:  # warm the page cache and the statement cache
        owners(store.db, query, year=year)
    timings: list[tuple[str, float, int]] = []
    for kind, query, year in queries:
        started = time.perf_counter()
        answers = owners(store.db, query, year=year).answers
        timings.append((kind, (time.perf_counter() - started) * 1000, len(answers)))
    totals = counts(store.db)
    store.close()
    return {
        "timings": timings,
        "queries": [q for _, q, _ in queries],
        "counts": totals,
        "size_mb": db_path.stat().st_size / 2**20,
        "peak_rss_mb": peak_rss_mb(),
    }


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report_ingest(manifest: dict, parse: dict, ingest: dict) -> bool:
    files = manifest["corpus"]["files"]
    pdf_pages = manifest["corpus"]["pdf_pages"]
    rows = []
    for suffix in FORMATS:
        names = [n for n in files if n.endswith(suffix)]
        p = sum(parse["per_file"][n] for n in names)
        i = sum(ingest["per_file"][n] for n in names)
        rows.append([suffix, len(names), f"{p:.2f}", f"{i:.2f}", f"{i / p:.2f}×", f"{len(names) / i:.1f}"])
    ratio = ingest["seconds"] / parse["seconds"]
    ok = ratio <= GOAL_INGEST_OVER_PARSE
    rows.append(
        [
            "**all**",
            len(files),
            f"{parse['seconds']:.2f}",
            f"{ingest['seconds']:.2f}",
            f"{ratio:.2f}×",
            f"{len(files) / ingest['seconds']:.1f}",
        ]
    )
    pdf_seconds = sum(ingest["per_file"][n] for n in pdf_pages)
    pages = sum(pdf_pages.values())
    indicators = ingest["counts"]["indicators"]
    print(
        f"\n### Ingest (-j 1) — best of the runs, {len(files)} notices into a fresh store ({indicators} indicators)\n"
    )
    print(markdown_table(["format", "files", "parse only (s)", "ingest (s)", "ingest/parse", "documents/s"], rows))
    print(
        f"\nPages/s (PDF subset only: {len(pdf_pages)} PDFs, {pages} pages): {pages / pdf_seconds:.1f} "
        f"ingesting, {pages / sum(parse['per_file'][n] for n in pdf_pages):.1f} parsing only. "
        f"Peak RSS: ingest {ingest['peak_rss_mb']:.0f} MB, parse only {parse['peak_rss_mb']:.0f} MB. "
        f"Statuses: {ingest['statuses']}. Goal ingest ≤ {GOAL_INGEST_OVER_PARSE}× parse: {verdict(ok)}."
    )
    return ok


def report_parallel(manifest: dict, best: dict[str, dict]) -> None:
    """Serial and parallel ingest, each beside its parse-only yardstick (the same files, as many processes)."""
    files = len(manifest["corpus"]["files"])
    jobs = best["parallel"]["jobs"]
    runs = {  # run: (label, its yardstick)
        "raw": ("raw libraries + SQLite, 1 process", None),
        "raw_parallel": (f"raw libraries, {jobs} processes + SQLite", "raw"),
        "parse": ("parse only (`parsers.parse`), 1 process", "raw"),
        "parse_parallel": (f"parse only, {jobs} processes (fork pool)", "parse"),
        "serial": ("ingest `-j 1` (1 worker + the writer)", "raw"),
        "parallel": (f"ingest `-j {jobs}` ({jobs} workers + the writer)", "raw_parallel"),
    }
    rows = []
    for run, (label, yardstick) in runs.items():
        result, seconds = best[run], best[run]["seconds"]
        ratio = f"{seconds / best[yardstick]['seconds']:.2f}× {runs[yardstick][0]}" if yardstick else "—"
        worker = f"{result['worker_peak_rss_mb']:.0f}" if run not in ("parse", "raw") else "—"
        rows.append([label, f"{seconds:.2f}", f"{files / seconds:.1f}", ratio, f"{result['peak_rss_mb']:.0f}", worker])
    print(f"\n### Serial and parallel ingest — {files} notices, best of the runs, each beside its yardstick\n")
    header = ["run", "seconds", "documents/s", "ratio to its yardstick", "peak RSS parent (MB)", "largest worker (MB)"]
    print(markdown_table(header, rows))
    serial, parallel = best["serial"], best["parallel"]
    same = (serial["counts"], serial["statuses"]) == (parallel["counts"], parallel["statuses"])
    print(
        f"\nParallel ingest {serial['seconds'] / parallel['seconds']:.2f}× as fast as serial ingest (parse only "
        f"{best['parse']['seconds'] / best['parse_parallel']['seconds']:.2f}× with {jobs} processes); parallel "
        f"ingest / parse only in 1 process: {parallel['seconds'] / best['parse']['seconds']:.2f}×, / raw libraries "
        f"+ SQLite in 1 process: {parallel['seconds'] / best['raw']['seconds']:.2f}×. The same "
        f"statuses and store counts serial and parallel: {'yes' if same else '**no**'}. A worker's RSS counts "
        "the pages it shares with the parent it was forked from."
    )


def report_stages(result: dict) -> None:
    seconds = result["seconds"]
    total = sum(seconds.values())
    rows = [[stage, f"{spent:.2f}", f"{100 * spent / total:.0f}%"] for stage, spent in seconds.items()]
    print("\nWhere ingest time goes (same corpus, the pipeline's steps timed in place):\n")
    print(markdown_table(["step", "seconds", "share"], [*rows, ["**total**", f"{total:.2f}", "100%"]]))


def report_queries(result: dict) -> bool:
    timings = result["timings"]
    rows = []
    for kind in ("one", "short", "three", "substring", "traditional", "misspelt", "absent", "all"):
        ms = [t for k, t, _ in timings if kind in (k, "all")]
        hits = [h for k, _, h in timings if kind in (k, "all")]
        rows.append(
            [
                QUERY_LABELS[kind],
                len(ms),
                f"{_percentile(ms, 50):.1f}",
                f"{_percentile(ms, 95):.1f}",
                f"{max(ms):.1f}",
                f"{statistics.mean(hits):.0f}",
            ]
        )
    kinds = {k for k, _, _ in timings}
    worst = max(_percentile([t for k, t, _ in timings if k == kind], 95) for kind in kinds)
    ok = worst < GOAL_QUERY_P95_MS
    counts = result["counts"]
    print(
        f"\n### owners() latency — {counts['indicators']:,} indicators, {counts['documents']} documents, "
        f"{result['size_mb']:.0f} MB store\n"
    )
    print(markdown_table(["queries", "n", "p50 (ms)", "p95 (ms)", "max (ms)", "mean answers"], rows))
    print(f"\nGoal p95 < {GOAL_QUERY_P95_MS:.0f} ms for every kind (worst {worst:.1f} ms): {verdict(ok)}. "
          f"Peak RSS {result['peak_rss_mb']:.0f} MB.")  # fmt: skip
    slowest = sorted(zip(timings, result["queries"], strict=True), key=lambda x: -x[0][1])[:5]
    print("Slowest: " + "; ".join(f"{q} ({k}, {t:.0f} ms, {h} answers)" for (k, t, h), q in slowest))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="benchmark inputs (made if missing)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2, help="parse and ingest runs; the best counts (default 2)")
    parser.add_argument("--skip-ingest", action="store_true", help="only the query benchmark")
    parser.add_argument("--jobs", type=int, default=None, help="workers of the parallel run (default: the cores)")
    parser.add_argument("--worker", nargs=2, metavar=("PART", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        part, path = args.worker
        if part == "query":
            result = query_worker(Path(path), args.queries)
        elif part == "stages":
            result = stages_worker(Path(path))
        else:
            workers = {"parse": parse_worker, "raw": raw_worker, "ingest": ingest_worker}
            result = workers[part](Path(path), args.jobs or 1)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    manifest = ensure_corpus(args.out)
    corpus = manifest["corpus"]["path"]
    missed = []
    if not args.skip_ingest:
        jobs = str(args.jobs or usable_cores())
        plan = {"parse": ("parse", "1"), "parse_parallel": ("parse", jobs), "raw": ("raw", "1"),
                "raw_parallel": ("raw", jobs), "serial": ("ingest", "1"), "parallel": ("ingest", jobs)}  # fmt: skip
        runs = [
            {run: run_worker("bench_ingest.py", part, corpus, "--jobs", n) for run, (part, n) in plan.items()}
            for _ in range(args.repeat)
        ]
        best = {run: min((r[run] for r in runs), key=lambda r: r["seconds"]) for run in plan}
        missed += [] if report_ingest(manifest, best["parse"], best["serial"]) else ["ingest ≤ 1.5× parse"]
        report_parallel(manifest, best)
        report_stages(run_worker("bench_ingest.py", "stages", corpus))
    build_query_store(manifest, args.out / "query-store.db")
    result = run_worker("bench_ingest.py", "query", str(args.out / "query-store.db"), "--queries", str(args.queries))
    missed += [] if report_queries(result) else ["query p95"]
    print(f"\nMachine: {machine()}")
    if missed:
        print(f"\nGoals missed: {'; '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
