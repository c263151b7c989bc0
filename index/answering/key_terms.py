"""A question's key terms, without an index: what tells two phrasings of one question apart.

The editors' report groups the questions the articles did not cover when they ask about the same
thing ("who won the election?", "election winner?"): the terms are the answering pipeline's own
(asking phrases stripped, then the one analyzer), so grouping agrees with what retrieval matched.
"""

from __future__ import annotations

from functools import lru_cache

from index.answering.question import strip_asking, without_chat_markup
from index.text.analyzer import Analyzer


@lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return Analyzer()


def key_terms(question: str) -> frozenset[str]:
    """The distinct analyzed terms of ``question`` that are not asking words."""
    text = strip_asking(without_chat_markup(question))
    return frozenset(_analyzer().terms(text, remember=False))
