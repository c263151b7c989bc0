"""Open an index with its summaries' analysis ready: read back from beside it, or computed and
kept there (``index.summaries.kept``), so a new process answers ``topics`` in a second."""

from __future__ import annotations

from typing import Any

from index.storage.opener import OpenedIndex, open_index
from index.summaries.corpus_analysis import prepare
from index.summaries.kept import Keeping


def open_prepared(*args: Any, sources: bool = True, **kwargs: Any) -> OpenedIndex:
    """``open_index`` (same arguments), then ``prepare_opened``."""
    opened = open_index(*args, **kwargs)
    prepare_opened(opened, sources)
    return opened


def prepare_opened(opened: OpenedIndex, sources: bool = True) -> None:
    """Prepare the summaries' analysis of an opened index, kept in its folder when it has one
    (``sources=False``: without the ``/sources`` list and the WordNet tables, which a one-shot
    command may not need)."""
    prepare(opened.index, keeping_of(opened), sources)


def keeping_of(opened: OpenedIndex) -> Keeping | None:
    if opened.directory is None or opened.identity is None:
        return None
    return Keeping(opened.directory, opened.identity)
