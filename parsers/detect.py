"""Detect a file's format from its content, not only from its name."""

from __future__ import annotations

import codecs
import hashlib
import zipfile
from pathlib import Path

from parsers.document import Format, Source
from parsers.errors import ParseError, UnsupportedFormat

SUFFIXES: dict[str, Format] = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".doc": "doc",
    ".wps": "wps",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF (both byte orders)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta")
_FORMATS_READ = "kaohe 读取 .docx、.pdf、.txt、.html、.doc、.wps 格式的通知，以及扫描或拍摄的 .png、.jpg、.tif 图像"
DAMAGED_DOCX = "不是有效的 .docx 文件（{}），文件可能已损坏或未下载完整"
DAMAGED_DOCX_HINT = "请重新下载，或用 Word/WPS 打开后另存为 .docx"


def detect_format(path: Path, head: bytes) -> Format:
    """The format of ``path`` judged from its first bytes (``head``) and, for ZIPs, its entries."""
    suffix = path.suffix.lower()
    if not head:
        raise ParseError(path, "文件是空的（0 字节）", "文件可能未下载完整或未保存，请重新下载或保存")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith(_OLE2):
        return "wps" if suffix == ".wps" else "doc"
    wide = utf16_encoding(head)
    if wide is not None:
        sample = head[: len(head) // 2 * 2].decode(wide, errors="replace").lstrip("\ufeff \t\r\n").lower()
        return "html" if any(m.decode() in sample[:2048] for m in _HTML_MARKERS) else "txt"
    lowered = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in lowered[:2048] for marker in _HTML_MARKERS):
        return "html"
    if _looks_like_text(head) or (b"\x00" in head and _looks_like_text(head.replace(b"\x00", b""))):
        return "txt"  # NUL bytes (padding, a damaged save) are removed by the text reader, which says so
    expected = SUFFIXES.get(suffix)
    if expected in ("pdf", "docx", "doc", "wps", "image"):
        kind = suffix.lstrip(".") if expected == "image" else expected
        problem = f"不是有效的 .{kind} 文件（内容中没有 {kind.upper()} 文件标志）"
        raise ParseError(path, problem, "文件可能已损坏，或其实是别的格式：请用原来的程序打开后重新保存")
    raise UnsupportedFormat(path, "不是 kaohe 能读取的通知格式", _FORMATS_READ)


def might_need_ocr(path: Path) -> bool:
    """True for a PDF or an image (by content): the files whose pages may be scans."""
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError:
        return False
    return b"%PDF-" in head or head.startswith(_IMAGE_MAGIC)


def utf16_encoding(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` for UTF-16 text (Notepad's "Unicode"), with or without a BOM.

    Without a BOM, UTF-16 is recognised by its NULs (the high bytes of ASCII characters, the low
    bytes of 一 U+4E00 or the ideographic space U+3000) and by what it decodes to: the byte order
    whose characters are at least 90 % Chinese, CJK punctuation, full-width forms or printable ASCII
    wins. UTF-8 or GBK text has no NULs; binary data decodes to scattered code points.
    """
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    sample = head[: len(head) // 2 * 2]
    if sample.count(0) < 2:
        return None
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        share = sum(1 for ch in text if _plausible(ch)) / max(len(text), 1)
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, encoding)
    return best[1] if best else None


def _plausible(ch: str) -> bool:
    """A character a Chinese notice is made of."""
    code = ord(ch)
    if code < 0x80:
        return ch.isprintable() or ch in "\t\r\n\f"
    return 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F


def _zip_format(path: Path) -> Format:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as e:
        raise ParseError(path, DAMAGED_DOCX.format("ZIP 容器无法读取"), DAMAGED_DOCX_HINT) from e
    if "word/document.xml" in names:
        return "docx"
    raise UnsupportedFormat(path, "是 ZIP 压缩包，但不是 Word 文档（其中没有 word/document.xml）", _FORMATS_READ)


def _looks_like_text(head: bytes) -> bool:
    """True when the bytes decode as UTF-8 or GB18030 with few control characters."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # A multi-byte character may be cut at the end of the sample: final=False leaves it out
            # (slicing off a fixed number of bytes can itself cut a character).
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return _few_controls(text)
    return False


def _few_controls(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls <= len(text) // 100


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks: the identity of a document's content."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(path: Path, fmt: Format, **extra: object) -> Source:
    """A ``Source`` for ``path``: its sha256, size and detected format."""
    return Source(path=str(path), sha256=file_sha256(path), format=fmt, size=path.stat().st_size, **extra)  # type: ignore[arg-type]
