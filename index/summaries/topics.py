"""The corpus's main topics and topic autocompletion (public API over
``index.summaries.keyphrases``).

Topics are extracted once per index (``index.summaries.corpus_analysis``), so ``/topics`` and every
autocomplete keystroke only read a ready list.
"""

from __future__ import annotations

from index.retrieval.corpus_index import CorpusIndex
from index.summaries.corpus_analysis import analysis_of
from index.summaries.keyphrases import Topic
from index.summaries.records import DEFAULT_TOPICS, MAX_TOPICS
from index.text.analyzer import normalize_word

__all__ = ["DEFAULT_TOPICS", "MAX_TOPICS", "Topic", "complete_topic", "corpus_topics"]

MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices
_COMPLETION_POOL = 2_000


def corpus_topics(index: CorpusIndex, limit: int = DEFAULT_TOPICS) -> list[Topic]:
    """The ``limit`` most important topics of the corpus, most important first."""
    return list(analysis_of(index).topics[: max(limit, 0)])


def complete_topic(index: CorpusIndex, prefix: str, limit: int = MAX_CHOICES) -> list[str]:
    """Topic phrases for what the user has typed so far, best first.

    Phrases starting with ``prefix`` come first, then phrases with a later word starting with it
    ("fleet" → "shadow fleet"); matching ignores case and accents. An empty prefix gives the top
    topics.
    """
    wanted = _fold(prefix)
    topics = analysis_of(index).topics[:_COMPLETION_POOL]
    if not wanted:
        return [topic.phrase for topic in topics[:limit]]
    starts, inner = [], []
    for topic in topics:
        phrase = _fold(topic.phrase)
        if phrase.startswith(wanted):
            starts.append(topic.phrase)
        elif any(word.startswith(wanted) for word in phrase.split()[1:]):
            inner.append(topic.phrase)
    return (starts + inner)[: max(limit, 0)]


def _fold(text: str) -> str:
    return " ".join(normalize_word(word) for word in text.split())
