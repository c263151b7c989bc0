from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.discord.endpoints import discord_endpoints
from index.ingest.loader import load_corpus
from index.retrieval.corpus_index import CorpusIndex
from tests.support.discord_standin import DiscordStandIn

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Shaped like a real bot token (settings check the shape), but not one.
TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GsTand.standin-token-not-a-real-one-0123"


@pytest.fixture(scope="session")
def shipped_index() -> CorpusIndex:
    return CorpusIndex(load_corpus(SEEDS).documents)


@pytest.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    """A started stand-in of Discord on 127.0.0.1, with discord.py pointed at it.

    The bot under test points itself at the stand-in through its settings; the class
    attributes set here serve the stand-in's own tests, which drive a bare discord.py client.
    """
    server = DiscordStandIn(TOKEN, channel_names=("general", "questions"))
    await server.start()
    try:
        with discord_endpoints(server.api_url, server.gateway_url):
            yield server
    finally:
        await server.stop()
