"""Feeds and ``/import`` in the running bot, against the Discord stand-in and a loopback site:
the poller pulls in a worker thread and new items are answered without a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.feed_site import feed_site
from bot import texts
from bot.discord.cogs.imports import import_reply
from index.ingest.feeds import ImportReport
from index.live.live_index import LiveIndex
from tests.bot.discord.test_reload import EPHEMERAL, eventually
from tests.support.bot_runner import (
    admin_command,
    ask_over_gateway,
    mention,
    no_pings,
    running_bot,
    slash,
)
from tests.support.discord_standin import (
    DiscordStandIn,
    Payload,
    RecordedRequest,
)

CRANES = "How much of a pay rise did dock workers accept?"
TRAM = "How many passengers did the new tram line carry?"
FAST = {"feed_interval": 0.01, "fetch_delay": 0.0, "fetch_timeout": 1.0}  # 0.6 s between pulls


async def test_the_bot_polls_a_feed_and_answers_from_a_new_item_without_restarting(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    with feed_site(slow_seconds=1.5) as site:
        settings: dict[str, Any] = {"corpus_dir": corpus, "feeds": (f"{site.base}/rss.xml",)}
        async with running_bot(standin, live, **settings, **FAST) as bot:
            before = await ask_over_gateway(standin, mention(standin, CRANES))
            assert bot.poller is not None
            await eventually(lambda: live.generation >= 1, seconds=20)
            after = await ask_over_gateway(standin, mention(standin, CRANES))
            await eventually(lambda: bot.poller is not None and bot.poller.rounds >= 2, 20)
        assert bot.poller is None  # stopped on close
    assert "6 percent" not in before.json["content"]
    content = after.json["content"]
    assert "of 6 percent, the union said." in content
    assert "12 Mar 2024" in content and f"{site.base}/news/harbour-cranes.html" in content
    assert len(list((corpus / "feeds").rglob("*.md"))) == 2  # the second round saved nothing


async def test_no_poller_without_feeds(standin: DiscordStandIn, live: LiveIndex) -> None:
    async with running_bot(standin, live) as bot:
        assert bot.poller is None


async def _import(
    standin: DiscordStandIn, url: str, user: Payload | None = None, manager: bool = True
) -> tuple[RecordedRequest, RecordedRequest | None]:
    return await admin_command(standin, "import", {"url": url}, manage_guild=manager, user=user)


async def test_an_admin_imports_a_page_privately_and_it_is_quoted_at_once(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    manager = standin.make_user("manager")  # Manage Server in an admin server (as for /reload)
    settings: dict[str, Any] = {
        "corpus_dir": corpus,
        "admin_ids": frozenset({int(standin.guild_id)}),
        "import_private_hosts": True,  # the loopback site is on this machine
    }
    with feed_site() as site:
        async with running_bot(standin, live, **settings, **FAST):
            callback, follow_up = await _import(
                standin, f"{site.base}/news/tram-line.html", manager
            )
            answer = await ask_over_gateway(standin, mention(standin, TRAM))
            _, again = await _import(standin, f"{site.base}/news/tram-line.html", manager)
            _, missing = await _import(standin, f"{site.base}/news/missing.html", manager)
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] & EPHEMERAL
    assert follow_up is not None and again is not None and missing is not None
    assert (
        follow_up.json["content"]
        == "Imported “New tram line opens in Kessing”: I can quote it now."
    )
    assert follow_up.json["flags"] & EPHEMERAL and no_pings(follow_up.json)
    assert "carried** 12,000 **passengers** on its first day." in answer.json["content"]
    assert again.json["content"].startswith("I already have that page")
    assert missing.json["content"] == "Could not import that page: HTTP 404"


async def test_import_is_refused_to_non_admins_and_never_reads_local_files(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(
        "<html><body><p>" + "Private notes of the server. " * 5 + "</p></body></html>"
    )
    async with running_bot(standin, live, corpus_dir=corpus, **FAST):
        refused, _ = await _import(standin, "https://example.org/x", standin.make_user("m"), False)
        # Manage Server in a server that is not an admin server proves nothing: refused too.
        manager, _ = await _import(standin, "https://example.org/x", standin.make_user("mm"), True)
        local, _ = await _import(standin, str(secret))  # the stand-in's user owns the app
        file_url, _ = await _import(standin, f"file://{secret}")
    assert refused.json["data"]["content"] == texts.RELOAD_REFUSED
    assert manager.json["data"]["content"] == texts.RELOAD_REFUSED
    for callback in (local, file_url):
        assert callback.json["data"]["flags"] & EPHEMERAL
        assert "only http:\u200b// and https:\u200b// URLs" in callback.json["data"]["content"]
    assert not (corpus / "imported").exists()


def test_import_replies_escape_the_page_title() -> None:
    reply = import_reply(ImportReport("u", title="**Big** @everyone news", path=Path("x.md")))
    assert "**Big**" not in reply and "\\*\\*Big\\*\\*" in reply and "@everyone" not in reply


async def test_summary_since_in_discord(standin: DiscordStandIn, live: LiveIndex) -> None:
    async with running_bot(standin, live):
        bad = await slash(standin, "summary", {"since": "someday"})
        none = await slash(standin, "summary", {"since": "7d"})
    bad_message = bad.json["data"]
    assert bad_message["flags"] & EPHEMERAL
    assert "since: 'someday' is not a date: use e.g. 7d" in bad_message["content"]
    assert "No article was published since" in none.json["data"]["content"]  # undated corpus


async def test_import_refuses_hosts_on_this_machine_by_default(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    with feed_site() as site:
        async with running_bot(standin, live, corpus_dir=corpus, **FAST):
            _, follow_up = await _import(standin, f"{site.base}/news/tram-line.html")
        assert site.requests == []  # not even robots.txt was asked for
    assert follow_up is not None
    assert follow_up.json["content"] == (
        "Could not import that page: not a public address: this machine or a private network"
    )


async def test_import_in_a_server_with_its_own_folder_goes_there_by_its_managers(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path, tmp_path: Path
) -> None:
    guilds = tmp_path / "guilds"
    own = guilds / standin.guild_id
    own.mkdir(parents=True)  # empty: the server has nothing to quote yet
    other_guild, other_channel = standin.add_guild("default-served")
    manager = standin.make_user("manager")  # not an admin: a manager of this server only
    settings: dict[str, Any] = {
        "corpus_dir": corpus,
        "guilds_dir": guilds,
        "import_private_hosts": True,
    }
    before = sorted(p.name for p in corpus.rglob("*"))
    with feed_site() as site:
        async with running_bot(standin, live, **settings, **FAST):
            empty = await ask_over_gateway(standin, mention(standin, TRAM))
            _, imported = await _import(standin, f"{site.base}/news/tram-line.html", manager)
            answer = await ask_over_gateway(standin, mention(standin, TRAM))
            elsewhere = await ask_over_gateway(
                standin, mention(standin, TRAM, channel_id=other_channel)
            )
    assert "can't answer from this server's articles" in empty.json["content"]
    assert imported is not None and imported.json["content"].startswith("Imported “New tram line")
    assert "12,000" in answer.json["content"]
    assert "12,000" not in elsewhere.json["content"]  # the default corpus did not get the page
    assert sorted(p.name for p in corpus.rglob("*")) == before
    assert any(own.iterdir()) and other_guild
