"""Text helpers every output shares: what an echoed user text may not carry."""

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
