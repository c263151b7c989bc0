"""``/summary`` and ``/topics``: registered now, answered honestly until summaries exist.

The summaries work will replace these two handlers' bodies; until then they say plainly that
summaries are not available and list the articles the bot can quote, rather than pretend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import texts
from bot.discord_render import sources_reply

if TYPE_CHECKING:
    from bot.discord_bot import VerbatimBot

NONE = discord.AllowedMentions.none()


class Summaries(commands.Cog):
    """Summary commands; their content comes from the summaries core once it lands."""

    def __init__(self, bot: VerbatimBot) -> None:
        self.bot = bot

    @app_commands.command(name="summary", description="A summary of the articles, in their words.")
    async def summary(self, interaction: discord.Interaction[VerbatimBot]) -> None:
        reply = sources_reply(self.bot.sources, intro=texts.SUMMARY_UNAVAILABLE)
        await interaction.response.send_message(
            embeds=reply.embeds, ephemeral=True, allowed_mentions=NONE
        )

    @app_commands.command(name="topics", description="The main topics the articles cover.")
    async def topics(self, interaction: discord.Interaction[VerbatimBot]) -> None:
        reply = sources_reply(self.bot.sources, intro=texts.TOPICS_UNAVAILABLE)
        await interaction.response.send_message(
            embeds=reply.embeds, ephemeral=True, allowed_mentions=NONE
        )
