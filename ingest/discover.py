"""Find the notice files under the paths a user names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from parsers.detect import SUFFIXES

# Office lock files, editor temp files, partial downloads and the watcher's own failure notes are never notices.
_IGNORED_PREFIXES = ("~$", ".~lock", ".", "~WRL")
_IGNORED_SUFFIXES = (".crdownload", ".part", ".tmp", ".partial", ".download", "~", ".swp", ".error.txt")


# Filled monthly progress forms (kaohe progress add): the watch folder takes them in too.
FORM_SUFFIXES = (".xlsx", ".csv")


def is_candidate(path: Path, forms: bool = False) -> bool:
    """True for a file whose name says it may be a notice kaohe reads (or, with ``forms``, a progress form)."""
    name = path.name
    if name.startswith(_IGNORED_PREFIXES) or name.lower().endswith(_IGNORED_SUFFIXES):
        return False
    suffix = path.suffix.lower()
    return suffix in SUFFIXES or (forms and suffix in FORM_SUFFIXES)


def iter_notice_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and candidate files found recursively in folders, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and is_candidate(p) and not _hidden(p, path))
        else:
            yield path


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts[:-1])
