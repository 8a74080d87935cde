"""Shared fixtures: the hand-marked photos in ../shared/faces (skipped cleanly when absent)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import SHARED_FACES as FACES


@pytest.fixture(scope="session")
def faces_dir() -> Path:
    """The shared photo folder, or skip."""
    if not (FACES / "annotations.csv").is_file():
        pytest.skip(f"../shared/faces is not available ({FACES})")
    return FACES


@pytest.fixture(scope="session")
def annotations(faces_dir: Path) -> list[dict[str, str]]:
    """Rows of annotations.csv."""
    with open(faces_dir / "annotations.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
