"""The two systems the quality benchmark compares, behind one tiny ``Searcher`` protocol.

``Verbatim`` is the product: ``CorpusIndex`` plus ``index.answering.answer``'s ranking and
abstention, the exact code path of ``answer_question``. ``PlainBM25`` is the plain baseline:
rank-bm25's ``BM25Okapi`` with default parameters over lowercase words of the *same* sentences; it
abstains only when nothing scores above zero.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
from rank_bm25 import BM25Okapi

from benchmarks.embeddings import EmbeddingCache
from index.answering.answer import (
    AnswerPolicy,
    judge,
    question_terms,
    rank_question,
    with_meaning_of,
)
from index.model import AnswerStatus, Document, Passage
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.engine import top_k
from index.retrieval.params import BM25Params
from index.retrieval.semantic import SemanticIndex, SentenceVectors
from index.text.analyzer import Analyzer


@dataclass(frozen=True, slots=True)
class Result:
    """Passage ids best first, whether the system declined to answer, and why."""

    ranked: tuple[int, ...]
    abstained: bool
    reason: str | None = None


class Searcher(Protocol):
    """Answers a question over one built corpus, optionally only from one of its documents."""

    def search(self, question: str, k: int, within: Document | None = None) -> Result: ...


@dataclass(frozen=True, slots=True)
class Config:
    """Everything that shapes the product's ranking: analyzer, BM25 parameters, answer policy."""

    name: str = "verbatim"
    params: BM25Params = BM25Params()
    policy: AnswerPolicy = AnswerPolicy()
    analyzer: Callable[[], Analyzer] = field(default=Analyzer)
    # The semantic extra: sentence vectors from this cache (``None``: off, as without the extra).
    embeddings: EmbeddingCache | None = None

    def build(self, documents: list[Document]) -> CorpusIndex:
        index = CorpusIndex(documents, analyzer=self.analyzer(), params=self.params)
        return with_vectors(index, self.embeddings)


def with_vectors(index: CorpusIndex, embeddings: EmbeddingCache | None) -> CorpusIndex:
    """``index`` with its sentences' vectors attached (int8, as the persistent index keeps them)."""
    if embeddings is not None:
        texts = [passage.text for passage in index.iter_passages()]
        vectors = SentenceVectors.quantize(embeddings.vectors(texts))
        index.semantic = SemanticIndex(vectors, embeddings)
    return index


class Verbatim:
    """The product's ranking and abstention over ``index``."""

    def __init__(self, index: CorpusIndex, policy: AnswerPolicy) -> None:
        self.index = index
        self.policy = policy

    def search(self, question: str, k: int, within: Document | None = None) -> Result:
        policy = replace(self.policy, pool=max(self.policy.pool, k))
        if within is None:
            ranking = rank_question(self.index, question, policy)
        else:
            # Same steps as rank_question, with the first stage cut to one document before the
            # re-ranking pool is taken (WikiQA with idf from every test sentence).
            terms = question_terms(self.index, question, policy)
            stage = [c for c in self.index.rank(terms, len(self.index)) if c[0].document is within]
            stage, cosines = with_meaning_of(
                self.index, question, terms, stage[: policy.depth], policy.semantic
            )
            stage = [c for c in stage if c[0].document is within]
            ranking = judge(self.index, question, terms, stage, policy, None, cosines)
        ids = tuple(passage.passage_id for passage, _ in ranking.ranked[:k])
        reason = ranking.abstention.value if ranking.abstention else None
        return Result(ids, ranking.status is not AnswerStatus.COVERED, reason)


_WORD = re.compile(r"\w+")


def plain_terms(text: str) -> list[str]:
    """The baseline's tokenizer: lowercase words (``\\w+``), no stopwords, no stemming.

    A bare ``str.split`` would keep punctuation on words ("Broncos," never matches "Broncos")
    and make the baseline weaker than anyone would build it; see the README for its figures.
    """
    return _WORD.findall(text.lower())


class PlainBM25:
    """rank-bm25 ``BM25Okapi`` with its defaults (k1=1.5, b=0.75, epsilon=0.25), lowercase words."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.bm25 = BM25Okapi([plain_terms(p.text) or [""] for p in passages])

    def search(self, question: str, k: int, within: Document | None = None) -> Result:
        scores = np.asarray(self.bm25.get_scores(plain_terms(question)), dtype=np.float64)
        if within is not None:
            mask = np.array([p.document is within for p in self.passages])
            scores = np.where(mask, scores, 0.0)
        ranked = tuple(self.passages[i].passage_id for i, _ in top_k(scores, k))
        return Result(ranked, not ranked)


def searchers(config: Config, index: CorpusIndex) -> dict[str, Searcher]:
    """The product and the baseline over the same sentences of ``index``."""
    return {
        "verbatim": Verbatim(index, config.policy),
        "baseline": PlainBM25(list(index.iter_passages())),
    }
