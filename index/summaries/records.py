"""What a summary is (its records, length bounds and topic list bounds), apart from how one is made.

Kept light (no numpy, no analysis) so the front ends can read the bounds and render summaries
without importing the summarizer itself (``summarizer`` re-exports all of these).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from index.model import Document, Passage, Quote

MIN_LENGTH, MAX_LENGTH, DEFAULT_LENGTH = 3, 6, 5
DEFAULT_TOPICS = 15
MAX_TOPICS = 100  # a longer list stops being a list of main topics


class SummaryMode(Enum):
    """How a topic summary is laid out."""

    GIST = "gist"  # the most central sentences, in article order
    TIMELINE = "timeline"  # grouped by article, oldest published first
    COMPARE = "compare"  # one sentence per article covering the topic


class SummaryStatus(Enum):
    """Why a summary looks the way it does; adapters pick their wording from it."""

    COVERED = "covered"
    NOT_COVERED = "not_covered"  # the topic is not in the articles (suggestions say what is)
    UNRECOGNIZED = "unrecognized"  # the topic has no words to look up ("the", "???")
    UNKNOWN_ARTICLE = "unknown_article"  # no single article matches (suggestions list titles)
    NONE_SINCE = "none_since"  # no article in scope is dated on or after ``since``


@dataclass(frozen=True, slots=True)
class SummaryItem:
    """One quoted sentence and the other articles that carry it (nearly) verbatim."""

    quote: Quote
    also_in: tuple[Passage, ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    """Quoted sentences in article order, or a status explaining why there are none."""

    status: SummaryStatus
    topic: str | None = None
    article: Document | None = None
    items: tuple[SummaryItem, ...] = ()
    suggestions: tuple[str, ...] = field(default=())
    articles_in_scope: int = 0
    since: datetime | None = None
    mode: SummaryMode = SummaryMode.GIST

    @property
    def covered(self) -> bool:
        return self.status is SummaryStatus.COVERED
