"""Typed errors raised while reading a notice; only the CLI formats them.

They sit at the bottom of the layers: every package that raises or catches them imports them from here."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file could not be read. ``str(err)`` names the file, what is wrong and what to do, in Chinese:
    ``/收件/通知.docx：不是有效的 .docx 文件（ZIP 容器无法读取），文件可能已损坏或未下载完整；请重新下载…``.
    ``code``: the stable English name of the kind of failure, for programs (``kaohe-ingest --json``)."""

    code = "ingest_failed"

    def __init__(self, path: str | Path, problem: str, hint: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        message = f"{self.path}：{problem}"
        if hint:
            message += f"；{hint}"
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its parts when it crosses a process boundary (the parse worker, ingest.isolation).
        return (type(self), (self.path, self.problem, self.hint))


class UnsupportedFormat(IngestError):
    """The content is not one of the formats kaohe reads."""

    code = "unsupported_format"


class ParseError(IngestError):
    """The file claims a supported format but is corrupt, truncated, encrypted or cannot be read."""

    code = "unreadable_file"


class EncodingError(IngestError):
    """A text file in no encoding kaohe recognises."""

    code = "unknown_encoding"


class ConverterMissing(IngestError):
    """A legacy format needs a converter (LibreOffice) that is not installed."""

    code = "converter_missing"


class LimitExceeded(IngestError):
    """The file is over one of the limits in ``parsers.limits`` (``limit`` names the field), or its parse
    ran out of the worker's memory or time. The message says which and how to raise it."""

    code = "limit_exceeded"

    def __init__(self, path: str | Path, problem: str, hint: str | None = None, limit: str | None = None) -> None:
        super().__init__(path, problem, hint)
        self.limit = limit

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.problem, self.hint, self.limit))


def unreadable(path: str | Path, error: OSError) -> ParseError:
    """The error for a file that cannot be opened or read (gone, no permission, a disk error)."""
    return ParseError(path, f"无法读取（{error.strerror or error}）", "请确认文件存在、有读取权限且未被其他程序锁定")
