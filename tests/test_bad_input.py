"""Bad input: every file kaohe cannot read gives one clear line, never a traceback.

Through ``parsers.parse`` a bad file raises a typed ``IngestError`` whose message starts
with the path; through ``kaohe parse FILE`` the same message is printed to stderr as
``错误：<path>: <problem>``, nothing goes to stdout, and the exit code is 1. Files that
are odd but readable (GBK text, a page without tables, a scanned PDF page) parse, with the
oddity recorded (encoding, warning) instead of garbage.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLES, pdf_bytes

from cli import cli
from parsers import parse
from parsers.errors import IngestError

MAIN = "佳县2020年度目标责任考核指标"
ENCRYPTED_PDF = ROOT / "tests" / "data" / "pdf" / "encrypted.pdf"


def random_bytes(n: int, seed: int = 2) -> bytes:
    return random.Random(seed).randbytes(n)


def png_bytes() -> bytes:
    """A 2×2 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (2).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff" * 6 for _ in range(2)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf_with_scanned_page() -> bytes:
    """Two pages: page 1 has a line of text, page 2 only a grey image (a scan OCR reads nothing on)."""
    text = b"BT /F1 12 Tf 72 720 Td (Kaohe assessment notice) Tj ET"
    image = b"q 400 0 0 600 100 100 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R"
        b" /Resources << /Font << /F1 7 0 R >> >> >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R"
        b" /Resources << /XObject << /Im1 8 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(image), image),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x80\x80\x80\nendstream",
    ]
    return pdf_bytes(objects)


def zip_without_document() -> bytes:
    """A ZIP archive holding no ``word/document.xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a notice")
    return buffer.getvalue()


# fmt: off
# name → (how to make the bytes, words the one-line message must contain)
BAD_FILES: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty.docx": (lambda: b"", "文件是空的"),
    "empty.pdf": (lambda: b"", "文件是空的"),
    "empty.txt": (lambda: b"", "文件是空的"),
    "truncated.docx": (lambda: (SAMPLES / f"{MAIN}.docx").read_bytes()[:3000], "（ZIP 容器无法读取）"),
    "truncated.pdf": (lambda: (SAMPLES / f"{MAIN}.pdf").read_bytes()[:20000], "不是有效的 PDF 文件"),
    "random.pdf": (lambda: random_bytes(4000), "不是有效的 .pdf 文件"),
    "random.txt": (lambda: random_bytes(4000, seed=3), "不是 kaohe 能读取的通知格式"),
    "encrypted.pdf": (lambda: ENCRYPTED_PDF.read_bytes(), "PDF 已加密，需要密码"),
    "picture.gif": (lambda: b"GIF89a\x02\x00\x02\x00\x00\x00\x00;", "不是 kaohe 能读取的通知格式"),
    "truncated.png": (lambda: png_bytes()[:40], "图像无法读取"),
    "empty-canvas.jpg": (lambda: b"\xff\xd8\xff\xe0" + bytes(60), "图像无法读取"),
    "archive.zip": (zip_without_document, "不是 Word 文档"),
    "no-document.docx": (zip_without_document, "不是 Word 文档"),
    "not-ole.doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"),
}
# fmt: on


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    for name, (make, _) in BAD_FILES.items():
        (folder / name).write_bytes(make())
    return folder


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_parse_raises_a_typed_error_naming_the_file(bad_dir: Path, name: str) -> None:
    path = bad_dir / name
    with pytest.raises(IngestError) as caught:
        parse(path)
    message = str(caught.value)
    assert message.startswith(f"{path}：")
    assert BAD_FILES[name][1] in message
    assert f"；{caught.value.hint}" in message and caught.value.hint  # what to do follows what is wrong
    assert "\n" not in message


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_cli_prints_one_error_line_and_exits_1(bad_dir: Path, name: str) -> None:
    path = bad_dir / name
    result = run_cli("parse", str(path))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not an uncaught exception
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"错误：{path}：")
    assert BAD_FILES[name][1] in lines[0]


def test_missing_file_is_a_parse_error_and_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "不存在.docx"
    with pytest.raises(IngestError, match="无法读取（No such file or directory）；请确认文件存在"):
        parse(missing)
    result = run_cli("parse", str(missing))
    assert result.exit_code == 2  # click.Path(exists=True): a usage error
    assert "Traceback" not in result.output
    assert "不存在" in result.stderr


# --- odd but readable ---------------------------------------------------------------------------

GBK_NOTICE = "佳县考核委员会办公室\n关于印发考核指标的通知\n各镇党委、政府：\n　　现将考核指标印发给你们。\n"


def test_gbk_text_is_read_and_its_encoding_recorded(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(GBK_NOTICE.encode("gbk"))
    document = parse(path)
    assert document.source.encoding == "gb18030"  # GBK's superset, so GBK-only characters decode too
    assert [p.text for p in document.paragraphs][:2] == ["佳县考核委员会办公室", "关于印发考核指标的通知"]
    assert document.metadata.title == "关于印发考核指标的通知"
    result = run_cli("parse", "--json", str(path))
    assert result.exit_code == 0
    assert '"encoding": "gb18030"' in result.stdout


def test_html_without_tables_is_read(tmp_path: Path) -> None:
    path = tmp_path / "no-tables.html"
    body = "<p>关于印发考核办法的通知</p><p>各镇：</p><p>现将办法印发给你们。</p>"
    path.write_text(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>', encoding="utf-8")
    document = parse(path)
    assert document.tables == []
    assert [p.text for p in document.paragraphs] == ["关于印发考核办法的通知", "各镇：", "现将办法印发给你们。"]
    assert document.warnings == []
    result = run_cli("parse", str(path))
    assert result.exit_code == 0
    assert "标题：关于印发考核办法的通知" in result.stdout
    assert not re.search(r"^\[\d+\] table ", result.stdout, re.M)


def test_pdf_page_without_text_gives_a_warning_not_garbage(tmp_path: Path) -> None:
    path = tmp_path / "scanned.pdf"
    path.write_bytes(pdf_with_scanned_page())
    document = parse(path)
    assert document.source.pages == 2
    assert [(p.text, p.page) for p in document.paragraphs] == [("Kaohe assessment notice", 1)]
    assert [(w.code, w.page) for w in document.warnings] == [("ocr_no_text", 2)]
    result = run_cli("parse", str(path))
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert "警告：第 2 页经文字识别没有读出文字" in result.stdout
