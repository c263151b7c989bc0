"""Let the event loop breathe between gateway events.

discord.py reads gateway events in a loop that only yields to other tasks when the socket's
buffer is empty. After a burst (hundreds of events arriving in one read) it parses and dispatches
all of them in one go, and every task that would answer, send or heartbeat waits until the last
one is parsed. Wrapping the gateway socket so that each ``receive`` first yields (one
``asyncio.sleep(0)``, a few microseconds) bounds that stall to a single event.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

import aiohttp
from discord.http import HTTPClient


class YieldingSocket:
    """A gateway websocket whose ``receive`` lets other ready tasks run first."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket

    async def receive(self, timeout: float | None = None) -> aiohttp.WSMessage:
        await asyncio.sleep(0)
        return await self._socket.receive(timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._socket, name)


def yield_between_gateway_events(http: HTTPClient) -> None:
    """Make every gateway socket ``http`` opens from now on a ``YieldingSocket``."""
    connect = http.ws_connect

    async def ws_connect(url: str, *, compress: int = 0) -> aiohttp.ClientWebSocketResponse:
        socket = await connect(url, compress=compress)
        return cast(aiohttp.ClientWebSocketResponse, YieldingSocket(socket))

    http.ws_connect = ws_connect  # type: ignore[method-assign]
