"""Typed errors raised while reading a notice; only the CLI formats them."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file could not be read. ``str(err)`` names the file and what is wrong."""

    def __init__(self, path: str | Path, problem: str, hint: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        message = f"{self.path}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class UnsupportedFormat(IngestError):
    """The content is not one of the formats kaohe reads."""


class ParseError(IngestError):
    """The file claims a supported format but is corrupt, truncated or encrypted."""


class EncodingError(IngestError):
    """A text file in no encoding kaohe recognises."""


class ConverterMissing(IngestError):
    """A legacy format needs a converter (LibreOffice) that is not installed."""
