"""Key phrase extraction: the corpus's main topics, computed once from every sentence.

Each candidate phrase (``index.summaries.phrases``) gets true counts (sentences and articles that
mention it) and a score: the mentions weighted by how central their sentences are, summed per
article as the square root (``index.summaries.names.discussion``) so several articles telling a
story outrank one repeating it, boosted for names (a phrase capitalized where capitals are not
forced by the sentence start, as YAKE does) and for multi-word phrases. Filters keep the list to
things the news is about:

- a phrase found only inside a longer one ("Korea" in "North Korea") is that longer phrase;
- a phrase whose last word is mostly a modifier ("military" in "military aid") is not a topic;
- a short name is the longer name ending in it in the articles that write that one
  ("Glazer" / "Malcolm Glazer", ``index.summaries.names``), shown in full;
- a verb next to a name ("aiding Russian forces") is not a phrase (a cheap stand-in for tagging);
- months, weekdays, numbers, years and common English words are not topics
  (``index.summaries.generic``);
- in a corpus of many articles, a topic found in more than a quarter of them is too broad to
  tell a reader anything ("US", "government" in a national newsroom).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.pacing import paced
from index.retrieval.corpus_index import CorpusIndex
from index.summaries.generic import COMMON_WORD_ZIPF, is_generic_phrase, place_terms, zipf
from index.summaries.names import NameLinker, discussion
from index.summaries.phrases import MAX_WORDS, Run, clean_surface, sentence_runs
from index.summaries.similarity import Rows

PROPER_BOOST = 0.25
LENGTH_BOOST = 0.5
MAX_KEPT = 5_000
NAME_MODIFIER = 0.75  # a name followed by another word this often is an adjective ("Russian")
NAME_SHARE = 0.9  # a word capitalized this often mid-sentence is a name ("Zelensky")
# Passages; below this a phrase mentioned once may still be a topic (but never a three-word one:
# those are mostly chance runs like "shadow fleet reflect"; they still absorb their parts).
SMALL_CORPUS = 200
PLACE_WEIGHT = 0.25  # a country or continent alone is where stories happen, not a story
HEADLINE_WEIGHT = 2.0  # an article headlined with the phrase is about it, not naming it in passing
BROAD_SHARE = 0.25  # topics in more articles than this share are too broad...
BROAD_FROM = 8  # ...once the corpus has this many articles


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic phrase as the text writes it, its stems, true counts and ranking score."""

    phrase: str
    terms: tuple[str, ...]
    sentences: int
    articles: int
    score: float
    # The stems a sentence must hold to be about the topic: ``terms``, or the short name a
    # merged topic is counted by ("glazer" for "Malcolm Glazer").
    match: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, ...]:
        return self.match or self.terms


# One occurrence: raw spelling, capitalized, at the sentence start, followed by another word,
# passage id, document id, the sentence's centrality, next to a capitalized word (in a longer name).
_Occurrence = tuple[str, bool, bool, bool, int, int, float, bool]


class _Stats:
    """Running counts for one candidate phrase (slots: there are many of these)."""

    __slots__ = (
        "articles",
        "capitalized",
        "eligible",
        "followed",
        "headlines",
        "inside",
        "last_doc",
        "last_row",
        "occurrences",
        "sentences",
        "spellings",
        "spread",
        "weight",
    )

    def __init__(self) -> None:
        self.occurrences = self.sentences = self.articles = 0
        self.capitalized = self.eligible = self.followed = self.inside = 0
        self.last_row = self.last_doc = -1
        self.weight = 0.0  # this article's sentences, weighted by centrality
        self.spread = 0.0  # sum over earlier articles of their ``discussion``
        self.headlines: frozenset[int] = frozenset()  # articles whose headline names the phrase
        # (spelling, at a sentence start, followed by another word) -> occurrences
        self.spellings: dict[tuple[str, bool, bool], int] = {}

    def add(self, occurrence: _Occurrence) -> None:
        spelling, capitalized, initial, followed, row, doc, centrality, in_name = occurrence
        self.occurrences += 1
        self.followed += followed
        self.inside += in_name
        if doc != self.last_doc:
            self.articles += 1
            self.spread += self.discussed()
            self.weight = 0.0
            self.last_doc = doc
        if row != self.last_row:
            self.sentences += 1
            self.weight += 1.0 + centrality
            self.last_row = row
        # At a sentence start only a phrase's later words show whether it is written as a name
        # ("Stan Lee said"); ``capitalized`` is about every word, so it tells just that.
        if not initial or " " in spelling:
            self.eligible += 1
            self.capitalized += capitalized
        key = (spelling, initial, followed)
        self.spellings[key] = self.spellings.get(key, 0) + 1

    def discussed(self) -> float:
        """How much the article seen last discusses the phrase: growing slower than its
        sentences, so one article saying it often counts less than several saying it."""
        return discussion(self.weight) if self.weight else 0.0

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


