"""Start-up when Discord cannot be reached or refuses the login: one line, exit 2, no traceback
(issue 18, defect 3). Retries use a real refused loopback port; logins use the local stand-in."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.discord.test_process import TIMEOUT, environment, start
from tests.conftest import TOKEN
from tests.support.discord_standin import DiscordStandIn


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A loopback port that is bound but not listening: every connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


async def test_the_bot_process_cannot_reach_discord_one_line_exit_2(
    standin: DiscordStandIn, tmp_path: Path, refusing_port: int
) -> None:
    env = environment(
        standin,
        VERBATIM_DISCORD_API_URL=f"http://127.0.0.1:{refusing_port}/api/v10",
        VERBATIM_DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{refusing_port}/",
        VERBATIM_STARTUP_RETRY_SECONDS="1.5",
    )
    started = time.monotonic()
    process = await start(["bot"], env, tmp_path)
    _, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    log = stderr.decode()
    assert process.returncode == 2, log
    assert log.splitlines()[-1].startswith(
        f"verbatim: cannot reach Discord at 127.0.0.1:{refusing_port}: connection refused"
    )
    assert log.count("trying again") == 2 and time.monotonic() - started >= 1.5
    assert "Traceback" not in log and TOKEN not in log


@pytest.mark.parametrize("via", [True, False], ids=["long-retry-after", "cloudflare-ban"])
async def test_a_rate_limited_login_is_one_line_and_exit_2(
    standin: DiscordStandIn, tmp_path: Path, via: bool
) -> None:
    if via:
        standin.rate_limit_next("GET", "/users/@me", retry_after=3600)
    else:
        standin.fail_next("GET", "/users/@me", 429)
    process = await start(["bot"], environment(standin), tmp_path)
    _, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    log = stderr.decode()
    assert process.returncode == 2, log
    last = log.splitlines()[-1]
    assert "rate-limit" in last and last.startswith("verbatim: "), log
    assert ("3600 s" in last) is via
    assert "Traceback" not in log and TOKEN not in log
