"""Slash commands end to end: registration, /ask (answered or deferred), /sources.

``/summary`` and ``/topics`` are in ``test_bot_summary.py``.
"""

from __future__ import annotations

import re

import pytest

from bot import texts
from bot.render import EMPTY_QUESTION, NOT_COVERED, escape_markdown
from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import guild_commands, no_pings, running_bot, slash
from tests.support.discord_standin import DiscordStandIn

EPHEMERAL = 1 << 6
COMMANDS = {"ask", "import", "sources", "summary", "compare", "topics", "reload"}


async def test_commands_sync_to_the_dev_guild_with_descriptions_and_not_globally(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    synced = await guild_commands(standin, shipped_index)
    assert {c["name"] for c in synced} == COMMANDS
    assert all(c["description"] for c in synced)
    ask = next(c for c in synced if c["name"] == "ask")
    assert [(o["name"], bool(o["description"]), o["required"]) for o in ask["options"]] == [
        ("question", True, True)
    ]
    assert standin.requests_matching("PUT", r"/applications/\d+/commands") == []


async def test_global_sync_only_on_request(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index, sync_global=True):
        synced = await standin.wait_for_request("PUT", r"/applications/\d+/commands")
    assert {c["name"] for c in synced.json} == COMMANDS


async def test_ask_answers_in_the_interaction_response(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "ask", {"question": "Who was killed in Moscow?"})
    assert callback.ok and callback.json["type"] == 4
    data = callback.json["data"]
    header, top, source = data["content"].split("\n\n")[0], *data["content"].split("\n")[2:4]
    assert header == "**Q:** Who was killed in Moscow?"
    assert top.startswith("> ") and "Kirillov" in top  # the quote names who was killed
    assert re.search(r"\) ¶\d+ s\d+$", source)
    assert no_pings(data) and not data.get("flags")


async def test_slow_ask_defers_then_follows_up(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index, defer_after=0.0):
        callback = await slash(standin, "ask", {"question": "Kursk"})
        follow_up = await standin.wait_for_request("POST", r"/webhooks/\d+/.+")
    assert callback.json["type"] == 5
    assert "**Kursk** region" in follow_up.json["content"] and no_pings(follow_up.json)
    assert len(standin.sent_messages()) == 1  # the "thinking…" message became the answer


@pytest.mark.parametrize(
    ("question", "expected", "private"),
    [
        ("What is the weather in Paris?", NOT_COVERED, False),
        ("  ?! ", EMPTY_QUESTION, False),
        ("why " * 200, texts.too_long(799, 500), True),
    ],
    ids=["not-covered", "empty", "over-long"],
)
async def test_ask_without_quotes_gets_a_clear_reply(
    standin: DiscordStandIn,
    shipped_index: CorpusIndex,
    question: str,
    expected: str,
    private: bool,
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "ask", {"question": question})
    data = callback.json["data"]
    assert data["content"].endswith(escape_markdown(expected)) and no_pings(data)
    assert bool((data.get("flags") or 0) & EPHEMERAL) is private
    assert not data.get("components")


async def test_markdown_and_mention_injection_shows_as_plain_text(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    question = "@everyone **loud** `code` ||spoiler|| <@123> [x](https://evil.example) @here"
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "ask", {"question": question})
    content = callback.json["data"]["content"]
    echoed = content.split("\n\n")[0].removeprefix("**Q:** ")
    for raw in ("@everyone", "@here", "**loud**", "`code`", "||", "<@123>", "](https://"):
        assert raw not in echoed
    assert echoed.replace("\\", "").replace("\u200b", "") == question
    assert no_pings(callback.json["data"])


async def test_sources_lists_title_link_and_counts(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "sources")
    [embed] = callback.json["data"]["embeds"]
    [article] = shipped_index.documents
    sentences = len(list(shipped_index.iter_passages()))
    assert embed["title"] == "1 article I can quote"
    assert embed["description"].startswith(f"1. [{article.title}]")
    counts = f"— {len(article.paragraphs)} paragraphs, {sentences} sentences"
    assert f"(<{article.url}>) {counts}" in embed["description"]  # the counts of the corpus
    assert no_pings(callback.json["data"])


async def test_sources_counts_against_the_cooldown_and_is_refused_privately(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index, cooldown_questions=1):
        first = await slash(standin, "ask", {"question": "Kursk"})
        refused = await slash(standin, "sources")
    assert "Kursk" in first.json["data"]["content"]
    data = refused.json["data"]
    assert "embeds" not in data or not data["embeds"]
    assert data["content"].startswith("You're asking quickly.") and data["flags"] & EPHEMERAL


async def test_a_private_reply_stays_private_when_it_was_deferred(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    """``defer_after=0``: work done in a worker is deferred first, before anyone knows that its
    reply (an unknown article, only for the one who mistyped it) is private."""
    async with running_bot(standin, shipped_index, defer_after=0.0):
        callback = await slash(standin, "summary", {"article": "Bananas of the Baltic"})
        follow_up = await standin.wait_for_request("POST", r"/webhooks/\d+/.+")
    assert callback.json["type"] == 5
    assert follow_up.json["content"].startswith("No article has that title.")
    assert follow_up.json["flags"] & EPHEMERAL
    shown = [m for m in standin.sent_messages() if not (m.get("flags") or 0) & EPHEMERAL]
    assert shown == []  # no public "thinking…" left, and the reply is not public
    shown = [m for m in standin.sent_messages() if not (m.get("flags") or 0) & EPHEMERAL]
    assert shown == []  # no public "thinking…" left, no public reply


async def test_a_failing_command_answers_privately_in_one_line(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index) as bot:

        async def broken(index: object, question: str, header: str = "") -> tuple[object, str]:
            raise RuntimeError("the core fell over")

        bot.compose = broken  # type: ignore[method-assign]
        callback = await slash(standin, "ask", {"question": "Kursk"})
    assert callback.json["data"]["content"] == texts.ERROR
    assert callback.json["data"]["flags"] & EPHEMERAL


INVISIBLE = "\u202e\u2066\u200b\u200d\u200f\u2060\ufeff"


async def test_invisible_characters_are_not_echoed(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    """Bidi overrides and zero-width characters in a question or topic are not repeated: they
    would reverse or hide the bot's own words."""
    question = "\u202eWho was kil\u200bled in Mos\u2066cow?\u2069"
    async with running_bot(standin, shipped_index):
        asked = await slash(standin, "ask", {"question": question})
        topic = await slash(standin, "summary", {"topic": "\u202eweather\u200b in Paris"})
    header = asked.json["data"]["content"].split("\n\n")[0]
    assert (
        header == "**Q:** Who was killed in Moscow?" and "Kirillov" in asked.json["data"]["content"]
    )
    summary = topic.json["data"]["content"]
    assert summary.startswith("The articles don't cover “weather in Paris”.")
    for content in (header, summary):
        assert not any(char in content for char in INVISIBLE)
