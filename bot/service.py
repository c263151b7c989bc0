"""The one place every front end calls for what it shows: answers, summaries, topics, sources.

The CLI, its shell and the Discord cogs all go through here, so a bound (how many quotes, how
long a summary) is checked once, with the same words, whatever asked.
"""

from __future__ import annotations

from index import LiveIndex


def served_counts(live: LiveIndex) -> tuple[int, int]:
    """Articles and sentences served now (a helper, so no caller keeps the index alive)."""
    index = live.current
    return len(index.documents), len(index)
