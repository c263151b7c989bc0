"""Discord serialization: limits respected, cuts at sentence or word boundaries, text escaped."""

from __future__ import annotations

import re

import pytest

from bot.render import render_answer, to_markdown
from bot.render.discord_fit import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    answer_content,
    context_reply,
    link,
    sources_reply,
)
from bot.render.text import shorten, shorten_left
from index import SourceInfo
from index.answering.answer import AnswerPolicy, answer_question
from tests.support.builders import document, index_of

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]


def long_sentence(words: int, word: str = "troops") -> str:
    body = " ".join(f"{WORDS[i % len(WORDS)]}{i}" for i in range(words))
    return f"The {word} moved past {body} today."


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+\d+", text))


def test_shorten_keeps_short_text() -> None:
    assert shorten("One. Two.", 100) == "One. Two."


def test_shorten_prefers_a_sentence_end() -> None:
    text = "First sentence is here. Second sentence runs on and on and on."
    assert shorten(text, 40) == "First sentence is here. …"


@pytest.mark.parametrize("limit", [5, 17, 33, 64, 99])
def test_shorten_cuts_at_a_word_boundary(limit: int) -> None:
    text = long_sentence(40)
    cut = shorten(text, limit)
    assert len(cut) <= limit and cut.endswith("…")
    assert text.startswith(cut.removesuffix("…"))
    kept = cut.removesuffix("…")
    assert kept == "" or text[len(kept)] == " "  # the next character starts a new word


def test_shorten_left_keeps_the_end_from_a_word_start() -> None:
    text = long_sentence(40)
    cut = shorten_left(text, 50)
    assert len(cut) <= 50 and cut.startswith("…") and text.endswith(cut[1:])
    assert text[len(text) - len(cut) : len(text) - len(cut) + 1] == " "


def test_answer_content_keeps_whole_quotes_within_the_limit() -> None:
    paragraphs = [long_sentence(60, "troops") for _ in range(6)]
    index = index_of(document("Long", paragraphs, "www.example.org"))
    answer = answer_question(index, "troops moved", AnswerPolicy(top=6, relative_floor=0, pool=6))
    assert len(answer.quotes) == 6
    content = answer_content(render_answer(answer))
    assert len(content) <= CONTENT_LIMIT
    assert 1 <= content.count("\n— ") < 6  # whole quotes dropped, not cut
    assert "…" not in content


def test_one_huge_sentence_is_cut_at_a_word_with_bold_balanced() -> None:
    text = long_sentence(900)
    index = index_of(document("Huge", [text], "www.example.org"))
    answer = answer_question(index, "troops moved", AnswerPolicy(top=1))
    content = answer_content(render_answer(answer), header="**Q:** troops moved\n\n")
    assert len(content) <= CONTENT_LIMIT
    assert content.count("**") % 2 == 0 and "…" in content
    assert words_of(content.split("\n— ")[0]) <= words_of(text)  # no word cut in half
    assert "— [Huge](<https://www.example.org>) ¶1 s1" in content


def test_short_answers_are_exactly_the_shared_markdown() -> None:
    index = index_of(document("T", ["North Korea sent troops to Kursk."], "x.org"))
    rendered = render_answer(answer_question(index, "troops Kursk"))
    assert answer_content(rendered) == to_markdown(rendered)


def test_link_escapes_the_title_and_never_previews() -> None:
    assert link("A *b* @everyone", "https://x.org/a(b)") == (
        "[A \\*b\\* @\u200beveryone](<https://x.org/a%28b%29>)"
    )
    assert link("T", None) == "T" and link("T", "https://x.org/" + "a" * 600) == "T"


def test_sources_fit_an_embed_even_for_a_large_corpus() -> None:
    sources = [
        SourceInfo(f"Article {n} " + "word " * 30, f"https://example.org/{n}", f"{n}.txt", 3, 9)
        for n in range(500)
    ]
    embed = sources_reply(sources).embeds[0]
    assert embed.description is not None and len(embed.description) <= EMBED_DESCRIPTION_LIMIT
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert embed.description.endswith("more.") and embed.title == "500 articles I can quote"


def test_context_marks_the_quote_between_its_neighbours() -> None:
    doc = document("T", ["One is first. Two is the quote. Three follows.", "Four is new."], "x.org")
    index = index_of(doc)
    focus = index.passage(1)
    embed = context_reply(index.neighbours(focus, 2, 2), focus).embeds[0]
    assert embed.description is not None
    assert embed.description.startswith("One is first. ▶ **Two is the quote.** Three follows.")
    assert "\n\nFour is new." in embed.description
    assert "¶1 s1 – ¶2 s1" in embed.description


def test_context_of_a_quote_that_runs_on_marks_both_sentences_once() -> None:
    from dataclasses import replace

    doc = document("T", ["One is first. Two names it. Three answers. Four follows."], "x.org")
    index = index_of(doc)
    single = index.passage(1)
    focus = replace(single, end=index.passage(2).end, sentences=2)
    embed = context_reply(index.neighbours(focus, 2, 3), focus).embeds[0]
    assert embed.description is not None
    assert embed.description.startswith(
        "One is first. ▶ **Two names it. Three answers.** Four follows."
    )
    assert embed.description.count("Three answers.") == 1


def test_context_of_huge_sentences_fits() -> None:
    sentences = [long_sentence(400, f"w{n}") for n in range(5)]
    index = index_of(document("T " * 150, [" ".join(sentences)], "https://x.org/" + "p" * 400))
    focus = index.passage(2)
    embed = context_reply(index.neighbours(focus, 2, 2), focus).embeds[0]
    assert embed.description is not None and len(embed.description) <= EMBED_DESCRIPTION_LIMIT
    assert len(embed) <= EMBED_TOTAL_LIMIT and embed.description.count("**") == 2
