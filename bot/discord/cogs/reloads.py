"""``/reload``: re-read the articles folder now, for the people who run the server.

Who may use it is checked twice: Discord hides the command from members without Manage Server
(``default_permissions``, a default that server admins can change), so the bot checks again when
it runs: the member must have Manage Server in that server, or own the bot's application. The
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
from bot.discord.context import BotContext, Interaction, context_of
from bot.render.answer import escape_markdown
from bot.render.discord_fit import shorten
from bot.service import served_counts
from index import VerbatimError

if TYPE_CHECKING:
    from index import ReloadResult

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
MAX_SKIPPED_SHOWN = 10
REASON_LIMIT = 150


def reload_report(articles_before: int, sentences_before: int, result: ReloadResult) -> str:
    """What a finished reload changed, in one short private message (pure, tested alone)."""
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


async def may_reload(interaction: Interaction) -> bool:
    """Manage Server in this server (as Discord resolved it for this interaction), or the
    application's owner; never in DMs, where there is no server to manage."""
    if interaction.guild_id is None:
        return False
    if interaction.permissions.manage_guild:
        return True
    return await interaction.client.is_owner(interaction.user)


class Reloads(commands.Cog):
    """The admin-only ``/reload`` command."""

    def __init__(self, bot: BotContext) -> None:
        self.bot = bot

    @app_commands.command(
        name="reload", description="Re-read the articles folder now (Manage Server only)."
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: Interaction) -> None:
        if not await may_reload(interaction):
            await interaction.response.send_message(
                texts.RELOAD_REFUSED, ephemeral=True, allowed_mentions=NONE
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        live = self.bot.live
        articles, sentences = served_counts(live)
        log.info("/reload asked by user %s", interaction.user.id)
        try:
            result = await asyncio.wrap_future(live.reload())
        except Exception as exc:  # the live index logged it; the old index is still serving
            log.error("/reload by user %s failed: %s", interaction.user.id, exc)
            content = reload_failure(exc)
        else:
            content = reload_report(articles, sentences, result)
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=NONE)


async def setup(bot: commands.Bot) -> None:
    """Loaded by name from the bot's ``setup_hook`` (``bot.load_extension``)."""
    await bot.add_cog(Reloads(context_of(bot)))
