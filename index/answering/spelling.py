"""Typo correction of question terms against the corpus's own vocabulary.

People misspell names in chat ("ray charels", "who directd kisna", "callagan"); one misspelt
word loses the sentence, because BM25 matches terms exactly. A question term the corpus never
holds is replaced by the corpus term within a small edit distance that the most passages hold
(rapidfuzz's optimal string alignment distance, where a swap of two letters is one edit; compared
on analyzed terms, so "charel" meets "charl" of "Charles"). A term the corpus knows is never
touched, and short terms are left alone: at five letters one edit reaches too many other words.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from index.retrieval.corpus_index import CorpusIndex

# Minimum term length for one edit, and for two. Shorter terms and other first letters are
# left alone: "reset" / "rest", "dough" / "tough" are other words, not typos.
ONE_EDIT = 6
TWO_EDITS = 9


@dataclass(frozen=True, slots=True)
class Speller:
    """The corpus vocabulary grouped by length and first letter, each group in vocabulary
    order (holding no reference to the index, which the speller cache must let go when a
    reload replaces it)."""

    by_length: dict[tuple[int, str], list[str]]

    def correct(self, index: CorpusIndex, term: str) -> str:
        """``term``, or the corpus's most common term within the allowed edits when the corpus
        has no ``term`` (numbers and short terms are left as they are)."""
        if left_alone(index, term):
            return term
        # Imported here: most questions have no unknown word, and a one-shot `verbatim ask`
        # should not pay rapidfuzz's ~13 ms import for nothing.
        from rapidfuzz.distance import OSA
        from rapidfuzz.process import extract

        edits = 2 if len(term) >= TWO_EDITS else 1
        nearby = [
            word
            for length in range(len(term) - edits, len(term) + edits + 1)
            for word in self.by_length.get((length, term[0]), ())
        ]
        found = extract(term, nearby, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if not found:
            return term
        return min(found, key=lambda hit: (hit[1], -index.doc_freq(hit[0]), hit[0]))[0]


def left_alone(index: CorpusIndex, term: str) -> bool:
    """A term the corpus holds, a short one or one with a digit: never corrected."""
    return bool(index.doc_freq(term)) or len(term) < ONE_EDIT or any(c.isdigit() for c in term)


_SPELLERS: weakref.WeakKeyDictionary[CorpusIndex, Speller] = weakref.WeakKeyDictionary()


def speller(index: CorpusIndex) -> Speller:
    """The ``Speller`` of ``index``, built once (its vocabulary read on first use)."""
    found = _SPELLERS.get(index)
    if found is None:
        by_length: dict[tuple[int, str], list[str]] = {}
        for term in index.vocabulary():
            if term:
                by_length.setdefault((len(term), term[0]), []).append(term)
        found = _SPELLERS[index] = Speller(by_length)
    return found


def corrected(
    index: CorpusIndex, terms: Sequence[str], words: Mapping[str, str] | None = None
) -> list[str]:
    """``terms`` with each term the corpus does not know corrected (``Speller.correct``), else
    by one edit of the word as typed (``words``: term -> the word it came from)."""
    out = []
    for term in terms:
        # The speller groups the whole vocabulary (~50 ms at a million sentences): built only
        # for a term it may correct, which most questions do not have.
        fixed = term if left_alone(index, term) else speller(index).correct(index, term)
        if fixed == term and words and term in words and not index.doc_freq(term):
            fixed = word_fix(index, words[term]) or term
        out.append(fixed)
    return list(dict.fromkeys(out))


def word_fix(index: CorpusIndex, word: str) -> str | None:
    """The corpus term a swap of two letters of the typed ``word`` reaches (the most passages'
    first), for the swaps stemming hides: "chrages" is "charges", but its stem "chrage" is two
    edits from "charg". Same first letter, and ``ONE_EDIT`` letters at least."""
    word = word.casefold()
    if len(word) < ONE_EDIT or not word.isalpha():
        return None
    # Swaps only: a dropped, doubled or wrong letter survives stemming as one edit of the stem
    # (the speller's own test); other edits of the word measured worse on SQuAD and WikiQA.
    edits = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    analyzer = index.analyzer
    best: tuple[int, str] | None = None
    for edit in sorted(edits):
        if edit[:1] != word[:1] or edit == word:
            continue
        term = analyzer.term(edit, remember=False)
        if term is None:
            continue
        freq = index.doc_freq(term)
        if freq and (best is None or freq > best[0]):
            best = (freq, term)
    return None if best is None else best[1]
