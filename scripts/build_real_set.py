"""Build the real-notice test set in tests/data/real/ (run: ``python scripts/build_real_set.py``).

Each folder ``tests/data/real/<slug>/`` holds one real assessment table rebuilt from a public
notice: ``SOURCE.md`` (where the text came from, what was kept), ``expected.json`` (the rows as a
person reads them, written by hand from the source, never from kaohe's output) and the notice in
the formats an office receives. A ``spec.py`` beside them describes the notice with the samples'
block model (``scripts/sample_model.py``: ``Para``, ``grid`` with ``UP``/``LEFT`` merge markers)
and names the formats to write::

    TITLE = "…"; ISSUER = "…"; DATE = (2012, 7, 6)
    FORMATS = ("docx", "html", "pdf")   # written here; a copied web text (notice.txt) is kept by hand
    PAGE = {"site": "…", "host": "…", "pubdate": "2012-07-06", "source": "…"}   # for the .html
    def blocks() -> list[Block]: ...

The .pdf is converted from the .docx by LibreOffice and re-made only when the .docx changed,
when it is missing, or with ``--force``. Usage: python scripts/build_real_set.py [--force] [SLUG...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import logging
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from build_samples import _soffice_convert
from sample_docx import write_docx
from sample_text import write_html

log = logging.getLogger("build_real_set")
ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"
STEM = "notice"


def load_spec(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"real_spec_{folder.name.replace('-', '_')}", folder / "spec.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{folder}: no spec.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(folder: Path, *, force: bool) -> None:
    spec = load_spec(folder)
    blocks = spec.blocks()
    formats = tuple(spec.FORMATS)
    docx = folder / f"{STEM}.docx"
    changed = False
    if "docx" in formats or "pdf" in formats:  # the PDF is made from the .docx
        before = docx.read_bytes() if docx.exists() else None
        write_docx(blocks, docx, title=spec.TITLE, author=spec.ISSUER, when=dt.datetime(*spec.DATE, 9, 0))
        changed = docx.read_bytes() != before
    if "html" in formats:
        page = {"title": spec.TITLE, **spec.PAGE}
        write_html(blocks, folder / f"{STEM}.html", page=page, cell_paragraphs=getattr(spec, "CELL_PARAGRAPHS", False))
    if "pdf" in formats and (force or changed or not (folder / f"{STEM}.pdf").exists()):
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            log.warning("%s: soffice not found, the .pdf is not re-made", folder.name)
        else:
            with tempfile.TemporaryDirectory(prefix="kaohe-real-") as tmp:
                _soffice_convert(soffice, docx, "pdf", folder / f"{STEM}.pdf", Path(tmp))
    log.info("built %s: %s", folder.name, ", ".join(formats))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="*", help="folders under tests/data/real/ (default: all with a spec.py)")
    parser.add_argument("--force", action="store_true", help="re-make the PDFs even if the .docx is unchanged")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    folders = [REAL / s for s in args.slugs] or sorted(p.parent for p in REAL.glob("*/spec.py"))
    for folder in folders:
        build(folder, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
