"""Whether the best sentence answers the question at all: the signals behind "not covered".

Three signals, each measured on the quality benchmark (docs/quality.md, benchmarks/README.md):

- **coverage**: the idf-weighted share of the question's distinct terms the best sentence holds.
  Off-topic questions share almost nothing with any sentence.
- **unseen name or number**: the question names something ("Biden", "1170") that no sentence of
  the corpus contains. Paraphrase changes everyday words; names and numbers are copied, so a
  missing one usually means the articles are about something else.
- **negation**: the question says "not"/"never" and the best sentence does not; questions
  written to look answerable often just negate a sentence of the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from index.answering.question import is_negated
from index.model import Passage
from index.retrieval.corpus_index import CorpusIndex


class Abstention(Enum):
    """Why the core declines to answer from its best sentence."""

    LOW_COVERAGE = "low_coverage"
    UNSEEN_NAME = "unseen_name"
    NEGATION = "negation"


def coverage(index: CorpusIndex, terms: Sequence[str], passage: Passage) -> float:
    """Share of the question's idf weight that ``passage`` contains (0..1)."""
    present = set(index.terms_of(passage))
    weights = {term: index.idf(term) for term in terms}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in present) / total if total else 0.0


def unseen_names(index: CorpusIndex, question: str) -> list[str]:
    """Terms of the question's names and numbers that no passage of ``index`` contains.

    A name is a capitalized word after the first one; in an all-capitals question nothing is.
    """
    shouting = question.isupper()
    found = []
    for token in index.analyzer.tokens(question, remember=False):
        raw = question[token.start : token.end]
        is_name = not shouting and token.start > 0 and raw[:1].isupper()
        if (is_name or any(char.isdigit() for char in raw)) and index.doc_freq(token.term) == 0:
            found.append(token.term)
    return found


def negation_mismatch(question: str, passage: Passage) -> bool:
    """The question is negated and the sentence is not."""
    return is_negated(question) and not is_negated(passage.text)
