"""Write a 一览表 in the format its file name (or ``--format``) asks for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from export.breakdown import Breakdown, BreakdownError

FORMATS = ("xlsx", "docx", "md", "csv")


def format_for(path: Path, fmt: str | None = None) -> str:
    """``fmt`` if given, else the file's extension; a BreakdownError for anything else."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise BreakdownError(f"{path.name}：看不出导出格式；文件名请以 .xlsx、.docx、.md 或 .csv 结尾，或用 --format")
    return chosen


def write_breakdown(breakdown: Breakdown, path: Path, fmt: str | None = None) -> str:
    """Write ``breakdown`` to ``path``; returns the format used."""
    from export.docx import write_docx
    from export.text import write_csv, write_markdown
    from export.xlsx import write_xlsx

    chosen = format_for(path, fmt)
    writers: dict[str, Callable[[Breakdown, Path], None]] = {
        "xlsx": write_xlsx,
        "docx": write_docx,
        "md": write_markdown,
        "csv": write_csv,
    }
    writers[chosen](breakdown, path)
    return chosen
