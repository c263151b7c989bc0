"""👍 "Helpful" / 👎 "Not helpful" under every answer, for anyone in the channel.

The buttons carry the recorded question's id in their ``custom_id``, and a ``DynamicItem``
registered once on the bot (``setup``) answers every press of every such button, so a vote works
for as long as the question is kept (``VERBATIM_RETENTION_DAYS``), across restarts, long after
the answer's other buttons expired. Under the answer they are plain buttons of its
``AnswerView`` (which ignores presses on them): a ``DynamicItem`` inside a view would be
unregistered with the view when it expires. One vote per person per answer, changeable; the
reply says what the press did, privately.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import discord
from discord.ext import commands

from bot import texts
from bot.store import Recorder, VoteChange

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
PREFIX = "verbatim:vote:"
TEMPLATE = rf"{PREFIX}(?P<question>[0-9a-f]{{32}}):(?P<choice>up|down)"
_CHOICES = {True: ("up", "Helpful", "👍"), False: ("down", "Not helpful", "👎")}


def is_vote(custom_id: object) -> bool:
    return isinstance(custom_id, str) and re.fullmatch(TEMPLATE, custom_id) is not None


def vote_button(question_id: str, helpful: bool) -> discord.ui.Button[Any]:
    choice, label, emoji = _CHOICES[helpful]
    return discord.ui.Button(
        label=label,
        emoji=emoji,
        style=discord.ButtonStyle.secondary,
        custom_id=f"{PREFIX}{question_id}:{choice}",
    )


class Vote(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """A press of one vote button, whoever pressed it, whenever."""

    def __init__(self, question_id: str, helpful: bool) -> None:
        super().__init__(vote_button(question_id, helpful))
        self.question_id = question_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[discord.Client],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Vote:
        return cls(match["question"], match["choice"] == "up")

    async def callback(self, interaction: discord.Interaction[discord.Client]) -> None:
        try:
            reply = await self._vote(interaction)
        except Exception:
            log.exception("recording a vote on question %s failed", self.question_id)
            reply = texts.ERROR
        await interaction.response.send_message(reply, ephemeral=True, allowed_mentions=NONE)

    async def _vote(self, interaction: discord.Interaction[discord.Client]) -> str:
        recorder = getattr(interaction.client, "recorder", None)
        if not isinstance(recorder, Recorder):
            return texts.VOTES_OFF
        future = recorder.vote(self.question_id, interaction.user.id, self.helpful)
        change: VoteChange = await asyncio.wrap_future(future)
        return texts.voted(change, self.helpful)


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook``: every vote button, present and past."""
    bot.add_dynamic_items(Vote)
