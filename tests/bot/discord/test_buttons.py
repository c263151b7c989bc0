"""The buttons under an answer: "More answers" and "Show context", for the asker only."""

from __future__ import annotations

from bot import texts
from bot.discord.views import TIMEOUT
from index.answering.answer import answer_question
from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import ask_over_gateway, mention, no_pings, press, running_bot, slash
from tests.support.discord_standin import DiscordStandIn

EPHEMERAL = 1 << 6
QUESTION = "Russia's shadow fleet"  # 3 quotes shown, 1 more above the relative floor


async def test_more_answers_shows_the_next_quotes_then_says_that_was_all(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        answer = await ask_over_gateway(standin, mention(standin, QUESTION))
        more = await press(standin, answer.response, "More answers")
        again = await press(standin, answer.response, "More answers")
    assert answer.json["content"].count("\n— ") == 3
    data = more.json["data"]
    assert more.json["type"] == 4 and not data.get("flags") and no_pings(data)
    fourth = answer_question(shipped_index, QUESTION).more[0]  # the core's next quote
    where = f"¶{fourth.passage.paragraph} s{fourth.passage.sentence}"
    assert data["content"].startswith("> ") and data["content"].endswith(where)
    assert "**Russia’s shadow fleet**" in data["content"]
    assert again.json["data"]["content"] == texts.NO_MORE
    assert again.json["data"]["flags"] & EPHEMERAL


async def test_show_context_marks_the_top_quote_among_its_neighbours(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        answer = await ask_over_gateway(standin, mention(standin, "Who was killed in Moscow?"))
        context = await press(standin, answer.response, "Show context")
    [embed] = context.json["data"]["embeds"]
    before, marked = embed["description"].split("▶ **")
    assert before.endswith(
        "fully operational, it signifies a strengthening of efforts to "
        "equip and bolster Ukraine amidst the Russian invasion. "
    )
    assert marked.startswith("Concurrently, defense experts") and "Kirillov" in marked
    assert "His demise is perceived" in marked and "¶3 s1 – ¶4 s1" in marked
    assert no_pings(context.json["data"])


async def test_buttons_pressed_by_someone_else_are_explained_privately(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    stranger = standin.make_user("stranger")
    async with running_bot(standin, shipped_index):
        answer = await ask_over_gateway(standin, mention(standin, QUESTION))
        presses = [
            await press(standin, answer.response, label, user=stranger)
            for label in ("More answers", "Show context")
        ]
        mine = await press(standin, answer.response, "More answers")
    for pressed in presses:
        assert pressed.json["data"]["content"] == texts.NOT_YOURS
        assert pressed.json["data"]["flags"] & EPHEMERAL and no_pings(pressed.json["data"])
    assert mine.json["data"]["content"].endswith("¶2 s4")  # the stranger used up nothing


async def test_buttons_work_under_a_slash_answer_too(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "ask", {"question": QUESTION})
        message = callback.response["resource"]["message"]
        more = await press(standin, message, "More answers")
    assert more.json["data"]["content"].endswith("¶2 s4")


async def test_no_more_answers_disables_the_button(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        answer = await ask_over_gateway(standin, mention(standin, "Kursk"))
    [row] = answer.json["components"]
    states = {b["label"]: b.get("disabled", False) for b in row["components"]}
    assert states == {"More answers": True, "Show context": False}


def test_buttons_live_at_least_fifteen_minutes() -> None:
    assert TIMEOUT >= 15 * 60


async def test_expired_buttons_are_taken_off_the_answer(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index, button_timeout=0.2):
        answer = await ask_over_gateway(standin, mention(standin, QUESTION))
        message_id = answer.response["id"]
        edit = await standin.wait_for_request("PATCH", rf"/channels/\d+/messages/{message_id}")
    assert edit.json["components"] == [] and no_pings(edit.json)
    assert standin.messages[message_id]["content"] == answer.json["content"]
