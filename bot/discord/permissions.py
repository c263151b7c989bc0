"""Who may run the server managers' commands (``/reload``, ``/import``): one check for both."""

from __future__ import annotations

from bot.discord.context import Interaction


async def may_manage(interaction: Interaction) -> bool:
    """Manage Server in this server (as Discord resolved it for this interaction), or the
    application's owner; never in DMs, where there is no server to manage."""
    if interaction.guild_id is None:
        return False
    if interaction.permissions.manage_guild:
        return True
    return await interaction.client.is_owner(interaction.user)
