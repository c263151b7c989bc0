"""Follow-ups: a reply to an answer, or a message in the bot's thread, is asked in context."""

from __future__ import annotations

from typing import Any

from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import ask_over_gateway, mention, running_bot
from tests.support.builders import document, index_of
from tests.support.discord_standin import DiscordStandIn, Payload

FIRST = "How much aid did France promise?"
FOLLOW = "And what did Britain pledge?"
AID = "3 billion pounds in aid"
TROOPS = "more troops to Estonia"
FOLLOWING = "*Following up on:* “How much aid did France promise?”"


def aid_index() -> CorpusIndex:
    return index_of(
        document(
            "Aid for Ukraine",
            [
                "France promised 2 billion euros in aid to Ukraine on Monday.",
                "Britain pledged to send more troops to Estonia next year.",
                "Britain pledged 3 billion pounds in aid to Ukraine as well.",
            ],
        )
    )


def reply_to(standin: DiscordStandIn, answer: Payload, content: str, **kw: Any) -> Payload:
    """A reply to ``answer`` as Discord sends one with its default ping: the bot is in
    ``mentions`` but not in the text."""
    message = standin.message_create_payload(
        content, channel_id=answer["channel_id"], mentions=[standin.bot_user], **kw
    )
    message["type"] = 19
    message["message_reference"] = {
        "message_id": answer["id"],
        "channel_id": answer["channel_id"],
        "guild_id": standin.guild_id,
    }
    message["referenced_message"] = answer
    return message


def first_quote(content: str) -> str:
    return next(line for line in content.splitlines() if line.startswith("> "))


async def test_a_reply_to_an_answer_follows_up_on_its_question(standin: DiscordStandIn) -> None:
    async with running_bot(standin, aid_index()):
        answer = await ask_over_gateway(standin, mention(standin, FIRST))
        follow = await ask_over_gateway(standin, reply_to(standin, answer.response, FOLLOW))
        alone = await ask_over_gateway(standin, mention(standin, FOLLOW))
    content = follow.json["content"]
    assert content.startswith(FOLLOWING + "\n\n")
    assert AID in first_quote(content)
    assert TROOPS in first_quote(alone.json["content"])  # the same question, asked afresh
    assert "Following up" not in alone.json["content"]


async def test_a_reply_after_the_follow_up_window_is_a_new_question(
    standin: DiscordStandIn,
) -> None:
    async with running_bot(standin, aid_index(), followup_minutes=0):
        answer = await ask_over_gateway(standin, mention(standin, FIRST))
        follow = await ask_over_gateway(standin, reply_to(standin, answer.response, FOLLOW))
    content = follow.json["content"]
    assert "Following up" not in content and TROOPS in first_quote(content)


async def test_a_reply_to_a_slash_answer_follows_up_too(standin: DiscordStandIn) -> None:
    from tests.support.bot_runner import slash

    async with running_bot(standin, aid_index()):
        callback = await slash(standin, "ask", {"question": FIRST})
        answer = callback.response["resource"]["message"]
        answer.setdefault("guild_id", standin.guild_id)
        follow = await ask_over_gateway(standin, reply_to(standin, answer, FOLLOW))
    assert follow.json["content"].startswith(FOLLOWING)


async def test_threads_a_question_opens_a_thread_where_follow_ups_need_no_mention(
    standin: DiscordStandIn,
) -> None:
    async with running_bot(standin, aid_index(), threads=True):
        question = mention(standin, FIRST)
        await standin.dispatch("MESSAGE_CREATE", question)
        opened = await standin.wait_for_request(
            "POST", rf"/channels/{standin.channel_id}/messages/{question['id']}/threads"
        )
        thread_id = opened.response["id"]
        answer = await standin.wait_for_request("POST", rf"/channels/{thread_id}/messages")
        chatter = standin.message_create_payload("thanks, all good", channel_id=standin.channel_id)
        await standin.dispatch("MESSAGE_CREATE", chatter)
        in_thread = standin.message_create_payload(FOLLOW, channel_id=thread_id)
        follow = await ask_over_gateway(standin, in_thread)
    assert (opened.json["name"], opened.json["auto_archive_duration"]) == (FIRST, 1440)
    assert "France promised" in first_quote(answer.json["content"])
    assert follow.json["content"].startswith(FOLLOWING) and AID in first_quote(
        follow.json["content"]
    )
    # Only the thread's messages are addressed to the bot, not the whole channel's.
    assert len(standin.requests_matching("POST", rf"/channels/{standin.channel_id}/messages")) == 0
