"""The one layout of what Verbatim shows: the core's dataclasses as neutral blocks.

``render_answer``, ``render_summary`` and ``render_topics`` decide what is said (quotes split into
plain and bold runs, sources, headings, the status messages); ``markdown``, ``terminal`` and
``json`` only write those blocks out, so the CLI shows exactly what the bot would post.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.render.text import clean_echo
from index import (
    Answer,
    AnswerStatus,
    Passage,
    Quote,
    Summary,
    SummaryMode,
    SummaryStatus,
    display_date,
)

if TYPE_CHECKING:
    from index import Topic

_SPACES = re.compile(r"\s+")

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
    # The last sentence when the quote runs on into the next one (``¶2 s1–2``).
    last_sentence: int = field(default=0, kw_only=True)

    @property
    def location(self) -> str:
        """``¶2 s1``, and the published date when known: ``¶2 s1 · 12 Mar 2024``."""
        when = display_date(self.published)
        through = f"–{self.last_sentence}" if self.last_sentence > self.sentence else ""
        return f"¶{self.paragraph} s{self.sentence}{through}" + (f" · {when}" if when else "")


def source_of(passage: Passage) -> RenderedSource:
    document = passage.document
    return RenderedSource(
        document.title,
        document.url,
        passage.paragraph,
        passage.sentence,
        published=document.published,
        last_sentence=passage.last_sentence,
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
        last_sentence=passage.last_sentence,
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


@dataclass(frozen=True, slots=True)
class RenderedItem:
    quote: RenderedQuote
    also_in: tuple[RenderedSource, ...] = ()
    date: str | None = None  # shown in a timeline or side by side: when the article was published


@dataclass(frozen=True, slots=True)
class RenderedSummary:
    """A heading and quotes, or a message (not covered, unknown article, ...)."""

    heading: str
    items: tuple[RenderedItem, ...]
    message: str | None = None


@dataclass(frozen=True, slots=True)
class RenderedTopic:
    number: int
    phrase: str
    sentences: int
    articles: int

    @property
    def counts(self) -> str:
        return f"{plural(self.sentences, 'sentence')}, {plural(self.articles, 'article')}"


@dataclass(frozen=True, slots=True)
class RenderedTopics:
    heading: str
    topics: tuple[RenderedTopic, ...]


def render_summary(summary: Summary) -> RenderedSummary:
    """Lay out a summary: a heading saying what was summarized, then numbered quotes."""
    if summary.status is not SummaryStatus.COVERED:
        return RenderedSummary("", (), _status_message(summary))
    dated = summary.mode is not SummaryMode.GIST
    items = tuple(
        RenderedItem(
            render_quote(item.quote, number),
            tuple(map(source_of, item.also_in)),
            item.quote.passage.document.published if dated else None,
        )
        for number, item in enumerate(summary.items, 1)
    )
    return RenderedSummary(_heading(summary), items)


def render_topics(topics: Sequence[Topic], articles: int) -> RenderedTopics:
    """Lay out topics, most important first, with how many sentences and articles mention each."""
    rows = tuple(
        RenderedTopic(n, t.phrase, t.sentences, t.articles) for n, t in enumerate(topics, 1)
    )
    return RenderedTopics(f"Main topics of {plural(articles, 'article')}:", rows)


def _heading(summary: Summary) -> str:
    count = plural(len(summary.items), "quoted sentence")
    where = (
        f"“{summary.article.title}”"
        if summary.article
        else plural(summary.articles_in_scope, "article")
    )
    where += _since(summary)
    if summary.topic is None:
        return f"The gist of {where} in {count}, in article order:"
    if summary.mode is SummaryMode.TIMELINE:
        return f"“{clean_echo(summary.topic)}” in {where} over time: {count}, oldest article first:"
    if summary.mode is SummaryMode.COMPARE:
        articles = plural(len(summary.items), "article")
        return f"How {articles} tell “{clean_echo(summary.topic)}”: one quoted sentence from each:"
    return f"About “{clean_echo(summary.topic)}” in {where}: {count}, in article order:"


def _since(summary: Summary) -> str:
    """`` since 1 Mar 2024`` (with the time when the cut-off is not midnight), or nothing."""
    when = summary.since
    if when is None:
        return ""
    shown = f"{when.day} {when:%b %Y}" + (f" {when:%H:%M}" if (when.hour, when.minute) else "")
    return f" since {shown}"


def _status_message(summary: Summary) -> str:
    choices = ", ".join(summary.suggestions)
    if summary.status is SummaryStatus.NONE_SINCE:
        return f"No article was published{_since(summary)}: try an earlier date."
    if summary.status is SummaryStatus.UNKNOWN_ARTICLE:
        if choices:
            return f"Several articles match that title; pick one of: {choices}."
        return "No article has that title. The sources command lists them."
    if summary.status is SummaryStatus.UNRECOGNIZED:
        start = f"“{clean_echo(summary.topic or '')}” has no words to look up."
    else:
        start = f"The articles don't cover “{clean_echo(summary.topic or '')}”."
    return f"{start} Topics they do cover: {choices}." if choices else start


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
