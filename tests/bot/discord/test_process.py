"""``verbatim bot`` as a real process, pointed at the stand-in like at a REST and gateway proxy."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TOKEN
from tests.support.bot_runner import mention
from tests.support.discord_standin import DiscordStandIn

OP_IDENTIFY = 2
TIMEOUT = 20.0


def environment(standin: DiscordStandIn, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VERBATIM_", "DISCORD_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DISCORD_TOKEN=TOKEN,
        VERBATIM_DISCORD_API_URL=standin.api_url,
        VERBATIM_DISCORD_GATEWAY_URL=standin.gateway_url,
    )
    env.update(values)
    return {k: v for k, v in env.items() if v}


async def start(args: list[str], env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli.main",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.parametrize("args", [["bot", "--sync"], ["run"]], ids=["bot-sync", "run"])
async def test_the_bot_process_answers_and_stops_cleanly(
    standin: DiscordStandIn, tmp_path: Path, args: list[str]
) -> None:
    env = environment(standin, VERBATIM_GUILD_ID=standin.guild_id, VERBATIM_LOG_LEVEL="DEBUG")
    process = await start(args, env, tmp_path)
    try:
        await standin.wait_for_gateway_op(OP_IDENTIFY, timeout=TIMEOUT)
        # Someone pastes the token in a channel: discord.py logs the event at DEBUG, token and
        # all, before the bot ignores it (it is not addressed to the bot).
        pasted = standin.message_create_payload(f"oops, my token is {TOKEN}")
        await standin.dispatch("MESSAGE_CREATE", pasted)
        await standin.dispatch("MESSAGE_CREATE", mention(standin, "Who was killed in Moscow?"))
        reply = await standin.wait_for_request("POST", r"/channels/\d+/messages", timeout=TIMEOUT)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    log = stderr.decode()
    assert process.returncode == 0, log[-2000:]
    assert "Kirillov" in reply.json["content"] and reply.json["allowed_mentions"]["parse"] == []
    assert standin.requests_matching("PUT", rf"/applications/\d+/guilds/{standin.guild_id}/.+")
    synced_globally = bool(standin.requests_matching("PUT", r"/applications/\d+/commands"))
    assert synced_globally is ("--sync" in args)
    assert "WebSocket Event" in log  # DEBUG logging was on, gateway traffic included
    assert TOKEN not in log and "Traceback" not in log
    assert "oops, my token is [DISCORD_TOKEN]" in log  # the pasted token, redacted


BAD_SETTINGS = {
    "malformed token": ({"DISCORD_TOKEN": "Bot abc"}, "DISCORD_TOKEN: does not look like"),
    "no token": ({"DISCORD_TOKEN": ""}, "DISCORD_TOKEN is not set"),
    "guild id": ({"VERBATIM_GUILD_ID": "my-server"}, "VERBATIM_GUILD_ID: Input should be"),
    "channel ids": ({"VERBATIM_CHANNEL_IDS": "1,general"}, "VERBATIM_CHANNEL_IDS: must be"),
    "missing corpus": ({"VERBATIM_CORPUS_DIR": "/nonexistent/articles"}, "does not exist"),
    "plain http": (
        {"VERBATIM_DISCORD_API_URL": "http://proxy.example.org/api/v10"},
        "VERBATIM_DISCORD_API_URL: http:// is only allowed to a loopback host",
    ),
    "bad gateway url": ({"VERBATIM_DISCORD_GATEWAY_URL": "gateway"}, "must be a wss:// URL"),
}


async def test_bad_settings_stop_the_process_with_one_line_before_connecting(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    async def run(values: dict[str, str]) -> tuple[int | None, str]:
        process = await start(["bot"], environment(standin, **values), tmp_path)
        _, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
        return process.returncode, stderr.decode()

    results = await asyncio.gather(*(run(values) for values, _ in BAD_SETTINGS.values()))
    for (name, (_, needle)), (code, stderr) in zip(BAD_SETTINGS.items(), results, strict=True):
        assert code == 2, f"{name}: exit {code}: {stderr}"
        assert stderr.count("\n") == 1 and needle in stderr, f"{name}: {stderr}"
        assert TOKEN not in stderr and "Bot abc" not in stderr
    assert standin.requests == [] and standin.gateway_frames == []


async def test_a_token_discord_rejects_is_one_line_and_exit_2(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    revoked = TOKEN[:-4] + "XXXX"
    process = await start(["bot"], environment(standin, DISCORD_TOKEN=revoked), tmp_path)
    _, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    log = stderr.decode()
    assert process.returncode == 2, log
    assert (
        log.splitlines()[-1] == "verbatim: Discord rejected DISCORD_TOKEN; reset it in the portal"
    )
    assert revoked not in log and "Traceback" not in log
    assert [r.status for r in standin.requests] == [401]


async def test_message_content_intent_not_enabled_is_one_line_and_exit_2(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    standin.enabled_privileged_intents = 0  # the portal's Message Content switch is off
    env = environment(standin, VERBATIM_CHANNEL_IDS=standin.channel_id)
    process = await start(["bot"], env, tmp_path)
    _, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    log = stderr.decode()
    assert process.returncode == 2, log
    assert "Message Content intent" in log.splitlines()[-1]
    assert "Traceback" not in log and TOKEN not in log
    identify = await standin.wait_for_gateway_op(2)
    assert identify.d["intents"] & (1 << 15)
