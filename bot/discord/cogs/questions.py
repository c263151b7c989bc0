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
from bot.render.answer import escape_markdown
from bot.render.discord_fit import shorten, sources_reply

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
ECHO_LIMIT = 300
_CHAT_TYPES = (discord.MessageType.default, discord.MessageType.reply)


# Mentions (users, roles, channels, @everyone/@here) and custom emoji are Discord markup, not
# words of the question: left in, "<@123>" would read as an unknown number to the core.
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|(?<!\w)@(?:everyone|here)\b")


def without_discord_markup(question: str) -> str:
    """The question's own words, with mention and emoji markup removed and spaces tidied."""
    return " ".join(_DISCORD_MARKUP.sub(" ", question).split())


class Questions(commands.Cog):
    """Answers questions wherever the bot is addressed, and lists its sources."""

    def __init__(self, bot: BotContext) -> None:
        self.bot = bot

    async def answer(self, question: str, user_id: int, echo: bool) -> Outcome:
        refusal = cooldown_refusal(self.bot.cooldown, user_id)
        if refusal is not None:
            return refusal
        question = question.strip()
        limit = self.bot.settings.max_question_length
        if len(question) > limit:
            return Outcome(texts.too_long(len(question), limit), private=True)
        header = f"**Q:** {escape_markdown(shorten(question, ECHO_LIMIT))}\n\n" if echo else ""
        index = self.bot.live.current  # read once: the answer and its buttons use this index
        answer, content = await self.bot.compose(index, without_discord_markup(question), header)
        view = None
        if answer.covered:
            view = AnswerView(answer, user_id, index, self.bot.button_timeout)
        return Outcome(content, view)

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
        reply = sources_reply(await self.bot.sources_of(self.bot.live.current))
        await interaction.response.send_message(embeds=reply.embeds, allowed_mentions=NONE)


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook`` (``bot.load_extension``)."""
    await bot.add_cog(Questions(context_of(bot)))
