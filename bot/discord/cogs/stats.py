"""``/stats``: this week in one server, for its managers: questions, share answered, feedback,
what readers asked that the articles do not cover, and a chart of questions per day.

Discord shows the command only to members with Manage Server (``default_permissions``, which a
server can change), so the bot checks the permission Discord resolved for this interaction too.
The figures are one server's own, never another's. The report is read in the store's thread and
the chart drawn in the answer worker; the reply is private.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot import texts
from bot.discord.context import BotContext, Interaction, context_of
from bot.render import escape_markdown
from bot.render.chart import questions_per_day_png
from bot.render.report import render_report
from bot.render.text import shorten
from bot.store import Window

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
WEEK = 7 * 86_400.0
CHART = "questions-per-day.png"
CONTENT_LIMIT = 2000


class Stats(commands.Cog):
    def __init__(self, bot: BotContext) -> None:
        self.bot = bot

    @app_commands.command(
        name="stats", description="This week's questions here: answered, missed, feedback."
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def stats(self, interaction: Interaction) -> None:
        recorder = self.bot.recorder
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            await interaction.response.send_message(
                texts.STATS_REFUSED, ephemeral=True, allowed_mentions=NONE
            )
            return
        if recorder is None:
            await interaction.response.send_message(
                texts.VOTES_OFF, ephemeral=True, allowed_mentions=NONE
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        window = Window(time.time() - WEEK, interaction.guild_id)
        report = await asyncio.wrap_future(recorder.report(window))
        content = render_report(report, escape_markdown, heading="**This week in this server**")
        png = await self.bot.in_worker(questions_per_day_png, report.days)
        await interaction.followup.send(
            shorten(content, CONTENT_LIMIT),
            file=discord.File(io.BytesIO(png), CHART),
            ephemeral=True,
            allowed_mentions=NONE,
        )


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook`` (``bot.load_extension``)."""
    await bot.add_cog(Stats(context_of(bot)))
