"""``/import url:``: add one web page to the articles, for the people who run the server.

Same permission as ``/reload`` (``bot.discord.permissions``: the bot's owner and admins, since
the corpus is shared by every server; checked when it runs). In a server served from its own
folder (``VERBATIM_GUILDS_DIR``) the page goes into that folder, and that server's managers may
import it, as they may reload it.
Only http(s) URLs to public hosts: a Discord command never reads the bot's own disk, nor a page
only the bot's machine can reach (``VERBATIM_IMPORT_PRIVATE_HOSTS`` allows the latter). The
download, extraction and reload run off the event loop; the reply is private: the article's
title, or why it failed.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot import service, texts
from bot.discord.context import BotContext, Interaction, context_of
from bot.discord.permissions import may_reload
from bot.render import escape_markdown
from bot.render.text import shorten
from index import FetchError, ImportReport, LiveIndex, VerbatimError, check_url, import_pages

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
URL_MAX = 2000


def import_reply(report: ImportReport) -> str:
    """The private reply for one import (pure, tested alone)."""
    if report.error is not None:
        return f"Could not import that page: {escape_markdown(shorten(report.error, 200))}"
    title = escape_markdown(shorten(report.title or "", 200))
    if report.had:
        return f"I already have that page: “{title}”."
    return f"Imported “{title}”: I can quote it now."


class Imports(commands.Cog):
    """The admin-only ``/import`` command."""

    def __init__(self, bot: BotContext) -> None:
        self.bot = bot

    @app_commands.command(
        name="import", description="Add a web page to the articles (the bot's admins only)."
    )
    @app_commands.describe(url="The page's address, starting with https://")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def import_page(
        self,
        interaction: Interaction,
        url: app_commands.Range[str, 1, URL_MAX],
    ) -> None:
        guild_id = interaction.guild_id
        folder = self.bot.corpora.folder_of(guild_id)
        if not await may_reload(interaction, self.bot.settings.admin_ids, folder is not None):
            await interaction.response.send_message(
                texts.RELOAD_REFUSED, ephemeral=True, allowed_mentions=NONE
            )
            return
        try:
            check_url(str(url))
        except FetchError as exc:
            await interaction.response.send_message(
                import_reply(ImportReport(str(url), error=exc.reason)),
                ephemeral=True,
                allowed_mentions=NONE,
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        log.info("/import asked by user %s in server %s", interaction.user.id, guild_id)
        settings = self.bot.settings
        fetcher = service.fetcher(settings, public_only=not settings.import_private_hosts)
        corpus = folder or settings.corpus_dir
        try:
            (report,) = await asyncio.to_thread(import_pages, corpus, [str(url)], fetcher, False)
        except VerbatimError as exc:  # the corpus folder is not writable
            log.error("/import failed: %s", exc)
            report = ImportReport(str(url), error=str(exc))
        if report.error is None and not report.had:
            await self._reload(guild_id if folder is not None else None)
        await interaction.followup.send(import_reply(report), ephemeral=True, allowed_mentions=NONE)

    async def _reload(self, guild_id: int | None) -> None:
        """Serve the new page now: the server's own index (when loaded; else it is opened with
        the page at the next question) or the default corpus."""
        live: LiveIndex | None = self.bot.live
        if guild_id is not None:
            self.bot.corpora.forget_failure(guild_id)  # an empty folder has an article now
            live = self.bot.corpora.loaded_live(guild_id)
        if live is None:
            return
        try:
            await asyncio.wrap_future(live.reload())
        except Exception as exc:  # the live index logged it; the page is saved for next time
            log.error("reload after /import failed: %s", exc)


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook`` (``bot.load_extension``)."""
    await bot.add_cog(Imports(context_of(bot)))
