"""Open a Word package safely: the ZIP directory checked before anything is inflated, only the
main document part read (in chunks, up to ``max_xml_mb``), no DTD (``parsers.limits``)."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from docx.oxml.parser import parse_xml
from lxml import etree

from parsers.detect import DAMAGED_DOCX, DAMAGED_DOCX_HINT
from parsers.errors import ParseError, unreadable
from parsers.limits import Limits, read_capped

__all__ = ["load_body"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORRUPT = (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, zlib.error, EOFError, NotImplementedError)
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type (transitional and strict)
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RATIO_FLOOR = 1 << 20  # parts smaller than 1 MB inflated are not judged by their compression ratio
_DTD = tuple(b"<!DOCTYPE".decode().encode(e) for e in ("ascii", "utf-16-le", "utf-16-be"))


def load_body(path: Path, lim: Limits) -> etree._Element:
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip_directory(path, archive, lim)
            root = parse_xml(_read_part(path, archive, _main_part_name(path, archive), lim))
    except OSError as e:
        raise unreadable(path, e) from e
    except _CORRUPT as e:
        raise ParseError(path, DAMAGED_DOCX.format(_corruption(e)), DAMAGED_DOCX_HINT) from e
    body = root.find(f"{_W}body")
    if body is None:
        raise ParseError(path, DAMAGED_DOCX.format("正文部件中没有 w:body"), DAMAGED_DOCX_HINT)
    return body


def check_zip_directory(path: Path, archive: zipfile.ZipFile, lim: Limits) -> None:
    """Refuse a ZIP bomb from the ZIP directory alone, before anything is inflated.

    ``zipfile`` never inflates a member past its declared size (its reader stops there and then
    fails the CRC), so the declared sizes checked here bound what reading can cost.
    """
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= _RATIO_FLOOR and ratio > lim.max_zip_ratio:
            found = f"部件 {info.filename} 解压后 {info.file_size / 2**20:.0f} MB，压缩比 {ratio:.0f}（疑似 ZIP 炸弹）"
            raise lim.exceeded(path, "max_zip_ratio", found)
    if total > lim.max_unzipped_mb * 2**20:
        raise lim.exceeded(path, "max_unzipped_mb", f"该文件解压后共 {total / 2**20:.0f} MB")


def _main_part_name(path: Path, archive: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (``word/document.xml`` by default)."""
    try:
        rels = etree.fromstring(archive.read("_rels/.rels"), etree.XMLParser(resolve_entities=False, no_network=True))
    except KeyError:
        return "word/document.xml"
    for rel in rels.iter(_RELATIONSHIP):
        if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            return (rel.get("Target") or "").lstrip("/")
    return "word/document.xml"


def _read_part(path: Path, archive: zipfile.ZipFile, name: str, lim: Limits) -> bytes:
    """A part's bytes, read in chunks up to ``max_xml_mb``; a part declaring a DTD is refused."""
    cap = int(lim.max_xml_mb * 2**20)
    over = lim.exceeded(path, "max_xml_mb", f"正文部件 {name} 解压后超过 {lim.max_xml_mb:g} MB")
    if archive.getinfo(name).file_size > cap:
        raise over
    with archive.open(name) as stream:
        data = read_capped(stream, cap, over)
    if any(dtd in data for dtd in _DTD):
        raise ParseError(path, f"拒绝读取：正文部件 {name} 含有 DTD 声明（<!DOCTYPE>，可用于实体炸弹；Word 从不写入）")
    return data


def _corruption(error: Exception) -> str:
    """What is broken, in words a user can act on."""
    if isinstance(error, zipfile.BadZipFile | zlib.error | EOFError | NotImplementedError):
        return "ZIP 容器无法读取"
    if isinstance(error, etree.XMLSyntaxError):
        return f"XML 有语法错误：{error}"
    if isinstance(error, KeyError):
        return f"缺少必需的部件：{error}"
    return f"{type(error).__name__}: {error}"
