"""Stories: articles clustered by what they say, so a corpus summary covers each story once.

Each article is the sum of its sentence vectors cut to its ``KEY_TERMS`` heaviest terms (what it
is about, not every word it uses), normalized. Two articles tell one story when their cosine is
at least ``SAME_STORY``; stories are the connected groups (union-find). Pairs are found through
the terms they share, skipping terms found in too many articles, so the work stays near linear
in the corpus size instead of comparing every pair.

A story is ranked by how many articles tell it, then by how connected its articles are to the
rest of the corpus (a one-off the others keep touching on, like the tsunami in news of 2005,
before an isolated one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from index.summaries.similarity import Rows, SentenceVectors

KEY_TERMS = 30
SAME_STORY = 0.25  # cosine of two articles' key terms from which they tell one story
RELATED = 0.2  # just below one story: a follow-up told from another side
MAX_SHARED = 0.05  # terms in more than this share of the articles link nothing
MIN_SHARED = 50  # ... but never fewer than this many articles


@dataclass(frozen=True, slots=True)
class Story:
    """Articles (document ids, corpus order) telling one story, and its ranking weight."""

    documents: tuple[int, ...]
    connected: float


@dataclass(frozen=True, slots=True)
class StoryMap:
    """The corpus's stories best first, and each pair of related articles' cosine."""

    stories: tuple[Story, ...]
    similar: Mapping[tuple[int, int], float]

    def related(self, a: Story, b: Story) -> float:
        """The highest cosine between an article of ``a`` and one of ``b``."""
        return max(
            (
                self.similar.get((min(x, y), max(x, y)), 0.0)
                for x in a.documents
                for y in b.documents
            ),
            default=0.0,
        )


def find_stories(vectors: SentenceVectors, documents: Mapping[int, tuple[int, int]]) -> StoryMap:
    """Cluster the articles (``documents``: doc id -> (first row, end row)) into stories."""
    keys = {doc: _key_terms(vectors, first, end) for doc, (first, end) in documents.items()}
    similar = _similar_pairs(keys)
    parent = {doc: doc for doc in keys}

    def root(doc: int) -> int:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    for (a, b), cosine in similar.items():
        if cosine >= SAME_STORY:
            parent[root(b)] = root(a)
    groups: dict[int, list[int]] = defaultdict(list)
    for doc in sorted(keys):
        groups[root(doc)].append(doc)
    connected: dict[int, float] = defaultdict(float)
    for (a, b), cosine in similar.items():
        if root(a) != root(b) and cosine >= RELATED / 2:
            connected[root(a)] += cosine
            connected[root(b)] += cosine
    stories = [Story(tuple(docs), round(connected[r], 9)) for r, docs in groups.items()]
    stories.sort(key=lambda s: (-len(s.documents), -s.connected, s.documents))
    return StoryMap(tuple(stories), similar)


def _key_terms(vectors: SentenceVectors, first: int, end: int) -> dict[int, float]:
    lo, hi = int(vectors.offsets[first]), int(vectors.offsets[end])
    weights = np.bincount(
        vectors.term_ids[lo:hi], weights=vectors.weights[lo:hi], minlength=0
    ).astype(np.float64)
    if weights.size == 0:
        return {}
    top = np.argsort(-weights, kind="stable")[:KEY_TERMS]
    top = top[weights[top] > 0]
    norm = float(np.sqrt((weights[top] ** 2).sum())) or 1.0
    return {int(t): float(weights[t]) / norm for t in top}


def _similar_pairs(keys: Mapping[int, dict[int, float]]) -> dict[tuple[int, int], float]:
    """Cosine of every pair of articles sharing a key term (not too common a one)."""
    holders: dict[int, list[int]] = defaultdict(list)
    for doc, terms in keys.items():
        for term in terms:
            holders[term].append(doc)
    limit = max(MIN_SHARED, int(MAX_SHARED * len(keys)))
    dots: dict[tuple[int, int], float] = defaultdict(float)
    for term, docs in holders.items():
        if len(docs) < 2 or len(docs) > limit:
            continue
        for i, a in enumerate(docs):
            weight = keys[a][term]
            for b in docs[i + 1 :]:
                dots[(a, b) if a < b else (b, a)] += weight * keys[b][term]
    return {pair: value for pair, value in dots.items() if value >= RELATED / 2}


def story_rows(story: Story, documents: Mapping[int, tuple[int, int]]) -> Rows:
    """The passage ids of a story's articles, ascending."""
    parts = [np.arange(*documents[doc], dtype=np.int64) for doc in story.documents]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
