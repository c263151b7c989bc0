"""Each server its own articles (``VERBATIM_GUILDS_DIR``), others and DMs the default corpus."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot import texts
from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import (
    admin_command,
    ask_over_gateway,
    mention,
    running_bot,
    slash,
)
from tests.support.builders import write_article
from tests.support.discord_standin import DiscordStandIn, Payload

EPHEMERAL = 1 << 6
FESTIVAL = "Where was the zebra festival held?"
MINE = "How deep is the copper mine?"
MOSCOW = "Who was killed in Moscow?"


class Servers:
    """The stand-in's guild (``a``, its own folder), ``b`` (its own), ``c`` (none), ``d``
    (an empty folder), each with its channel."""

    def __init__(self, standin: DiscordStandIn, guilds: Path) -> None:
        self.channels = {"a": standin.channel_id}
        self.ids = {"a": standin.guild_id}
        for name in "bcd":
            self.ids[name], self.channels[name] = standin.add_guild(f"guild {name}")
        write_article(
            guilds / self.ids["a"],
            "festival.txt",
            "Zebra Festival Draws Crowds",
            ["The zebra festival was held in Lyon for the third year running."],
        )
        write_article(
            guilds / self.ids["b"],
            "mine.txt",
            "Copper Mine Reaches New Depth",
            ["The copper mine in Atacama is now 1,200 metres deep, its owners said."],
        )
        (guilds / self.ids["d"]).mkdir()


@pytest.fixture
def guilds(tmp_path: Path) -> Path:
    return tmp_path / "guilds"


async def ask(standin: DiscordStandIn, servers: Servers, where: str, question: str) -> str:
    message = mention(standin, question, channel_id=servers.channels[where])
    reply = await ask_over_gateway(standin, message)
    return str(reply.json["content"])


async def test_each_server_answers_from_its_own_articles_and_the_rest_from_the_default(
    standin: DiscordStandIn, shipped_index: CorpusIndex, guilds: Path
) -> None:
    servers = Servers(standin, guilds)
    # Seven questions from one person: more than the per-user cooldown allows by default.
    async with running_bot(standin, shipped_index, guilds_dir=guilds, cooldown_questions=0) as bot:
        a_festival = await ask(standin, servers, "a", FESTIVAL)
        b_festival = await ask(standin, servers, "b", FESTIVAL)
        b_mine = await ask(standin, servers, "b", MINE)
        a_moscow = await ask(standin, servers, "a", MOSCOW)
        c_moscow = await ask(standin, servers, "c", MOSCOW)
        dm = standin.message_create_payload(MOSCOW, guild=False)
        dm_moscow = (await ask_over_gateway(standin, dm)).json["content"]
        loaded = sorted(bot.corpora.loaded)
    assert "Lyon" in a_festival and "Zebra Festival" in a_festival
    assert "Lyon" not in b_festival and "1,200 metres" in b_mine
    assert "Kirillov" not in a_moscow  # the default corpus is not a server's fallback
    assert "Kirillov" in c_moscow and "Kirillov" in dm_moscow
    assert loaded == sorted(int(servers.ids[name]) for name in "ab")


async def test_sources_lists_the_servers_own_articles(
    standin: DiscordStandIn, shipped_index: CorpusIndex, guilds: Path
) -> None:
    servers = Servers(standin, guilds)
    async with running_bot(standin, shipped_index, guilds_dir=guilds):
        own = await slash(standin, "sources", channel_id=servers.channels["b"])
        default = await slash(standin, "sources", channel_id=servers.channels["c"])
    own_text = str(own.json["data"]["embeds"])
    default_text = str(default.json["data"]["embeds"])
    assert "Copper Mine Reaches New Depth" in own_text and "North Korea" not in own_text
    assert "North Korea" in default_text and "Copper" not in default_text


async def test_a_broken_server_folder_is_told_there_and_the_others_still_answer(
    standin: DiscordStandIn, shipped_index: CorpusIndex, guilds: Path
) -> None:
    servers = Servers(standin, guilds)
    async with running_bot(standin, shipped_index, guilds_dir=guilds):
        broken = await ask(standin, servers, "d", FESTIVAL)
        summary = await slash(standin, "summary", channel_id=servers.channels["d"])
        festival = await ask(standin, servers, "a", FESTIVAL)
        moscow = await ask(standin, servers, "c", MOSCOW)
    reason = "no usable article in this server's articles folder: add "
    assert broken.startswith(texts.corpus_unavailable(reason).split(reason)[0] + reason)
    assert str(guilds) not in broken  # the host's paths are not the server's business
    assert summary.json["data"]["content"] == broken
    assert summary.json["data"]["flags"] & EPHEMERAL
    assert "Lyon" in festival and "Kirillov" in moscow


async def test_the_least_recently_used_server_index_is_unloaded(
    standin: DiscordStandIn, shipped_index: CorpusIndex, guilds: Path
) -> None:
    servers = Servers(standin, guilds)
    a, b = int(servers.ids["a"]), int(servers.ids["b"])
    async with running_bot(standin, shipped_index, guilds_dir=guilds, max_loaded_corpora=1) as bot:
        first = await ask(standin, servers, "a", FESTIVAL)
        after_a = bot.corpora.loaded
        mine = await ask(standin, servers, "b", MINE)
        after_b = bot.corpora.loaded
        again = await ask(standin, servers, "a", FESTIVAL)
        after_again = bot.corpora.loaded
    assert (after_a, after_b, after_again) == ([a], [b], [a])
    assert "Lyon" in first and "Lyon" in again and "1,200 metres" in mine


async def reload_in(standin: DiscordStandIn, channel_id: str, manager: bool) -> Payload:
    """``/reload`` by a member who is not the application's owner (the stand-in's user is)."""
    member = standin.make_user("member")
    callback, follow = await admin_command(
        standin, "reload", manage_guild=manager, timeout=20, channel_id=channel_id, user=member
    )
    return dict(callback.json["data"]) if follow is None else dict(follow.json)


async def test_a_servers_managers_reload_only_their_own_folder(
    standin: DiscordStandIn, shipped_index: CorpusIndex, guilds: Path
) -> None:
    servers = Servers(standin, guilds)
    async with running_bot(standin, shipped_index, guilds_dir=guilds) as bot:
        await ask(standin, servers, "b", MINE)
        write_article(
            guilds / servers.ids["b"],
            "port.txt",
            "Port Expands",
            ["The port of Antofagasta will export the copper from May."],
        )
        refused = await reload_in(standin, servers.channels["b"], manager=False)
        reloaded = await reload_in(standin, servers.channels["b"], manager=True)
        port = await ask(standin, servers, "b", "Which port will export the copper?")
        default_refused = await reload_in(standin, servers.channels["c"], manager=True)
        served_default = len(bot.live.current.documents)
    assert refused["content"] == texts.RELOAD_REFUSED
    assert (
        reloaded["content"].startswith("Reloaded in ")
        and "2 (+1) article(s)" in reloaded["content"]
    )
    assert "Antofagasta" in port
    # The shared default corpus stays the bot's admins' to reload.
    assert default_refused["content"] == texts.RELOAD_REFUSED
    assert served_default == len(shipped_index.documents)


async def test_a_servers_folder_is_watched_and_reloaded_live(
    standin: DiscordStandIn, shipped_index: CorpusIndex, guilds: Path
) -> None:
    servers = Servers(standin, guilds)
    async with running_bot(
        standin, shipped_index, guilds_dir=guilds, watch=True, watch_debounce_ms=100
    ) as bot:
        await ask(standin, servers, "b", MINE)  # loads the server's index, and its watcher
        write_article(
            guilds / servers.ids["b"],
            "port.txt",
            "Port Expands",
            ["The port of Antofagasta will export the copper from May."],
        )
        live = bot.corpora.loaded_live(int(servers.ids["b"]))
        assert live is not None
        async with asyncio.timeout(15):
            while len(live.current.documents) < 2:
                await asyncio.sleep(0.05)
        port = await ask(standin, servers, "b", "Which port will export the copper?")
    assert "Antofagasta" in port
