from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"real documents not available: {SHARED / 'corpus'} is absent")
    return SHARED


def shared_documents() -> list[Path]:
    """The real texts in ../shared (empty when it is absent; tests then skip)."""
    files = sorted((SHARED / "corpus").glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))
    return files


@pytest.fixture
def sample_site():
    from tracker.sample_site.server import SampleSite

    with SampleSite() as site:
        yield site
