"""Generate the benchmark inputs (deterministic: fixed seed), outside the repo by default.

Into ``--out`` (default ``/tmp/kaohe-bench``):

* ``inputs/large.docx`` — the 佳县 notice with its 附件 repeated (varied) until
  the tables hold ≥ 1,000 rows; real merges (``w:vMerge``/``w:gridSpan``).
* ``inputs/long.docx`` → ``inputs/long.pdf`` (LibreOffice), cut to exactly 50
  and 100 pages with pypdfium2: ``inputs/pdf-050p.pdf``, ``inputs/pdf-100p.pdf``.
* ``corpus/`` — ≥ 200 notices varied from the three samples (county, year,
  number, towns, scaled quantities, shuffled rows; see ``variants.py``) as
  .docx/.txt/.html, and one in eight as .pdf (all converted in one soffice call).
* ``bulk/`` — more 佳县-style notices as .txt, so that ``corpus/`` + ``bulk/``
  give a store of ≥ 100,000 indicators (``build_query_store``; .txt parses fast).
* ``manifest.json`` — what was made (rows, pages, files); generation is skipped
  when it matches the parameters, LibreOffice only re-runs when its input changed.

Usage: python benchmarks/make_corpus.py [--out DIR] [--notices N] [--seed S] [--query-store]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import variants as V  # first: it puts scripts/ (the sample writers) on sys.path
from sample_docx import write_docx
from sample_model import Block, Grid
from sample_text import write_html, write_txt_cells, write_txt_rows

log = logging.getLogger("make_corpus")
DEFAULT_OUT = Path("/tmp/kaohe-bench")
SEED = 20240601
LARGE_DOCX_MIN_ROWS = 1000
LONG_PDF_PAGES = (50, 100)
LONG_DOCX_COPIES = 11  # each copy of the 附件 prints on ~10 pages: enough for 100 pages
PDF_EVERY = 8  # one corpus notice in eight is a PDF
MIN_INDICATORS = 100_000
BULK_INDICATORS_PER_NOTICE = 263  # a 佳县-style notice (12 frameworks since the sample gained its seven towns)
CORPUS_INDICATORS_PER_NOTICE = 176  # measured: 42,331 indicators from the 240 corpus notices
SOFFICE_TIMEOUT_S = 1800
WHEN = dt.datetime(2020, 4, 20, 9, 0)
MANIFEST_VERSION = 2  # 2: bulk sized for 263-indicator notices


def _covering_count(kind: str) -> int:
    """How many leading blocks of a 佳县 variant are the covering notice (the rest are 附件)."""
    return len(V.jia.covering_notice()) if kind == "jia" else 0


def repeated_notice(rng: random.Random, copies: int | None, min_rows: int = 0) -> tuple[list[Block], int]:
    """A 佳县 notice whose 附件 repeat (each copy varied) ``copies`` times or until ``min_rows`` table rows."""
    first = V.random_variant(rng, 1)
    blocks = V.variant_blocks("jia", first)
    rows = _table_rows(blocks)
    n = 1
    while (copies is not None and n < copies) or (copies is None and rows < min_rows):
        n += 1
        more = V.variant_blocks("jia", V.random_variant(rng, n))[_covering_count("jia") :]
        blocks += more
        rows += _table_rows(more)
    return blocks, rows


def _table_rows(blocks: list[Block]) -> int:
    return sum(b.table.n_rows for b in blocks if isinstance(b, Grid))


def _write_docx(blocks: list[Block], path: Path) -> None:
    write_docx(blocks, path, title=V.title_of(blocks), author="kaohe benchmark", when=WHEN)


def soffice_to_pdf(sources: list[Path], outdir: Path) -> None:
    """Convert many .docx to PDF in one LibreOffice start (a private profile, so a running soffice is no bother)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: install LibreOffice (make system-deps) to make the PDF inputs")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kaohe-bench-lo-") as profile:
        command = [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}"]
        command += ["--convert-to", "pdf", "--outdir", str(outdir), *map(str, sources)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S, check=False)
    missing = [s.name for s in sources if not (outdir / f"{s.stem}.pdf").exists()]
    if result.returncode != 0 or missing:
        raise SystemExit(f"LibreOffice failed ({len(missing)} missing): {result.stderr.strip()[-500:]}")


