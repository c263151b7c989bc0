"""Run the real ``VerbatimBot`` against the stand-in, and read what it sent back."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.discord.app import VerbatimBot, make_bot
from bot.discord.views import TIMEOUT
from bot.settings import Settings
from bot.store import Recorder, open_store
from index.live.live_index import LiveIndex
from index.retrieval.corpus_index import CorpusIndex
from index.storage.opener import OpenedIndex
from tests.conftest import SEEDS, TOKEN
from tests.support.discord_standin import (
    EVERYONE_PERMISSIONS,
    DiscordStandIn,
    Payload,
    RecordedRequest,
)

READY_TIMEOUT = 5.0


def bot_settings(standin: DiscordStandIn, **values: Any) -> Settings:
    """Settings as a deployment would give them, pointed at the stand-in like at a proxy."""
    unknown = set(values) - set(Settings.model_fields)
    if unknown:
        raise TypeError(f"not settings: {sorted(unknown)}")
    values.setdefault("corpus_dir", SEEDS)
    # The watcher is tested where it matters (test_bot_reload.py); elsewhere it would only cost
    # each test the half second its start-up takes.
    values.setdefault("watch", False)
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        discord_token=TOKEN,
        discord_api_url=standin.api_url,
        discord_gateway_url=standin.gateway_url,
        **values,
    )


def fixed(index: CorpusIndex) -> LiveIndex:
    """A live index that serves ``index`` (and "reloads" to it): for tests that never reload."""
    return LiveIndex(SEEDS, opener=lambda *args: OpenedIndex(index, (), rebuilt=False))


@asynccontextmanager
async def running_bot(
    standin: DiscordStandIn,
    index: CorpusIndex | LiveIndex,
    *,
    sync_global: bool = False,
    defer_after: float = 30.0,
    button_timeout: float = TIMEOUT,
    watch_debounce_ms: int = 1000,
    recorder: Recorder | None = None,
    **values: Any,
) -> AsyncIterator[VerbatimBot]:
    """Start the bot exactly as ``verbatim bot`` does (``start``), wait for READY, stop it.

    A ``LiveIndex`` is served as given (the caller closes it); a plain index is served fixed.
    ``defer_after`` is large unless a test is about deferring: on two busy cores, work that
    usually takes milliseconds can take a second, and a test expecting the immediate reply
    would then see a deferral instead. Questions are recorded in ``recorder`` when given (the
    caller closes it), else in a store of its own in a temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix="verbatim-data-") as data_dir:
        values.setdefault("data_dir", data_dir)
        settings = bot_settings(standin, **values)
        own = recorder is None
        if recorder is None:
            recorder = Recorder(await asyncio.to_thread(open_store, settings))
        try:
            async with _started(
                standin,
                index,
                settings,
                recorder,
                sync_global,
                defer_after,
                button_timeout,
                watch_debounce_ms,
            ) as bot:
                yield bot
        finally:
            if own:
                await asyncio.to_thread(recorder.close)


@asynccontextmanager
async def _started(
    standin: DiscordStandIn,
    index: CorpusIndex | LiveIndex,
    settings: Settings,
    recorder: Recorder,
    sync_global: bool,
    defer_after: float,
    button_timeout: float,
    watch_debounce_ms: int,
) -> AsyncIterator[VerbatimBot]:
    live = index if isinstance(index, LiveIndex) else fixed(index)
    bot = make_bot(
        settings,
        live,
        settings.answer_policy(),
        sync_global=sync_global,
        defer_after=defer_after,
        button_timeout=button_timeout,
        watch_debounce_ms=watch_debounce_ms,
        recorder=recorder,
        identify_interval=0.0,  # the stand-in has no IDENTIFY rate limit (Discord: 5 s)
        guild_ready_timeout=0.05,
    )
    task = asyncio.create_task(bot.start(TOKEN), name="verbatim-bot")
    try:
        async with asyncio.timeout(READY_TIMEOUT):
            while not bot.is_ready():  # bounded poll: wait_until_ready needs login first
                if task.done():
                    task.result()
                await asyncio.sleep(0.005)
        yield bot
    finally:
        await bot.close()
        await asyncio.wait_for(task, READY_TIMEOUT)
        if live is not index:
            await asyncio.to_thread(live.close)


