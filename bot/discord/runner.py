"""Start the Discord bot: the one place that configures logging and builds the bot's resources.

Order matters for clear failures: settings were validated by the caller, the index is built
(in a thread) before any connection, and only then does the bot log in.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import TYPE_CHECKING

import discord

from bot.settings import Settings

if TYPE_CHECKING:
    from index import LiveIndex

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USAGE = 2
REDACTED = "[DISCORD_TOKEN]"


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


def run_bot(settings: Settings, sync_global: bool = False) -> int:
    """Run until stopped (Ctrl-C or SIGTERM); return the process exit code."""
    if settings.discord_token is None:
        print("verbatim: DISCORD_TOKEN is not set (see .env.example)", file=sys.stderr)
        return EXIT_USAGE
    token = settings.discord_token.get_secret_value()
    configure_logging(settings, token)
    try:
        asyncio.run(serve(settings, token, sync_global))
    except discord.LoginFailure:
        print("verbatim: Discord rejected DISCORD_TOKEN; reset it in the portal", file=sys.stderr)
        return EXIT_USAGE
    except discord.PrivilegedIntentsRequired:
        print(
            "verbatim: VERBATIM_CHANNEL_IDS needs the Message Content intent: enable it on the "
            "Developer Portal, Bot page",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


def build_index(settings: Settings) -> LiveIndex:
    """Open the corpus as a live index, with the summaries' corpus-level work done up front.

    Runs in the start-up thread, before the bot exists: the first ``/summary`` or ``/topics`` on a
    large corpus would otherwise pay seconds of analysis, and ``setup_hook`` freezes the heap for
    the garbage collector only after this, so the analysis is frozen with the index. ``prepare``
    is also the live index's ``on_built`` hook: every reloaded index is prepared in the reload
    thread before it is swapped in, so no request ever meets an unprepared index.
    """
    from index import LiveIndex, prepare

    return LiveIndex(settings.corpus_dir, settings.index_dir, on_built=prepare)


async def serve(settings: Settings, token: str, sync_global: bool) -> None:
    from bot.discord.app import VerbatimBot
    from bot.service import served_counts

    live = await asyncio.to_thread(build_index, settings)
    bot = VerbatimBot(settings, live, settings.answer_policy(), sync_global=sync_global)
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop, lambda: asyncio.ensure_future(bot.close()))
    # No local name for the index: one would keep the start-up index alive after a reload.
    log.info("index ready: %d article(s), %d sentences", *served_counts(live))
    try:
        async with bot:
            await bot.start(token)
    finally:
        await asyncio.to_thread(live.close)  # waits for a running reload to finish
