"""Start the Discord bot: the one place that configures logging and builds the bot's resources.

Order matters for clear failures: settings were validated by the caller, the index is built
(in a thread) before any connection, Discord is checked to be reachable (``bot.discord.reach``,
retried with backoff), and only then does the bot log in. Every way start-up can fail ends in
one line on stderr and exit 2; the log (at DEBUG) keeps the details.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from functools import partial
from typing import TYPE_CHECKING

import discord

from bot.discord.reach import Backoff, DiscordUnreachable, describe, wait_for_discord
from bot.render.terminal import OneLineRecords
from bot.settings import Settings

if TYPE_CHECKING:
    from index import LiveIndex

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USAGE = 2
REDACTED = "[DISCORD_TOKEN]"
# A 429 asking to wait longer than this (discord.py's minimum) fails the request: at login that
# is one line saying when to retry, not a silent hour-long wait.
MAX_RATE_LIMIT_WAIT = 30.0


class RedactToken(logging.Filter):
    """Defence in depth: no log line may carry the token, even inside a traceback."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, REDACTED), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, REDACTED)
        return True


def configure_logging(settings: Settings, token: str) -> None:
    logging.basicConfig(
        force=True,
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
        handler.addFilter(OneLineRecords())


def run_bot(settings: Settings, sync_global: bool = False) -> int:
    """Run until stopped (Ctrl-C or SIGTERM); return the process exit code."""
    if settings.discord_token is None:
        print("verbatim: DISCORD_TOKEN is not set (see .env.example)", file=sys.stderr)
        return EXIT_USAGE
    if settings.feeds and settings.shipped_corpus:
        print(
            "verbatim: VERBATIM_FEEDS saves articles into VERBATIM_CORPUS_DIR: set it to a folder "
            "of yours (the shipped seeds/ is Verbatim's sample)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    token = settings.discord_token.get_secret_value()
    configure_logging(settings, token)
    try:
        asyncio.run(serve(settings, token, sync_global))
    except discord.LoginFailure:
        return _fail("Discord rejected DISCORD_TOKEN; reset it in the portal")
    except discord.PrivilegedIntentsRequired:
        return _fail(
            "VERBATIM_CHANNEL_IDS needs the Message Content intent: enable it on the "
            "Developer Portal, Bot page"
        )
    except DiscordUnreachable as exc:
        return _fail(f"{exc}; check the network, or VERBATIM_DISCORD_API_URL if you use a proxy")
    except discord.RateLimited as exc:
        return _fail(
            f"Discord is rate-limiting this bot; start it again in {exc.retry_after:.0f} s"
        )
    except discord.HTTPException as exc:
        log.debug("start-up failed", exc_info=True)
        return _fail(_http_failure(exc))
    except (OSError, TimeoutError) as exc:  # aiohttp's connection errors are OSErrors
        log.debug("start-up failed", exc_info=True)
        return _fail(f"cannot reach Discord at {settings.discord_api_url}: {describe(exc)}")
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"verbatim: {message}", file=sys.stderr)
    return EXIT_USAGE


def _http_failure(exc: discord.HTTPException) -> str:
    if exc.status == 429:
        return "Discord refused the login as rate-limited (HTTP 429); wait a few minutes"
    return f"Discord answered HTTP {exc.status} at start-up; try again later"


def build_index(settings: Settings) -> LiveIndex:
    """Open the corpus as a live index, with the summaries' corpus-level work done up front.

    Runs in the start-up thread, before the bot exists: the first ``/summary`` or ``/topics`` on a
    large corpus would otherwise pay seconds of analysis, and ``setup_hook`` freezes the heap for
    the garbage collector only after this, so the analysis is frozen with the index. The live
    index opens every index through ``open_prepared``: each reloaded index is prepared in the
    reload thread before it is swapped in, so no request ever meets an unprepared index, and the
    analysis is kept beside the index, so a restart reads it back instead of recomputing it.
    """
    from index import LiveIndex, open_prepared

    embedder = settings.embedder()
    if embedder is not None:
        embedder.load()  # a broken extra is one line at start-up, not a failed first question
    opener = partial(open_prepared, embedder=embedder)
    return LiveIndex(settings.corpus_dir, settings.index_dir, opener=opener)


async def serve(settings: Settings, token: str, sync_global: bool) -> None:
    from bot.discord.app import make_bot
    from bot.service import served_counts
    from bot.store import Recorder, open_store

    live = await asyncio.to_thread(build_index, settings)
    try:
        # Before any connection: a data folder or database that is not ours is one line, exit 2.
        recorder = Recorder(await asyncio.to_thread(open_store, settings))
    except BaseException:
        await asyncio.to_thread(live.close)
        raise
    try:
        # No local name for the index: one would keep the start-up index alive after a reload.
        log.info("index ready: %d article(s), %d sentences", *served_counts(live))
        await wait_for_discord(
            settings.discord_api_url,
            settings.discord_gateway_url,
            backoff=Backoff(settings.startup_retry_seconds),
        )
        bot = make_bot(
            settings,
            live,
            settings.answer_policy(),
            sync_global=sync_global,
            recorder=recorder,
            max_ratelimit_timeout=MAX_RATE_LIMIT_WAIT,
        )
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop, lambda: asyncio.ensure_future(bot.close()))
        async with bot:
            await bot.start(token)
    finally:
        await asyncio.to_thread(live.close)  # waits for a running reload to finish
        await asyncio.to_thread(recorder.close)  # the queued writes are finished first
