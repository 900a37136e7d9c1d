"""Turn a notice file into a ``Document``: one backend per format, one registry.

Every backend module exposes ``parse(path: Path) -> Document`` that fills the
format-independent parts of the model (source, blocks, warnings); notice
metadata is extracted afterwards from the blocks, whatever the format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from parsers.detect import SUFFIXES, detect_format
from parsers.document import Cell, Document, Format, Metadata, Paragraph, ParseWarning, Source, Table
from parsers.errors import unreadable
from parsers.limits import Budget, check_file_size, limits

__all__ = ["SUFFIXES", "Cell", "Document", "Metadata", "Paragraph", "ParseWarning", "Source", "Table", "parse"]

# Modules are imported on first use so that reading a .txt never loads pdfplumber.
BACKENDS: dict[Format, str] = {
    "docx": "parsers.docx_parser",
    "pdf": "parsers.pdf_parser",
    "txt": "parsers.txt_parser",
    "html": "parsers.html_parser",
    "doc": "parsers.legacy_parser",
    "wps": "parsers.legacy_parser",
    "image": "parsers.image_parser",
}


def backend(fmt: Format) -> Callable[[Path], Document]:
    module = importlib.import_module(BACKENDS[fmt])
    return module.parse  # type: ignore[no-any-return]


def parse(path: str | Path) -> Document:
    """Read any supported notice file into a ``Document`` with its metadata.

    Every file is checked against ``max_file_mb`` before it is opened, and every document against the
    paragraph, table and cell limits once parsed (the backends check the costly ones as they go).
    """
    from parsers.metadata import extract_metadata

    path = Path(path)
    lim = limits()
    try:
        check_file_size(path, lim=lim)
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError as e:
        raise unreadable(path, e) from e
    fmt = detect_format(path, head)
    document = backend(fmt)(path)
    Budget(path, lim).count(document.blocks)
    expected = SUFFIXES.get(path.suffix.lower())
    if expected and expected != fmt and {expected, fmt} != {"doc", "wps"}:
        document.warnings.append(
            ParseWarning(
                code="extension_mismatch",
                message=f"文件名为 .{path.suffix.lstrip('.')}，内容却是 {fmt} 格式，已按 {fmt} 读取",
            )
        )
    document.metadata = extract_metadata(document)
    return document
