from __future__ import annotations

from bot.render import (
    NOT_COVERED,
    answer_to_json,
    escape_markdown,
    render_answer,
    to_markdown,
    to_terminal,
)
from index.answering.answer import answer_question
from index.model import Answer, AnswerStatus
from tests.support.builders import document, index_of

BODY = "North Korea sent troops to Kursk. Officials @everyone said **so**."
DOC = document("A *bold* title", [BODY], "www.example.org")


def test_terminal_shows_quote_source_location_and_url() -> None:
    answer = answer_question(index_of(DOC), "Where did North Korea send troops?")
    text = to_terminal(render_answer(answer))
    assert text.startswith("1. “North Korea sent troops to Kursk.”")
    assert "— A *bold* title ¶1 s1 · https://www.example.org" in text


def test_terminal_bold_only_with_ansi() -> None:
    rendered = render_answer(answer_question(index_of(DOC), "North Korea troops"))
    assert "\x1b[1mNorth Korea\x1b[0m sent \x1b[1mtroops\x1b[0m" in to_terminal(rendered, ansi=True)
    assert "\x1b[" not in to_terminal(rendered, ansi=False)


def test_markdown_bolds_matches_quotes_and_links_the_title() -> None:
    rendered = render_answer(answer_question(index_of(DOC), "North Korea troops"))
    markdown = to_markdown(rendered)
    assert markdown.startswith("> **North Korea** sent **troops** to Kursk.")
    assert "— [A \\*bold\\* title](<https://www.example.org>) ¶1 s1" in markdown


def test_markdown_escapes_quoted_text_and_mentions() -> None:
    rendered = render_answer(answer_question(index_of(DOC), "officials said"))
    markdown = to_markdown(rendered)
    assert "@everyone" not in markdown and "@\u200beveryone" in markdown
    assert "\\*\\*so\\*\\*" in markdown


def test_escape_markdown_neutralizes_formatting_links_and_pings() -> None:
    raw = "**x** `y` ||z|| <@123> @here [l](http://a.b) > q"
    escaped = escape_markdown(raw)
    for needle in ("**", "`y`", "||", "<@123>", "@here", "](http", "://"):
        assert needle not in escaped
    assert escaped.replace("\\", "").replace("\u200b", "") == raw


def test_status_messages_replace_quotes() -> None:
    rendered = render_answer(Answer("q", AnswerStatus.NOT_COVERED))
    assert to_terminal(rendered) == NOT_COVERED == to_markdown(rendered).replace("\\", "")


def test_json_schema_fields() -> None:
    answer = answer_question(index_of(DOC), "Kursk troops")
    payload = answer_to_json(answer)
    assert payload["covered"] is True and payload["question"] == "Kursk troops"
    quote = payload["quotes"][0]
    assert set(quote) == {
        "text",
        "title",
        "url",
        "published",
        "path",
        "source",
        "paragraph",
        "sentence",
        "sentences",
        "start",
        "end",
        "score",
    }
    # The span indexes the article as written (title line, newline, body), not a copy of it.
    written = f"A *bold* title\n{BODY}\n"
    assert written[quote["start"] : quote["end"]] == quote["text"] and quote["text"] in BODY


def test_clean_echo_drops_bidi_and_zero_width_characters_only() -> None:
    from bot.render import clean_echo

    invisible = "\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    invisible += "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
    assert clean_echo(f"a{invisible}b") == "ab"
    assert clean_echo("Zelenskyy’s café, Київ — “ok” 🇺🇦") == "Zelenskyy’s café, Київ — “ok” 🇺🇦"


def test_a_quote_of_two_sentences_says_both_numbers() -> None:
    doc = index_of(
        document(
            "Winter",
            [
                "The schedule includes a drama about Angela Cannings. "
                "Sarah Lancashire and Timothy Spall will star in it."
            ],
        )
    )
    rendered = render_answer(answer_question(doc, "who plays in the angela cannings drama"))
    assert rendered.quotes[0].location == "¶1 s1–2"
    assert "¶1 s1–2" in to_terminal(rendered) and "¶1 s1–2" in to_markdown(rendered)
    payload = answer_to_json(answer_question(doc, "who plays in the angela cannings drama"))
    assert payload["quotes"][0]["sentences"] == 2
