"""One rendering of an answer, two outputs: Discord Markdown and terminal text.

``render_answer`` turns the core's ``Answer`` into neutral blocks (runs of text, some bold, and a
source line); ``to_markdown`` and ``to_terminal`` only serialize those blocks. The CLI therefore
shows exactly what the bot would, minus Markdown syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from index import Answer, AnswerStatus, Passage, Quote

NOT_COVERED = "The articles don't cover that."
EMPTY_QUESTION = (
    "Ask me a question in words about the articles, for example “Who is involved?” "
    "or “What happened?”. The sources command lists what I can quote."
)
UNRECOGNIZED = (
    "I can't find anything to look up in that question: it only has words like “what” or “is”. "
    "Name the person, place or thing you are asking about."
)
# What a "related" answer says the articles leave out, by the asked fact
# (index.answering.answer_types).
MISSING_TEXT = {
    "age": "how old",
    "money": "how much money",
    "percent": "the percentage",
    "duration": "how long",
    "distance": "how far",
    "count": "how many",
    "measure": "how big, fast or tall",
    "date": "when",
}
RELATED_LABEL = "Related quotes (not the answer):"


def related_text(subject: str, missing: str) -> str:
    """ "The articles mention “malcolm glazer” but don't say how old." """
    about = f"“{subject}”" if subject else "this"
    return f"The articles mention {about} but don't say {MISSING_TEXT.get(missing, 'that')}."


STATUS_TEXT = {
    AnswerStatus.NOT_COVERED: NOT_COVERED,
    AnswerStatus.EMPTY_QUESTION: EMPTY_QUESTION,
    AnswerStatus.UNRECOGNIZED: UNRECOGNIZED,
}

_MARKDOWN_SPECIAL = re.compile(r"([\\*_`~|>#\[\]()<])")
_LINE_START_MARKER = re.compile(r"(?m)^(\s*)([-+])(?=\s)")
_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of quoted text, bold where it matched the question."""

    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class RenderedSource:
    """Where a sentence comes from: article title, URL, paragraph and sentence number."""

    title: str
    url: str | None
    paragraph: int
    sentence: int

    @property
    def location(self) -> str:
        return f"¶{self.paragraph} s{self.sentence}"


def source_of(passage: Passage) -> RenderedSource:
    document = passage.document
    return RenderedSource(document.title, document.url, passage.paragraph, passage.sentence)


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
    # The quotes are about the subject but not the answer ("related"): shown after the message.
    related: bool = False


def render_answer(answer: Answer, first_number: int = 1) -> RenderedAnswer:
    """Lay out an answer's quotes (bolding matched words) or its status message; a "related"
    answer has both: what the articles don't say, then the closest quotes."""
    quotes = tuple(
        render_quote(quote, number) for number, quote in enumerate(answer.quotes, first_number)
    )
    if answer.status is AnswerStatus.RELATED:
        message = related_text(answer.subject, answer.missing)
        return RenderedAnswer(answer.question, quotes, message, related=True)
    if answer.status is not AnswerStatus.COVERED:
        return RenderedAnswer(answer.question, (), STATUS_TEXT[answer.status])
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


def escape_markdown(text: str) -> str:
    """Make user or article text show literally in Discord: no formatting, links or mentions."""
    escaped = _LINE_START_MARKER.sub(r"\1\\\2", _MARKDOWN_SPECIAL.sub(r"\\\1", text))
    return _MENTION.sub("@\u200b\\1", escaped).replace("://", ":\u200b//")


def to_markdown(rendered: RenderedAnswer) -> str:
    """Discord Markdown: block-quoted sentences, matched words bold, source linked."""
    if rendered.message is not None and not rendered.related:
        return escape_markdown(rendered.message)
    blocks = []
    if rendered.related and rendered.message is not None:
        blocks.append(f"{escape_markdown(rendered.message)}\n*{escape_markdown(RELATED_LABEL)}*")
    for quote in rendered.quotes:
        body = "".join(
            f"**{escape_markdown(run.text)}**" if run.bold else escape_markdown(run.text)
            for run in quote.runs
        )
        title = escape_markdown(quote.title)
        source = f"[{title}](<{quote.url}>)" if quote.url else title
        blocks.append(f"> {body}\n— {source} {quote.location}")
    return "\n\n".join(blocks)


def to_terminal(rendered: RenderedAnswer, ansi: bool = False) -> str:
    """Terminal text: curly-quoted sentences, bold via ANSI only on a real terminal."""
    if rendered.message is not None and not rendered.related:
        return rendered.message
    lines = []
    if rendered.related and rendered.message is not None:
        lines.append(f"{rendered.message}\n{RELATED_LABEL}")
    for quote in rendered.quotes:
        body = "".join(
            f"\x1b[1m{run.text}\x1b[0m" if ansi and run.bold else run.text for run in quote.runs
        )
        source = f"{quote.title} {quote.location}" + (f" · {quote.url}" if quote.url else "")
        lines.append(f"{quote.number}. “{body}”\n   — {source}")
    return "\n".join(lines)


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The stable ``--json`` object documented in the README. A "related" answer (not covered)
    has no ``quotes``: its closest quotes are under ``related``, with the ``message`` saying
    what the articles don't say."""
    quotes = [_quote_json(quote) for quote in answer.quotes]
    reply: dict[str, Any] = {
        "question": answer.question,
        "covered": answer.covered,
        "status": answer.status.value,
        "quotes": [] if answer.status is AnswerStatus.RELATED else quotes,
    }
    if answer.status is AnswerStatus.RELATED:
        reply["message"] = related_text(answer.subject, answer.missing)
        reply["related"] = quotes
    return reply


def _quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "text": quote.passage.text,
        "title": quote.passage.document.title,
        "url": quote.passage.document.url,
        "path": quote.passage.document.path,
        "paragraph": quote.passage.paragraph,
        "sentence": quote.passage.sentence,
        "start": quote.passage.start,
        "end": quote.passage.end,
        "score": round(quote.score, 6),
    }
