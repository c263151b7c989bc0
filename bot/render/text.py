"""Text helpers every output shares: what an echoed user text may not carry, and how a long
text is cut (Discord's limits, the earlier question a follow-up repeats)."""

from __future__ import annotations

import re

# Characters that show nothing yet reorder or hide what follows: bidi embeddings, overrides and
# isolates, directional marks, zero-width spaces and joiners, the word joiner and a stray BOM.
# Echoed back, "\u202e" makes a question read backwards and a zero-width space hides a word.
_INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean_echo(text: str) -> str:
    """User text as the bot repeats it: without invisible characters (``_INVISIBLE``). Quotes
    are never cleaned: they are the article's own characters."""
    return _INVISIBLE.sub("", text)


ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s")
_SPACE = re.compile(r"\s")
# How much of the earlier question a follow-up's answer repeats ("Following up on: …").
FOLLOWED_LIMIT = 150


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a sentence end, else a word boundary."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    window = text[: limit - len(ELLIPSIS) + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends and ends[-1] > limit // 2:
        return window[: ends[-1]].rstrip() + " " + ELLIPSIS
    spaces = [m.start() for m in _SPACE.finditer(window)]
    cut = spaces[-1] if spaces and spaces[-1] > 0 else limit - len(ELLIPSIS)
    return window[:cut].rstrip() + ELLIPSIS


def shorten_left(text: str, limit: int) -> str:
    """Keep the end of ``text`` (at most ``limit`` characters), starting at a word boundary."""
    if len(text) <= limit:
        return text
    window = text[len(text) - limit + len(ELLIPSIS) - 1 :]
    space = _SPACE.search(window)
    start = space.end() if space and space.end() < len(window) else 1
    return ELLIPSIS + window[start:].lstrip()


def followed_question(earlier: str) -> str:
    """The earlier question a follow-up answers, as every front end repeats it: on one line,
    without invisible characters, at most ``FOLLOWED_LIMIT`` characters."""
    return shorten(" ".join(clean_echo(earlier).split()), FOLLOWED_LIMIT)
