"""Scanned and photographed notices (issue 17): read offline by OCR into the same document model.

The scans are made from our own sample by ``scripts/make_scans.py`` (``tests/data/scans/SOURCE.md``):
a copier's scan of the 佳县 2020 notice's first seven pages in ``samples/``, a grey PNG and a
black-and-white two-page TIFF of the first table page, a phone photo of it, a PDF mixing typed and
scanned pages, a blank scan and a photo. Each file is read once per session (OCR costs seconds).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ocr_twins import compare_twins
from PIL import Image

from cli import cli, ingest_command
from parsers import Document, Table, parse

ROOT = Path(__file__).resolve().parent.parent
TYPED = ROOT / "samples" / "佳县2020年度目标责任考核指标.pdf"
SCANNED = ROOT / "samples" / "佳县2020年度目标责任考核指标（扫描件）.pdf"
SCANS = ROOT / "tests" / "data" / "scans"


@pytest.fixture(scope="session")
def scanned() -> Document:
    return parse(SCANNED)


@pytest.fixture(scope="session")
def typed() -> Document:
    return parse(TYPED)


def _first_table(document: Document) -> Table:
    return document.tables[0]


def _category_spans(table: Table) -> list[tuple[str, int]]:
    return [(c.text.split("\n")[0].split("(")[0], c.rowspan) for row in table.rows for c in row if c.col == 0][1:]


def test_scan_answers_the_owner_questions_of_its_typed_twin(typed: Document, scanned: Document) -> None:
    report = compare_twins(typed, scanned)
    assert report.rows >= 45  # the 市考 decomposition on pages 3–4
    assert report.share >= 0.95, "\n".join(report.misses)


def test_scan_provenance_names_the_ocr_pages_and_engine(scanned: Document) -> None:
    assert scanned.source.format == "pdf"
    assert scanned.source.ocr_pages == [1, 2, 3, 4, 5, 6, 7]
    assert scanned.source.ocr_engine is not None and scanned.source.ocr_engine.startswith("RapidOCR 3.")
    assert all(p.page is not None for p in scanned.paragraphs)
    assert all(len(t.row_pages) == t.n_rows and None not in t.row_pages for t in scanned.tables)
    cells = [c for t in scanned.tables for row in t.rows for c in row if c.text]
    assert cells and all(c.confidence is not None and 0 < c.confidence <= 1 for c in cells)


def test_scan_metadata_is_read_like_the_typed_notice(typed: Document, scanned: Document) -> None:
    for field in ("doc_number", "date", "title"):
        assert getattr(scanned.metadata, field) == getattr(typed.metadata, field), field


def test_merged_category_cells_come_out_as_spans(typed: Document, scanned: Document) -> None:
    spans = _category_spans(_first_table(scanned))
    assert spans[:3] == [("经济发展", 12), ("民生保障", 8), ("乡村振兴", 9)]
    assert spans == _category_spans(_first_table(typed))


def test_table_continued_on_the_next_scanned_page_is_one_table(typed: Document, scanned: Document) -> None:
    assert _first_table(scanned).n_rows == _first_table(typed).n_rows == 49
    assert sorted(set(_first_table(scanned).row_pages)) == [3, 4]


def test_kaohe_owner_on_the_ingested_scan(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "scan.db"
    result = runner.invoke(ingest_command, [str(SCANNED), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    answer = runner.invoke(cli, ["owner", "营造林面积", "--db", str(db), "--json"])
    assert answer.exit_code == 0, answer.output
    rows = json.loads(answer.stdout)
    row = next(r for r in rows if r["indicator"] == "营造林面积4万亩")
    assert (row["lead"], row["points"], row["source"]["page"]) == ("县林业局", 2, 4)
    assert row["source"]["file"].endswith("（扫描件）.pdf")


def test_a_worker_that_read_a_scan_reads_the_next_notice_in_full(tmp_path: Path) -> None:
    """The worker keeps its OCR engine after a scan: the next file's memory cap starts from there, so a
    notice whose prose first loads jieba is read, not failed with ``failed to map segment`` (one worker)."""
    runner = CliRunner()
    files = [SCANS / "佳县2020-第3页.png", ROOT / "samples" / "柞水县年度目标责任考核工作办法.docx"]
    result = runner.invoke(ingest_command, [*map(str, files), "--db", str(tmp_path / "k.db"), "-j", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert [f["status"] for f in json.loads(result.stdout)["files"]] == ["added", "added"]


def test_mixed_pdf_reads_text_pages_from_the_text_layer_and_ocrs_the_scan() -> None:
    document = parse(SCANS / "混合-文字页与扫描页.pdf")
    assert document.source.ocr_pages == [3]
    typed_pages = [p for p in document.paragraphs if p.page in (1, 2)]
    assert typed_pages and all(p.confidence is None for p in typed_pages)
    assert document.metadata.doc_number == "佳考办发〔2020〕5号"
    table = _first_table(document)
    assert set(table.row_pages) == {3}
    assert _category_spans(table)[:2] == [("经济发展", 12), ("民生保障", 8)]


@pytest.mark.parametrize("name", ["佳县2020-第3页.png", "佳县2020-第3页-手机拍摄.jpg"])
def test_image_of_a_table_page(name: str) -> None:
    document = parse(SCANS / name)
    assert (document.source.format, document.source.ocr_pages) == ("image", [1])
    table = _first_table(document)
    assert _category_spans(table)[:3] == [("经济发展", 12), ("民生保障", 8), ("乡村振兴", 9)]
    owners = {row[1].text.split("（")[0].split("(")[0]: row[2].text for row in table.rows[1:3] if len(row) > 2}
    assert owners == {"生产总值增长7%": "县发展改革和科技局"}


def test_multi_page_tiff_is_one_notice_with_its_table_joined() -> None:
    document = parse(SCANS / "佳县2020-第3至4页.tif")
    assert (document.source.pages, document.source.ocr_pages) == (2, [1, 2])
    table = _first_table(document)
    assert table.n_rows == 49 and set(table.row_pages) == {1, 2}


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_page_scanned_sideways_or_upside_down(tmp_path: Path, turn: int) -> None:
    path = tmp_path / f"turned{turn}.png"
    with Image.open(SCANS / "佳县2020-第3页.png") as page:
        page.rotate(turn, expand=True).save(path, dpi=(200, 200))
    table = _first_table(parse(path))
    assert _category_spans(table)[:3] == [("经济发展", 12), ("民生保障", 8), ("乡村振兴", 9)]


@pytest.mark.parametrize("name", ["空白页.pdf", "照片页.pdf"])
def test_page_without_text_is_reported_not_invented(name: str) -> None:
    document = parse(SCANS / name)
    assert document.blocks == []
    assert [(w.code, w.page) for w in document.warnings] == [("ocr_no_text", 1)]


def test_without_the_engine_scans_get_no_text_layer_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAOHE_OCR", "off")
    document = parse(SCANS / "佳县2020-第3页.png")
    assert document.blocks == [] and document.source.ocr_engine is None
    assert [(w.code, w.page) for w in document.warnings] == [("no_text_layer", 1)]
    assert "KAOHE_OCR=off" in document.warnings[0].message


def test_parse_json_says_which_pages_were_ocred() -> None:
    result = CliRunner().invoke(cli, ["parse", str(SCANS / "混合-文字页与扫描页.pdf"), "--json"])
    assert result.exit_code == 0, result.output
    source = json.loads(result.stdout)["source"]
    assert source["ocr_pages"] == [3] and source["ocr_engine"].startswith("RapidOCR")


def test_an_engine_that_cannot_load_gives_no_text_layer_naming_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import parsers.ocr_engine as ocr_engine

    monkeypatch.setattr(ocr_engine, "_engine", None)  # the process's engine, loaded again
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # as if the package were missing: import fails
    document = parse(SCANS / "混合-文字页与扫描页.pdf")
    assert document.source.ocr_pages == [] and document.metadata.doc_number == "佳考办发〔2020〕5号"
    assert [(w.code, w.page) for w in document.warnings] == [("no_text_layer", 3)]
    assert "文字识别组件未安装（rapidocr）" in document.warnings[0].message
