"""Stories: articles clustered by what they say, so a corpus summary covers each story once.

Each article is the sum of its sentence vectors cut to its ``KEY_TERMS`` heaviest terms (what it
is about, not every word it uses), normalized. Two articles tell one story when their cosine is
at least ``SAME_STORY``; stories are the connected groups (union-find, closest pairs first, up to
``MAX_STORY`` articles: in an archive, chains of loosely similar match reports would otherwise
make one 900-article "story"). Pairs are found through
the key terms they share, skipping terms that are key to too many articles, so the work stays
near linear in the corpus size instead of comparing every pair; it is done in numpy arrays
(19,000 articles in a few seconds).

A story is ranked by how many articles tell it, then by how connected its articles are to the
rest of the corpus (a one-off the others keep touching on, like the tsunami in news of 2005,
before an isolated one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from index.summaries.similarity import Floats, Rows, SentenceVectors

KEY_TERMS = 30
SAME_STORY = 0.25  # cosine of two articles' key terms from which they tell one story
RELATED = 0.2  # just below one story: a follow-up told from another side
MAX_STORY = 20  # articles; closest pairs are joined first, and no story grows past this
MAX_SHARED = 0.05  # terms key to more than this share of the articles link nothing...
MIN_SHARED, MOST_SHARED = 50, 200  # ... but the limit is never below 50 articles nor above 200


@dataclass(frozen=True, slots=True)
class Story:
    """Articles (document ids, corpus order) telling one story, and its ranking weight."""

    documents: tuple[int, ...]
    connected: float


@dataclass(frozen=True, slots=True, eq=False)
class StoryMap:
    """The corpus's stories best first, and the cosine of each pair of related articles (as
    sorted keys ``a * width + b`` for ``a < b``, and their cosines)."""

    stories: tuple[Story, ...]
    pairs: Rows
    cosines: Floats
    width: int

    def related(self, a: Story, b: Story) -> float:
        """The highest cosine between an article of ``a`` and one of ``b``."""
        x = np.asarray(a.documents, dtype=np.int64)[:, None]
        y = np.asarray(b.documents, dtype=np.int64)[None, :]
        keys = (np.minimum(x, y) * self.width + np.maximum(x, y)).ravel()
        hits = np.searchsorted(self.pairs, keys)
        inside = hits < self.pairs.size
        matched = hits[inside][self.pairs[hits[inside]] == keys[inside]]
        return float(self.cosines[matched].max()) if matched.size else 0.0


def find_stories(vectors: SentenceVectors, documents: Mapping[int, tuple[int, int]]) -> StoryMap:
    """Cluster the articles (``documents``: doc id -> (first row, end row)) into stories."""
    width = max(documents, default=-1) + 1
    doc_of = np.full(len(vectors), -1, dtype=np.int64)
    for doc, (first, end) in documents.items():
        doc_of[first:end] = doc
    pairs, cosines = _similar_pairs(*_key_terms(vectors, doc_of), width, len(documents))
    parent = list(range(width))

    def root(doc: int) -> int:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    size = [1] * width
    linked = np.flatnonzero(cosines >= SAME_STORY)
    for key in pairs[linked[np.argsort(-cosines[linked], kind="stable")]].tolist():
        a, b = (root(doc) for doc in divmod(key, width))
        if a != b and size[a] + size[b] <= MAX_STORY:
            parent[b] = a
            size[a] += size[b]
    roots = np.asarray([root(doc) for doc in range(width)], dtype=np.int64)
    groups: dict[int, list[int]] = defaultdict(list)
    for doc in sorted(documents):
        groups[int(roots[doc])].append(doc)
    left, right = roots[pairs // width], roots[pairs % width]
    across = left != right
    connected = np.bincount(left[across], weights=cosines[across], minlength=width)
    connected += np.bincount(right[across], weights=cosines[across], minlength=width)
    stories = [Story(tuple(docs), round(float(connected[r]), 9)) for r, docs in groups.items()]
    stories.sort(key=lambda s: (-len(s.documents), -s.connected, s.documents))
    return StoryMap(tuple(stories), pairs, cosines, width)


def _key_terms(vectors: SentenceVectors, doc_of: Rows) -> tuple[Rows, Rows, Floats]:
    """Each article's ``KEY_TERMS`` heaviest terms, weights normalized per article: parallel
    arrays (article, term, weight)."""
    lengths = np.diff(vectors.offsets)
    docs = np.repeat(doc_of, lengths)
    width = len(vectors.vocabulary) + 1
    unique, inverse = np.unique(docs * width + vectors.term_ids, return_inverse=True)
    weights = np.bincount(inverse, weights=vectors.weights)
    doc, term = unique // width, unique % width
    order = np.lexsort((term, -weights, doc))
    doc, term, weights = doc[order], term[order], weights[order]
    starts = np.flatnonzero(np.diff(doc, prepend=-1))
    rank = np.arange(doc.size) - np.repeat(starts, np.diff(np.append(starts, doc.size)))
    keep = (rank < KEY_TERMS) & (weights > 0) & (doc >= 0)
    doc, term, weights = doc[keep], term[keep], weights[keep]
    norms = np.sqrt(np.bincount(doc, weights=weights * weights))
    return doc, term, weights / norms[doc]


def _similar_pairs(
    doc: Rows, term: Rows, weight: Floats, width: int, articles: int
) -> tuple[Rows, Floats]:
    """Cosine of every pair of articles sharing a key term (one key to few enough articles),
    kept from ``RELATED / 2``: sorted pair keys and their cosines."""
    order = np.lexsort((doc, term))
    doc, term, weight = doc[order], term[order], weight[order]
    starts = np.flatnonzero(np.diff(term, prepend=-1))
    sizes = np.diff(np.append(starts, term.size))
    limit = min(MOST_SHARED, max(MIN_SHARED, int(MAX_SHARED * articles)))
    keys, products = [], []
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        if 2 <= size <= limit:
            i, j = np.triu_indices(size, 1)
            keys.append(doc[start + i] * width + doc[start + j])
            products.append(weight[start + i] * weight[start + j])
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    cosines = np.bincount(inverse, weights=np.concatenate(products))
    kept = cosines >= RELATED / 2
    return np.asarray(unique[kept], dtype=np.int64), np.asarray(cosines[kept], dtype=np.float64)


def story_rows(story: Story, documents: Mapping[int, tuple[int, int]]) -> Rows:
    """The passage ids of a story's articles, ascending."""
    parts = [np.arange(*documents[doc], dtype=np.int64) for doc in story.documents]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