def cut_pdf(source: Path, pages: int, target: Path) -> None:
    """The first ``pages`` pages of ``source`` (pypdfium2, which pdfplumber already depends on)."""
    import pypdfium2 as pdfium

    original = pdfium.PdfDocument(str(source))
    if len(original) < pages:
        raise SystemExit(f"{source.name} has {len(original)} pages, fewer than {pages}")
    cut = pdfium.PdfDocument.new()
    cut.import_pages(original, list(range(pages)))
    cut.save(str(target))
    cut.close()
    original.close()


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_inputs(out: Path, seed: int, previous: dict) -> dict:
    """The large .docx and the 50/100-page PDFs."""
    rng = random.Random(seed)
    inputs = out / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    large, rows = repeated_notice(rng, None, LARGE_DOCX_MIN_ROWS)
    _write_docx(large, inputs / "large.docx")
    long_blocks, long_rows = repeated_notice(rng, LONG_DOCX_COPIES)
    _write_docx(long_blocks, inputs / "long.docx")
    long_sha = _sha(inputs / "long.docx")
    if previous.get("long_docx_sha") != long_sha or not (inputs / "long.pdf").exists():
        log.info("LibreOffice: long.docx → PDF")
        soffice_to_pdf([inputs / "long.docx"], inputs)
    for pages in LONG_PDF_PAGES:
        cut_pdf(inputs / "long.pdf", pages, inputs / f"pdf-{pages:03d}p.pdf")
    return {
        "large_docx": {"path": str(inputs / "large.docx"), "table_rows": rows, "tables": _count_tables(large)},
        "long_docx_sha": long_sha,
        "long_pdf": {
            "path": str(inputs / "long.pdf"),
            "pages": pdf_pages(inputs / "long.pdf"),
            "table_rows": long_rows,
        },
        "pdfs": {str(p): str(inputs / f"pdf-{p:03d}p.pdf") for p in LONG_PDF_PAGES},
    }


def _count_tables(blocks: list[Block]) -> int:
    return sum(isinstance(b, Grid) for b in blocks)


def _kind_for(index: int) -> str:
    """6 in 10 notices are 佳县-style frameworks, 3 the 柞水县 declaration notice, 1 the 办法."""
    return ("jia", "jia", "zhashui", "jia", "rules", "jia", "zhashui", "jia", "zhashui", "jia")[index % 10]


def write_notice(kind: str, blocks: list[Block], path: Path) -> None:
    if path.suffix == ".docx":
        _write_docx(blocks, path)
    elif path.suffix == ".txt":
        (write_txt_cells if kind == "jia" else write_txt_rows)(blocks, path)
    else:
        page = {"site": "人民政府", "host": "人民政府办公室", "title": V.title_of(blocks)}
        page |= {"pubdate": "2020-04-21", "source": "考核办"}
        write_html(blocks, path, page=page, cell_paragraphs=kind == "jia")


def build_corpus(out: Path, seed: int, notices: int, previous: dict) -> dict:
    """``notices`` varied notices in corpus/; the PDFs come from .docx in pdf-src/ (one soffice call)."""
    rng = random.Random(seed + 1)
    corpus, pdf_src = out / "corpus", out / "pdf-src"
    shutil.rmtree(corpus, ignore_errors=True)  # pdf-src/ stays: its PDFs are reused while their .docx are unchanged
    for folder in (corpus, pdf_src):
        folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    pdf_sources: list[Path] = []
    other_formats = (".docx", ".txt", ".html")
    for index in range(notices):
        kind = _kind_for(index)
        variant = V.random_variant(rng, index + 1)
        blocks = V.variant_blocks(kind, variant)
        stem = f"{index:04d}-{variant.county}{variant.year}-{kind}"
        if index % PDF_EVERY == PDF_EVERY - 1:
            path = pdf_src / f"{stem}.docx"
            pdf_sources.append(path)
            files[f"{stem}.pdf"] = kind
        else:
            path = corpus / f"{stem}{other_formats[index % 3]}"
            files[path.name] = kind
        write_notice(kind, blocks, path)
    stamp = hashlib.sha256(b"".join(_sha(p).encode() for p in pdf_sources)).hexdigest()
    cached = pdf_src / "pdf"
    if previous.get("pdf_sources_sha") != stamp or not all((cached / f"{p.stem}.pdf").exists() for p in pdf_sources):
        log.info("LibreOffice: %d corpus notices → PDF (one soffice call)", len(pdf_sources))
        shutil.rmtree(cached, ignore_errors=True)
        soffice_to_pdf(pdf_sources, cached)
    for source in pdf_sources:
        shutil.copyfile(cached / f"{source.stem}.pdf", corpus / f"{source.stem}.pdf")
    pages = {name: pdf_pages(corpus / name) for name in files if name.endswith(".pdf")}
    return {"corpus": {"path": str(corpus), "files": files, "pdf_pages": pages}, "pdf_sources_sha": stamp}


