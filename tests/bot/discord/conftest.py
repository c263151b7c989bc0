"""Fixtures the bot's reload and feed tests share: a small corpus folder and its live index."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from index.live.live_index import LiveIndex
from index.summaries.corpus_analysis import prepare
from tests.support.builders import write_article

FLEET_TEXT = ["The fleet sailed north past the cape. It reached the port at dawn. Crews rested."]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_article(folder, "fleet.txt", "Fleet", FLEET_TEXT)
    return folder


@pytest.fixture
async def live(corpus: Path, tmp_path: Path) -> AsyncIterator[LiveIndex]:
    """A live index over the tmp corpus, prepared like the bot's (``on_built=prepare``)."""
    served = await asyncio.to_thread(LiveIndex, corpus, tmp_path / "idx", on_built=prepare)
    yield served
    await asyncio.to_thread(served.close)
