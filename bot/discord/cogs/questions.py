"""Questions from chat (mentions, DMs, configured channels) and the ``/ask`` and ``/sources``
commands. Each handler reads: validate → ask the core (in a worker thread) → render → send.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import texts
from bot.discord.views import AnswerView
from bot.render.answer import clean_echo, escape_markdown
from bot.render.discord_fit import shorten, sources_reply
from index.summaries.corpus_analysis import analysis_of

if TYPE_CHECKING:
    from bot.discord.app import VerbatimBot
    from bot.discord.cooldown import Cooldown
    from index.retrieval.corpus_index import CorpusIndex

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
ECHO_LIMIT = 300
_CHAT_TYPES = (discord.MessageType.default, discord.MessageType.reply)


@dataclass(slots=True)
class Outcome:
    """What to send for one question; ``silent`` when a flooding user was already told."""

    content: str
    view: AnswerView | None = None
    private: bool = False
    silent: bool = False
    embeds: list[discord.Embed] = field(default_factory=list)


def sources_outcome(index: CorpusIndex) -> Outcome:
    """``/sources`` ready to send (worker thread: at thousands of articles, laying out the list
    is real work, not for the event loop)."""
    return Outcome("", embeds=sources_reply(analysis_of(index).sources).embeds)


# Mentions (users, roles, channels, @everyone/@here) and custom emoji are Discord markup, not
# words of the question: left in, "<@123>" would read as an unknown number to the core.
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|(?<!\w)@(?:everyone|here)\b")


def without_discord_markup(question: str) -> str:
    """The question's own words, with mention and emoji markup removed and spaces tidied."""
    return " ".join(_DISCORD_MARKUP.sub(" ", question).split())


def cooldown_refusal(cooldown: Cooldown, user_id: int) -> Outcome | None:
    """The private "try again in N s" reply when ``user_id`` is over the per-user budget, else
    ``None`` (and the use is counted). One budget covers questions, ``/summary`` and ``/topics``."""
    verdict = cooldown.check(user_id)
    if verdict.allowed:
        return None
    return Outcome(
        texts.cooldown(verdict.retry_after), private=True, silent=not verdict.first_refusal
    )


class Questions(commands.Cog):
    """Answers questions wherever the bot is addressed, and lists its sources."""

    def __init__(self, bot: VerbatimBot) -> None:
        self.bot = bot

    async def answer(self, question: str, user_id: int, echo: bool) -> Outcome:
        refusal = cooldown_refusal(self.bot.cooldown, user_id)
        if refusal is not None:
            return refusal
        question = clean_echo(question).strip()  # echoed below: nothing invisible in it
        limit = self.bot.settings.max_question_length
        if len(question) > limit:
            return Outcome(texts.too_long(len(question), limit), private=True)
        header = f"**Q:** {escape_markdown(shorten(question, ECHO_LIMIT))}\n\n" if echo else ""
        index = self.bot.live.current  # read once: the answer and its context use this index
        composed = await self.bot.compose(index, without_discord_markup(question), header)
        view = None
        if composed.answer.covered:
            view = AnswerView(composed.answer, user_id, composed.context, self.bot.button_timeout)
        return Outcome(composed.content, view)

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or ``None`` when it is not addressed to it."""
        me = self.bot.user
        if me is None or message.author.bot or message.type not in _CHAT_TYPES:
            return None
        text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        if message.guild is None or me.id in message.raw_mentions:
            return text
        channel = message.channel
        parent_id = getattr(channel, "parent_id", None)
        configured = self.bot.settings.channel_ids
        if text and (channel.id in configured or parent_id in configured):
            return text
        return None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        try:
            outcome = await self.answer(question, message.author.id, echo=False)
            if outcome.silent:
                return
            sent = await message.reply(
                outcome.content,
                view=outcome.view,  # type: ignore[arg-type]  # None means "no buttons"
                mention_author=False,
                allowed_mentions=NONE,
            )
            if outcome.view is not None:
                outcome.view.message = sent
        except Exception:
            log.exception("answering message %s failed", message.id)
            await self._apologize(message)

    async def _apologize(self, message: discord.Message) -> None:
        try:
            await message.reply(texts.ERROR, mention_author=False, allowed_mentions=NONE)
        except discord.HTTPException:
            log.exception("could not tell the user about the failure on message %s", message.id)

    @app_commands.command(
        name="ask", description="Ask about the articles; I answer with sentences quoted from them."
    )
    @app_commands.describe(question="Your question, for example: Who was killed in Moscow?")
    async def ask(self, interaction: discord.Interaction[VerbatimBot], question: str) -> None:
        work = self.answer(question, interaction.user.id, echo=True)
        await respond(interaction, work, self.bot.defer_after)

    @app_commands.command(
        name="sources", description="List the articles I quote from: title, link and size."
    )
    async def sources(self, interaction: discord.Interaction[VerbatimBot]) -> None:
        refusal = cooldown_refusal(self.bot.cooldown, interaction.user.id)
        work = refusal or self.bot.in_worker(sources_outcome, self.bot.live.current)
        await respond(interaction, work, self.bot.defer_after)


async def respond(
    interaction: discord.Interaction[VerbatimBot],
    work: Outcome | Awaitable[Outcome],
    defer_after: float,
) -> None:
    """Answer at once when the work is quick (or already done); else defer first, then follow up.

    Discord drops an interaction not answered within 3 s, so slow work shows "thinking…" first.
    Whether the reply is private is known only once the work is done, and the first follow-up
    takes the privacy of the deferral: a private outcome after a public "thinking…" deletes that
    message and follows up privately, so a slow private reply never becomes public.
    """
    if isinstance(work, Outcome):
        await _send_now(interaction, work)
        return
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    if done:
        await _send_now(interaction, task.result())
        return
    await interaction.response.defer(thinking=True)
    outcome = await task
    if outcome.private:
        await interaction.delete_original_response()
    view = outcome.view or discord.utils.MISSING
    sent = await interaction.followup.send(
        outcome.content or discord.utils.MISSING,
        embeds=outcome.embeds,
        view=view,
        ephemeral=outcome.private,
        allowed_mentions=NONE,
        wait=True,
    )
    if outcome.view is not None:
        outcome.view.message = sent


async def _send_now(interaction: discord.Interaction[VerbatimBot], outcome: Outcome) -> None:
    view = outcome.view or discord.utils.MISSING
    callback = await interaction.response.send_message(
        outcome.content or None,
        embeds=outcome.embeds,
        view=view,
        ephemeral=outcome.private,
        allowed_mentions=NONE,
    )
    sent = callback.resource if isinstance(callback.resource, discord.Message) else None
    if outcome.view is not None and sent is not None:
        outcome.view.message = sent
