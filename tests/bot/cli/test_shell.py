"""The local prompt takes Discord's slash commands as typed there."""

from __future__ import annotations

import pytest

from bot.cli.shell import HELP, Conversation, SlashCommand, parse_line, respond
from bot.settings import Settings
from index import UsageError
from index.retrieval.corpus_index import CorpusIndex

SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Who was killed?", SlashCommand("ask", {"question": "Who was killed?"})),
        ("/ask question:Who was killed?", SlashCommand("ask", {"question": "Who was killed?"})),
        ("/ask Who was killed?", SlashCommand("ask", {"question": "Who was killed?"})),
        ("/summary", SlashCommand("summary", {})),
        (
            "/summary topic:shadow fleet length:3 article:North Korea",
            SlashCommand(
                "summary", {"topic": "shadow fleet", "length": "3", "article": "North Korea"}
            ),
        ),
        ("/SUMMARY length:4 topic:NATO", SlashCommand("summary", {"length": "4", "topic": "NATO"})),
        ("/summary shadow fleet", SlashCommand("summary", {"topic": "shadow fleet"})),
        ("/topics", SlashCommand("topics")),
        ("  /sources  ", SlashCommand("sources")),
    ],
)
def test_parse_line(line: str, expected: SlashCommand) -> None:
    assert parse_line(line) == expected


@pytest.mark.parametrize("line", ["/weather", "/topics now"])
def test_bad_commands_are_usage_errors(line: str) -> None:
    with pytest.raises(UsageError):
        parse_line(line)


def test_respond_routes_every_command(shipped_index: CorpusIndex) -> None:
    def reply(line: str) -> str:
        return respond(line, shipped_index, SETTINGS)

    assert "Igor Kirillov" in reply("Who was killed in Moscow?")
    assert reply("/ask question:Who was killed in Moscow?") == reply("Who was killed in Moscow?")
    assert reply("/summary").startswith("The gist of 1 article in 5 quoted sentences")
    fleet = reply("/summary topic:shadow fleet length:3")
    assert fleet.startswith("About “shadow fleet”") and "\n3. “" in fleet and "\n4. " not in fleet
    assert fleet.count("shadow fleet") == 4  # heading + 3 quotes
    assert reply("/topics").startswith("Main topics of 1 article:")
    assert "5 paragraphs" in reply("/sources")
    assert reply("/help") == HELP
    assert "length must be a whole number from 3 to 6" in reply("/summary length:9")
    assert reply("/nope").startswith("Unknown command /nope")
    assert "don't cover “weather in Paris”" in reply("/summary topic:weather in Paris")


def test_completions_like_discord_autocomplete(shipped_index: CorpusIndex) -> None:
    from bot.cli.shell import completions

    assert completions("/su", shipped_index) == ["/summary "]
    assert completions("/", shipped_index)[0] == "/ask "
    assert completions("/summary topic:sha", shipped_index)[0] == "/summary topic:shadow fleet"
    assert "/summary length:3 topic:shadow fleet" in completions(
        "/summary length:3 topic:FLE", shipped_index
    )
    article = completions("/summary article:north", shipped_index)
    assert article == [f"/summary article:{shipped_index.documents[0].title}"]
    assert completions("Who was killed?", shipped_index) == []
    assert completions("/topics x", shipped_index) == []


def test_the_prompt_is_one_conversation(shipped_index: CorpusIndex) -> None:
    conversation = Conversation()

    def reply(line: str) -> str:
        return respond(line, shipped_index, SETTINGS, conversation=conversation)

    assert "Igor Kirillov" in reply("Who was killed in Moscow?")
    followed = reply("how old was he?")
    assert followed.startswith("Following up on: “Who was killed in Moscow?”\n")
    assert "Igor Kirillov" in followed  # about him: the article does not give his age
    assert respond("how old was he?", shipped_index, SETTINGS).startswith(
        "I can't find anything to look up"
    )  # without the conversation, the line is answered on its own
    # a question naming its own subject is answered as asked and becomes the earlier one
    assert not reply("Who leads NATO?").startswith("Following up on")
    assert conversation.earlier == "Who leads NATO?"
    # the repeated question is shown as text, never as terminal commands
    conversation.earlier = "Who was \x1b[2Jkilled in Moscow?"
    assert "\x1b" not in reply("and why?").split("\n", 1)[0]
