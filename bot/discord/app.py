"""The Discord bot: a ``commands.Bot`` given its settings, live index and answer policy.

Resources come in through the constructor (as in discord.py's ``examples/advanced_startup.py``);
nothing is read at import time. Questions are answered (and rendered) in a worker thread owned by
the bot, so the event loop only routes and sends. The corpus can be reloaded while the bot runs
(``LiveIndex``): every handler reads ``live.current`` once and uses that index throughout, so an
answer never mixes two indexes, and a rebuild never delays a question. Nothing outlives the
handler with a reference to the index, so a replaced index is freed at once.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, TypeVarTuple

import discord
from discord import app_commands
from discord.ext import commands

from bot import service, texts
from bot.corpora import Corpora, live_loader
from bot.discord.completer import Completer
from bot.discord.context import Composed
from bot.discord.cooldown import Cooldown
from bot.discord.endpoints import discord_endpoints
from bot.discord.gateway import yield_between_gateway_events
from bot.discord.views import CONTEXT_SENTENCES
from bot.discord.views import TIMEOUT as BUTTON_TIMEOUT
from bot.render import render_answer
from bot.render.discord_fit import answer_content
from bot.settings import Settings
from bot.store import Recorder
from index import (
    AnswerPolicy,
    CorpusIndex,
    CorpusWatcher,
    FeedPoller,
    LiveIndex,
    Passage,
    SourceInfo,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
Args = TypeVarTuple("Args")

NONE = discord.AllowedMentions.none()
# Ranking is short CPU work that holds the GIL. One worker that hands the GIL back after each
# question keeps the event loop's waits short under a burst; measured on 200 questions at once,
# this halved the worst loop lag against two workers (and 32 default-executor threads are worse).
ANSWER_WORKERS = 1
# The bot's features, loaded by name (python-discord/bot's way): the cogs import nothing of this
# module, so imports run one way.
EXTENSIONS = (
    "bot.discord.cogs.questions",
    "bot.discord.cogs.summaries",
    "bot.discord.cogs.reloads",
    "bot.discord.feedback",
    "bot.discord.cogs.stats",
    "bot.discord.cogs.imports",
)


def bot_intents(settings: Settings) -> discord.Intents:
    """Only what the bot uses; message content only when it must read whole channels."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    # Messages that mention the bot and DMs carry their content without this privileged intent;
    # every message of a channel (or of a thread the bot opened) needs it.
    intents.message_content = bool(settings.channel_ids) or settings.threads
    return intents


def compose_answer(
    index: CorpusIndex, question: str, policy: AnswerPolicy, header: str, earlier: str | None
) -> Composed:
    """Answer and render in one worker call: the loop gets back ready-to-send content."""
    answer = service.ask(index, question, policy, earlier)
    content = answer_content(render_answer(answer), header)
    context: tuple[Passage, ...] = ()
    if answer.quotes:
        focus = answer.quotes[0].passage
        # A quote of two sentences (run on into the answer) keeps its full context after it.
        after = CONTEXT_SENTENCES + focus.sentences - 1
        context = tuple(index.neighbours(focus, CONTEXT_SENTENCES, after))
    # Release the GIL now rather than at the interpreter's next forced switch (5 ms): the event
    # loop, if it is waiting to send a reply or read the gateway, runs at once.
    time.sleep(0)
    return Composed(answer, content, context)


def source_list(index: CorpusIndex) -> list[SourceInfo]:
    return service.sources(index)


def feed_poller(settings: Settings, live: LiveIndex) -> FeedPoller:
    """Pull ``VERBATIM_FEEDS`` every ``VERBATIM_FEED_INTERVAL`` minutes; reload when items came."""
    return FeedPoller(
        settings.corpus_dir,
        settings.feeds,
        settings.feed_interval * 60,
        lambda: service.fetcher(settings),
        live.reload,
    )


class VerbatimTree(app_commands.CommandTree[commands.Bot]):
    """Slash-command errors become one short private line; the details go to the log."""

    async def on_error(
        self, interaction: discord.Interaction[commands.Bot], error: app_commands.AppCommandError
    ) -> None:
        name = interaction.command.name if interaction.command else "?"
        log.error("/%s failed", name, exc_info=error)
        if interaction.response.is_done():
            await interaction.followup.send(texts.ERROR, ephemeral=True, allowed_mentions=NONE)
        else:
            await interaction.response.send_message(
                texts.ERROR, ephemeral=True, allowed_mentions=NONE
            )