def mention(standin: DiscordStandIn, question: str, **options: Any) -> Payload:
    """A guild message that mentions the bot, as Discord sends it."""
    content = f"<@{standin.bot_user['id']}> {question}"
    return standin.message_create_payload(content, mentions=[standin.bot_user], **options)


async def ask_over_gateway(standin: DiscordStandIn, message: Payload) -> RecordedRequest:
    """Dispatch ``message`` and wait for the bot's reply to it (a POST in its channel)."""
    channel = message["channel_id"]
    before = len(standin.requests_matching("POST", rf"/channels/{channel}/messages"))
    await standin.dispatch("MESSAGE_CREATE", message)
    return await standin.wait_for_request("POST", rf"/channels/{channel}/messages", before + 1)


async def guild_commands(standin: DiscordStandIn, index: CorpusIndex) -> list[Payload]:
    """Start the bot with the stand-in's guild as its dev guild; the commands it synced there."""
    async with running_bot(standin, index, guild_id=int(standin.guild_id)):
        synced = await standin.wait_for_request(
            "PUT", rf"/applications/\d+/guilds/{standin.guild_id}/commands"
        )
    commands: list[Payload] = synced.json
    return commands


async def slash(
    standin: DiscordStandIn, name: str, options: dict[str, object] | None = None, **kw: Any
) -> RecordedRequest:
    """Dispatch a slash command and wait for its interaction callback."""
    payload = standin.interaction_payload(name, options, **kw)
    await standin.dispatch("INTERACTION_CREATE", payload)
    return await standin.wait_for_request("POST", rf"/interactions/{payload['id']}/.+/callback")


def buttons(message: Payload) -> dict[str, str]:
    """Button label → custom_id on a message the bot sent."""
    return {
        button["label"]: button["custom_id"]
        for row in message.get("components", [])
        for button in row["components"]
    }


async def press(
    standin: DiscordStandIn, message: Payload, label: str, user: Payload | None = None
) -> RecordedRequest:
    """Press the button ``label`` under ``message`` and wait for the interaction callback."""
    payload = standin.component_interaction_payload(
        buttons(message)[label], message=message, user=user
    )
    await standin.dispatch("INTERACTION_CREATE", payload)
    return await standin.wait_for_request("POST", rf"/interactions/{payload['id']}/.+/callback")


def no_pings(body: Payload) -> bool:
    """True when a message body allows no mention at all (users, roles, everyone, reply)."""
    allowed = body.get("allowed_mentions")
    return (
        allowed is not None
        and allowed.get("parse") == []
        and not allowed.get("users")
        and not allowed.get("roles")
        and not allowed.get("replied_user", False)
    )


class LoopLag:
    """Measures how late the event loop wakes a 1 ms sleeper: the longest block seen."""

    def __init__(self, period: float = 0.001) -> None:
        self.period = period
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(self.period)
            self.worst = max(self.worst, time.perf_counter() - started - self.period)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._task is not None:
            self._task.cancel()


MANAGE_GUILD = 1 << 5  # Discord's Manage Server permission bit


async def admin_command(
    standin: DiscordStandIn,
    name: str,
    options: dict[str, Any] | None = None,
    *,
    manage_guild: bool = False,
    timeout: float = 15.0,
    **payload_options: Any,
) -> tuple[RecordedRequest, RecordedRequest | None]:
    """A slash command (``/reload``, ``/import``) by a member who has Manage Server or not: its
    interaction callback, and the follow-up when the command deferred."""
    payload = standin.interaction_payload(name, options or {}, **payload_options)
    if manage_guild:
        payload["member"]["permissions"] = str(int(EVERYONE_PERMISSIONS) | MANAGE_GUILD)
    await standin.dispatch("INTERACTION_CREATE", payload)
    callback = await standin.wait_for_request("POST", rf"/interactions/{payload['id']}/.+/callback")
    if callback.json["type"] != 5:
        return callback, None
    follow_up = await standin.wait_for_request(
        "POST", rf"/webhooks/\d+/{payload['token']}", timeout=timeout
    )
    return callback, follow_up
