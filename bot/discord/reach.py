"""Can Discord (or the configured proxy) be reached? Asked before logging in, with backoff.

A bot started while the network comes up (a laptop waking, a container before its proxy) should
wait a little rather than fail; a bot that cannot reach Discord at all should say so in one line
rather than a 76-line traceback. So start-up opens a plain TCP connection to the API's host and
port, and to the gateway's: a refused connection, a name that does not resolve yet or a timeout
is tried again with exponential backoff within ``budget`` seconds (30 by default), then
``DiscordUnreachable`` says which address and why. The login itself then runs once; discord.py
retries gateway drops itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
Sleep = Callable[[float], Awaitable[None]]
ATTEMPT_TIMEOUT = 5.0


class DiscordUnreachable(Exception):
    """No TCP connection to Discord's API (or the proxy) could be made; the message says why."""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delays of 0.5, 1, 2, 4, ... s (capped at ``cap``) while the total stays within ``budget``."""

    budget: float = 30.0
    first: float = 0.5
    cap: float = 8.0

    def delays(self) -> list[float]:
        delays: list[float] = []
        delay = self.first
        while sum(delays) + delay <= self.budget:
            delays.append(delay)
            delay = min(delay * 2, self.cap)
        return delays


def address(url: str) -> tuple[str, int]:
    """The host and port a URL connects to (443 for https and wss, 80 for http and ws)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme in ("https", "wss") else 80)
    return parts.hostname or "", port


async def wait_for_discord(
    *urls: str, backoff: Backoff = Backoff(), sleep: Sleep = asyncio.sleep
) -> int:
    """Return once a TCP connection opens to each URL's host (the REST API and the gateway, or
    their proxies); the number of attempts made."""
    addresses = list(dict.fromkeys(address(url) for url in urls))
    delays = backoff.delays()
    attempt = 0
    while True:
        attempt += 1
        try:
            for host, port in addresses:
                await _reach(host, port)
            return attempt
        except DiscordUnreachable as exc:
            if attempt > len(delays):
                raise
            delay = delays[attempt - 1]
            log.warning("%s; trying again in %.1f s", exc, delay)
            await sleep(delay)


async def _reach(host: str, port: int) -> None:
    try:
        await _connect(host, port)
    except (OSError, TimeoutError) as exc:
        raise DiscordUnreachable(f"cannot reach Discord at {host}:{port}: {describe(exc)}") from exc


async def _connect(host: str, port: int) -> None:
    _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), ATTEMPT_TIMEOUT)
    writer.close()
    with contextlib.suppress(OSError):  # the connection opened, which is all this asks
        await writer.wait_closed()


def describe(exc: BaseException) -> str:
    """A connection error in a few words a user can act on."""
    if isinstance(exc, socket.gaierror):
        return "the name does not resolve (DNS)"
    if isinstance(exc, TimeoutError):
        return f"no answer within {ATTEMPT_TIMEOUT:.0f} s"
    if isinstance(exc, ConnectionRefusedError) or getattr(exc, "errno", None) == errno.ECONNREFUSED:
        return "connection refused"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
