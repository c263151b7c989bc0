"""Questions from chat (mentions, DMs, configured channels) and the ``/ask`` and ``/sources``
commands. Each handler reads: validate → ask the core (in a worker thread) → render → send.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot import texts
from bot.discord.context import BotContext, Interaction, context_of
from bot.discord.interactions import Outcome, cooldown_refusal, respond
from bot.discord.views import AnswerView
from bot.render import clean_echo, escape_markdown
from bot.render.discord_fit import shorten, sources_reply
from index import CorpusIndex, analysis_of

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
ECHO_LIMIT = 300
_CHAT_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def sources_outcome(index: CorpusIndex) -> Outcome:
    """``/sources`` ready to send (worker thread: at thousands of articles, laying out the list
    is real work, not for the event loop; the list itself is kept with the summaries' analysis)."""
    return Outcome("", embeds=sources_reply(analysis_of(index).sources).embeds)


class Questions(commands.Cog):
    """Answers questions wherever the bot is addressed, and lists its sources."""

    def __init__(self, bot: BotContext) -> None:
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
        composed = await self.bot.compose(index, question, header)
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
    async def ask(self, interaction: Interaction, question: str) -> None:
        work = self.answer(question, interaction.user.id, echo=True)
        await respond(interaction, work, self.bot.defer_after)

    @app_commands.command(
        name="sources", description="List the articles I quote from: title, link and size."
    )
    async def sources(self, interaction: Interaction) -> None:
        refusal = cooldown_refusal(self.bot.cooldown, interaction.user.id)
        work = refusal or self.bot.in_worker(sources_outcome, self.bot.live.current)
        await respond(interaction, work, self.bot.defer_after)


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook`` (``bot.load_extension``)."""
    await bot.add_cog(Questions(context_of(bot)))
