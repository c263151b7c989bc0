"""Point discord.py at Discord's API and gateway, or at a REST and gateway proxy in front of them.

discord.py builds every REST URL (interaction callbacks and webhooks included) from
``Route.BASE`` and opens the gateway at ``DiscordWebSocket.DEFAULT_GATEWAY``; these class
attributes are its only hooks for a proxy, so the bot sets them for the time it runs and puts
the previous values back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


@contextmanager
def discord_endpoints(api_url: str, gateway_url: str) -> Iterator[None]:
    """Use ``api_url`` (e.g. ``https://discord.com/api/v10``) and ``gateway_url`` meanwhile."""
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
