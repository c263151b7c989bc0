"""The bot-wide default: a send that forgets ``allowed_mentions`` still pings nobody.

Every send in the bot passes ``AllowedMentions.none()`` itself; this checks the default under
them (``commands.Bot(allowed_mentions=...)``), which a future send without it would rely on.
"""

from __future__ import annotations

import discord

from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import no_pings, running_bot
from tests.support.discord_standin import DiscordStandIn


async def test_a_send_without_allowed_mentions_pings_nobody(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index) as bot:
        assert bot.allowed_mentions is not None
        channel = bot.get_channel(int(standin.channel_id))
        assert isinstance(channel, discord.TextChannel)
        await channel.send(f"@everyone <@{standin.bot_user['id']}> <@&{standin.guild_id}>")
        sent = await standin.wait_for_request("POST", rf"/channels/{standin.channel_id}/messages")
    assert no_pings(sent.json), sent.json.get("allowed_mentions")
