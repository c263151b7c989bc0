"""The one place every front end calls for what it shows: answers, summaries, topics, sources.

The CLI, its shell and the Discord cogs all go through here, so each bound (how many quotes, how
long a summary, how many topics) is read from the core once and checked once, with the same
words whatever asked. A value out of bounds is a ``UsageError`` naming the bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from index import (
    DEFAULT_TOPICS,
    MAX_TOP,
    MAX_TOPICS,
    SUMMARY_DEFAULT_LENGTH,
    SUMMARY_MAX_LENGTH,
    SUMMARY_MIN_LENGTH,
    SummaryMode,
    UsageError,
    answer_followup,
    answer_question,
    list_sources,
    parse_since,
)

if TYPE_CHECKING:
    from datetime import datetime

    from bot.settings import Settings
    from index import (
        Answer,
        AnswerPolicy,
        CorpusIndex,
        Fetcher,
        LiveIndex,
        SourceInfo,
        Summary,
        Topic,
    )


@dataclass(frozen=True, slots=True)
class Bound:
    """An inclusive range of whole numbers a front end accepts, with the name it goes by."""

    name: str
    low: int
    high: int

    def describe(self) -> str:
        return f"{self.name} must be a whole number from {self.low} to {self.high}"

    def check(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise UsageError(self.describe())
        return value


TOP = Bound("top", 1, MAX_TOP)
SUMMARY_LENGTH = Bound("length", SUMMARY_MIN_LENGTH, SUMMARY_MAX_LENGTH)
TOPICS_LIMIT = Bound("limit", 1, MAX_TOPICS)
DEFAULT_SUMMARY_LENGTH = SUMMARY_DEFAULT_LENGTH


def policy(settings: Settings, top: int | None = None) -> AnswerPolicy:
    """The answer policy of ``settings``, showing ``top`` quotes (default: ``top_k``)."""
    return settings.answer_policy(None if top is None else TOP.check(top))


def ask(
    index: CorpusIndex, question: str, policy: AnswerPolicy, earlier: str | None = None
) -> Answer:
    """The answer to ``question`` under ``policy`` (from ``policy(settings, top)``); as a
    follow-up to the ``earlier`` question when there is one (its terms weighted lower)."""
    if earlier:
        return answer_followup(index, question, earlier, policy)
    return answer_question(index, question, policy)


def summary(
    index: CorpusIndex,
    settings: Settings,
    topic: str | None = None,
    article: str | None = None,
    length: int | None = None,
    since: str | None = None,
    mode: SummaryMode = SummaryMode.GIST,
) -> Summary:
    """The summary of everything, of a ``topic`` or of one ``article``; with ``since`` (``7d``,
    ``12h``, ``2w`` or ``2024-03-01``), of the articles published since then; a topic's as
    ``mode``: its gist, a timeline or side by side."""
    length = settings.summary_length if length is None else SUMMARY_LENGTH.check(length)
    cutoff = None
    if since:
        try:
            cutoff = parse_since(since)
        except ValueError as exc:
            raise UsageError(f"since: {exc}") from exc
    topic, article = topic or None, article or None
    return summarize(index, topic=topic, article=article, length=length, since=cutoff, mode=mode)


def summarize(
    index: CorpusIndex,
    topic: str | None,
    article: str | None,
    length: int,
    since: datetime | None,
    mode: SummaryMode,
) -> Summary:
    """The core's ``summarize``, imported when first asked for (a one-shot ``ask`` never is)."""
    from index import summarize as core

    return core(index, topic=topic, article=article, length=length, since=since, mode=mode)


def topics(index: CorpusIndex, limit: int | None = None) -> list[Topic]:
    """The corpus's main topics, most important first."""
    from index import corpus_topics

    return corpus_topics(index, DEFAULT_TOPICS if limit is None else TOPICS_LIMIT.check(limit))


def sources(index: CorpusIndex) -> list[SourceInfo]:
    """Every article served, in corpus order, with its counts."""
    return list_sources(index)


def served_counts(live: LiveIndex) -> tuple[int, int]:
    """Articles and sentences served now (a helper, so no caller keeps the index alive)."""
    index = live.current
    return len(index.documents), len(index)


def fetcher(settings: Settings, public_only: bool = False) -> Fetcher:
    """The polite fetcher these settings describe, for imports and feed pulls (CLI and bot);
    ``public_only`` for URLs that someone other than the operator chose (``/import``)."""
    from index import Fetcher

    return Fetcher(
        timeout=settings.fetch_timeout, host_delay=settings.fetch_delay, public_only=public_only
    )