def extract_topics(
    index: CorpusIndex, centrality: Sequence[float], linker: NameLinker | None = None
) -> tuple[Topic, ...]:
    """All topics of ``index`` best first (at most ``MAX_KEPT``), deterministic for a corpus.

    With a ``linker``, short names are merged into the full names articles give them.
    """
    minimum = 1 if len(index) < SMALL_CORPUS else 2
    stats = _count(index, centrality, singles=minimum == 1)
    kept = {
        terms: s
        for terms, s in stats.items()
        if s.sentences >= minimum and not _is_modifier(terms, stats)
    }
    kept = {t: s for t, s in kept.items() if not is_generic_phrase(s.surface().split(), _name(s))}
    kept = _drop_subsumed(kept)
    kept = {terms: s for terms, s in kept.items() if len(terms) < MAX_WORDS or s.sentences > 1}
    longer = _longer_names(kept) if linker else {}
    places = place_terms(index.analyzer)
    merged = {full for names in longer.values() for full in names}
    broad = BROAD_SHARE * len(index.documents) if len(index.documents) >= BROAD_FROM else None
    topics = []
    for terms, s in kept.items():
        if terms in merged:
            continue  # counted with its short name, below
        candidates = [_topic(terms, s, places)]
        if linker and terms in longer:
            linked = _linked_topics(linker, terms, s, {full: kept[full] for full in longer[terms]})
            covered = sum(topic.sentences for topic in linked if topic.match)
            candidates = linked if covered >= 0.5 * s.sentences else [*linked, candidates[0]]
        for topic in candidates:
            if _verb_and_name(topic.phrase) or is_generic_phrase(topic.phrase.split(), _name(s)):
                continue
            if not topic.match and _fragment(terms, s):
                continue
            if broad is not None and topic.articles > broad:
                continue
            topics.append(topic)
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
    titled: dict[tuple[str, ...], list[int]] = {}
    last_doc = -1
    for passage in paced(index.iter_passages()):
        text, row, doc = passage.text, passage.passage_id, passage.document.doc_id
        weight = float(centrality[row])
        if doc != last_doc:
            for key in _title_phrases(passage.document.title, index):
                titled.setdefault(key, []).append(doc)
            last_doc = doc
        for run in sentence_runs(text, index.analyzer):
            size = len(run.terms)
            for first in range(size):
                capitalized = True
                for last in range(first, min(first + MAX_WORDS, size)):
                    capitalized = capitalized and run.capitals[last]
                    key = run.terms[first : last + 1]
                    spelling = text[run.starts[first] : run.ends[last]]
                    initial = run.opens and first == 0
                    in_name = (first > 0 and run.capitals[first - 1]) or (
                        last + 1 < size and run.capitals[last + 1]
                    )
                    occurrence = (
                        spelling,
                        capitalized,
                        initial,
                        last + 1 < size and not _verb_after(text, run, last + 1),
                        row,
                        doc,
                        weight,
                        in_name,
                    )
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
    for key, docs in titled.items():
        if key in stats:
            stats[key].headlines = frozenset(docs)
    return stats


def _title_phrases(title: str, index: CorpusIndex) -> set[tuple[str, ...]]:
    """Every 1-3 word phrase of a headline (to know which articles are *about* a phrase)."""
    return {
        run.terms[first:last]
        for run in sentence_runs(title, index.analyzer)
        for first in range(len(run.terms))
        for last in range(first + 1, min(first + MAX_WORDS, len(run.terms)) + 1)
    }


def _is_modifier(terms: tuple[str, ...], stats: dict[tuple[str, ...], _Stats]) -> bool:
    """True when the phrase's last word is mostly followed by another word (an adjective).

    A name must be followed nearly always (a demonym like "Russian"): "Russia" stays a topic even
    when an analyzer folds "Russian forces" into it; so must a rare lowercase noun.
    """
    last = stats[terms[-1:]]
    share = NAME_MODIFIER if last.proper > 0.5 else 0.5
    if last.followed <= share * last.occurrences:
        return False
    # A rare noun heads many compounds and is still the topic ("tsunami aid", "tsunami victims");
    # a common word so placed is an adjective ("military aid").
    rare = zipf(next(iter(last.spellings))[0]) < COMMON_WORD_ZIPF
    return not rare or last.followed > NAME_MODIFIER * last.occurrences


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


