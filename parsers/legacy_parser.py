"""Legacy Word binaries (.doc, and WPS Office .wps): convert with LibreOffice, then read the .docx.

LibreOffice runs headless in a private temporary directory with its own user
profile, so parallel conversions and a LibreOffice the user has open never clash.
The ``Source`` describes the original file (its path, sha256, format and size),
with ``converted_with`` naming the LibreOffice version.

Checked before LibreOffice is started, because it would give a misleading result:

* an OLE2 header that is not valid (LibreOffice would import the bytes as text);
* an Office-encrypted document: a password-protected .docx is an OLE2 container
  holding ``EncryptionInfo`` and ``EncryptedPackage`` streams (MS-OFFCRYPTO); a
  password-protected .doc has ``fEncrypted`` set in the FIB at the start of its
  ``WordDocument`` stream (MS-DOC). LibreOffice only says "could not be loaded".
"""

from __future__ import annotations

import functools
import logging
import os
import resource
import shutil
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from parsers.detect import fingerprint
from parsers.document import Document, Format
from parsers.errors import ConverterMissing, ParseError, unreadable

logger = logging.getLogger(__name__)

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIRECTORY_ENTRY = 128  # bytes; entries start at multiples of 128 in the file (sectors are 512 or 4096)
_ENCRYPTION_STREAMS = ("EncryptionInfo", "EncryptedPackage")
_FIB_IDENT, _FIB_ENCRYPTED = 0xA5EC, 0x0100  # wIdent of a Word 97+ FIB; fEncrypted in its flags word
CONVERSION_TIMEOUT = 120  # seconds
_INSTALL_HINT = "请安装：apt-get install libreoffice-writer-nogui（Debian/Ubuntu），或把 soffice 加入 PATH"
_RESAVE_HINT = "请用 Word 或 WPS 打开后另存为 .docx 再导入"


def parse(path: Path) -> Document:
    """Read a .doc/.wps file through a LibreOffice conversion to .docx."""
    from parsers import docx_parser

    fmt: Format = "wps" if path.suffix.lower() == ".wps" else "doc"
    try:
        data = path.read_bytes()
    except OSError as e:
        raise unreadable(path, e) from e
    check_ole2(path, data)
    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissing(path, "读取 .doc/.wps 需要 LibreOffice，但没有找到", _INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="kaohe-soffice-") as tmp:
        converted = convert_to_docx(soffice, path, Path(tmp))
        try:
            document = docx_parser.parse(converted)
        except ParseError as e:
            raise ParseError(path, f"LibreOffice 转换出的 .docx 无法读取：{e.problem}", _RESAVE_HINT) from e
    document.source = fingerprint(path, fmt, converted_with=libreoffice_version(soffice))
    return document


def check_ole2(path: Path, data: bytes) -> None:
    """Raise ``ParseError`` unless ``data`` is a sane, unencrypted OLE2 compound file."""
    if len(data) < 512 or not data.startswith(OLE2_SIGNATURE):
        problem = "不是有效的 .doc/.wps 文件（不是 OLE2 复合文档），文件可能已损坏，或其实是别的格式"
        raise ParseError(path, problem, _RESAVE_HINT)
    major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
    if byte_order != 0xFFFE or (major, sector_shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
        problem = "OLE2 复合文档已损坏（文件头无效），文件可能未下载完整"
        raise ParseError(path, problem, "请重新下载，或用 Word/WPS 打开后另存为 .docx")
    encrypted_package = all(directory_entry(data, name) is not None for name in _ENCRYPTION_STREAMS)
    if encrypted_package or _word_fib_encrypted(data, sector_shift):
        raise ParseError(path, "Word 文档设有打开密码", "请用密码打开后另存一份未加密的副本")


def _word_fib_encrypted(data: bytes, sector_shift: int) -> bool:
    """True when the FIB of the ``WordDocument`` stream has ``fEncrypted`` set."""
    entry = directory_entry(data, "WordDocument")
    if entry is None:
        return False
    start_sector, size = struct.unpack_from("<IQ", data, entry + 116)
    offset = (start_sector + 1) << sector_shift  # sector n follows the header sector
    if size < 4096 or offset + 12 > len(data):  # a small stream would sit in the mini stream
        return False
    ident, flags = struct.unpack_from("<H8xH", data, offset)  # flags at 0x0A
    return ident == _FIB_IDENT and bool(flags & _FIB_ENCRYPTED)


def directory_entry(data: bytes, name: str) -> int | None:
    """The file offset of the OLE2 directory entry called ``name``, or None.

    Directory entries hold the name in UTF-16LE at the start of a 128-byte slot,
    followed (at offset 64) by the name's byte length including the NUL. Requiring
    both, at a slot boundary, keeps document text that mentions the name from matching.
    """
    needle = (name + "\0").encode("utf-16-le")
    length = struct.pack("<H", len(needle))
    start = data.find(needle)
    while start != -1:
        if start % _DIRECTORY_ENTRY == 0 and data[start + 64 : start + 66] == length and len(data) >= start + 128:
            return start
        start = data.find(needle, start + 1)
    return None


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH (``soffice``, else ``libreoffice``)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(soffice: str, path: Path, workdir: Path) -> Path:
    """Convert ``path`` to .docx inside ``workdir``; ParseError with LibreOffice's message on failure."""
    # A fixed ASCII name avoids trouble with spaces, leading dashes or odd bytes in the user's file name;
    # the .doc suffix makes LibreOffice use its Word filter for WPS Office files too.
    source = workdir / "input.doc"
    shutil.copyfile(path, source)
    outdir = workdir / "out"
    profile = (workdir / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck"]
    command += ["--convert-to", "docx", "--outdir", str(outdir), str(source)]
    stderr = _run(command, path)
    converted = outdir / "input.docx"
    if not converted.is_file() or converted.stat().st_size == 0:
        raise ParseError(path, f"LibreOffice 无法转换此文件：{summarise(stderr)}", _RESAVE_HINT)
    return converted


def _run(command: list[str], path: Path) -> str:
    """Run LibreOffice in its own process group (soffice forks), killing the group on timeout."""
    logger.debug("running %s", command)
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_lift_address_space_cap if _address_space_capped() else None,
    ) as process:
        try:
            _, stderr = process.communicate(timeout=CONVERSION_TIMEOUT)
        except subprocess.TimeoutExpired as e:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            problem = f"LibreOffice 转换超过 {CONVERSION_TIMEOUT} 秒仍未完成，已终止"
            raise ParseError(path, problem, _RESAVE_HINT) from e
    return stderr.decode("utf-8", errors="replace")


def _address_space_capped() -> bool:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    return soft != hard


def _lift_address_space_cap() -> None:
    """In the forked child before LibreOffice starts: the parse worker's memory ceiling (a soft
    ``RLIMIT_AS``, ``ingest.isolation``) is for Python's parsing, not for LibreOffice, which maps far
    more address space than it uses; its own time limit stays."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def summarise(stderr: str) -> str:
    """LibreOffice's stderr without its routine noise, on one line."""
    noise = ("javaldx", "failed to launch java")
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    useful = [line for line in lines if not any(n in line.lower() for n in noise)]
    return "; ".join(useful)[:300] or "没有输出文件，也没有错误信息"


@functools.cache
def libreoffice_version(soffice: str) -> str:
    """``LibreOffice 7.4.7.2`` (from ``soffice --version``), or just ``LibreOffice``."""
    try:
        result = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "LibreOffice"
    words = result.stdout.split()
    return f"LibreOffice {words[1]}" if len(words) > 1 and words[0] == "LibreOffice" else "LibreOffice"
