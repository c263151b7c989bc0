"""Live reload in the running bot: ``/reload`` (admins only), the file watcher, and answers that
keep coming, from one index each, while a new index is built."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import texts
from index.live.live_index import LiveIndex
from index.retrieval.corpus_index import CorpusIndex
from index.summaries.corpus_analysis import prepare
from tests.support.bot_runner import (
    MANAGE_GUILD,
    admin_command,
    ask_over_gateway,
    mention,
    no_pings,
    press,
    running_bot,
)
from tests.support.builders import write_article
from tests.support.discord_standin import (
    DiscordStandIn,
    Payload,
    RecordedRequest,
)

EPHEMERAL = 1 << 6
FLEET = "Where did the fleet sail?"
COMET = "What did the comet light?"
COMET_QUOTE = "A comet lit the northern sky."
COMET_MARK = "the northern sky"


def add_comet(corpus: Path) -> None:
    write_article(corpus, "comet.txt", "Comet", [COMET_QUOTE])


async def run_reload(
    standin: DiscordStandIn,
    user: Payload | None = None,
    *,
    manage_guild: bool = False,
    guild: bool = True,
) -> tuple[RecordedRequest, RecordedRequest | None]:
    """``/reload`` as ``user``; the callback, and the follow-up when the command deferred."""
    return await admin_command(
        standin, "reload", manage_guild=manage_guild, timeout=10.0, user=user, guild=guild
    )


async def eventually(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Poll ``condition`` on the loop until it holds or ``seconds`` pass (bounded)."""
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.02)
    return True


async def test_owner_reload_reports_the_new_article_and_answers_from_it(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    async with running_bot(standin, live):
        before = await ask_over_gateway(standin, mention(standin, COMET))
        add_comet(corpus)
        callback, follow_up = await run_reload(standin)  # the stand-in's user owns the app
        after = await ask_over_gateway(standin, mention(standin, COMET))
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] & EPHEMERAL
    assert follow_up is not None
    content = follow_up.json["content"]
    assert "2 (+1) article(s)" in content and "Skipped" not in content
    assert follow_up.json["flags"] & EPHEMERAL and no_pings(follow_up.json)
    assert COMET_MARK not in before.json["content"]
    assert COMET_MARK in after.json["content"]


