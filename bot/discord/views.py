"""Buttons under an answer: "More answers" (the next quotes) and "Show context", then the
feedback buttons 👍/👎 (``bot.discord.feedback``) when questions are recorded.

The first two work for ``TIMEOUT`` seconds after the answer and only for the person who asked;
anyone else who presses them is told why, privately; an answer the articles do not cover has
only the feedback buttons, which anyone may press and which outlive the others. Both replies
are built from what the core already returned (the answer's extra quotes, the top quote's
neighbouring sentences, gathered with the answer): nothing is ranked here, and no view holds an
index. The context is shown privately: a press posts nothing in the channel, however often.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from bot import texts
from bot.discord.feedback import is_vote, vote_button
from bot.render import render_answer
from bot.render.discord_fit import answer_content, context_reply
from index import Answer, AnswerStatus, Passage

log = logging.getLogger(__name__)

TIMEOUT = 900.0
CONTEXT_SENTENCES = 2
NONE = discord.AllowedMentions.none()


class AnswerView(discord.ui.View):
    """The two buttons under one answer, bound to its asker and to the answer itself."""

    def __init__(
        self,
        answer: Answer,
        author_id: int,
        context: tuple[Passage, ...],
        timeout: float = TIMEOUT,
        question_id: str | None = None,
    ) -> None:
        super().__init__(timeout=timeout)
        self.answer = answer
        self.author_id = author_id
        self.context = context
        self.page_size = max(len(answer.quotes), 1)
        self.shown_more = 0
        self.message: discord.Message | None = None
        self.more_answers.disabled = not answer.more
        if not answer.covered:
            self.remove_item(self.more_answers).remove_item(self.show_context)
        self.has_votes = question_id is not None
        if question_id is not None:
            for helpful in (True, False):
                self.add_item(vote_button(question_id, helpful))

    def is_empty(self) -> bool:
        return not self.children

    async def interaction_check(self, interaction: discord.Interaction[discord.Client]) -> bool:
        data: dict[str, object] = dict(interaction.data or {})
        if is_vote(data.get("custom_id")):
            return False  # anyone's vote, answered by the feedback handler, not by this view
        if interaction.user.id == self.author_id:
            return True
        await interaction.response.send_message(
            texts.NOT_YOURS, ephemeral=True, allowed_mentions=NONE
        )
        return False

    @discord.ui.button(label="More answers", style=discord.ButtonStyle.secondary)
    async def more_answers(
        self, interaction: discord.Interaction[discord.Client], _: discord.ui.Button[AnswerView]
    ) -> None:
        more_quotes, start = self.answer.more, self.shown_more
        end = min(start + self.page_size, len(more_quotes))
        if start >= end:
            await interaction.response.send_message(
                texts.NO_MORE, ephemeral=True, allowed_mentions=NONE
            )
            return
        self.shown_more = end  # taken before the wait: a second press gets the next page
        # The more quotes are made when first read (a read of the index): off the event loop.
        page = await asyncio.to_thread(lambda: tuple(more_quotes[start:end]))
        first_number = len(self.answer.quotes) + start + 1
        more = Answer(self.answer.question, AnswerStatus.COVERED, page)
        content = answer_content(render_answer(more, first_number))
        await interaction.response.send_message(content, allowed_mentions=NONE)

    @discord.ui.button(label="Show context", style=discord.ButtonStyle.secondary)
    async def show_context(
        self, interaction: discord.Interaction[discord.Client], _: discord.ui.Button[AnswerView]
    ) -> None:
        if not self.answer.quotes or not self.context:
            await interaction.response.send_message(
                texts.NO_CONTEXT, ephemeral=True, allowed_mentions=NONE
            )
            return
        reply = context_reply(self.context, self.answer.quotes[0].passage)
        await interaction.response.send_message(
            embeds=reply.embeds, ephemeral=True, allowed_mentions=NONE
        )

    async def on_timeout(self) -> None:
        """Take the dead buttons off the answer so nobody presses them in vain (the votes stay:
        they are answered by the bot, not by this view, which has stopped)."""
        expiring = [
            item for item in (self.more_answers, self.show_context) if item in self.children
        ]
        if self.message is None or not expiring:
            return  # a "not covered" answer has only votes: nothing to take off
        for item in expiring:
            self.remove_item(item)
        try:
            await self.message.edit(view=self if self.has_votes else None, allowed_mentions=NONE)
        except discord.HTTPException:
            log.info("could not remove expired buttons from message %s", self.message.id)

    async def on_error(
        self,
        interaction: discord.Interaction[discord.Client],
        error: Exception,
        item: discord.ui.Item[AnswerView],
    ) -> None:
        log.error("button %r failed", getattr(item, "label", item), exc_info=error)
        send = (
            interaction.followup.send
            if interaction.response.is_done()
            else interaction.response.send_message
        )
        await send(texts.ERROR, ephemeral=True, allowed_mentions=NONE)
