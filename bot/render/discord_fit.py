"""Serialize rendered answers, sources and context into Discord messages that fit its limits.

``bot.render.blocks`` lays an answer out once; this module only fits that layout into Discord's
limits (2,000 characters of content, 4,096 per embed description, 6,000 per message) by dropping
whole quotes first and, only when a single sentence is still too long, cutting it at a word
boundary with an ellipsis. Everything here is pure: no network, no event loop.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from bot.render.blocks import RenderedAnswer, RenderedQuote, Run
from bot.render.markdown import URL_LIMIT, escape_markdown
from bot.render.markdown import answer_markdown as to_markdown
from bot.render.markdown import link as _link
from bot.render.text import ELLIPSIS, shorten, shorten_left
from index import Passage, SourceInfo, display_date

CONTENT_LIMIT = 2000
CHOICE_LIMIT = 100  # an autocomplete choice's name and value are at most 100 characters
MAX_CHOICES = 25
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_TOTAL_LIMIT = 6000
EMBED_TITLE_LIMIT = 256
TITLE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Reply:
    """What one Discord message carries: content and/or embeds (buttons are added by callers)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)


def answer_content(rendered: RenderedAnswer, header: str = "", limit: int = CONTENT_LIMIT) -> str:
    """The answer as message content: as many whole quotes as fit, the first one always."""
    rendered = _tidy(rendered)
    quotes = list(rendered.quotes)
    while True:
        text = header + to_markdown(dataclasses.replace(rendered, quotes=tuple(quotes)))
        if len(text) <= limit or len(quotes) <= 1:
            break
        quotes.pop()
    if len(text) > limit and quotes:
        quotes = [_shrink_quote(quotes[0], rendered, header, limit)]
        text = header + to_markdown(dataclasses.replace(rendered, quotes=tuple(quotes)))
    return text if len(text) <= limit else shorten(text, limit)


def _tidy(rendered: RenderedAnswer) -> RenderedAnswer:
    """Bound a title's and a URL's share of the budget: they come from article files."""
    quotes = tuple(
        dataclasses.replace(
            quote,
            title=shorten(quote.title, TITLE_LIMIT),
            url=quote.url if quote.url and len(quote.url) <= URL_LIMIT else None,
        )
        for quote in rendered.quotes
    )
    return dataclasses.replace(rendered, quotes=quotes)


def _shrink_quote(
    quote: RenderedQuote, rendered: RenderedAnswer, header: str, limit: int
) -> RenderedQuote:
    """Cut one over-long sentence until its Markdown (escapes included) fits ``limit``."""
    budget = sum(len(run.text) for run in quote.runs)
    shrunk = quote
    while budget > 0:
        shrunk = dataclasses.replace(quote, runs=_cut_runs(quote.runs, budget))
        size = len(header + to_markdown(dataclasses.replace(rendered, quotes=(shrunk,))))
        if size <= limit:
            break
        budget -= max(size - limit, 16)
    return shrunk


def _cut_runs(runs: Sequence[Run], budget: int) -> tuple[Run, ...]:
    """The runs' text shortened to ``budget`` characters at a word boundary, bold kept."""
    plain = "".join(run.text for run in runs)
    cut = shorten(plain, budget)
    keep = len(cut.removesuffix(ELLIPSIS).rstrip(" " + ELLIPSIS))
    kept: list[Run] = []
    position = 0
    for run in runs:
        piece = run.text[: max(keep - position, 0)]
        position += len(run.text)
        if piece:
            kept.append(Run(piece, run.bold))
    if keep < len(plain):
        kept.append(Run(" " + ELLIPSIS if cut.endswith(" " + ELLIPSIS) else ELLIPSIS))
    return tuple(kept)


def link(title: str, url: str | None) -> str:
    """``bot.render.markdown.link`` with the title cut to its share of a Discord message."""
    return _link(shorten(title, TITLE_LIMIT), url)


def _dated(published: str | None) -> str:
    when = display_date(published)
    return f" · {when}" if when else ""


def sources_reply(sources: Sequence[SourceInfo], intro: str = "") -> Reply:
    """The corpus's articles as one embed: linked title, paragraph and sentence counts."""
    lines = [
        f"{number}. {link(s.title, s.url)}{_dated(s.published)} — "
        f"{s.paragraphs} paragraphs, {s.sentences} sentences"
        for number, s in enumerate(sources, 1)
    ]
    budget = EMBED_DESCRIPTION_LIMIT - len(intro) - 40
    shown: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in shown) + len(line) > budget:
            shown.append(f"… and {len(lines) - len(shown)} more.")
            break
        shown.append(line)
    title = f"{len(sources)} article{'s' if len(sources) != 1 else ''} I can quote"
    description = (intro + "\n".join(shown))[:EMBED_DESCRIPTION_LIMIT]
    return Reply(embeds=[discord.Embed(title=title, description=description)])


def context_reply(passages: Sequence[Passage], focus: Passage) -> Reply:
    """The sentences around ``focus`` in reading order, the quote itself (one sentence, or two
    when it runs on) bold and marked ▶."""
    document = focus.document
    first, last = passages[0], passages[-1]
    where = f"¶{first.paragraph} s{first.sentence} – ¶{last.paragraph} s{last.sentence}"
    footer = f"\n\n— {link(document.title, document.url)} {where}"
    cap = EMBED_DESCRIPTION_LIMIT
    description = _context_text(passages, focus, cap) + footer
    while len(description) > EMBED_DESCRIPTION_LIMIT and cap > 64:
        cap //= 2
        description = _context_text(passages, focus, cap) + footer
    title = shorten(f"Context: {document.title}", EMBED_TITLE_LIMIT)
    embed = discord.Embed(title=title, description=shorten(description, EMBED_DESCRIPTION_LIMIT))
    return Reply(embeds=[embed])


def _context_text(passages: Sequence[Passage], focus: Passage, cap: int) -> str:
    """Neighbours get ``cap // 2`` characters each (cut away from the quote), the quote ``cap``."""
    parts: list[str] = []
    previous: Passage | None = None
    inside = range(focus.passage_id + 1, focus.passage_id + focus.sentences)
    for passage in passages:
        if passage.passage_id in inside:
            continue  # already part of the focus quote's own text
        if previous is not None:
            parts.append("\n\n" if passage.paragraph != previous.paragraph else " ")
        text = " ".join(passage.text.split())
        if passage.passage_id == focus.passage_id:
            text = " ".join(focus.text.split())
            parts.append(f"▶ **{escape_markdown(shorten(text, cap))}**")
        elif passage.passage_id < focus.passage_id:
            parts.append(escape_markdown(shorten_left(text, cap // 2)))
        else:
            parts.append(escape_markdown(shorten(text, cap // 2)))
        previous = passage
    return "".join(parts)


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
