"""Whether the best sentence answers the question at all: the signals behind "not covered".

Three signals, each measured on the quality benchmark (docs/quality.md, benchmarks/README.md):

- **coverage**: the idf-weighted share of the question's distinct terms the best sentence holds.
  Off-topic questions share almost nothing with any sentence.
- **unseen name or number**: the question names something ("Biden", "1170") that no sentence of
  the corpus contains. Paraphrase changes everyday words; names and numbers are copied, so a
  missing one usually means the articles are about something else.
- **lone word**: the best sentence holds only one of the question's terms and its whole article
  no other ("what's the capital of australia" — "Andrew Cole (Australia)."). Among thousands
  of articles some sentence shares any one word; an article about the question shares more.
- **far in meaning** (the semantic extra only): the best sentence's cosine with the question
  is low; a sentence can share a word with an off-topic question, hardly its meaning.
- **negation**: the question says "not"/"never" and the best sentence does not; questions
  written to look answerable often just negate a sentence of the article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from enum import Enum

from index.answering.question import is_negated
from index.model import Passage
from index.retrieval.corpus_index import CorpusIndex
from index.text.lexicon import RelatedTerms, related_terms

# "60s", "90s": a decade the corpus may write with its century ("the 1960s").
_DECADE = re.compile(r"\d0s")


class Abstention(Enum):
    """Why the core declines to answer from its best sentence."""

    LOW_COVERAGE = "low_coverage"
    UNSEEN_NAME = "unseen_name"
    LONE_WORD = "lone_word"
    NEGATION = "negation"
    FAR_IN_MEANING = "far_in_meaning"


def coverage(
    index: CorpusIndex,
    terms: Sequence[str],
    passage: Passage,
    alias: Mapping[str, frozenset[str]] | None = None,
    own: AbstractSet[str] | None = None,
) -> float:
    """Share of the question's idf weight that ``passage`` contains (0..1); a term counts as
    present when an acronym or long form standing for it is (``alias``). ``own``: the
    passage's terms (``own_terms``) when the caller has them."""
    present = own_terms(index, passage) if own is None else own
    alias = alias or {}
    weights = {term: index.idf(term) for term in terms}
    total = sum(weights.values())
    held = sum(
        w
        for t, w in weights.items()
        if t in present or not alias.get(t, frozenset()).isdisjoint(present)
    )
    return held / total if total else 0.0


def unseen_names(
    index: CorpusIndex, question: str, alias: Mapping[str, frozenset[str]] | None = None
) -> list[str]:
    """Terms of the question's names and numbers that no passage of ``index`` contains.

    A name is a capitalized word after the first one; in an all-capitals question nothing is.
    A name the corpus writes another way is seen: an acronym or long form standing for it
    (``alias``: "the FA" / "Football Association"), a decade with its century ("60s" /
    "1960s"). Two-digit years stay unseen: "in 99" may be 1999 or a count.
    """
    shouting = question.isupper()
    alias = alias or {}
    found = []
    for token in index.analyzer.tokens(question, remember=False):
        raw = question[token.start : token.end]
        is_name = not shouting and token.start > 0 and raw[:1].isupper()
        if not (is_name or any(char.isdigit() for char in raw)):
            continue
        spellings = {token.term, *alias.get(token.term, ())}
        if _DECADE.fullmatch(raw):
            centuries = (index.analyzer.term(c + raw, remember=False) for c in ("19", "20"))
            spellings |= {term for term in centuries if term}
        if all(index.doc_freq(term) == 0 for term in spellings):
            found.append(token.term)
    return found


def lone_word(
    index: CorpusIndex,
    terms: Sequence[str],
    passage: Passage,
    alias: Mapping[str, frozenset[str]] | None = None,
    own: AbstractSet[str] | None = None,
) -> bool:
    """The question has two terms or more, ``passage`` holds one of them, and no other sentence
    of its article (nor its title) holds another. A word WordNet relates to a term either way
    ("froze" / "freeze", "fled" / "flee"; ``index.text.lexicon``) counts as the term, and so
    does an acronym or long form standing for it (``alias``: "IMF" / "International Monetary
    Fund"). ``own``: the passage's terms (``own_terms``) when the caller has them."""
    if len(terms) < 2:
        return False
    table = related_terms(index.analyzer)
    alias = alias or {}
    forms = {term: table.of(term) | {term} | alias.get(term, frozenset()) for term in terms}
    own = own_terms(index, passage) if own is None else own
    # Two terms held as they are settle it without the sentence's related words (most do).
    if sum(not forms[term].isdisjoint(own) for term in set(terms)) > 1:
        return False
    found = _held(table, terms, forms, own)
    if len(found) != 1:
        return False
    # The title's terms and every sentence's, read from the forward index (nothing analyzed).
    article = set(index.analyzer.terms(passage.document.title))
    article |= index.range_terms(*index.document_span(passage.passage_id))
    return _holds_only(table, terms, forms, article, next(iter(found)))


def _held(
    table: RelatedTerms,
    terms: Sequence[str],
    forms: Mapping[str, frozenset[str]],
    own: AbstractSet[str],
) -> set[str]:
    """The ``terms`` that ``own`` holds: one of a term's ``forms``, or a word related to it."""
    back = set().union(*map(table.of, own))
    return {term for term in terms if term in back or not forms[term].isdisjoint(own)}


def _holds_only(
    table: RelatedTerms,
    terms: Sequence[str],
    forms: Mapping[str, frozenset[str]],
    own: AbstractSet[str],
    only: str,
) -> bool:
    """``_held(table, terms, forms, own) == {only}``, reading the related words of ``own``'s
    terms (an article's hundreds) only when no other term's own form settles it first (an
    article about the question mostly holds a second question term as it is)."""
    others = {term for term in terms if term != only}
    if any(not forms[term].isdisjoint(own) for term in others):
        return False
    held = not forms[only].isdisjoint(own)
    for term in own:
        related = table.of(term)
        if related:
            if not related.isdisjoint(others):
                return False
            held = held or only in related
    return held


def negation_mismatch(question: str, passage: Passage) -> bool:
    """The question is negated and the sentence is not."""
    return is_negated(question) and not is_negated(passage.text)


def own_terms(index: CorpusIndex, passage: Passage) -> set[str]:
    """``set(index.terms_of(passage))``, read from the forward index for one sentence (the
    coverage and lone-word tests of one answer read the same best sentence's)."""
    if passage.sentences == 1:
        return index.term_set(passage.passage_id)
    return set(index.terms_of(passage))
