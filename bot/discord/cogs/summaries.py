"""``/summary`` and ``/topics``: route to the summaries core, render with the shared renderer.

Each command reads: ask the core (in the bot's answer worker) → render (``bot.render``,
the same layout ``verbatim summary`` prints) → send. The work is ~10-20 ms even on a large corpus
once ``index.summaries.corpus_analysis.prepare`` ran at start-up, but it runs in the worker anyway
and goes through ``respond``, which defers when it is slow, like ``/ask``. Both count against the
per-user cooldown of questions (a refusal is a private "try again in N s"). Autocomplete answers
every keystroke, so it runs apart from answers (``bot.discord.completer``), its handlers are
bounded in time and never raise: a problem gives no choices, and a log line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from bot import service
from bot.discord.context import BotContext, Interaction, context_of
from bot.discord.interactions import Outcome, cooldown_refusal, respond
from bot.render import escape_markdown, render_summary, render_topics, to_markdown
from bot.render.discord_fit import autocomplete_choices
from index import SUMMARY_MAX_LENGTH as MAX_LENGTH
from index import SUMMARY_MIN_LENGTH as MIN_LENGTH
from index import SummaryMode, SummaryStatus, UsageError, complete_topic, match_article_titles

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.settings import Settings
    from index import CorpusIndex

log = logging.getLogger(__name__)

# Discord drops an autocomplete not answered within 3 s; give up well before and offer nothing.
AUTOCOMPLETE_TIMEOUT = 2.0
# Longer options cannot name a topic or a title: Discord refuses them before they reach the bot.
TOPIC_MAX = 100
ARTICLE_MAX = 300
SINCE_MAX = 40


def summary_outcome(
    index: CorpusIndex,
    settings: Settings,
    topic: str | None,
    article: str | None,
    length: int,
    since: str | None = None,
    mode: SummaryMode = SummaryMode.GIST,
) -> Outcome:
    """The summary as ready-to-send content (worker thread); an unknown article, or a ``since``
    that is no date, is told privately, since only the person who typed it needs to see that."""
    try:
        summary = service.summary(index, settings, topic, article, length, since, mode)
    except UsageError as exc:
        return Outcome(escape_markdown(f"{exc}."), private=True)
    content = to_markdown(render_summary(summary))
    time.sleep(0)  # hand the GIL back to the event loop at once (see ``compose_answer``)
    return Outcome(content, private=summary.status is SummaryStatus.UNKNOWN_ARTICLE)


def topics_outcome(index: CorpusIndex) -> Outcome:
    """The corpus's main topics as ready-to-send content (worker thread)."""
    content = to_markdown(render_topics(service.topics(index), len(index.documents)))
    time.sleep(0)
    return Outcome(content)


def topic_choices(index: CorpusIndex, typed: str) -> list[str]:
    """The corpus's topics matching what the user typed, fitted to Discord's choice limits."""
    return autocomplete_choices(complete_topic(index, typed))


def article_choices(index: CorpusIndex, typed: str) -> list[str]:
    """Article titles matching what the user typed; a title cut to 100 characters still finds
    its article (``find_article`` ignores the trailing "…" and matches by prefix)."""
    return autocomplete_choices(match_article_titles(index, typed))


class Summaries(commands.Cog):
    """The gist of the articles, or of a topic or one article, in quoted sentences; the topics."""

    def __init__(self, bot: BotContext) -> None:
        self.bot = bot

    @app_commands.command(
        name="summary", description="The gist of the articles in 3-6 sentences quoted from them."
    )
    @app_commands.describe(
        topic="Only what the articles say about this, for example: shadow fleet",
        article="Only this article (its title, or the start of it)",
        length=f"How many sentences, {MIN_LENGTH} to {MAX_LENGTH}",
        timeline="With a topic: by article, oldest published first, each with its date",
        since="Only articles published since: 7d, 12h, 2w or a date like 2024-03-01",
    )
    async def summary(
        self,
        interaction: Interaction,
        topic: app_commands.Range[str, 1, TOPIC_MAX] | None = None,
        article: app_commands.Range[str, 1, ARTICLE_MAX] | None = None,
        length: app_commands.Range[int, MIN_LENGTH, MAX_LENGTH] | None = None,
        timeline: bool = False,
        since: app_commands.Range[str, 1, SINCE_MAX] | None = None,
    ) -> None:
        length = length if length is not None else self.bot.settings.summary_length
        mode = SummaryMode.TIMELINE if timeline and topic else SummaryMode.GIST
        await self._summarize(interaction, topic, article, length, since, mode)

    @app_commands.command(
        name="compare", description="How each article tells a topic: one quoted sentence from each."
    )
    @app_commands.describe(topic="What to compare across articles, for example: shadow fleet")
    async def compare(
        self,
        interaction: Interaction,
        topic: app_commands.Range[str, 1, TOPIC_MAX],
    ) -> None:
        length = self.bot.settings.summary_length
        await self._summarize(interaction, topic, None, length, None, SummaryMode.COMPARE)

    async def _summarize(
        self,
        interaction: Interaction,
        topic: str | None,
        article: str | None,
        length: int,
        since: str | None,
        mode: SummaryMode,
    ) -> None:
        index = self.bot.live.current
        refusal = cooldown_refusal(self.bot.cooldown, interaction.user.id)
        work = refusal or self.bot.in_worker(
            summary_outcome, index, self.bot.settings, topic, article, length, since, mode
        )
        await respond(interaction, work, self.bot.defer_after)

    @app_commands.command(
        name="topics", description="The main topics of the articles and how often each comes up."
    )
    async def topics(self, interaction: Interaction) -> None:
        refusal = cooldown_refusal(self.bot.cooldown, interaction.user.id)
        work = refusal or self.bot.in_worker(topics_outcome, self.bot.live.current)
        await respond(interaction, work, self.bot.defer_after)

    @summary.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(interaction, topic_choices, typed)

    @compare.autocomplete("topic")
    async def compare_topic_autocomplete(
        self, interaction: Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(interaction, topic_choices, typed)

    @summary.autocomplete("article")
    async def article_autocomplete(
        self, interaction: Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(interaction, article_choices, typed)

    async def _choices(
        self,
        interaction: Interaction,
        find: Callable[[CorpusIndex, str], list[str]],
        typed: str,
    ) -> list[app_commands.Choice[str]]:
        """Choices from ``find`` run by the bot's ``Completer`` (apart from answers, newest
        keystroke only, within the user's budget), or none at all when the request is dropped,
        fails or is slow (never an exception: discord.py would only log it, and the user would
        see "Loading options failed")."""
        index, typed = self.bot.live.current, str(typed or "")
        try:
            async with asyncio.timeout(AUTOCOMPLETE_TIMEOUT):
                labels = await self.bot.completer.run(interaction.user.id, find, index, typed)
        except Exception:
            log.exception("autocomplete %s for %r failed", find.__name__, typed)
            return []
        return [app_commands.Choice(name=label, value=label) for label in labels or () if label]


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook`` (``bot.load_extension``)."""
    await bot.add_cog(Summaries(context_of(bot)))
