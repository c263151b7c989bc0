"""Questions in chat, end to end: the real bot, the real discord.py, a stand-in Discord."""

from __future__ import annotations

import logging
import re

import pytest

from bot import texts
from bot.render import EMPTY_QUESTION, NOT_COVERED, escape_markdown
from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import ask_over_gateway, buttons, mention, no_pings, running_bot
from tests.support.discord_standin import DiscordStandIn, Payload

SOURCE = "— [North Korea Reports Hundreds of Casualties in Ukraine Conflict as Military Dynamics"
MESSAGE_CONTENT_INTENT = 1 << 15


def replies_to(standin: DiscordStandIn, message: Payload) -> list[Payload]:
    return [
        r.json
        for r in standin.requests_matching("POST", r"/channels/\d+/messages")
        if r.ok and str(r.json["message_reference"]["message_id"]) == message["id"]
    ]


async def test_mention_gets_a_reply_with_quote_source_and_no_pings(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        question = mention(standin, "How many North Korean troops were deployed?")
        request = await ask_over_gateway(standin, question)
    body = request.json
    assert request.ok and no_pings(body)
    assert str(body["message_reference"]["message_id"]) == question["id"]
    top, source = body["content"].split("\n")[:2]
    assert top.startswith("> ") and "12,000" in top and "**North Korean troops**" in top
    assert source.startswith(SOURCE)
    assert re.search(r"\(<https://www\.independent\.co\.uk>\) ¶\d+ s\d+$", source)
    assert set(buttons(request.response)) == {"More answers", "Show context"}


async def test_dm_question_is_answered_in_the_dm(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        question = standin.message_create_payload("Who was killed in Moscow?", guild=False)
        request = await ask_over_gateway(standin, question)
    assert request.path == f"/channels/{standin.dm_channel_payload()['id']}/messages"
    assert "Igor Kirillov, **killed** in a bombing in **Moscow**." in request.json["content"]
    assert no_pings(request.json)


async def test_configured_channel_is_answered_and_other_channels_are_not(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    general, questions = list(standin.channels)
    async with running_bot(standin, shipped_index, channel_ids=str(questions)):
        ignored = standin.message_create_payload("Who was killed in Moscow?", channel_id=general)
        await standin.dispatch("MESSAGE_CREATE", ignored)
        asked = standin.message_create_payload("Who was killed in Moscow?", channel_id=questions)
        request = await ask_over_gateway(standin, asked)
    assert "Kirillov" in request.json["content"] and no_pings(request.json)
    assert replies_to(standin, ignored) == [] and len(replies_to(standin, asked)) == 1
    identify = standin.gateway_frames[[f.op for f in standin.gateway_frames].index(2)]
    assert identify.d["intents"] & MESSAGE_CONTENT_INTENT


async def test_message_content_intent_only_with_channel_ids(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        identify = await standin.wait_for_gateway_op(2)
    assert not identify.d["intents"] & MESSAGE_CONTENT_INTENT


async def test_own_and_other_bots_messages_are_ignored(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    other_bot = standin.make_user("helper-bot", bot=True)
    async with running_bot(standin, shipped_index):
        own = mention(standin, "Who was killed in Moscow?", author=standin.bot_user)
        robot = mention(standin, "Who was killed in Moscow?", author=other_bot)
        await standin.dispatch("MESSAGE_CREATE", own)
        await standin.dispatch("MESSAGE_CREATE", robot)
        human = mention(standin, "Who was killed in Moscow?")
        await ask_over_gateway(standin, human)
    assert replies_to(standin, own) == [] and replies_to(standin, robot) == []
    assert len(replies_to(standin, human)) == 1


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the weather in Paris?", NOT_COVERED),
        ("", EMPTY_QUESTION),
        ("x" * 501, texts.too_long(501, 500)),
    ],
    ids=["not-covered", "empty", "over-long"],
)
async def test_questions_without_quotes_get_a_clear_reply(
    standin: DiscordStandIn, shipped_index: CorpusIndex, question: str, expected: str
) -> None:
    async with running_bot(standin, shipped_index):
        request = await ask_over_gateway(standin, mention(standin, question))
    assert request.json["content"] in (expected, escape_markdown(expected))
    assert not request.json.get("components") and no_pings(request.json)


async def test_cooldown_says_when_to_retry_once_then_stays_quiet(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    other = standin.make_user("someone-else")
    async with running_bot(standin, shipped_index, cooldown_questions=1, cooldown_seconds=60):
        first = await ask_over_gateway(standin, mention(standin, "Who was killed in Moscow?"))
        second = await ask_over_gateway(standin, mention(standin, "Kursk"))
        flood = mention(standin, "Kursk")
        await standin.dispatch("MESSAGE_CREATE", flood)
        others = await ask_over_gateway(standin, mention(standin, "Kursk", author=other))
    assert "Kirillov" in first.json["content"]
    assert second.json["content"].startswith("You're asking quickly. Please wait ")
    assert second.json["content"].endswith(" s before your next question.")
    assert 55 <= int(second.json["content"].split("wait ")[1].split(" s")[0]) <= 60
    assert replies_to(standin, flood) == [] and "Kursk" in others.json["content"]


async def test_a_failure_is_a_short_reply_and_a_full_log_record(
    standin: DiscordStandIn, shipped_index: CorpusIndex, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(standin, shipped_index) as bot:

        async def broken(index: object, question: str, header: str = "") -> tuple[object, str]:
            raise RuntimeError("the core fell over")

        bot.compose = broken  # type: ignore[method-assign]
        request = await ask_over_gateway(standin, mention(standin, "Kursk"))
    assert request.json["content"] == texts.ERROR and no_pings(request.json)
    failures = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert failures and "the core fell over" in str(failures[0].exc_info[1])  # type: ignore[index]


async def test_injection_in_a_chat_question_pings_no_one_and_formats_nothing(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    question = "@everyone **Kursk** region `troops` ||North Korea|| <@123> @here"
    async with running_bot(standin, shipped_index):
        request = await ask_over_gateway(standin, mention(standin, question))
    content = request.json["content"]
    assert "**Kursk region**" in content and no_pings(request.json)
    for raw in ("@everyone", "@here", "<@123>", "||", "`"):
        assert raw not in content
