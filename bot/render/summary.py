"""One rendering of summaries and topic lists, two outputs: Discord Markdown and terminal text.

Same shape as ``bot.render.answer``: ``render_summary`` / ``render_topics`` lay the core's
dataclasses out as neutral blocks; ``to_markdown`` and ``to_terminal`` only serialize them, so
``verbatim summary`` prints what ``/summary`` would post. Discord messages stay within 2,000
characters by dropping whole quotes from the end (and saying so) rather than cutting one in the
middle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.render.answer import (
    RenderedQuote,
    RenderedSource,
    clean_echo,
    escape_markdown,
    link,
    render_quote,
    source_of,
)
from index import Passage, Summary, SummaryStatus, Topic

DISCORD_LIMIT = 2000
CHOICE_LIMIT = 100  # Discord: an autocomplete choice's name and value are at most 100 characters
MAX_CHOICES = 25


@dataclass(frozen=True, slots=True)
class RenderedItem:
    quote: RenderedQuote
    also_in: tuple[RenderedSource, ...] = ()


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
        return f"{_plural(self.sentences, 'sentence')}, {_plural(self.articles, 'article')}"


@dataclass(frozen=True, slots=True)
class RenderedTopics:
    heading: str
    topics: tuple[RenderedTopic, ...]


def render_summary(summary: Summary) -> RenderedSummary:
    """Lay out a summary: a heading saying what was summarized, then numbered quotes."""
    if summary.status is not SummaryStatus.COVERED:
        return RenderedSummary("", (), _status_message(summary))
    items = tuple(
        RenderedItem(render_quote(item.quote, number), tuple(map(source_of, item.also_in)))
        for number, item in enumerate(summary.items, 1)
    )
    return RenderedSummary(_heading(summary), items)


def render_topics(topics: Sequence[Topic], articles: int) -> RenderedTopics:
    """Lay out topics, most important first, with how many sentences and articles mention each."""
    rows = tuple(
        RenderedTopic(n, t.phrase, t.sentences, t.articles) for n, t in enumerate(topics, 1)
    )
    return RenderedTopics(f"Main topics of {_plural(articles, 'article')}:", rows)


def to_markdown(rendered: RenderedSummary | RenderedTopics, limit: int = DISCORD_LIMIT) -> str:
    """Discord Markdown within ``limit`` characters: quotes block-quoted, sources linked."""
    if isinstance(rendered, RenderedTopics):
        lines = [
            f"{t.number}. **{escape_markdown(t.phrase)}** — {t.counts}" for t in rendered.topics
        ]
        return _fit(f"**{escape_markdown(rendered.heading)}**", lines, "\n", limit, "topic")[0]
    if rendered.message is not None:
        return escape_markdown(rendered.message)[:limit]
    heading = f"**{escape_markdown(rendered.heading)}**"
    blocks = [_markdown_item(item) for item in rendered.items]
    text, complete = _fit(heading, blocks, "\n\n", limit, "sentence")
    sources = {(item.quote.title, item.quote.url) for item in rendered.items}
    if not complete and len(sources) == 1:
        # One article: name it once in the heading so more of its sentences fit.
        title, url = sources.pop()
        heading += f"\n— {link(title, url)}"
        blocks = [_markdown_item(item, titled=False) for item in rendered.items]
        text = _fit(heading, blocks, "\n\n", limit, "sentence")[0]
    return text


def to_terminal(rendered: RenderedSummary | RenderedTopics, ansi: bool = False) -> str:
    """Terminal text: numbered curly-quoted sentences (bold via ANSI on a real terminal)."""
    if isinstance(rendered, RenderedTopics):
        width = len(str(len(rendered.topics)))
        lines = [f"{t.number:>{width}}. {t.phrase} — {t.counts}" for t in rendered.topics]
        return "\n".join([rendered.heading, *lines])
    if rendered.message is not None:
        return rendered.message
    lines = [rendered.heading]
    for item in rendered.items:
        quote = item.quote
        body = "".join(
            f"\x1b[1m{run.text}\x1b[0m" if ansi and run.bold else run.text for run in quote.runs
        )
        lines.append(f"{quote.number}. “{body}”\n   — {_terminal_source(quote)}")
        if item.also_in:
            lines.append("   also in: " + "; ".join(map(_terminal_source, item.also_in)))
    return "\n".join(lines)


def summary_to_json(summary: Summary) -> dict[str, Any]:
    """The stable ``verbatim summary --json`` object documented in the README."""
    return {
        "topic": summary.topic,
        "article": summary.article.title if summary.article else None,
        "status": summary.status.value,
        "covered": summary.covered,
        "items": [
            {**_passage_json(item.quote.passage), "also_in": list(map(_passage_json, item.also_in))}
            for item in summary.items
        ],
        "suggestions": list(summary.suggestions),
        "since": summary.since.isoformat() if summary.since else None,
    }


def topics_to_json(topics: Sequence[Topic]) -> list[dict[str, Any]]:
    return [
        {"phrase": t.phrase, "sentences": t.sentences, "articles": t.articles, "score": t.score}
        for t in topics
    ]


def autocomplete_choices(labels: Sequence[str]) -> list[str]:
    """Topic phrases or article titles as Discord autocomplete choices: at most 25, each within
    100 characters (cut at a word, with "…"; an article title cut so still picks its article by
    prefix), duplicates after cutting removed."""
    choices: list[str] = []
    for label in labels:
        if len(label) > CHOICE_LIMIT:
            label = label[: CHOICE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
        if label not in choices:
            choices.append(label)
    return choices[:MAX_CHOICES]


def _heading(summary: Summary) -> str:
    count = _plural(len(summary.items), "quoted sentence")
    where = (
        f"“{summary.article.title}”"
        if summary.article
        else _plural(summary.articles_in_scope, "article")
    )
    where += _since(summary)
    if summary.topic is None:
        return f"The gist of {where} in {count}, in article order:"
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


def _markdown_item(item: RenderedItem, titled: bool = True) -> str:
    quote = item.quote
    body = "".join(
        f"**{escape_markdown(run.text)}**" if run.bold else escape_markdown(run.text)
        for run in quote.runs
    )
    block = f"> {body}\n— {_markdown_source(quote) if titled else quote.location}"
    if item.also_in:
        block += "\n-# also in: " + "; ".join(map(_markdown_source, item.also_in))
    return block


def _fit(heading: str, parts: list[str], joiner: str, limit: int, noun: str) -> tuple[str, bool]:
    """Join ``heading`` and as many whole ``parts`` as fit in ``limit``, noting any left out.

    Returns the text and whether every part is in it whole.
    """
    text = heading
    for shown, part in enumerate(parts):
        left = len(parts) - shown
        note = f"{joiner}… {_plural(left, 'more ' + noun)} left out (Discord's length limit)"
        last = shown == len(parts) - 1
        if len(text) + len(joiner) + len(part) + (0 if last else len(note)) > limit:
            if shown == 0:  # one huge sentence: show its start rather than nothing
                room = limit - len(text) - len(joiner) - (0 if last else len(note)) - 4
                return text + joiner + _cut(part, room) + ("" if last else note), False
            return text + note, False
        text += joiner + part
    return text, True


def _cut(markdown: str, room: int) -> str:
    """Cut Markdown at a word boundary, closing a bold run and ending with an ellipsis."""
    cut = markdown[: max(room, 0)].rsplit(" ", 1)[0].rstrip("\\")
    return cut + ("**" if cut.count("**") % 2 else "") + "…"


def _markdown_source(source: RenderedSource) -> str:
    return f"{link(source.title, source.url)} {source.location}"


def _terminal_source(source: RenderedSource) -> str:
    return f"{source.title} {source.location}" + (f" · {source.url}" if source.url else "")


def _passage_json(passage: Passage) -> dict[str, Any]:
    return {
        "text": passage.text,
        "title": passage.document.title,
        "url": passage.document.url,
        "path": passage.document.path,
        "paragraph": passage.paragraph,
        "sentence": passage.sentence,
        "start": passage.start,
        "end": passage.end,
    }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