class VerbatimBot(commands.Bot):
    """Routes questions from Discord to the core and answers back; never ranks anything."""

    def __init__(
        self,
        settings: Settings,
        live: LiveIndex,
        policy: AnswerPolicy,
        *,
        sync_global: bool = False,
        defer_after: float = 1.0,
        button_timeout: float = BUTTON_TIMEOUT,
        watch_debounce_ms: int = 1000,
        recorder: Recorder | None = None,
        **options: Any,
    ) -> None:
        # The bot never joins voice: skip discord.py's start-up warnings about voice libraries.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=(),
            intents=bot_intents(settings),
            allowed_mentions=NONE,
            help_command=None,
            tree_cls=VerbatimTree,
            **options,
        )
        self.settings = settings
        self.live = live
        self.policy = policy
        self.sync_global = sync_global
        self.defer_after = defer_after
        self.button_timeout = button_timeout
        self.watch_debounce_ms = watch_debounce_ms
        self.watcher: CorpusWatcher | None = None
        # What readers asked and how it went (``bot.store``): its own thread, never this loop's.
        self.recorder = recorder
        # Each server's own articles (``VERBATIM_GUILDS_DIR``), or ``live`` for the rest.
        self.corpora = Corpora(
            live,
            settings.guilds_dir,
            settings.max_loaded_corpora,
            live_loader(live.analyzer),
            watch_debounce_ms if settings.watch else None,
        )
        self.poller: FeedPoller | None = None
        self.cooldown = Cooldown(settings.cooldown_questions, settings.cooldown_seconds)
        self._executor = ThreadPoolExecutor(ANSWER_WORKERS, thread_name_prefix="verbatim-answer")
        self.completer = Completer()  # autocomplete: its own thread, never the answer worker
        yield_between_gateway_events(self.http, settings.discord_gateway_url)

    async def setup_hook(self) -> None:
        await self.sources_of(self.live.current)
        # The index and everything loaded so far live as long as the process (or, for the index,
        # until a reload replaces it: it holds no reference cycles, so it is still freed then).
        # Freezing them keeps the cyclic collector from rescanning them: a full collection
        # otherwise stops the event loop for tens of milliseconds in the middle of a burst.
        gc.collect()
        gc.freeze()
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.settings.feeds:
            # The poller's thread pulls and extracts; the loop only starts and stops it.
            self.poller = await asyncio.to_thread(feed_poller(self.settings, self.live).start)
        if self.settings.watch:
            # Setting up the watch waits for its thread (up to half a second): not on the loop.
            watcher = CorpusWatcher(self.live, self.watch_debounce_ms)
            self.watcher = await asyncio.to_thread(watcher.start)
            log.info("watching %s for article changes", self.live.corpus)
        if self.settings.guild_id is not None:
            guild = discord.Object(self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild.id)
        if self.sync_global:
            synced = await self.tree.sync()
            log.info("synced %d global commands (may take up to an hour to appear)", len(synced))

    async def live_for(self, guild_id: int | None) -> LiveIndex:
        """The live index serving ``guild_id`` (its own folder, loaded on first use, or the
        default corpus); ``CorpusUnavailable`` with the reason when its folder cannot be served."""
        return await self.corpora.live_for(guild_id)

    async def compose(
        self, index: CorpusIndex, question: str, header: str = "", earlier: str | None = None
    ) -> Composed:
        """The answer to ``question`` (a follow-up to ``earlier`` when given) from ``index`` (the
        caller's one read of ``live.current``, so its context comes from the same index) and its
        Discord content, computed off the loop."""
        return await self.in_worker(compose_answer, index, question, self.policy, header, earlier)

    async def sources_of(self, index: CorpusIndex) -> list[SourceInfo]:
        """``/sources`` for ``index``: computed once per index, by ``prepare`` before a reload
        swaps it in, so this is a lookup; the worker hop keeps even a first time off the loop."""
        return await self.in_worker(source_list, index)

    async def in_worker(self, work: Callable[[*Args], T], *args: *Args) -> T:
        """Run core work in the answer worker: summaries queue with questions rather than
        competing with them for the GIL in more threads (see ``ANSWER_WORKERS``)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, work, *args)

    async def start(self, token: str, *, reconnect: bool = True) -> None:
        with discord_endpoints(self.settings.discord_api_url, self.settings.discord_gateway_url):
            await super().start(token, reconnect=reconnect)

    async def close(self) -> None:
        if self.poller is not None:
            poller, self.poller = self.poller, None
            await asyncio.to_thread(poller.stop)  # joins the feed thread: not on the loop
        if self.watcher is not None:
            watcher, self.watcher = self.watcher, None
            await asyncio.to_thread(watcher.stop)  # joins the watch thread: not on the loop
        await self.corpora.close()
        await super().close()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.completer.close()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: the ``Questions`` cog's listener handles every message."""

    async def on_ready(self) -> None:
        log.info(
            "connected as %s (%s), %d guild(s)", self.user, self.application_id, len(self.guilds)
        )


class ShardedVerbatimBot(VerbatimBot, commands.AutoShardedBot):
    """The same bot over discord.py's ``AutoShardedClient``: ``VERBATIM_SHARD_COUNT`` shards in
    all, this process running ``VERBATIM_SHARD_IDS`` of them (every one when unset), each on its
    own gateway socket; Discord sends each shard only its servers' events.

    ``identify_interval``: the wait before each shard's IDENTIFY after the first. Discord allows
    one per 5 s per bucket (``max_concurrency`` 1, most bots); a local stand-in needs none.
    """

    def __init__(self, *args: Any, identify_interval: float = 5.0, **options: Any) -> None:
        super().__init__(*args, **options)
        self.identify_interval = identify_interval

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial:
            await asyncio.sleep(self.identify_interval)


def make_bot(
    settings: Settings,
    live: LiveIndex,
    policy: AnswerPolicy,
    identify_interval: float = 5.0,
    **options: Any,
) -> VerbatimBot:
    """The bot the settings ask for: sharded when ``VERBATIM_SHARD_COUNT`` is set."""
    if not settings.sharded:
        return VerbatimBot(settings, live, policy, **options)
    options["identify_interval"] = identify_interval
    shard_ids = list(settings.shard_ids) if settings.shard_ids is not None else None
    return ShardedVerbatimBot(
        settings, live, policy, shard_count=settings.shard_count, shard_ids=shard_ids, **options
    )
