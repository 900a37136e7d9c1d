"""Legacy backend (.doc/.wps via LibreOffice): conversion, Source of the original, failure modes."""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
from pathlib import Path

import docx
import pytest

from parsers import docx_parser, legacy_parser
from parsers.document import Document, Table
from parsers.errors import ConverterMissing, ParseError
from parsers.legacy_parser import check_ole2, directory_entry, find_soffice, parse, summarise

_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not on PATH")


def ole2(stream_names: list[str], tail: bytes = b"") -> bytes:
    """A minimal OLE2 compound file (one FAT sector, one directory sector) with empty streams."""
    header = bytearray(512)
    header[:8] = legacy_parser.OLE2_SIGNATURE
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)  # minor, major, byte order, shifts
    struct.pack_into("<9I", header, 40, 0, 1, 1, 0, 4096, _END, 0, _END, 0)  # 1 FAT sector, directory at 1
    struct.pack_into("<109I", header, 76, 0, *([_FREE] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, _END, *([_FREE] * 126))
    names = ["Root Entry", *stream_names]
    entries = []
    for index, name in enumerate(names):
        raw = (name + "\0").encode("utf-16-le")
        entry = bytearray(128)
        entry[: len(raw)] = raw
        kind, child = (5, 1 if stream_names else _FREE) if index == 0 else (2, _FREE)
        right = index + 1 if 0 < index < len(names) - 1 else _FREE
        struct.pack_into("<HBBIII", entry, 64, len(raw), kind, 1, _FREE, right, child)
        struct.pack_into("<IQ", entry, 116, _END, 0)
        entries.append(bytes(entry))
    return bytes(header) + fat + b"".join(entries).ljust(512, b"\0") + tail


def run_soffice_to_doc(source: Path, outdir: Path) -> Path:
    soffice = find_soffice()
    assert soffice is not None
    profile = (outdir / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "doc"]
    subprocess.run([*command, "--outdir", str(outdir), str(source)], capture_output=True, timeout=120, check=True)
    converted = outdir / f"{source.stem}.doc"
    assert converted.is_file(), "LibreOffice did not write the .doc fixture"
    return converted


@pytest.fixture(scope="session")
def word_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(notice.docx, notice.doc): a paragraph and a 3×3 table whose first column is merged vertically."""
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: cannot make the .doc fixture")
    workdir = tmp_path_factory.mktemp("legacy")
    document = docx.Document()
    document.add_paragraph("柞水县考核委员会办公室关于申报2022年度目标责任考核指标任务的通知")
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate((("类别", "指标", "分值"), ("", "地区生产总值", "10"), ("", "招商引资", "5"))):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    table.cell(0, 0).merge(table.cell(2, 0)).text = "经济发展"
    document.add_paragraph("附件：1.考核指标分解表")
    docx_path = workdir / "notice.docx"
    document.save(str(docx_path))
    return docx_path, run_soffice_to_doc(docx_path, workdir)


@pytest.fixture(scope="session")
def parsed_doc(word_files: tuple[Path, Path]) -> Document:
    return parse(word_files[1])


def spans(table: Table) -> list[tuple[int, int, int, int]]:
    return [(c.row, c.col, c.rowspan, c.colspan) for cells in table.rows for c in cells]


@pytest.mark.slow
def test_doc_reads_like_the_docx_it_came_from(word_files: tuple[Path, Path], parsed_doc: Document) -> None:
    original = docx_parser.parse(word_files[0])
    assert [p.text for p in parsed_doc.paragraphs] == [p.text for p in original.paragraphs]
    assert [b.type for b in parsed_doc.blocks] == ["paragraph", "table", "paragraph"]
    (table,) = parsed_doc.tables
    assert table.text_grid() == original.tables[0].text_grid()
    assert spans(table) == spans(original.tables[0])
    assert table.text_grid() == [["经济发展", "指标", "分值"], [None, "地区生产总值", "10"], [None, "招商引资", "5"]]
    assert spans(table)[0] == (0, 0, 3, 1)


@pytest.mark.slow
def test_source_is_the_original_doc(word_files: tuple[Path, Path], parsed_doc: Document) -> None:
    doc_path = word_files[1]
    source = parsed_doc.source
    assert source.format == "doc"
    assert source.path == str(doc_path)
    assert source.sha256 == hashlib.sha256(doc_path.read_bytes()).hexdigest()
    assert source.size == doc_path.stat().st_size
    assert source.converted_with is not None
    assert source.converted_with.startswith("LibreOffice ")


@pytest.mark.slow
def test_wps_reads_too(word_files: tuple[Path, Path], parsed_doc: Document, tmp_path: Path) -> None:
    wps = tmp_path / "通知 (定稿).wps"  # spaces and CJK in the name
    shutil.copyfile(word_files[1], wps)
    document = parse(wps)
    assert document.source.format == "wps"
    assert document.source.path == str(wps)
    assert document.blocks == parsed_doc.blocks


def test_missing_libreoffice_raises_converter_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    path = tmp_path / "notice.doc"
    path.write_bytes(ole2(["WordDocument"]))
    with pytest.raises(ConverterMissing) as caught:
        parse(path)
    assert caught.value.problem == "读取 .doc/.wps 需要 LibreOffice，但没有找到"
    assert caught.value.hint is not None
    assert "apt-get install libreoffice-writer-nogui" in caught.value.hint
    assert "把 soffice 加入 PATH" in caught.value.hint


@pytest.mark.parametrize(
    "content",
    [legacy_parser.OLE2_SIGNATURE + bytes(range(256)) * 16, legacy_parser.OLE2_SIGNATURE, b"{\\rtf1 not ole}" * 64],
    ids=["garbage-after-signature", "truncated", "not-ole2"],
)
def test_invalid_ole2_is_rejected_before_libreoffice(
    content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subprocess, "Popen", _never_called)
    path = tmp_path / "broken.doc"
    path.write_bytes(content)
    with pytest.raises(ParseError, match="OLE2"):
        parse(path)


@pytest.mark.slow
@needs_soffice
def test_garbage_that_libreoffice_cannot_load_raises_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.doc"
    path.write_bytes(ole2(["WordDocument"], tail=bytes(range(256)) * 16))
    with pytest.raises(ParseError, match=r"LibreOffice 无法转换此文件：.*could not be loaded"):
        parse(path)


def test_encrypted_docx_is_reported_before_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", _never_called)
    path = tmp_path / "protected.docx"
    path.write_bytes(ole2(["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"]))
    with pytest.raises(ParseError) as caught:
        parse(path)
    assert (caught.value.problem, caught.value.hint) == ("Word 文档设有打开密码", "请用密码打开后另存一份未加密的副本")


@pytest.mark.slow
def test_password_protected_doc_is_reported_before_libreoffice(
    word_files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = bytearray(word_files[1].read_bytes())
    entry = directory_entry(bytes(data), "WordDocument")
    assert entry is not None
    (start_sector,) = struct.unpack_from("<I", data, entry + 116)
    fib = (start_sector + 1) * 512
    assert struct.unpack_from("<H", data, fib) == (0xA5EC,)
    data[fib + 11] |= 0x01  # FIB flags word at 0x0A: fEncrypted is bit 8
    path = tmp_path / "protected.doc"
    path.write_bytes(bytes(data))
    monkeypatch.setattr(subprocess, "Popen", _never_called)
    with pytest.raises(ParseError, match="Word 文档设有打开密码"):
        parse(path)


def test_stream_names_in_document_text_are_not_directory_entries() -> None:
    name = "EncryptedPackage\0".encode("utf-16-le")
    assert directory_entry(ole2(["WordDocument", "EncryptedPackage"]), "EncryptedPackage") == 1024 + 2 * 128
    assert directory_entry(ole2(["WordDocument"], tail=b"x" + name + b"\0" * 200), "EncryptedPackage") is None
    check_ole2(Path("x.doc"), ole2(["WordDocument"], tail=name * 4))  # only mentioned: no error


def test_timeout_kills_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _fake_soffice(tmp_path, "exec sleep 30")
    monkeypatch.setattr(legacy_parser, "find_soffice", lambda: fake)
    monkeypatch.setattr(legacy_parser, "CONVERSION_TIMEOUT", 0.5)
    path = tmp_path / "slow.doc"
    path.write_bytes(ole2(["WordDocument"]))
    with pytest.raises(ParseError, match=r"LibreOffice 转换超过 0\.5 秒仍未完成"):
        parse(path)


def test_no_output_reports_libreoffice_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = "echo 'Warning: failed to launch javaldx - java may not function correctly' >&2\n"
    script += "echo 'Error: source file could not be loaded' >&2"
    fake = _fake_soffice(tmp_path, script)
    monkeypatch.setattr(legacy_parser, "find_soffice", lambda: fake)
    path = tmp_path / "notice.doc"
    path.write_bytes(ole2(["WordDocument"]))
    with pytest.raises(ParseError) as caught:
        parse(path)
    assert caught.value.problem == "LibreOffice 无法转换此文件：Error: source file could not be loaded"


# fmt: off
STDERRS = (
    ("Warning: failed to launch javaldx - java may not function correctly\n", "没有输出文件，也没有错误信息"),
    ("错误：source file could not be loaded\n\n", "错误：source file could not be loaded"),
    ("a\nb\n", "a; b"),
)
# fmt: on


@pytest.mark.parametrize(("stderr", "expected"), STDERRS)
def test_summarise(stderr: str, expected: str) -> None:
    assert summarise(stderr) == expected


def _never_called(*args: object, **kwargs: object) -> None:
    raise AssertionError("LibreOffice must not be started")


def _fake_soffice(tmp_path: Path, body: str) -> str:
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\n{body}\n")
    fake.chmod(0o755)
    return str(fake)