def build_bulk(out: Path, seed: int, count: int) -> dict:
    """``count`` 佳县-style .txt notices for the query store."""
    rng = random.Random(seed + 2)
    bulk = out / "bulk"
    shutil.rmtree(bulk, ignore_errors=True)
    bulk.mkdir(parents=True)
    for index in range(count):
        variant = V.random_variant(rng, 1000 + index)
        write_txt_cells(V.variant_blocks("jia", variant), bulk / f"{index:04d}-{variant.county}{variant.year}.txt")
    return {"bulk": {"path": str(bulk), "files": count}}


def bulk_count(notices: int) -> int:
    """Enough bulk notices that corpus + bulk hold ≥ MIN_INDICATORS, and not many more: the query store
    is meant to be about 100,000 indicators (two-character queries scan it, so its size is the measure)."""
    return max(0, -(-(MIN_INDICATORS - CORPUS_INDICATORS_PER_NOTICE * notices) // BULK_INDICATORS_PER_NOTICE) + 20)


def ensure_corpus(out: Path = DEFAULT_OUT, *, seed: int = SEED, notices: int = 240, force: bool = False) -> dict:
    """Build (or reuse) every input; return the manifest."""
    manifest_path = out / "manifest.json"
    previous = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    params = {"version": MANIFEST_VERSION, "seed": seed, "notices": notices}
    if not force and previous.get("params") == params:
        return previous
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    manifest = {"params": params}
    manifest |= build_inputs(out, seed, previous)
    manifest |= build_corpus(out, seed, notices, previous)
    manifest |= build_bulk(out, seed, bulk_count(notices))
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    log.info("benchmark inputs ready in %s (%.0f s)", out, time.perf_counter() - started)
    return manifest


def build_query_store(manifest: dict, path: Path, *, force: bool = False) -> int:
    """A real kaohe store of corpus/ + bulk/ (ingested through the pipeline); returns its indicator count."""
    from ingest.pipeline import ingest_paths
    from store import Store
    from store.queries import counts

    stamp = path.with_suffix(".stamp")
    schema = (Path(V.ROOT) / "store" / "schema.py").read_bytes()  # a schema change rebuilds the store
    expected = json.dumps(manifest["params"]) + hashlib.sha256(schema).hexdigest()
    if not force and path.exists() and stamp.exists() and stamp.read_text() == expected:
        store = Store(path)
        try:
            return counts(store.db)["indicators"]
        finally:
            store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    store = Store(path)
    try:
        summary = ingest_paths([Path(manifest["corpus"]["path"]), Path(manifest["bulk"]["path"])], store)
        indicators = counts(store.db)["indicators"]
    finally:
        store.close()
    log.info("query store: %d files, %d indicators in %.0f s", len(summary.files), indicators, summary.seconds)
    if indicators < MIN_INDICATORS:
        raise SystemExit(f"query store has {indicators} indicators, fewer than {MIN_INDICATORS}")
    stamp.write_text(expected)
    log.debug("built in %.1f s", time.perf_counter() - started)
    return indicators


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--notices", type=int, default=240, help="corpus size (default 240)")
    parser.add_argument("--force", action="store_true", help="rebuild even if the manifest matches")
    parser.add_argument("--query-store", action="store_true", help="also build out/query-store.db")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    manifest = ensure_corpus(args.out, seed=args.seed, notices=args.notices, force=args.force)
    print(f"large.docx: {manifest['large_docx']['table_rows']} table rows in {manifest['large_docx']['tables']} tables")
    print(f"long.pdf: {manifest['long_pdf']['pages']} pages; cut to {', '.join(manifest['pdfs'])} pages")
    files = manifest["corpus"]["files"]
    by_suffix = {s: sum(1 for f in files if f.endswith(s)) for s in (".docx", ".txt", ".html", ".pdf")}
    print(f"corpus: {len(files)} notices {by_suffix}; bulk: {manifest['bulk']['files']} .txt notices")
    if args.query_store:
        indicators = build_query_store(manifest, args.out / "query-store.db", force=args.force)
        print(f"query store: {indicators} indicators")
    return 0


if __name__ == "__main__":
    sys.exit(main())
