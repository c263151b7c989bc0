"""One rendering of an answer, two outputs: Discord Markdown and terminal text.

``render_answer`` turns the core's ``Answer`` into neutral blocks (runs of text, some bold, and a
source line); ``to_markdown`` and ``to_terminal`` only serialize those blocks. The CLI therefore
shows exactly what the bot would, minus Markdown syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from index import Answer, AnswerStatus, Passage, Quote, display_date

NOT_COVERED = "The articles don't cover that."
EMPTY_QUESTION = (
    "Ask me a question in words about the articles, for example “Who is involved?” "
    "or “What happened?”. The sources command lists what I can quote."
)
UNRECOGNIZED = (
    "I can't find anything to look up in that question: it only has words like “what” or “is”. "
    "Name the person, place or thing you are asking about."
)
STATUS_TEXT = {
    AnswerStatus.NOT_COVERED: NOT_COVERED,
    AnswerStatus.EMPTY_QUESTION: EMPTY_QUESTION,
    AnswerStatus.UNRECOGNIZED: UNRECOGNIZED,
}

_MARKDOWN_SPECIAL = re.compile(r"([\\*_`~|>#\[\]()<])")
_LINE_START_MARKER = re.compile(r"(?m)^(\s*)([-+])(?=\s)")
_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)")
_SPACES = re.compile(r"\s+")
# In a link destination these end the link or the Markdown around it (``>`` closes ``<...>``, a
# parenthesis closes ``(...)``, a newline starts a header or a quote): always percent-encoded.
_URL_UNSAFE = re.compile(r"[<>()\\`\s\x00-\x1f\x7f]")
URL_LIMIT = 512
# Characters that show nothing yet reorder or hide what follows: bidi embeddings, overrides and
# isolates, directional marks, zero-width spaces and joiners, the word joiner and a stray BOM.
# Echoed back, "\u202e" makes a question read backwards and a zero-width space hides a word.
_INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


# Characters of one quote shown in a terminal; longer ones end in "…".
TERMINAL_QUOTE_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of quoted text, bold where it matched the question."""

    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class RenderedSource:
    """Where a sentence comes from: article title, URL, paragraph, sentence number, date."""

    title: str
    url: str | None
    paragraph: int
    sentence: int
    published: str | None = field(default=None, kw_only=True)  # ISO 8601

    @property
    def location(self) -> str:
        """``¶2 s1``, and the published date when known: ``¶2 s1 · 12 Mar 2024``."""
        when = display_date(self.published)
        return f"¶{self.paragraph} s{self.sentence}" + (f" · {when}" if when else "")


def source_of(passage: Passage) -> RenderedSource:
    document = passage.document
    return RenderedSource(
        document.title,
        document.url,
        passage.paragraph,
        passage.sentence,
        published=document.published,
    )


@dataclass(frozen=True, slots=True)
class RenderedQuote(RenderedSource):
    """A quote ready to print: its number, its runs and (inherited) where it comes from."""

    number: int
    runs: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class RenderedAnswer:
    """Either quotes or a plain message (not covered, empty question, ...)."""

    question: str
    quotes: tuple[RenderedQuote, ...]
    message: str | None = None


def render_answer(answer: Answer, first_number: int = 1) -> RenderedAnswer:
    """Lay out an answer's quotes (bolding matched words) or its status message."""
    if answer.status is not AnswerStatus.COVERED:
        return RenderedAnswer(answer.question, (), STATUS_TEXT[answer.status])
    quotes = tuple(
        render_quote(quote, number) for number, quote in enumerate(answer.quotes, first_number)
    )
    return RenderedAnswer(answer.question, quotes)


def render_quote(quote: Quote, number: int = 1) -> RenderedQuote:
    passage = quote.passage
    document = passage.document
    return RenderedQuote(
        title=document.title,
        url=document.url,
        paragraph=passage.paragraph,
        sentence=passage.sentence,
        number=number,
        runs=_runs(passage.text, quote.matched),
        published=document.published,
    )


