"""Reaching Discord at start-up: backoff, a real refused loopback port, failures in words."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from bot.discord.reach import Backoff, DiscordUnreachable, describe, wait_for_discord
from tests.support.discord_standin import DiscordStandIn


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A loopback port that is bound but not listening: every connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_the_backoff_doubles_and_stays_within_its_budget() -> None:
    delays = Backoff(30).delays()
    assert delays[:4] == [0.5, 1.0, 2.0, 4.0] and max(delays) == 8.0
    assert 4 <= len(delays) <= 8 and sum(delays) <= 30
    assert Backoff(0).delays() == []


async def test_a_refused_connection_is_retried_with_backoff_then_named(refusing_port: int) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    url = f"http://127.0.0.1:{refusing_port}/api/v10"
    with pytest.raises(DiscordUnreachable) as caught:
        await wait_for_discord(url, backoff=Backoff(4), sleep=sleep)
    assert slept == [0.5, 1.0, 2.0]
    assert (
        str(caught.value)
        == f"cannot reach Discord at 127.0.0.1:{refusing_port}: connection refused"
    )


async def test_a_listening_api_is_reached_at_the_first_attempt(standin: DiscordStandIn) -> None:
    assert await wait_for_discord(standin.api_url, standin.gateway_url, backoff=Backoff(0)) == 1
    assert standin.requests == []  # a TCP connection only, no request


def test_failures_are_described_in_words() -> None:
    assert describe(socket.gaierror(-2, "Name or service not known")).endswith("(DNS)")
    assert describe(TimeoutError()) == "no answer within 5 s"
    assert describe(ConnectionRefusedError(111, "Connection refused")) == "connection refused"


async def test_an_unreachable_gateway_is_named_even_when_the_api_answers(
    standin: DiscordStandIn, refusing_port: int
) -> None:
    gateway = f"ws://127.0.0.1:{refusing_port}/"
    with pytest.raises(DiscordUnreachable, match=f"127.0.0.1:{refusing_port}: connection refused"):
        await wait_for_discord(standin.api_url, gateway, backoff=Backoff(0))
