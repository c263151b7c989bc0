"""``/summary`` and ``/topics`` end to end: the real bot against the stand-in, read off the REST
calls it made (interaction callbacks, autocomplete results, follow-ups)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

import bot.service
import index
import index.summaries.corpus_analysis
from bot import texts
from bot.discord.runner import build_index
from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import bot_settings, guild_commands, no_pings, running_bot, slash
from tests.support.discord_standin import DiscordStandIn, Payload

EPHEMERAL = 1 << 6
CALLBACK_MESSAGE, CALLBACK_DEFERRED, CALLBACK_AUTOCOMPLETE = 4, 5, 8
# One quote block as ``to_markdown`` writes it: "> sentence\n— [title](<url>) ¶p sN".
QUOTE = re.compile(
    r"^> (?P<text>.+)\n— \[(?P<title>.+)\]\(<(?P<url>.+)>\) ¶(?P<p>\d+) s(?P<s>\d+)$"
)
UNESCAPE = re.compile(r"\\(.)")


def quotes(content: str) -> list[dict[str, Any]]:
    """The quoted sentences of a summary reply (Markdown escapes and bold undone), in order."""
    blocks = content.split("\n\n")[1:]
    found = [QUOTE.fullmatch(block) for block in blocks]
    assert all(found), blocks
    return [
        {**m.groupdict(), "text": plain(m["text"]), "p": int(m["p"]), "s": int(m["s"])}
        for m in found
        if m is not None
    ]


def plain(markdown: str) -> str:
    return UNESCAPE.sub(r"\1", markdown.replace("**", "")).replace("\u200b", "")


def message(callback: Payload) -> Payload:
    assert callback["type"] == CALLBACK_MESSAGE, callback
    data: Payload = callback["data"]
    assert no_pings(data)
    return data


async def autocomplete(
    standin: DiscordStandIn,
    options: dict[str, object],
    focused: str,
    user: Payload | None = None,
) -> list[Payload]:
    """Dispatch an autocomplete interaction for ``/summary`` and return the offered choices."""
    payload = standin.autocomplete_payload("summary", options, focused, user=user)
    await standin.dispatch("INTERACTION_CREATE", payload)
    callback = await standin.wait_for_request("POST", rf"/interactions/{payload['id']}/.+/callback")
    assert callback.ok and callback.json["type"] == CALLBACK_AUTOCOMPLETE
    choices: list[Payload] = callback.json["data"]["choices"]
    assert len(choices) <= 25
    assert all(c["name"] == c["value"] and 0 < len(c["name"]) <= 100 for c in choices)
    return choices


async def test_summary_quotes_the_shipped_article_in_article_order(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    article = shipped_index.documents[0]
    async with running_bot(standin, shipped_index, summary_length=4):
        callback = await slash(standin, "summary")
    data = message(callback.json)
    assert data["content"].startswith("**The gist of 1 article in 4 quoted sentences")
    assert not (data.get("flags") or 0) & EPHEMERAL
    found = quotes(data["content"])
    assert len(found) == 4  # the length setting is the default
    written = " ".join(Path(article.path).read_bytes().decode("utf-8").split())
    assert all(q["text"] in written for q in found)  # verbatim: the file's own characters
    assert all(q["title"] == article.title and q["url"] == article.url for q in found)
    assert [(q["p"], q["s"]) for q in found] == sorted((q["p"], q["s"]) for q in found)


async def test_summary_of_a_topic_quotes_only_sentences_about_it(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "summary", {"topic": "shadow fleet", "length": 3})
    data = message(callback.json)
    assert data["content"].startswith("**About “shadow fleet” in 1 article:")
    found = quotes(data["content"])
    assert 1 <= len(found) <= 3
    assert all("shadow fleet" in q["text"].casefold() for q in found)
    assert "**shadow fleet**" in data["content"]  # the topic's words are bold in the quotes


async def test_a_topic_not_covered_says_so_and_suggests_covered_ones(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "summary", {"topic": "weather in Paris"})
    content = message(callback.json)["content"]
    assert content.startswith("The articles don't cover “weather in Paris”.")
    suggested = content.split("Topics they do cover: ")[1].removesuffix(".").split(", ")
    # Nothing shares a word with "weather in Paris": the main topics are offered instead.
    assert suggested == [topic.phrase for topic in index.corpus_topics(shipped_index, 5)]


async def test_summary_of_an_article_named_by_the_start_of_its_title(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    title = shipped_index.documents[0].title
    async with running_bot(standin, shipped_index, defer_after=0.0):
        callback = await slash(standin, "summary", {"article": title[:15].lower()})
        follow_up = await standin.wait_for_request("POST", r"/webhooks/\d+/.+")
    assert callback.json["type"] == CALLBACK_DEFERRED  # slow work: "thinking…" first
    assert follow_up.json["content"].startswith(f"**The gist of “{title}” in 5 quoted sentences")
    assert len(quotes(follow_up.json["content"])) == 5 and no_pings(follow_up.json)


async def test_an_unknown_article_gets_a_clear_private_reply(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "summary", {"article": "Bananas of the Baltic"})
    data = message(callback.json)
    assert data["content"] == "No article has that title. The sources command lists them."
    assert data["flags"] & EPHEMERAL


async def test_topics_lists_the_main_topics_with_counts(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "topics")
    content = message(callback.json)["content"]
    assert content.startswith("**Main topics of 1 article:**\n1. **")
    for topic in ("North Korea", "NATO", "shadow fleet"):
        assert re.search(rf"^\d+\. \*\*{topic}\*\* — \d+ sentences?, 1 article$", content, re.M)
    assert len(content) <= 2000


async def test_topic_and_article_autocomplete_offer_what_was_typed(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    title = shipped_index.documents[0].title
    async with running_bot(standin, shipped_index):
        everything = await autocomplete(standin, {"topic": ""}, "topic")
        typed_n = await autocomplete(standin, {"topic": "N", "length": 3}, "topic")
        fleet = await autocomplete(standin, {"topic": "fle"}, "topic")
        articles = await autocomplete(standin, {"topic": "NATO", "article": "north k"}, "article")
        no_article = await autocomplete(standin, {"article": "bananas"}, "article")
    assert {"North Korea", "NATO", "shadow fleet"} <= {c["name"] for c in everything}
    assert typed_n and all(
        any(word.lower().startswith("n") for word in c["name"].split()) for c in typed_n
    )
    assert "shadow fleet" not in {c["name"] for c in typed_n}
    assert [c["name"] for c in fleet] == ["shadow fleet"]
    assert [c["value"] for c in articles] == [title]
    assert no_article == []


async def test_a_failing_autocomplete_offers_nothing_and_logs_why(
    standin: DiscordStandIn,
    shipped_index: CorpusIndex,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(index: CorpusIndex, prefix: str, limit: int = 25) -> list[str]:
        raise RuntimeError("the topic list fell over")

    # The cog is an extension, imported afresh when the bot loads it: patch the facade it imports.
    monkeypatch.setattr(index, "complete_topic", broken)
    async with running_bot(standin, shipped_index):
        with caplog.at_level(logging.ERROR, logger="bot.discord.cogs.summaries"):
            choices = await autocomplete(standin, {"topic": "N"}, "topic")
    assert choices == []
    assert "the topic list fell over" in caplog.text


async def test_a_failing_summary_answers_privately_in_one_line(
    standin: DiscordStandIn,
    shipped_index: CorpusIndex,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the summary core fell over")

    monkeypatch.setattr(bot.service, "summarize", broken)
    async with running_bot(standin, shipped_index):
        with caplog.at_level(logging.ERROR):
            callback = await slash(standin, "summary", {"topic": "NATO"})
    data = message(callback.json)
    assert data["content"] == texts.ERROR and data["flags"] & EPHEMERAL
    assert "the summary core fell over" in caplog.text


async def test_markdown_and_mentions_in_the_topic_show_as_plain_text(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    topic = "@everyone **loud** `code` ||spoiler|| <@123> [x](https://evil.example) @here"
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "summary", {"topic": topic})
    content = message(callback.json)["content"]
    echoed = content.split("“", 1)[1].split("”", 1)[0]
    for raw in ("@everyone", "@here", "**loud**", "`code`", "||", "<@123>", "](https://"):
        assert raw not in content
    assert plain(echoed) == topic


async def test_summary_options_sync_with_descriptions_autocomplete_and_bounds(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    synced = await guild_commands(standin, shipped_index)
    summary = next(c for c in synced if c["name"] == "summary")
    options = {o["name"]: o for o in summary["options"]}
    assert list(options) == ["topic", "article", "length", "timeline", "since"]
    assert all(o["description"] and not o["required"] for o in options.values())
    assert options["topic"]["autocomplete"] and options["article"]["autocomplete"]
    assert (options["length"]["min_value"], options["length"]["max_value"]) == (3, 6)
    compare = next(c for c in synced if c["name"] == "compare")
    assert [(o["name"], o["required"], o["autocomplete"]) for o in compare["options"]] == [
        ("topic", True, True)
    ]


def test_start_up_prepares_the_summaries_analysis_and_keeps_it_beside_the_index(
    standin: DiscordStandIn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = bot_settings(standin, index_dir=tmp_path / "idx")
    live = build_index(settings)
    live.close()
    assert (tmp_path / "idx" / "summaries" / "manifest.json").is_file()
    assert "topics" in index.analysis_of(live.current)._computed  # ready before serving

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a restart recomputed the kept analysis")

    monkeypatch.setattr(index.summaries.corpus_analysis, "extract_topics", never)
    again = build_index(settings)
    again.close()
    assert index.corpus_topics(again.current) == index.corpus_topics(live.current)


async def test_summary_and_topics_share_the_question_cooldown(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index, cooldown_questions=2, cooldown_seconds=60):
        first = message((await slash(standin, "summary")).json)
        second = message((await slash(standin, "topics")).json)
        refused = [message((await slash(standin, name)).json) for name in ("summary", "topics")]
        stranger = standin.make_user("stranger")
        other = message((await slash(standin, "topics", user=stranger)).json)
    assert first["content"].startswith("**") and second["content"].startswith("**Main topics")
    for data in refused:
        assert re.fullmatch(
            r"You're asking quickly\. Please wait \d+ s before .+\.", data["content"]
        )
        assert data["flags"] & EPHEMERAL
    assert other["content"].startswith("**Main topics")
