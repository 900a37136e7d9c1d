"""The exported 一览表 rendered by LibreOffice: pages, title, a known row, the header on every page.

One LibreOffice run converts all four files (it is slow); skipped with the reason when ``soffice``
is absent. Page counts are checked as ranges: they depend on the CJK fonts installed (here
fonts-noto-cjk stands in for 仿宋_GB2312 and 方正小标宋简体).
"""

from __future__ import annotations

import shutil
import subprocess

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from cli import ingest_command
from export import write_breakdown
from export.breakdown import build_breakdown
from store import Store
from store.breakdown_queries import frameworks_of

TITLE = "佳县2020年度市考核县指标任务和责任分解一览表"
FILES = {"cat-docx": ("category", "docx"), "dept-docx": ("dept", "docx"),
         "cat-xlsx": ("category", "xlsx"), "dept-xlsx": ("dept", "xlsx")}  # fmt: skip


@pytest.fixture(scope="session")
def pdf_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, float, float]]]:
    """Each exported file's PDF pages as (text without spaces, width, height)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the exports to PDF")
    work = tmp_path_factory.mktemp("render")
    notices = work / "notices"
    notices.mkdir()
    shutil.copy(SAMPLES / "佳县2020年度目标责任考核指标.docx", notices)
    db = work / "kaohe.db"
    result = CliRunner().invoke(ingest_command, [str(notices), "--db", str(db), "-s"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = Store(db)
    found = frameworks_of(store.db, "佳县", 2020)
    paths = []
    for name, (by, fmt) in FILES.items():
        path = work / f"{name}.{fmt}"
        write_breakdown(build_breakdown(store.db, found, by=by), path)  # type: ignore[arg-type]
        paths.append(str(path))
    profile = (work / "lo-profile").as_uri()  # a private profile: parallel runs do not share a lock
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
               str(work / "pdf"), *paths]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    pages = {}
    for name in FILES:
        with pdfplumber.open(work / "pdf" / f"{name}.pdf") as pdf:
            pages[name] = [("".join((p.extract_text() or "").split()), p.width, p.height) for p in pdf.pages]
    return pages


@pytest.mark.parametrize("name", list(FILES))
def test_rendered_pages(pdf_pages: dict[str, list[tuple[str, float, float]]], name: str) -> None:
    pages = pdf_pages[name]
    assert 2 <= len(pages) <= 8, f"{name}: {len(pages)} pages"
    first, width, height = pages[0]
    assert width > height  # A4 landscape
    assert TITLE in first
    assert first.startswith("附件")
    text = "".join(p[0] for p in pages)
    assert "营造林面积4万亩" in text
    assert "县林业局" in text
    for number, (page_text, _, _) in enumerate(pages, start=1):
        assert "考核指标" in page_text and "牵头单位" in page_text, f"{name}: no header row on page {number}"


def test_rendered_footers(pdf_pages: dict[str, list[tuple[str, float, float]]]) -> None:
    assert pdf_pages["cat-docx"][0][0].endswith("—1—")
    n = len(pdf_pages["cat-xlsx"])
    assert f"第1页，共{n}页" in pdf_pages["cat-xlsx"][0][0]


def test_rendered_totals(pdf_pages: dict[str, list[tuple[str, float, float]]]) -> None:
    assert "合计96" in "".join(p[0] for p in pdf_pages["cat-docx"])
    dept_text = "".join(p[0] for p in pdf_pages["dept-xlsx"])
    assert "一、县发展改革和科技局（牵头14项，计27.5分；配合0项）" in dept_text
    assert "小计（牵头指标）27.5" in dept_text
