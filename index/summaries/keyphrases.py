"""Key phrase extraction: the corpus's main topics, computed once from every sentence.

Each candidate phrase (``index.summaries.phrases``) gets true counts (sentences and articles that
mention it) and a score: the mentions weighted by how central their sentences are, boosted for names
(a phrase capitalized where capitals are not forced by the sentence start, as YAKE does) and for
multi-word phrases, and for spreading over many articles. Four filters keep the list clean:

- a phrase found only inside a longer one ("Korea" in "North Korea") is that longer phrase;
- a phrase whose last word is mostly a modifier ("military" in "military aid") is not a topic;
- a longer name ending in a more frequent one ("Volodymyr Zelensky" / "Zelensky") is an alias;
- a verb next to a name ("aiding Russian forces") is not a phrase (a cheap stand-in for tagging).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from index.pacing import paced
from index.retrieval.corpus_index import CorpusIndex
from index.summaries.phrases import MAX_WORDS, clean_surface, sentence_runs

PROPER_BOOST = 1.5
LENGTH_BOOST = 0.5
MAX_KEPT = 5_000
NAME_MODIFIER = 0.75  # a name followed by another word this often is an adjective ("Russian")
NAME_SHARE = 0.9  # a word capitalized this often mid-sentence is a name ("Zelensky")
# Passages; below this a phrase mentioned once may still be a topic (but never a three-word one:
# those are mostly chance runs like "shadow fleet reflect"; they still absorb their parts).
SMALL_CORPUS = 200


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic phrase as the text writes it, its stems, true counts and ranking score."""

    phrase: str
    terms: tuple[str, ...]
    sentences: int
    articles: int
    score: float


# One occurrence: raw spelling, capitalized, at the sentence start, followed by another word,
# passage id, document id, the sentence's centrality.
_Occurrence = tuple[str, bool, bool, bool, int, int, float]


class _Stats:
    """Running counts for one candidate phrase (slots: there are many of these)."""

    __slots__ = (
        "articles",
        "capitalized",
        "eligible",
        "followed",
        "last_doc",
        "last_row",
        "occurrences",
        "sentences",
        "spellings",
        "weight",
    )

    def __init__(self) -> None:
        self.occurrences = self.sentences = self.articles = 0
        self.capitalized = self.eligible = self.followed = 0
        self.last_row = self.last_doc = -1
        self.weight = 0.0
        # (spelling, at a sentence start, followed by another word) -> occurrences
        self.spellings: dict[tuple[str, bool, bool], int] = {}

    def add(self, occurrence: _Occurrence) -> None:
        spelling, capitalized, initial, followed, row, doc, centrality = occurrence
        self.occurrences += 1
        self.followed += followed
        if row != self.last_row:
            self.sentences += 1
            self.weight += 1.0 + centrality
            self.last_row = row
        if doc != self.last_doc:
            self.articles += 1
            self.last_doc = doc
        if not initial:
            self.eligible += 1
            self.capitalized += capitalized
        key = (spelling, initial, followed)
        self.spellings[key] = self.spellings.get(key, 0) + 1

    @property
    def proper(self) -> float:
        return self.capitalized / self.eligible if self.eligible else 0.0

    def surface(self) -> str:
        """The spelling to show: the most frequent where the phrase is not a modifier, then the
        most frequent overall (ignoring case); capitalized only if the phrase is a name.

        "Russia" rather than "Russian" when an analyzer folds demonyms; "North Korea" rather
        than "North Korean (troops)". A sentence's forced first capital is undone for non-names.
        """
        name = self.proper > 0.5
        heads: dict[str, int] = {}
        counts: dict[str, int] = {}
        for (raw, initial, followed), count in self.spellings.items():
            spelling = clean_surface(raw)
            if initial and not name:
                spelling = spelling[:1].lower() + spelling[1:]
            counts[spelling] = counts.get(spelling, 0) + count
            heads[spelling] = heads.get(spelling, 0) + (0 if followed else count)
        folded: dict[str, tuple[int, int]] = {}
        for spelling in counts:
            h, c = folded.get(spelling.casefold(), (0, 0))
            folded[spelling.casefold()] = (h + heads[spelling], c + counts[spelling])
        best = min(folded, key=lambda f: (-folded[f][0], -folded[f][1], f))
        variants = [spelling for spelling in counts if spelling.casefold() == best]
        return min(variants, key=lambda s: (s[:1].isupper() != name, -counts[s], s))


