"""Hostile inputs, built small on disk and huge once inflated or walked (issue 13).

Each builder writes one file into a folder and returns its path; ``scale`` multiplies its size
(the tests use 1; ``benchmarks/fuzz.py --large`` uses more). ``OVER_LIMITS`` names, for each, the
environment variable of the limit that refuses it.
"""

from __future__ import annotations

import random
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from conftest import pdf_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
MAIN = "佳县2020年度目标责任考核指标"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


# --- building hostile files -----------------------------------------------------------------------


def repeated(unit: bytes, total: int) -> Iterator[bytes]:
    block = unit * max(1, (1 << 20) // len(unit))
    for _ in range(0, total, len(block)):
        yield block


def write_docx(path: Path, body: Iterator[bytes], extra: dict[str, Iterator[bytes]] | None = None) -> Path:
    """A Word package whose document.xml body (and any extra part) is streamed in: never held whole."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        parts = {"word/document.xml": _document(body), **(extra or {})}
        for name, chunks in parts.items():
            with archive.open(name, "w", force_zip64=True) as stream:
                for chunk in chunks:
                    stream.write(chunk)
    return path


def _document(body: Iterator[bytes]) -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode()
    yield from body
    yield b"</w:body></w:document>"


def paragraph_bomb(tmp: Path, scale: int = 1) -> Path:
    """256 MB × ``scale`` of paragraphs in one w:body, 0.8 MB × ``scale`` on disk."""
    paragraph = "<w:p><w:r><w:t>考核指标</w:t></w:r></w:p>".encode()
    return write_docx(tmp / "paragraph-bomb.docx", repeated(paragraph, scale * 256 << 20))


def media_bomb(tmp: Path, scale: int = 1) -> Path:
    """A 512 MB × ``scale`` image part of zeros, related to a one-line document (so python-docx loads it)."""
    body = iter(["<w:p><w:r><w:t>正文</w:t></w:r></w:p>".encode()])
    rels = RELS.replace("officeDocument/2006/relationships/officeDocument", "officeDocument/2006/relationships/image")
    rels = rels.replace('Target="word/document.xml"', 'Target="media/image1.png"')
    parts = {
        "word/_rels/document.xml.rels": iter([rels.encode()]),
        "word/media/image1.png": repeated(bytes(4096), scale * 512 << 20),
    }
    return write_docx(tmp / "media-bomb.docx", body, parts)


def big_xml(tmp: Path, scale: int = 1) -> Path:
    """30 MB × ``scale`` of barely compressible text: no ZIP bomb, but over the XML limit."""
    text = random.Random(13).randbytes(scale * 15 << 20).hex().encode()
    return write_docx(tmp / "big-xml.docx", iter([b"<w:p><w:r><w:t>", text, b"</w:t></w:r></w:p>"]))


def billion_laughs(tmp: Path, scale: int = 1) -> Path:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp / "laughs.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document {W}><w:body>'
            "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>",
        )
    return path


def grid_bomb(tmp: Path, scale: int = 1) -> Path:
    """3 KB: 2,000 × ``scale`` one-cell rows each claiming a million empty grid columns after the cell."""
    row = '<w:tr><w:trPr><w:gridAfter w:val="1000000"/></w:trPr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>'
    return write_docx(tmp / "grid-bomb.docx", iter([b"<w:tbl>", row.encode() * 2000 * scale, b"</w:tbl>"]))


def deep_tables(tmp: Path, scale: int = 1) -> Path:
    path, n = tmp / "deep-tables.html", 300 * scale
    path.write_text("<html><body>" + "<table><tr><td>" * n + "深" + "</td></tr></table>" * n + "</body></html>")
    return path


def deep_divs(tmp: Path, scale: int = 1) -> Path:
    path, n = tmp / "deep-divs.html", 100_000 * scale
    path.write_text("<html><body>" + "<div>" * n + "深" + "</div>" * n + "</body></html>")
    return path


def colspan_bomb(tmp: Path, scale: int = 1) -> Path:
    path = tmp / "colspan-bomb.html"
    rows = '<tr><td colspan="1000">宽</td></tr>' * 5000 * scale
    path.write_text(f"<html><body><table><tr><td>甲</td><td>乙</td></tr>{rows}</table></body></html>")
    return path


def big_txt(tmp: Path, scale: int = 1) -> Path:
    """20 MB × ``scale`` of a sample notice repeated."""
    path = tmp / "big.txt"
    sample = (SAMPLES / f"{MAIN}.txt").read_bytes()
    with path.open("wb") as out:
        for _ in range(0, scale * 20 << 20, len(sample)):
            out.write(sample)
    return path


def many_pages(tmp: Path, scale: int = 1) -> Path:
    """A PDF whose page tree holds 600 × ``scale`` pages (their one content stream shared)."""
    n = 600 * scale
    kids = " ".join(f"{4 + i} 0 R" for i in range(n)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    objects.append(b"<< /Length 0 >>\nstream\n\nendstream")
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * n
    return write_pdf(tmp / "many-pages.pdf", objects)


def flate_bomb(tmp: Path, scale: int = 1) -> Path:
    """One page whose 0.2 MB content stream inflates to 64 MB × ``scale`` of text operators."""
    compressor = zlib.compressobj(9)
    ops = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" * 30_000
    data = (
        b"".join(compressor.compress(chunk) for chunk in [ops] * (scale * (64 << 20) // len(ops))) + compressor.flush()
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return write_pdf(tmp / "flate-bomb.pdf", objects)


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) with its cross-reference table."""
    path.write_bytes(pdf_bytes(objects))
    return path


# fmt: off
# name → (builder, the limit's environment variable the message must name)
OVER_LIMITS: dict[str, tuple[Callable[[Path, int], Path], str]] = {
    "paragraph bomb":  (paragraph_bomb, "KAOHE_MAX_ZIP_RATIO"),
    "media bomb":      (media_bomb, "KAOHE_MAX_ZIP_RATIO"),
    "big XML part":    (big_xml, "KAOHE_MAX_XML_MB"),
    "grid bomb":       (grid_bomb, "KAOHE_MAX_CELLS"),
    "deep tables":     (deep_tables, "KAOHE_MAX_HTML_DEPTH"),
    "deep divs":       (deep_divs, "KAOHE_MAX_HTML_DEPTH"),
    "colspan bomb":    (colspan_bomb, "KAOHE_MAX_CELLS"),
    "20 MB text":      (big_txt, "KAOHE_MAX_TEXT_MB"),
    "600 pages":       (many_pages, "KAOHE_MAX_PDF_PAGES"),
    "PDF flate bomb":  (flate_bomb, "KAOHE_MAX_PAGE_CONTENT_MB"),
}
# fmt: on
