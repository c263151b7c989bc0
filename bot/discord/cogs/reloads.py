"""``/reload``: re-read the articles folder now, for the people who run the bot.

A server served from its own folder (``VERBATIM_GUILDS_DIR``) reloads only that folder, and its
own members with Manage Server may do it (it is theirs; one reload per cooldown per server). The
default corpus is shared by every server the bot is in, so Manage Server in the server where the
command runs proves nothing: anyone can add the bot to a server of their own. Discord hides the
command from members without Manage Server (``default_permissions``); the bot then allows it only
to the application's owner, to the users in ``VERBATIM_ADMIN_IDS``, and to members with Manage
Server in a server listed there. Reloads are also limited to one per ``reload_cooldown_seconds``
for the whole bot, and one with no file changed costs nothing (``LiveIndex.reload``). The
rebuild runs in the live index's worker thread; the command awaits its future without blocking
the loop, while questions keep being answered from the old index, then reports what changed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import texts
from bot.corpora import CorpusUnavailable
from bot.discord.context import BotContext, Interaction, context_of
from bot.discord.cooldown import Cooldown
from bot.discord.permissions import may_reload
from bot.render import escape_markdown
from bot.render.text import shorten
from bot.service import served_counts
from index import VerbatimError

if TYPE_CHECKING:
    from index import LiveIndex, ReloadResult

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
MAX_SKIPPED_SHOWN = 10
REASON_LIMIT = 150
EVERYONE = 0  # the reload cooldown's one key: every admin shares the one corpus


def reload_report(articles_before: int, sentences_before: int, result: ReloadResult) -> str:
    """What a finished reload changed, in one short private message (pure, tested alone)."""
    if not result.changed:
        return (
            f"No article file changed: still serving {result.documents:,} article(s), "
            f"{result.passages:,} sentences."
        )
    lines = [
        f"Reloaded in {result.seconds:.1f} s: {_count(result.documents, articles_before)} "
        f"article(s), {_count(result.passages, sentences_before)} sentences."
    ]
    if result.skipped:
        lines.append(f"Skipped {len(result.skipped)} file(s) I could not read:")
        for skipped in result.skipped[:MAX_SKIPPED_SHOWN]:
            name = escape_markdown(skipped.path.name)
            lines.append(f"- `{name}`: {escape_markdown(shorten(skipped.reason, REASON_LIMIT))}")
        if len(result.skipped) > MAX_SKIPPED_SHOWN:
            lines.append(f"- … and {len(result.skipped) - MAX_SKIPPED_SHOWN} more (see the log)")
    return "\n".join(lines)


def reload_failure(error: BaseException) -> str:
    """The failure as the admin should read it: our own errors say how to fix the problem."""
    reason = str(error) if isinstance(error, VerbatimError) else texts.RELOAD_UNEXPECTED
    return texts.reload_failed(escape_markdown(shorten(reason, REASON_LIMIT * 2)))


def _count(now: int, before: int) -> str:
    change = now - before
    return f"{now:,} ({change:+,})" if change else f"{now:,} (unchanged)"


def reload_cooldown(seconds: float) -> Cooldown:
    """One reload per ``seconds`` for the whole bot (one shared corpus); 0 turns it off."""
    return Cooldown(1 if seconds > 0 else 0, seconds or 1.0)


class Reloads(commands.Cog):
    """The admin-only ``/reload`` command."""

    def __init__(self, bot: BotContext) -> None:
        self.bot = bot
        self.cooldown = reload_cooldown(bot.settings.reload_cooldown_seconds)

    @app_commands.command(
        name="reload", description="Re-read the articles folder now (the bot's admins only)."
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: Interaction) -> None:
        guild_id = interaction.guild_id
        own = self.bot.corpora.folder_of(guild_id) is not None
        if not await may_reload(interaction, self.bot.settings.admin_ids, own):
            await interaction.response.send_message(
                texts.RELOAD_REFUSED, ephemeral=True, allowed_mentions=NONE
            )
            return
        verdict = self.cooldown.check(guild_id if own and guild_id else EVERYONE)
        if not verdict.allowed:
            await interaction.response.send_message(
                texts.reload_cooldown(verdict.retry_after), ephemeral=True, allowed_mentions=NONE
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        log.info("/reload asked by user %s in server %s", interaction.user.id, guild_id)
        if own and guild_id is not None:
            content = await self._reload_own(guild_id)
        else:
            content = await self._reload(self.bot.live)
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=NONE)

    async def _reload(self, live: LiveIndex) -> str:
        articles, sentences = served_counts(live)
        try:
            result = await asyncio.wrap_future(live.reload())
        except Exception as exc:  # the live index logged it; the old index is still serving
            log.error("/reload of %s failed: %s", live.corpus, exc)
            return reload_failure(exc)
        return reload_report(articles, sentences, result)

    async def _reload_own(self, guild_id: int) -> str:
        """Reload a server's own folder; one not loaded yet (or broken) is loaded now."""
        live = self.bot.corpora.loaded_live(guild_id)
        if live is not None:
            return await self._reload(live)
        self.bot.corpora.forget_failure(guild_id)
        try:
            live = await self.bot.live_for(guild_id)
        except CorpusUnavailable as exc:
            return texts.reload_failed(escape_markdown(shorten(str(exc), REASON_LIMIT * 2)))
        articles, sentences = served_counts(live)
        return f"Loaded this server's articles: {articles:,} article(s), {sentences:,} sentences."


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook`` (``bot.load_extension``)."""
    await bot.add_cog(Reloads(context_of(bot)))
