"""Every link the bot posts goes through ``bot.render.link``: an article's URL can add no markup.

The URL below is what a hostile ``Source:`` line or YAML ``url:`` can carry: a closing ``>``,
a second (masked) link, a role mention, a header and a fake quote on lines of their own.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.render import encode_url, link, render_answer, render_summary
from bot.render import to_markdown as summary_markdown
from bot.render.discord_fit import answer_content, context_reply, sources_reply
from index.answering.answer import answer_question
from index.retrieval.sources import SourceInfo
from index.summaries.summarizer import summarize
from tests.support.builders import document, index_of

HOSTILE = (
    "https://news.example/a> [Click here](https://evil.example) (x) <@&42>\n"
    "# Breaking\r\n> a fake quote\tend\u2028line"
)
DOC = dataclasses.replace(
    document(
        "Fleet",
        ["The tanker fleet sailed north past the cape. It reached the port at dawn."],
        "news.example",
    ),
    url=HOSTILE,
)
INDEX = index_of(DOC)
DESTINATION = re.compile(r"\]\(<([^>]*)>\)")


def assert_inert_links(markdown: str, links: int) -> None:
    """Exactly ``links`` links, each destination one unbroken URL, no line made by a URL."""
    assert markdown.count("](") == links, markdown
    destinations = DESTINATION.findall(markdown)
    assert len(destinations) == links, markdown
    for destination in destinations:
        assert not re.search(r"[\s<>()]", destination), destination
    lines = markdown.splitlines()
    assert not any(line.lstrip().startswith("#") for line in lines), markdown
    assert not any("fake quote" in line and line.startswith(">") for line in lines), markdown


@pytest.mark.parametrize("char", ["<", ">", "(", ")", " ", "\n", "\r", "\t", "\u2028", "\\"])
def test_each_unsafe_character_is_percent_encoded(char: str) -> None:
    encoded = encode_url(f"https://x.example/a{char}b")
    assert char not in encoded and encoded.startswith("https://x.example/a%")
    assert encoded.endswith("b")


def test_link_keeps_a_plain_url_as_it_is() -> None:
    assert link("T", "https://x.example/a?b=1&c=%20#d") == "[T](<https://x.example/a?b=1&c=%20#d>)"


def test_answers_link_a_hostile_url_inertly() -> None:
    answer = answer_question(INDEX, "Where did the tanker fleet sail?")
    assert answer.covered
    assert_inert_links(answer_content(render_answer(answer)), len(answer.quotes))


def test_summaries_link_a_hostile_url_inertly() -> None:
    summary = summarize(INDEX, length=3)
    markdown = summary_markdown(render_summary(summary))
    assert summary.items
    assert_inert_links(markdown, markdown.count("\n— ["))


def test_sources_and_context_link_a_hostile_url_inertly() -> None:
    [embed] = sources_reply([SourceInfo("Fleet", HOSTILE, "fleet.txt", 1, 2)]).embeds
    assert_inert_links(embed.description or "", 1)
    passages = list(INDEX.iter_passages())
    [context] = context_reply(passages, passages[0]).embeds
    assert_inert_links(context.description or "", 1)
