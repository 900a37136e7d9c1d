"""Decoding a plain-text notice's bytes: UTF-8, GB18030, UTF-16, and text padded with NULs.

See ``parsers.txt_parser`` for the order and what is recorded; every function returns the text,
the encoding that decoded it and the warnings a reader should see.
"""

from __future__ import annotations

from pathlib import Path

from parsers.detect import utf16_encoding
from parsers.document import ParseWarning
from parsers.errors import EncodingError

__all__ = ["decode"]

_MAX_UTF8_DAMAGE = 0.01  # undecodable sequences per decoded non-ASCII character still read as UTF-8
_SAVE_AS_UTF8 = "请用记事本等另存为 UTF-8 编码"
# Python's UnicodeDecodeError reasons, said in Chinese (any other is kept as Python wrote it).
_REASONS = {
    "invalid start byte": "无效的起始字节",
    "invalid continuation byte": "无效的后续字节",
    "unexpected end of data": "数据意外结束",
    "illegal multibyte sequence": "非法的多字节序列",
    "incomplete multibyte sequence": "不完整的多字节序列",
    "truncated data": "数据被截断",
    "illegal UTF-16 surrogate": "非法的 UTF-16 代理项",
    "illegal encoding": "非法的编码",
}


def _reason(error: UnicodeDecodeError) -> str:
    return _REASONS.get(error.reason, error.reason)


def decode(raw: bytes, path: Path) -> tuple[str, str, list[ParseWarning]]:
    """The text, the encoding that decoded it, and any warning about damaged bytes or NULs."""
    wide = utf16_encoding(raw[:8192])
    if wide is not None:
        return _decode_utf16(raw, wide, path)
    if b"\x00" not in raw:
        return _decode_narrow(raw, path)
    nuls = raw.count(b"\x00")
    text, encoding, warnings = _decode_narrow(raw.replace(b"\x00", b""), path)
    message = f"删除了 {nuls} 个 NUL 字节（\\x00，常见于补零或保存中断的文件），其余按 {encoding} 读取"
    return text, encoding, [*warnings, ParseWarning(code="nul_bytes", message=message)]


def _decode_utf16(raw: bytes, encoding: str, path: Path) -> tuple[str, str, list[ParseWarning]]:
    """UTF-16 text; an odd last byte (a cut file) is replaced and said, any other damage refused."""
    name = encoding.upper().replace("-LE", " LE").replace("-BE", " BE")
    even = raw[: len(raw) // 2 * 2]
    try:
        text = even.decode(encoding)
    except UnicodeDecodeError as e:
        raise EncodingError(
            path,
            f"按 {name} 编码无法解码（第 {e.start} 字节：{_reason(e)}）：文件可能已损坏",
            _SAVE_AS_UTF8,
        ) from e
    warnings = []
    if len(even) < len(raw):
        text += "\ufffd"
        message = f"{name} 文本的最后一个字节不成对（文件可能被截断），已替换为 U+FFFD"
        warnings.append(ParseWarning(code="encoding_errors", message=message))
    return text.removeprefix("\ufeff"), encoding, warnings


def _decode_narrow(raw: bytes, path: Path) -> tuple[str, str, list[ParseWarning]]:
    """UTF-8 (or UTF-8 damaged in a few places), else GB18030."""
    try:
        text = raw.decode("utf-8-sig")
        return text, "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8", []
    except UnicodeDecodeError as e:
        utf8_error = e
    damaged = raw.decode("utf-8-sig", errors="replace")
    bad = damaged.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
    valid_non_ascii = sum(1 for ch in damaged if ord(ch) > 127) - bad
    cut_at_end = bad == 1 and utf8_error.start >= len(raw) - 3
    if valid_non_ascii > 0 and (cut_at_end or bad <= valid_non_ascii * _MAX_UTF8_DAMAGE):
        warning = ParseWarning(
            code="encoding_errors",
            message=f"UTF-8 文本中有 {bad} 处无法解码的字节，已替换为 U+FFFD（{_reason(utf8_error)}）",
        )
        return damaged, "utf-8", [warning]
    try:
        return raw.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError as e:
        raise EncodingError(
            path,
            f"既不能按 UTF-8 也不能按 GB18030/GBK 解码（第 {e.start} 字节：{_reason(e)}），不是可读的文本文件",
            _SAVE_AS_UTF8,
        ) from e
