"""Rendering: the core's dataclasses laid out once (``blocks``), then written as Discord Markdown
(``markdown``), terminal text (``terminal``) or data (``json``); ``discord_fit`` keeps Discord's
limits. Front ends import these names from here."""

from bot.render.blocks import (
    EMPTY_QUESTION,
    NOT_COVERED,
    RELATED_LABEL,
    UNRECOGNIZED,
    RenderedAnswer,
    RenderedQuote,
    Run,
    render_answer,
    render_summary,
    render_topics,
)
from bot.render.json import answer_to_json, passage_json, summary_to_json, topics_to_json
from bot.render.markdown import encode_url, escape_markdown, link, to_markdown
from bot.render.terminal import to_terminal
from bot.render.text import clean_echo

__all__ = [
    "EMPTY_QUESTION",
    "NOT_COVERED",
    "RELATED_LABEL",
    "UNRECOGNIZED",
    "RenderedAnswer",
    "RenderedQuote",
    "Run",
    "answer_to_json",
    "clean_echo",
    "encode_url",
    "escape_markdown",
    "link",
    "passage_json",
    "render_answer",
    "render_summary",
    "render_topics",
    "summary_to_json",
    "to_markdown",
    "to_terminal",
    "topics_to_json",
]
