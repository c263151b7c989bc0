from __future__ import annotations

from pathlib import Path

import pytest

from index.loader import load_corpus
from index.search import CorpusIndex

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def shipped_index() -> CorpusIndex:
    return CorpusIndex(load_corpus(SEEDS).documents)
