"""Shared fixtures: where the seeds and samples live."""

from __future__ import annotations

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
