from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
REAL_SEED = SEEDS / "000_c6905cedc614910f.txt"


@pytest.fixture
def real_seed() -> Path:
    return REAL_SEED


@pytest.fixture
def write_seed(tmp_path):
    """Write a seed document (text or bytes) into a temporary folder and return its path."""

    def write(content: str | bytes, name: str = "doc.txt") -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return write
