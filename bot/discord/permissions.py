"""Who may run the commands that change the shared corpus (``/reload``, ``/import``): one check.

The corpus is shared by every server the bot is in, so Manage Server in the server where a
command runs proves nothing: anyone can add the bot to a server of their own. These commands are
for the application's owner, the users in ``VERBATIM_ADMIN_IDS``, and members with Manage Server
in a server listed there.
"""

from __future__ import annotations

from bot.discord.context import Interaction


async def may_reload(interaction: Interaction, admins: frozenset[int]) -> bool:
    """The application's owner, an admin user (in ``admins``), or a member with Manage Server
    (as Discord resolved it for this interaction) in an admin server; never in DMs."""
    if interaction.guild_id is None:
        return False
    if interaction.user.id in admins:
        return True
    if interaction.guild_id in admins and interaction.permissions.manage_guild:
        return True
    return await interaction.client.is_owner(interaction.user)
