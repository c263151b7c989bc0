"""Discord Markdown: the blocks written with quotes block-quoted, matched words bold, sources
linked — and every article or user text escaped, so nothing in it formats, links or pings.

Discord messages stay within 2,000 characters: a summary drops whole quotes from the end (and says
so) rather than cutting one in the middle; answers are fitted by ``discord_fit``.
"""

from __future__ import annotations

import re

from bot.render.blocks import (
    RELATED_LABEL,
    RenderedAnswer,
    RenderedItem,
    RenderedSource,
    RenderedSummary,
    RenderedTopics,
    Run,
    plural,
)

DISCORD_LIMIT = 2000
_MARKDOWN_SPECIAL = re.compile(r"([\\*_`~|>#\[\]()<])")
_LINE_START_MARKER = re.compile(r"(?m)^(\s*)([-+])(?=\s)")
_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)")
# In a link destination these end the link or the Markdown around it (``>`` closes ``<...>``, a
# parenthesis closes ``(...)``, a newline starts a header or a quote): always percent-encoded.
_URL_UNSAFE = re.compile(r"[<>()\\`\s\x00-\x1f\x7f]")
URL_LIMIT = 512


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


def quote_body(runs: tuple[Run, ...] | list[Run]) -> str:
    """One quote's text as Markdown: escaped, matched words bold (answers and summaries alike)."""
    return "".join(
        f"**{escape_markdown(run.text)}**" if run.bold else escape_markdown(run.text)
        for run in runs
    )


def source_markdown(source: RenderedSource) -> str:
    """``[Title](<url>) ¶2 s1``: where a quote comes from, linked."""
    return f"{link(source.title, source.url)} {source.location}"


def to_markdown(
    rendered: RenderedAnswer | RenderedSummary | RenderedTopics, limit: int = DISCORD_LIMIT
) -> str:
    """Any rendered block as Discord Markdown (a summary or topic list within ``limit``)."""
    if isinstance(rendered, RenderedAnswer):
        return answer_markdown(rendered)
    return summary_markdown(rendered, limit)


def answer_markdown(rendered: RenderedAnswer) -> str:
    """Discord Markdown: block-quoted sentences, matched words bold, source linked."""
    if rendered.message is not None and not rendered.related:
        return escape_markdown(rendered.message)
    blocks = []
    if rendered.related and rendered.message is not None:
        blocks.append(f"{escape_markdown(rendered.message)}\n*{escape_markdown(RELATED_LABEL)}*")
    for quote in rendered.quotes:
        blocks.append(f"> {quote_body(quote.runs)}\n— {source_markdown(quote)}")
    return "\n\n".join(blocks)


def summary_markdown(rendered: RenderedSummary | RenderedTopics, limit: int = DISCORD_LIMIT) -> str:
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


def _markdown_item(item: RenderedItem, titled: bool = True) -> str:
    quote = item.quote
    body = quote_body(quote.runs)
    date = f"**{escape_markdown(item.date)}**\n" if item.date else ""
    block = f"{date}> {body}\n— {source_markdown(quote) if titled else quote.location}"
    if item.also_in:
        block += "\n-# also in: " + "; ".join(map(source_markdown, item.also_in))
    return block


def _fit(heading: str, parts: list[str], joiner: str, limit: int, noun: str) -> tuple[str, bool]:
    """Join ``heading`` and as many whole ``parts`` as fit in ``limit``, noting any left out.

    Returns the text and whether every part is in it whole.
    """
    text = heading
    for shown, part in enumerate(parts):
        left = len(parts) - shown
        note = f"{joiner}… {plural(left, 'more ' + noun)} left out (Discord's length limit)"
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
