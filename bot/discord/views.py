"""Buttons under an answer: "More answers" (the next quotes) and "Show context".

They work for ``TIMEOUT`` seconds after the answer and only for the person who asked; anyone
else who presses them is told why, privately. Both replies are built from what the core already
returned (the answer's extra quotes, the top quote's neighbouring sentences, gathered with the
answer): nothing is ranked here, and no view holds an index. The context is shown privately: a
press posts nothing in the channel, however often it is repeated.
"""

from __future__ import annotations

import logging

import discord

from bot import texts
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
    ) -> None:
        super().__init__(timeout=timeout)
        self.answer = answer
        self.author_id = author_id
        self.context = context
        self.page_size = max(len(answer.quotes), 1)
        self.shown_more = 0
        self.message: discord.Message | None = None
        self.more_answers.disabled = not answer.more

    async def interaction_check(self, interaction: discord.Interaction[discord.Client]) -> bool:
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
        page = self.answer.more[self.shown_more : self.shown_more + self.page_size]
        if not page:
            await interaction.response.send_message(
                texts.NO_MORE, ephemeral=True, allowed_mentions=NONE
            )
            return
        first_number = len(self.answer.quotes) + self.shown_more + 1
        self.shown_more += len(page)
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
        """Take the dead buttons off the answer so nobody presses them in vain."""
        if self.message is None:
            return
        try:
            await self.message.edit(view=None, allowed_mentions=NONE)
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
