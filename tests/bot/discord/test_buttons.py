"""The buttons under an answer: "More answers" and "Show context", for the asker only."""

from __future__ import annotations

from bot import texts
from bot.discord.views import CONTEXT_SENTENCES, TIMEOUT
from bot.render import escape_markdown
from bot.settings import Settings
from index.answering.answer import answer_question
from index.model import Answer, Quote
from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import ask_over_gateway, mention, no_pings, press, running_bot, slash
from tests.support.discord_standin import DiscordStandIn

EPHEMERAL = 1 << 6
QUESTION = "Russia's shadow fleet"  # more quotes above the relative floor than an answer shows


def core_answer(index: CorpusIndex, question: str) -> Answer:
    """What the core answers with the bot's default policy: the buttons page through it."""
    return answer_question(index, question, Settings(_env_file=None).answer_policy())


def shows(content: str, quotes: tuple[Quote, ...]) -> bool:
    """``content`` holds exactly these quotes, in this order (as the bot writes a sentence)."""
    lines = [line for line in content.splitlines() if line.startswith("> ")]
    written = [
        escape_markdown(" ".join(q.passage.text.split())) for q in quotes
    ]  # bold markers aside, the escaped sentence
    return len(lines) == len(quotes) and all(
        line[2:].replace("**", "") == text.replace("**", "")
        for line, text in zip(lines, written, strict=True)
    )


async def test_more_answers_shows_the_next_quotes_then_says_that_was_all(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    core = core_answer(shipped_index, QUESTION)
    assert core.more and len(core.more) <= len(core.quotes)  # one page of more answers
    async with running_bot(standin, shipped_index):
        answer = await ask_over_gateway(standin, mention(standin, QUESTION))
        more = await press(standin, answer.response, "More answers")
        again = await press(standin, answer.response, "More answers")
    assert shows(answer.json["content"], core.quotes)
    data = more.json["data"]
    assert more.json["type"] == 4 and not data.get("flags") and no_pings(data)
    assert shows(data["content"], core.more)
    assert "**Russia’s shadow fleet**" in data["content"]
    assert again.json["data"]["content"] == texts.NO_MORE
    assert again.json["data"]["flags"] & EPHEMERAL


async def test_show_context_marks_the_top_quote_among_its_neighbours(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    question = "Who was killed in Moscow?"
    focus = core_answer(shipped_index, question).quotes[0].passage
    around = shipped_index.neighbours(focus, CONTEXT_SENTENCES, CONTEXT_SENTENCES)
    earlier = [p for p in around if p.passage_id < focus.passage_id]
    later = [p for p in around if p.passage_id > focus.passage_id]
    assert earlier and later  # the top quote has neighbours on both sides
    async with running_bot(standin, shipped_index):
        answer = await ask_over_gateway(standin, mention(standin, question))
        context = await press(standin, answer.response, "Show context")
    [embed] = context.json["data"]["embeds"]
    before, marked = embed["description"].split("▶ **")
    assert "Kirillov" in marked.split("**")[0]  # the marked sentence names who was killed
    assert marked.startswith(escape_markdown(" ".join(focus.text.split())))
    assert before.rstrip().endswith(escape_markdown(earlier[-1].text))
    assert escape_markdown(later[0].text) in marked
    first, last = around[0], around[-1]
    where = f"¶{first.paragraph} s{first.sentence} – ¶{last.paragraph} s{last.sentence}"
    assert marked.endswith(where)
    assert no_pings(context.json["data"])
    assert context.json["data"]["flags"] & EPHEMERAL  # a press posts nothing in the channel


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
    more = core_answer(shipped_index, QUESTION).more
    assert shows(mine.json["data"]["content"], more)  # the stranger used up nothing


async def test_buttons_work_under_a_slash_answer_too(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index):
        callback = await slash(standin, "ask", {"question": QUESTION})
        message = callback.response["resource"]["message"]
        more = await press(standin, message, "More answers")
    assert shows(more.json["data"]["content"], core_answer(shipped_index, QUESTION).more)


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