def extract_topics(index: CorpusIndex, centrality: Sequence[float]) -> tuple[Topic, ...]:
    """All topics of ``index`` best first (at most ``MAX_KEPT``), deterministic for a corpus."""
    minimum = 1 if len(index) < SMALL_CORPUS else 2
    stats = _count(index, centrality, singles=minimum == 1)
    kept = {
        terms: s
        for terms, s in stats.items()
        if s.sentences >= minimum and not _is_modifier(terms, stats)
    }
    kept = _drop_subsumed(kept)
    kept = {terms: s for terms, s in kept.items() if len(terms) < MAX_WORDS or s.sentences > 1}
    kept = _drop_aliases(kept)
    topics = [_topic(terms, s) for terms, s in kept.items()]
    topics = [topic for topic in topics if not _verb_and_name(topic.phrase)]
    topics.sort(key=lambda t: (-t.score, t.phrase.casefold(), t.terms))
    return tuple(topics[:MAX_KEPT])


def _count(
    index: CorpusIndex, centrality: Sequence[float], singles: bool
) -> dict[tuple[str, ...], _Stats]:
    """Counts for every phrase seen twice or more (and, if ``singles``, once).

    This pass sees every window of every run, so it works on plain tuples. Most candidates of a
    large corpus occur once; holding those as their one occurrence, not as a full ``_Stats``,
    keeps it fast and small.
    """
    stats: dict[tuple[str, ...], _Stats] = {}
    seen_once: dict[tuple[str, ...], _Occurrence] = {}
    for passage in paced(index.iter_passages()):
        text, row, doc = passage.text, passage.passage_id, passage.document.doc_id
        weight = float(centrality[row])
        for run in sentence_runs(text, index.analyzer):
            size = len(run.terms)
            for first in range(size):
                capitalized = True
                for last in range(first, min(first + MAX_WORDS, size)):
                    capitalized = capitalized and run.capitals[last]
                    key = run.terms[first : last + 1]
                    spelling = text[run.starts[first] : run.ends[last]]
                    initial = run.opens and first == 0
                    occurrence = (spelling, capitalized, initial, last + 1 < size, row, doc, weight)
                    entry = stats.get(key)
                    if entry is None:
                        once = seen_once.pop(key, None)
                        if once is None:
                            seen_once[key] = occurrence
                            continue
                        entry = stats[key] = _Stats()
                        entry.add(once)
                    entry.add(occurrence)
    for terms, once in seen_once.items() if singles else ():
        stats[terms] = _Stats()
        stats[terms].add(once)
    return stats


def _is_modifier(terms: tuple[str, ...], stats: dict[tuple[str, ...], _Stats]) -> bool:
    """True when the phrase's last word is mostly followed by another word (an adjective).

    A name must be followed nearly always (a demonym like "Russian"): "Russia" stays a topic even
    when an analyzer folds "Russian forces" into it.
    """
    last = stats[terms[-1:]]
    share = NAME_MODIFIER if last.proper > 0.5 else 0.5
    return last.followed > share * last.occurrences


def _drop_subsumed(kept: dict[tuple[str, ...], _Stats]) -> dict[tuple[str, ...], _Stats]:
    subsumed: set[tuple[str, ...]] = set()
    for terms, s in kept.items():
        for size in range(1, len(terms)):
            for first in range(len(terms) - size + 1):
                part = terms[first : first + size]
                inner = kept.get(part)
                if inner is not None and inner.occurrences <= s.occurrences:
                    subsumed.add(part)
    return {terms: s for terms, s in kept.items() if terms not in subsumed}


def _drop_aliases(kept: dict[tuple[str, ...], _Stats]) -> dict[tuple[str, ...], _Stats]:
    def is_alias(terms: tuple[str, ...], s: _Stats) -> bool:
        short = kept.get(terms[-1:])
        return (
            len(terms) > 1
            and short is not None
            and s.proper >= 0.5
            and short.proper >= NAME_SHARE
            and short.sentences > s.sentences
        )

    return {terms: s for terms, s in kept.items() if not is_alias(terms, s)}


def _verb_and_name(phrase: str) -> bool:
    """ "aiding Russian forces", "Russia following": a verb next to a name, not a topic."""
    words = phrase.split()
    if len(words) < 2:
        return False
    verb = ("ing", "ed")
    starts = words[0].islower() and words[0].endswith(verb) and words[1][:1].isupper()
    ends = words[-1].islower() and words[-1].endswith(verb) and words[-2][:1].isupper()
    return starts or ends


def _topic(terms: tuple[str, ...], s: _Stats) -> Topic:
    boost = (1.0 + PROPER_BOOST * s.proper) * (1.0 + LENGTH_BOOST * (len(terms) - 1))
    score = boost * s.weight * (1.0 + math.log(s.articles))
    return Topic(s.surface(), terms, s.sentences, s.articles, round(score, 6))