async def test_a_manager_of_any_server_may_not_reload_the_shared_corpus(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    """Anyone can add the bot to a server they manage: that must not let them reload."""
    manager = standin.make_user("manager")
    async with running_bot(standin, live):
        add_comet(corpus)
        callback, follow_up = await run_reload(standin, manager, manage_guild=True)
    assert follow_up is None and callback.json["data"]["content"] == texts.RELOAD_REFUSED
    assert live.generation == 0


async def test_admin_users_and_managers_of_admin_servers_may_reload(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    admin, manager = standin.make_user("admin"), standin.make_user("manager")
    admins = frozenset({int(admin["id"]), int(standin.guild_id)})
    async with running_bot(standin, live, admin_ids=admins, reload_cooldown_seconds=0):
        add_comet(corpus)
        _, by_admin = await run_reload(standin, admin)  # no Manage Server needed
        write_article(corpus, "tide.txt", "Tide", ["The tide rose over the pier."])
        _, by_manager = await run_reload(standin, manager, manage_guild=True)
    assert by_admin is not None and "2 (+1) article(s)" in by_admin.json["content"]
    assert by_manager is not None and "3 (+1) article(s)" in by_manager.json["content"]
    assert live.generation == 2


async def test_a_second_reload_within_the_cooldown_is_refused(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    async with running_bot(standin, live, reload_cooldown_seconds=600):
        add_comet(corpus)
        _, first = await run_reload(standin)
        write_article(corpus, "tide.txt", "Tide", ["The tide rose over the pier."])
        second, follow_up = await run_reload(standin)
    assert first is not None and "2 (+1) article(s)" in first.json["content"]
    data = second.json["data"]
    assert follow_up is None and second.json["type"] == 4 and data["flags"] & EPHEMERAL
    assert data["content"].startswith("The articles were reloaded moments ago; you can reload")
    assert no_pings(data) and live.generation == 1


async def test_a_reload_with_nothing_changed_says_so_and_keeps_the_index(
    standin: DiscordStandIn, live: LiveIndex
) -> None:
    async with running_bot(standin, live):
        served = live.current
        _, follow_up = await run_reload(standin)
    assert follow_up is not None
    assert follow_up.json["content"].startswith("No article file changed: still serving 1 ")
    assert live.current is served and live.generation == 0


@pytest.mark.parametrize("in_guild", [True, False], ids=["member", "dm"])
async def test_reload_is_refused_to_others_and_in_dms(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path, in_guild: bool
) -> None:
    stranger = standin.make_user("stranger")
    async with running_bot(standin, live):
        add_comet(corpus)
        callback, follow_up = await run_reload(standin, stranger, guild=in_guild)
    data = callback.json["data"]
    assert follow_up is None and callback.json["type"] == 4
    assert data["content"] == texts.RELOAD_REFUSED and data["flags"] & EPHEMERAL
    assert no_pings(data) and live.generation == 0


async def test_reload_is_registered_for_managers_in_servers_only(
    standin: DiscordStandIn, live: LiveIndex
) -> None:
    async with running_bot(standin, live, sync_global=True):
        synced = await standin.wait_for_request("PUT", r"/applications/\d+/commands")
    command = next(c for c in synced.json if c["name"] == "reload")
    assert str(command["default_member_permissions"]) == str(MANAGE_GUILD)
    assert command["contexts"] == [0] and command["dm_permission"] is False  # servers only


async def test_a_broken_new_file_is_named_and_skipped_while_answers_go_on(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (corpus / "bad_notes.txt").write_bytes(b"\x00\x01binary")
    add_comet(corpus)
    with caplog.at_level(logging.INFO, logger="index.live.live_index"):
        async with running_bot(standin, live):
            _, follow_up = await run_reload(standin)
            fleet = await ask_over_gateway(standin, mention(standin, FLEET))
            comet = await ask_over_gateway(standin, mention(standin, COMET))
    assert follow_up is not None
    content = follow_up.json["content"]
    assert "Skipped 1 file(s)" in content and "bad\\_notes.txt" in content and "binary" in content
    assert "past the cape" in fleet.json["content"] and COMET_MARK in comet.json["content"]
    assert "bad_notes.txt" in caplog.text and "1 file(s) skipped (bad_notes.txt)" in caplog.text


async def test_a_failed_reload_says_so_and_the_old_articles_keep_serving(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    async with running_bot(standin, live):
        (corpus / "fleet.txt").unlink()
        _, follow_up = await run_reload(standin)
        fleet = await ask_over_gateway(standin, mention(standin, FLEET))
    assert follow_up is not None
    assert follow_up.json["content"].startswith("The reload failed: ")
    assert "still answering from the articles I had" in follow_up.json["content"]
    assert "past the cape" in fleet.json["content"] and live.generation == 0


async def test_questions_during_a_reload_are_each_answered_once_from_the_old_index(
    standin: DiscordStandIn, corpus: Path, tmp_path: Path
) -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[CorpusIndex] = []

    def slow_prepare(index: CorpusIndex) -> None:
        calls.append(index)
        if len(calls) > 1:  # hold the reload (not the start-up) until the questions are in
            started.set()
            release.wait(10)
        prepare(index)

    live = await asyncio.to_thread(LiveIndex, corpus, tmp_path / "idx", on_built=slow_prepare)
    channel = standin.channel_id
    path = rf"/channels/{channel}/messages"
    try:
        async with running_bot(standin, live, cooldown_questions=0):
            add_comet(corpus)
            reload = asyncio.create_task(run_reload(standin))
            await asyncio.to_thread(started.wait, 10)
            questions = [mention(standin, question) for question in [FLEET, COMET] * 3]
            for question in questions:
                await standin.dispatch("MESSAGE_CREATE", question)
            await standin.wait_for_request("POST", path, len(questions))
            answered_meanwhile = standin.requests_matching("POST", path)
            assert not reload.done()
            release.set()
            _, follow_up = await reload
            await asyncio.sleep(0.1)  # a bounded grace period for a (wrong) second reply
    finally:
        release.set()
        await asyncio.to_thread(live.close)
    replies = standin.requests_matching("POST", path)
    assert len(replies) == len(questions) == len(answered_meanwhile)
    replied_to = sorted(str(r.json["message_reference"]["message_id"]) for r in replies)
    assert replied_to == sorted(q["id"] for q in questions)  # each answered exactly once
    for reply in replies:
        assert COMET_MARK not in reply.json["content"]  # from the old index, whole
    assert follow_up is not None and "2 (+1) article(s)" in follow_up.json["content"]


async def test_the_watcher_reloads_a_new_article_while_the_bot_runs(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        async with running_bot(standin, live, watch=True, watch_debounce_ms=50) as bot:
            assert bot.watcher is not None
            add_comet(corpus)
            await eventually(lambda: live.generation >= 1)
            comet = await ask_over_gateway(standin, mention(standin, COMET))
        assert bot.watcher is None  # stopped on close
    assert COMET_MARK in comet.json["content"]
    assert "reloaded" in caplog.text and "2 articles" in caplog.text


async def test_no_watcher_when_watch_is_off(standin: DiscordStandIn, live: LiveIndex) -> None:
    async with running_bot(standin, live, watch=False) as bot:
        assert bot.watcher is None


async def test_buttons_on_an_answer_from_before_a_reload_still_show_its_context(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    async with running_bot(standin, live):
        answer = await ask_over_gateway(
            standin, mention(standin, "Where did the fleet sail north?")
        )
        write_article(corpus, "fleet.txt", "Fleet", ["The fleet stayed in the harbour all winter."])
        add_comet(corpus)
        await run_reload(standin)
        context = await press(standin, answer.response, "Show context")
    [embed] = context.json["data"]["embeds"]
    assert "sailed north" in embed["description"] and "reached the port" in embed["description"]
    assert "harbour" not in embed["description"] and live.generation == 1


async def test_the_running_bot_lets_the_replaced_index_go(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    """Without buttons holding it, nothing in the bot keeps an old index alive after a reload."""
    async with running_bot(standin, live):
        old = weakref.ref(live.current)
        await ask_over_gateway(standin, mention(standin, "What is the weather in Paris?"))
        add_comet(corpus)
        await run_reload(standin)
        gc.collect()
        assert old() is None and live.generation == 1


async def test_live_buttons_under_an_old_answer_do_not_keep_its_index(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    """Buttons live for 15 minutes: each reload meanwhile must not keep one more index."""
    async with running_bot(standin, live, reload_cooldown_seconds=0):
        answer = await ask_over_gateway(standin, mention(standin, FLEET))
        assert answer.json["components"]  # the buttons are live
        olds = [weakref.ref(live.current)]
        add_comet(corpus)
        await run_reload(standin)
        olds.append(weakref.ref(live.current))
        write_article(corpus, "tide.txt", "Tide", ["The tide rose over the pier."])
        await run_reload(standin)
        gc.collect()
        assert [old() for old in olds] == [None, None] and live.generation == 2
        context = await press(standin, answer.response, "Show context")
    [embed] = context.json["data"]["embeds"]
    assert "sailed north" in embed["description"]
