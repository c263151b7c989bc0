"""Let the event loop breathe between gateway events.

discord.py reads gateway events in a loop that only yields to other tasks when the socket's
buffer is empty. After a burst (hundreds of events arriving in one read) it parses and dispatches
all of them in one go, and every task that would answer, send or heartbeat waits until the last
one is parsed. Wrapping the gateway socket so that each ``receive`` first yields (one
``asyncio.sleep(0)``, a few microseconds) bounds that stall to a single event.

The same hook checks every gateway URL before it is opened. After READY, discord.py resumes at
the ``resume_gateway_url`` the gateway sent, not at the configured one; and a resume sends the
token. Such a URL is held to the rule the configured gateway passed at start-up (``wss://``, or
``ws://`` only to this machine); one that fails it is replaced by the configured gateway, where
a resume works too.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

import aiohttp
import yarl
from discord.http import HTTPClient

from bot.settings import check_endpoint

log = logging.getLogger(__name__)


class YieldingSocket:
    """A gateway websocket whose ``receive`` lets other ready tasks run first."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket

    async def receive(self, timeout: float | None = None) -> aiohttp.WSMessage:
        await asyncio.sleep(0)
        return await self._socket.receive(timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._socket, name)


def safe_gateway(url: str, configured: str) -> str:
    """``url`` if it passes the configured gateway's rule, else ``configured`` with its query."""
    try:
        check_endpoint(url, "wss", "ws")
    except ValueError:
        parts = yarl.URL(url)
        log.warning(
            "not connecting to gateway %s://%s: %s:// is only allowed to a loopback host; "
            "resuming at the configured gateway",
            parts.scheme,
            parts.host,
            parts.scheme,
        )
        return str(yarl.URL(configured).with_query(parts.query))
    return url


def yield_between_gateway_events(http: HTTPClient, gateway_url: str) -> None:
    """Make every gateway socket ``http`` opens from now on a ``YieldingSocket``, at a URL
    ``safe_gateway`` allows (``gateway_url``: the configured, already checked gateway)."""
    connect = http.ws_connect

    async def ws_connect(url: str, *, compress: int = 0) -> aiohttp.ClientWebSocketResponse:
        socket = await connect(safe_gateway(url, gateway_url), compress=compress)
        return cast(aiohttp.ClientWebSocketResponse, YieldingSocket(socket))

    http.ws_connect = ws_connect  # type: ignore[method-assign]
