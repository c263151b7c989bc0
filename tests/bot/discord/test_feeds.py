"""Feeds and ``/import`` in the running bot, against the Discord stand-in and a loopback site:
the poller pulls in a worker thread and new items are answered without a restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.feed_site import feed_site
from bot import texts
from bot.discord.cogs.imports import import_reply
from index.ingest.feeds import ImportReport
from index.live.live_index import LiveIndex
from index.summaries.corpus_analysis import prepare
from tests.bot.discord.test_reload import EPHEMERAL, FLEET_TEXT, MANAGE_GUILD, eventually
from tests.support.bot_runner import ask_over_gateway, mention, no_pings, running_bot, slash
from tests.support.builders import write_article
from tests.support.discord_standin import (
    EVERYONE_PERMISSIONS,
    DiscordStandIn,
    Payload,
    RecordedRequest,
)

CRANES = "How much of a pay rise did dock workers accept?"
TRAM = "How many passengers did the new tram line carry?"
FAST = {"feed_interval": 0.01, "fetch_delay": 0.0, "fetch_timeout": 1.0}  # 0.6 s between pulls


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_article(folder, "fleet.txt", "Fleet", FLEET_TEXT)
    return folder


@pytest.fixture
async def live(corpus: Path, tmp_path: Path) -> AsyncIterator[LiveIndex]:
    served = await asyncio.to_thread(LiveIndex, corpus, tmp_path / "idx", on_built=prepare)
    yield served
    await asyncio.to_thread(served.close)


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
    payload = standin.interaction_payload("import", {"url": url}, user=user)
    if manager:
        payload["member"]["permissions"] = str(int(EVERYONE_PERMISSIONS) | MANAGE_GUILD)
    await standin.dispatch("INTERACTION_CREATE", payload)
    callback = await standin.wait_for_request("POST", rf"/interactions/{payload['id']}/.+/callback")
    if callback.json["type"] != 5:
        return callback, None
    follow_up = await standin.wait_for_request(
        "POST", rf"/webhooks/\d+/{payload['token']}", timeout=15.0
    )
    return callback, follow_up


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
