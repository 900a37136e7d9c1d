"""Build the sample notices in samples/ (run: ``make samples``).

Every file is written from the fixed content in ``sample_content*.py``:
.docx, .html and .txt are byte-identical on every run; the .pdf, .doc and
.wps come from LibreOffice and are re-made only when their source .docx
changed, when they are missing, or with ``--force`` (LibreOffice stamps a
creation date into them, so re-making them would always dirty the tree).
Without ``soffice`` those steps are skipped and the committed files stay.

Usage: python scripts/build_samples.py [--force] [--skip-convert] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import sample_content as jia
import sample_content_2021 as jia2021
import sample_content_zhashui as zhashui
from sample_docx import write_docx
from sample_model import Block
from sample_text import write_html, write_txt_cells, write_txt_rows

log = logging.getLogger("build_samples")
ROOT = Path(__file__).resolve().parent.parent
JIA_STEM = "佳县2020年度目标责任考核指标"
JIA_2021_STEM = "佳县2021年度目标责任考核指标"  # the 2020 市考 table with documented changes, for kaohe diff
ZHASHUI_NOTICE_STEM = "柞水县2022年度考核指标申报通知"
RULES_STEM = "柞水县年度目标责任考核工作办法"
SOFFICE_TIMEOUT_S = 180


def build_text_formats(out: Path) -> dict[Path, bool]:
    """Write the .docx/.html/.txt samples; map each .docx to whether its bytes changed."""
    jia_blocks = jia.blocks()
    changed = {
        out / f"{JIA_STEM}.docx": _write_docx_if(
            jia_blocks, out / f"{JIA_STEM}.docx", jia.TITLE, jia.ISSUER, dt.datetime(2020, 4, 20, 9, 0)
        ),
        out / f"{RULES_STEM}.docx": _write_docx_if(
            zhashui.rules_blocks(),
            out / f"{RULES_STEM}.docx",
            f"关于印发《{zhashui.RULES_TITLE}》的通知",
            "柞水县人民政府办公室",
            dt.datetime(2022, 3, 21, 9, 0),
        ),
    }
    jia_2021_blocks = jia2021.blocks()
    changed[out / f"{JIA_2021_STEM}.docx"] = _write_docx_if(
        jia_2021_blocks, out / f"{JIA_2021_STEM}.docx", jia2021.TITLE, jia2021.ISSUER, dt.datetime(2021, 4, 16, 9, 0)
    )
    write_txt_cells(jia_2021_blocks, out / f"{JIA_2021_STEM}.txt")
    write_txt_cells(jia_blocks, out / f"{JIA_STEM}.txt")
    write_html(
        jia_blocks,
        out / f"{JIA_STEM}.html",
        page={
            "site": "佳县人民政府",
            "host": "佳县人民政府办公室",
            "title": jia.TITLE,
            "pubdate": "2020-04-21",
            "source": "县考核办",
        },
        cell_paragraphs=True,
    )
    notice = zhashui.notice_blocks()
    write_txt_rows(notice, out / f"{ZHASHUI_NOTICE_STEM}.txt")
    write_html(
        notice,
        out / f"{ZHASHUI_NOTICE_STEM}.html",
        page={
            "site": "柞水县人民政府",
            "host": "柞水县人民政府办公室",
            "title": zhashui.NOTICE_TITLE,
            "pubdate": "2022-05-24",
            "source": "柞水县考核委员会办公室",
        },
        cell_paragraphs=False,
    )
    return changed


def _write_docx_if(blocks: list[Block], path: Path, title: str, author: str, when: dt.datetime) -> bool:
    before = path.read_bytes() if path.exists() else None
    write_docx(blocks, path, title=title, author=author, when=when)
    return path.read_bytes() != before


def convert_with_libreoffice(changed: dict[Path, bool], out: Path, *, force: bool) -> None:
    """The .pdf and .doc of the main notice, the .wps of the 办法 (a .doc renamed)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    jobs = [
        (out / f"{JIA_STEM}.docx", "pdf", out / f"{JIA_STEM}.pdf"),
        (out / f"{JIA_STEM}.docx", "doc", out / f"{JIA_STEM}.doc"),
        # LibreOffice cannot write WPS; a Word 97 file named .wps is what WPS users often exchange anyway.
        (out / f"{RULES_STEM}.docx", "doc", out / f"{RULES_STEM}.wps"),
    ]
    todo = [job for job in jobs if force or changed[job[0]] or not job[2].exists()]
    if not todo:
        log.info("LibreOffice outputs are up to date (use --force to re-make them)")
        return
    if soffice is None:
        log.warning("soffice not found: skipped %s (the committed files are kept)", ", ".join(j[2].name for j in todo))
        return
    with tempfile.TemporaryDirectory(prefix="kaohe-samples-") as tmp:
        for source, fmt, target in todo:
            _soffice_convert(soffice, source, fmt, target, Path(tmp))


def _soffice_convert(soffice: str, source: Path, fmt: str, target: Path, tmp: Path) -> None:
    outdir = tmp / fmt
    command = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation=file://{tmp / 'profile'}",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S, check=False)
    produced = outdir / f"{source.stem}.{fmt}"
    if result.returncode != 0 or not produced.exists():
        raise SystemExit(
            f"LibreOffice failed to convert {source.name} to {fmt}: {result.stderr.strip() or result.stdout}"
        )
    shutil.copyfile(produced, target)
    log.info("wrote %s", target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "samples", help="output folder (default: samples/)")
    parser.add_argument("--force", action="store_true", help="re-make the LibreOffice outputs even if unchanged")
    parser.add_argument("--skip-convert", action="store_true", help="write only .docx/.html/.txt")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    changed = build_text_formats(args.out)
    log.info("wrote .docx/.html/.txt samples in %s", args.out)
    if not args.skip_convert:
        convert_with_libreoffice(changed, args.out, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