def _longer_names(
    kept: dict[tuple[str, ...], _Stats],
) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Short name -> the longer names ending in it ("glazer" -> ["malcolm glazer"]).

    Both must be names (the short one capitalized nearly always), the longer one a head, not a
    modifier ("American" in "Tampa Bay Buccaneers American football" is not a name of it).
    """
    longer: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for terms, s in kept.items():
        short = kept.get(terms[-1:])
        if (
            len(terms) > 1
            and short is not None
            and s.proper >= 0.5
            and short.proper >= NAME_SHARE
            and s.followed <= 0.5 * s.occurrences
        ):
            longer.setdefault(terms[-1:], []).append(terms)
    return longer


def _linked_topics(
    linker: NameLinker, short: tuple[str, ...], s: _Stats, names: dict[tuple[str, ...], _Stats]
) -> list[Topic]:
    """Each longer name's topic, counted with the short name's sentences in its articles; an
    article writing two of them ("Manchester United", "Shareholders United") lends the short
    name to the more frequent one only, and a name left with no article counts itself."""
    topics = []
    taken = np.zeros(0, dtype=np.int64)
    for full in sorted(names, key=lambda t: (-names[t].sentences, t)):
        rows = linker.linked(short, full, taken)
        if rows.size:
            topics.append(_merged(linker, short, full, s, names[full], rows))
            taken = np.union1d(taken, linker.doc_of[rows])
        else:
            topics.append(_topic(full, names[full]))
    return topics


def _merged(
    linker: NameLinker,
    short: tuple[str, ...],
    full: tuple[str, ...],
    s: _Stats,
    f: _Stats,
    rows: Rows,
) -> Topic:
    """The ``full`` name's topic, counted by the short name's ``rows`` in its articles."""
    boost = 1.0 + PROPER_BOOST * s.proper
    documents = set(np.unique(linker.doc_of[rows]).tolist())
    headlines = len((s.headlines & documents) | f.headlines)
    score = boost * (linker.spread(rows) + HEADLINE_WEIGHT * headlines)
    articles = len(documents)
    return Topic(f.surface(), full, int(rows.size), articles, round(score, 6), short)


# Verbs that follow a name as its predicate ("Charles died", "Lee wrote"): the name is then a
# head, not a modifier like "Russian" in "Russian forces". A cheap stand-in for tagging.
_PREDICATES = frozenset(
    """
    won lost wants wanted spoke wrote went came became took made gave met left led ran says
    told denied insisted added warned admitted claimed
    """.split()  # noqa: SIM905
)


def _verb_after(text: str, run: Run, position: int) -> bool:
    word = text[run.starts[position] : run.ends[position]]
    return word.islower() and (word.endswith("ed") or word in _PREDICATES)


def _name(s: _Stats) -> bool:
    return s.proper > 0.5


def _fragment(terms: tuple[str, ...], s: _Stats) -> bool:
    """A common word that is not a name of its own: written in lowercase too ("Union" / "trade
    union"), or mostly part of longer names ("Association" of "Football Association")."""
    if len(terms) > 1 or zipf(s.surface()) < COMMON_WORD_ZIPF:
        return False
    return s.proper < NAME_SHARE or s.inside > 0.5 * s.occurrences


def _verb_and_name(phrase: str) -> bool:
    """ "aiding Russian forces", "Russia following": a verb next to a name, not a topic."""
    words = phrase.split()
    if len(words) < 2:
        return False
    verb = ("ing", "ed")
    starts = words[0].islower() and words[0].endswith(verb) and words[1][:1].isupper()
    ends = words[-1].islower() and words[-1].endswith(verb) and words[-2][:1].isupper()
    return starts or ends


def _topic(terms: tuple[str, ...], s: _Stats, places: frozenset[str] = frozenset()) -> Topic:
    boost = (1.0 + PROPER_BOOST * s.proper) * (1.0 + LENGTH_BOOST * (len(terms) - 1))
    if len(terms) == 1 and terms[0] in places:
        boost *= PLACE_WEIGHT
    score = boost * (s.spread + s.discussed() + HEADLINE_WEIGHT * len(s.headlines))
    return Topic(s.surface(), terms, s.sentences, s.articles, round(score, 6))
