"""Questions from chat (mentions, DMs, configured channels) and the ``/ask`` and ``/sources``
commands. Each handler reads: validate → ask the core (in a worker thread) → render → send.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Final

import discord
from discord import app_commands
from discord.ext import commands

from bot import texts
from bot.discord.context import BotContext, Interaction, context_of
from bot.discord.followups import Conversations
from bot.discord.interactions import Outcome, cooldown_refusal, index_for, respond
from bot.discord.views import AnswerView
from bot.render import clean_echo, escape_markdown
from bot.render.discord_fit import sources_reply
from bot.render.text import followed_question, shorten
from bot.store import QuestionRecord
from index import AnswerStatus, CorpusIndex, analysis_of, without_chat_markup

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
ECHO_LIMIT = 300
THREAD_NAME_LIMIT = 100  # Discord's longest thread name
ARCHIVE_AFTER_MINUTES: Final = 1440  # a day
_CHAT_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def sources_outcome(index: CorpusIndex) -> Outcome:
    """``/sources`` ready to send (worker thread: at thousands of articles, laying out the list
    is real work, not for the event loop; the list itself is kept with the summaries' analysis)."""
    return Outcome("", embeds=sources_reply(analysis_of(index).sources).embeds)


class Questions(commands.Cog):
    """Answers questions wherever the bot is addressed, and lists its sources."""

    def __init__(self, bot: BotContext) -> None:
        self.bot = bot
        self.conversations = Conversations(bot.settings.followup_minutes)

    async def answer(
        self,
        question: str,
        user_id: int,
        echo: bool,
        guild_id: int | None,
        earlier: str | None = None,
    ) -> Outcome:
        refusal = cooldown_refusal(self.bot.cooldown, user_id)
        if refusal is not None:
            return refusal
        question = clean_echo(question).strip()  # echoed below: nothing invisible in it
        limit = self.bot.settings.max_question_length
        if len(question) > limit:
            return Outcome(texts.too_long(len(question), limit), private=True)
        header = f"**Q:** {escape_markdown(shorten(question, ECHO_LIMIT))}\n\n" if echo else ""
        if earlier:
            followed = escape_markdown(followed_question(earlier))
            header = f"*Following up on:* “{followed}”\n\n{header}"
        index = await index_for(self.bot, guild_id)  # read once: the answer and its context
        if isinstance(index, Outcome):
            return index
        composed = await self.bot.compose(index, question, header, earlier)
        status = composed.answer.status
        # Mentions are ids: "<@123> said what?" is kept as "said what?" (no user id in clear).
        question_id = self.record(without_chat_markup(question), status, user_id, guild_id)
        view = None
        rated = (AnswerStatus.NOT_COVERED, AnswerStatus.RELATED)  # votes only, no quote buttons
        if composed.answer.covered or (question_id and status in rated):
            view = AnswerView(
                composed.answer, user_id, composed.context, self.bot.button_timeout, question_id
            )
        return Outcome(composed.content, view)

    def record(
        self, question: str, status: AnswerStatus, user_id: int, guild_id: int | None
    ) -> str | None:
        """Queue the question and its outcome for the store (never awaited: answers do not wait
        for a disk); the id its feedback buttons carry, or ``None`` when nothing is recorded."""
        recorder = self.bot.recorder
        if recorder is None or status is AnswerStatus.EMPTY_QUESTION:
            return None
        question_id = uuid.uuid4().hex
        recorder.record_question(
            QuestionRecord(question_id, time.time(), guild_id, user_id, question, status.value)
        )
        return question_id

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or ``None`` when it is not addressed to it."""
        me = self.bot.user
        if me is None or message.author.bot or message.type not in _CHAT_TYPES:
            return None
        text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        # A reply pings its author by default: Discord lists the bot in ``mentions`` then, and
        # sends the content as for a mention, though the text holds no ``<@id>``.
        mentioned = me.id in message.raw_mentions or any(u.id == me.id for u in message.mentions)
        if message.guild is None or mentioned:
            return text
        channel = message.channel
        parent_id = getattr(channel, "parent_id", None)
        configured = self.bot.settings.channel_ids
        if text and (channel.id in configured or parent_id in configured):
            return text
        if text and (
            self.conversations.is_bot_thread(channel.id)
            or self.conversations.earlier(_reference_id(message), channel.id) is not None
        ):
            return text  # a message in a thread the bot opened, or a reply to its answer
        return None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        try:
            guild_id = message.guild.id if message.guild else None
            channel_id = message.channel.id
            earlier = self.conversations.earlier(_reference_id(message), channel_id)
            outcome = await self.answer(question, message.author.id, False, guild_id, earlier)
            if outcome.silent:
                return
            thread = None
            if earlier is None and not outcome.private and self._opens_thread(message):
                thread = await self._open_thread(message, question)
            if thread is not None:
                sent = await thread.send(
                    outcome.content,
                    view=outcome.view,  # type: ignore[arg-type]  # None means "no buttons"
                    allowed_mentions=NONE,
                )
            else:
                sent = await message.reply(
                    outcome.content,
                    view=outcome.view,  # type: ignore[arg-type]  # None means "no buttons"
                    mention_author=False,
                    allowed_mentions=NONE,
                )
            if outcome.view is not None:
                outcome.view.message = sent
            if not outcome.private:
                in_thread = thread.id if thread is not None else None
                if in_thread is None and self.conversations.is_bot_thread(channel_id):
                    in_thread = channel_id
                self.conversations.answered(sent.id, question, in_thread)
        except Exception:
            log.exception("answering message %s failed", message.id)
            await self._apologize(message)

    def _opens_thread(self, message: discord.Message) -> bool:
        """``VERBATIM_THREADS``: a question in a server's text channel gets its own thread."""
        return self.bot.settings.threads and isinstance(message.channel, discord.TextChannel)

    async def _open_thread(self, message: discord.Message, question: str) -> discord.Thread | None:
        """A thread from the question's message, named after it (or ``None``: then the answer is
        a plain reply, e.g. when the bot may not create threads in that channel)."""
        name = shorten(without_chat_markup(clean_echo(question)), THREAD_NAME_LIMIT) or "Question"
        try:
            thread = await message.create_thread(
                name=name, auto_archive_duration=ARCHIVE_AFTER_MINUTES
            )
        except discord.HTTPException:
            log.warning("could not open a thread for message %s; replying instead", message.id)
            return None
        self.conversations.opened(thread.id)
        return thread

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
        work = self.answer(question, interaction.user.id, True, interaction.guild_id)
        sent = await respond(interaction, work, self.bot.defer_after)
        if sent is not None:  # a reply to this answer follows up on the question
            self.conversations.answered(sent.id, clean_echo(question).strip())

    @app_commands.command(
        name="sources", description="List the articles I quote from: title, link and size."
    )
    async def sources(self, interaction: Interaction) -> None:
        refusal = cooldown_refusal(self.bot.cooldown, interaction.user.id)
        await respond(
            interaction, refusal or self._sources(interaction.guild_id), self.bot.defer_after
        )

    async def _sources(self, guild_id: int | None) -> Outcome:
        index = await index_for(self.bot, guild_id)
        if isinstance(index, Outcome):
            return index
        return await self.bot.in_worker(sources_outcome, index)


def _reference_id(message: discord.Message) -> int | None:
    reference = message.reference
    return reference.message_id if reference is not None else None


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook`` (``bot.load_extension``)."""
    await bot.add_cog(Questions(context_of(bot)))
