"""Who may run the commands that change the shared corpus (``/reload``, ``/import``): one check.

The corpus is shared by every server the bot is in, so Manage Server in the server where a
command runs proves nothing: anyone can add the bot to a server of their own. These commands are
for the application's owner, the users in ``VERBATIM_ADMIN_IDS``, and members with Manage Server
in a server listed there. A server served from its own folder is its managers' to reload.
"""

from __future__ import annotations

from bot.discord.context import Interaction


async def may_reload(
    interaction: Interaction, admins: frozenset[int], own_folder: bool = False
) -> bool:
    """The application's owner, an admin user (in ``admins``), or a member with Manage Server
    (as Discord resolved it for this interaction) in an admin server or, for a server served
    from its own folder (``VERBATIM_GUILDS_DIR``), in that server; never in DMs."""
    if interaction.guild_id is None:
        return False
    if interaction.user.id in admins:
        return True
    manager = interaction.permissions.manage_guild
    if (own_folder or interaction.guild_id in admins) and manager:
        return True
    return await interaction.client.is_owner(interaction.user)
