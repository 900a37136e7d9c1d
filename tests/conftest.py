"""Shared fixtures: where the seeds and samples live, the terminal width, the watch logger; a PDF builder."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (``"002"``), or skip when seeds are absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed notices not available at {SEEDS} (a clone outside the workplace)")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return matches[0]


@pytest.fixture
def seed() -> object:
    return seed_path


@pytest.fixture(autouse=True)
def terminal_of_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI tables wrap to the terminal's width ($COLUMNS first): every test sees the width of a pipe,
    whatever terminal runs the suite. A test that wants another width sets COLUMNS itself."""
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def watch_logger() -> Iterator[logging.Logger]:
    """The ``ingest.watch`` logger, its handlers and level restored after a test (the CLI adds its own)."""
    logger = logging.getLogger("ingest.watch")
    handlers, level = list(logger.handlers), logger.level
    try:
        yield logger
    finally:
        for handler in logger.handlers[:]:
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(level)


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def ingested(db: Path, *files: Path) -> Path:
    """A store at ``db`` holding ``files``, read as kaohe-ingest reads them, closed again."""
    from ingest.pipeline import ingest_paths
    from store import Store

    store = Store(db)
    try:
        ingest_paths(list(files), store)
    finally:
        store.close()
    return db