def _runs(text: str, matched: tuple[tuple[int, int], ...]) -> tuple[Run, ...]:
    """Split ``text`` into plain and bold runs, merging matches separated only by spaces."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(matched):
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    runs, position = [], 0
    for start, end in merged:
        if start > position:
            runs.append(Run(_one_line(text[position:start])))
        runs.append(Run(_one_line(text[start:end]), bold=True))
        position = end
    if position < len(text):
        runs.append(Run(_one_line(text[position:])))
    return tuple(runs)


def _one_line(text: str) -> str:
    """Wrapped source lines display as one line; the quote's characters are otherwise kept."""
    return _SPACES.sub(" ", text)


def clean_echo(text: str) -> str:
    """User text as the bot repeats it: without invisible characters (``_INVISIBLE``). Quotes
    are never cleaned: they are the article's own characters."""
    return _INVISIBLE.sub("", text)


def escape_markdown(text: str) -> str:
    """Make user or article text show literally in Discord: no formatting, links or mentions."""
    escaped = _LINE_START_MARKER.sub(r"\1\\\2", _MARKDOWN_SPECIAL.sub(r"\\\1", text))
    return _MENTION.sub("@\u200b\\1", escaped).replace("://", ":\u200b//")


def link(title: str, url: str | None) -> str:
    """The one Markdown link of the bot: an escaped title, linked to ``url`` when there is a
    usable one (angle brackets: no preview). Answers, ``/sources``, context and summaries all
    call it, so an article's URL can never add markup, a mention or a line to a reply."""
    escaped = escape_markdown(title)
    if not url or len(url) > URL_LIMIT:
        return escaped
    return f"[{escaped}](<{encode_url(url)}>)"


def encode_url(url: str) -> str:
    """``url`` with every character that could end its link destination percent-encoded."""
    return _URL_UNSAFE.sub(_percent, url)


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def to_markdown(rendered: RenderedAnswer) -> str:
    """Discord Markdown: block-quoted sentences, matched words bold, source linked."""
    if rendered.message is not None:
        return escape_markdown(rendered.message)
    blocks = []
    for quote in rendered.quotes:
        body = "".join(
            f"**{escape_markdown(run.text)}**" if run.bold else escape_markdown(run.text)
            for run in quote.runs
        )
        blocks.append(f"> {body}\n— {link(quote.title, quote.url)} {quote.location}")
    return "\n\n".join(blocks)


def to_terminal(
    rendered: RenderedAnswer, ansi: bool = False, limit: int = TERMINAL_QUOTE_LIMIT
) -> str:
    """Terminal text: curly-quoted sentences, bold via ANSI only on a real terminal.

    A quote longer than ``limit`` characters (a 1 MB "sentence" with no full stop) is cut at a
    word with "…" here only: ``--json`` and Discord keep their own rules.
    """
    if rendered.message is not None:
        return rendered.message
    lines = []
    for quote in rendered.quotes:
        body = "".join(
            f"\x1b[1m{run.text}\x1b[0m" if ansi and run.bold else run.text
            for run in clip_runs(quote.runs, limit)
        )
        source = f"{quote.title} {quote.location}" + (f" · {quote.url}" if quote.url else "")
        lines.append(f"{quote.number}. “{body}”\n   — {source}")
    return "\n".join(lines)


def clip_runs(runs: Sequence[Run], limit: int) -> list[Run]:
    """``runs`` holding at most ``limit`` characters, the last cut at a word and ended by "…"."""
    kept: list[Run] = []
    room = limit
    for run in runs:
        if len(run.text) <= room:
            kept.append(run)
            room -= len(run.text)
            continue
        cut = run.text[:room]
        space = cut.rfind(" ")
        text = (cut[:space] if space > room // 2 else cut).rstrip()
        kept.append(Run(text + "…", run.bold))
        break
    return kept


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The stable ``--json`` object documented in the README."""
    return {
        "question": answer.question,
        "covered": answer.covered,
        "status": answer.status.value,
        "quotes": [
            {
                "text": quote.passage.text,
                "title": quote.passage.document.title,
                "url": quote.passage.document.url,
                "published": quote.passage.document.published,
                "path": quote.passage.document.path,
                "source": quote.passage.document.source,
                "paragraph": quote.passage.paragraph,
                "sentence": quote.passage.sentence,
                "start": quote.passage.start,
                "end": quote.passage.end,
                "score": round(quote.score, 6),
            }
            for quote in answer.quotes
        ],
    }
