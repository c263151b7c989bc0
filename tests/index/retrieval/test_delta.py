"""Postings updated in place for changed passages rank exactly like postings built afresh."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pytest

from index.retrieval import delta, sparse_engine
from index.retrieval.delta import NeedsFullBuild, NewRows, updated_postings
from index.retrieval.engine import ReferenceEngine, top_k
from index.retrieval.forward import ForwardBuilder, ForwardIndex, narrowest
from index.retrieval.params import BM25Params, Variant
from index.retrieval.sparse_engine import SparseEngine
from index.retrieval.weights import Postings, exact_weights, postings_of

Doc = list[list[str]]  # a document: its passages' terms


@dataclass
class State:
    """An index as a partial rebuild leaves it: stable term ids, updated postings."""

    docs: list[Doc]
    forward: ForwardIndex
    postings: Postings


def random_doc(rng: random.Random, words: list[str], weights: list[float]) -> Doc:
    passages = []
    for _ in range(rng.randint(1, 6)):
        terms = rng.choices(words, weights, k=rng.randint(0, 14))
        if rng.random() < 0.2:  # words no earlier passage had
            terms.append(f"new{rng.randint(0, 10**6)}")
        passages.append(terms)
    return passages


def stable_forward(vocabulary: tuple[str, ...], docs: list[Doc]) -> ForwardIndex:
    builder = ForwardBuilder.continuing(vocabulary)
    for doc in docs:
        for terms in doc:
            builder.add(terms)
    return builder.build()


def start(
    seed: int, params: BM25Params, documents: int = 300
) -> tuple[State, random.Random, list[str], list[float]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(250)]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    docs = [random_doc(rng, words, weights) for _ in range(documents)]
    forward = stable_forward((), docs)
    return State(docs, forward, postings_of(forward, params)), rng, words, weights


def edit(
    state: State,
    rng: random.Random,
    words: list[str],
    weights: list[float],
    params: BM25Params,
    rate: float = 0.05,
) -> State:
    """Drop, replace and insert documents at random; apply it with ``updated_postings``."""
    plan: list[int | Doc] = []  # an old document's index, or a fresh document
    for i in range(len(state.docs)):
        if rng.random() < rate:
            plan.append(random_doc(rng, words, weights))
        roll = rng.random()
        if roll < rate:
            continue
        plan.append(random_doc(rng, words, weights) if roll < 2 * rate else i)
    starts = np.cumsum([0] + [len(d) for d in state.docs])
    remap = np.full(int(starts[-1]), -1, dtype=np.int32)
    docs: list[Doc] = []
    fresh_ids: list[int] = []
    builder = ForwardBuilder.continuing(state.forward.vocabulary)
    position = 0
    for item in plan:
        doc = state.docs[item] if isinstance(item, int) else item
        if isinstance(item, int):
            lo = int(starts[item])
            remap[lo : lo + len(doc)] = np.arange(position, position + len(doc))
        else:
            for offset, terms in enumerate(doc):
                builder.add(terms)
                fresh_ids.append(position + offset)
        docs.append(doc)
        position += len(doc)
    fresh = builder.build()
    forward = stable_forward(state.forward.vocabulary, docs)
    assert forward.vocabulary == fresh.vocabulary
    rows = np.repeat(np.asarray(fresh_ids, dtype=np.int32), np.diff(fresh.row_ptr))
    new = NewRows(fresh.terms, rows, fresh.counts)
    lengths = narrowest(forward.lengths.astype(np.int32))
    assert lengths.dtype == state.forward.lengths.dtype
    postings = updated_postings(
        state.postings, remap, new, len(forward.vocabulary), lengths, params
    )
    return State(docs, forward, postings)


def engine_of(state: State) -> SparseEngine:
    """The engine as the opener serves it: words without postings are not terms."""
    alive = np.diff(state.postings.ptr) > 0
    vocabulary = {w: i for i, w in enumerate(state.forward.vocabulary) if alive[i]}
    return SparseEngine(vocabulary, state.postings)


def assert_bounds_hold(postings: Postings) -> None:
    """The engine's invariants: every quantized weight within ``error`` of the exact one under
    the current statistics, and every exact weight at most ``peak + error``."""
    ptr = np.asarray(postings.ptr)
    terms = np.repeat(np.arange(ptr.size - 1), np.diff(ptr))
    exact = exact_weights(postings, terms, np.arange(ptr[-1]))
    approx = postings.weights * postings.scale[terms]
    assert np.all(np.abs(approx - exact) <= postings.error[terms])
    assert np.all(exact <= postings.peak[terms] + postings.error[terms])


@pytest.mark.parametrize("variant", ["lucene", "plus", "l"])
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("prune_from", [0, 10**9])
@pytest.mark.parametrize("limit", [0.5, 1e9])
def test_updated_postings_rank_like_a_fresh_build(
    variant: Variant, seed: int, prune_from: int, limit: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # limit 0.5: nearly every touched term is re-quantized; 1e9: none is, the bounds only widen.
    monkeypatch.setattr(sparse_engine, "PRUNE_FROM", prune_from)
    monkeypatch.setattr(delta, "LIMIT", limit)
    monkeypatch.setattr(delta, "MOST", 2.0)
    params = BM25Params(variant=variant)
    state, rng, words, weights = start(seed, params)
    for _ in range(4):  # rebuilds on rebuilds: the stale bounds add up
        state = edit(state, rng, words, weights, params)
        assert_bounds_hold(state.postings)
        corpus = [terms for doc in state.docs for terms in doc]
        reference = ReferenceEngine(corpus, params)
        fresh = SparseEngine.from_corpus(corpus, params)
        engine = engine_of(state)
        assert set(engine.vocabulary) == set(fresh.vocabulary)
        pool = [t for terms in corpus for t in terms] + ["gone", "w249"]
        for _ in range(40):
            terms = rng.choices(pool, k=rng.randint(1, 6))
            expected = reference.scores(terms)
            for k in (1, 3, 10):
                assert engine.top_k(terms, k) == top_k(expected, k) == fresh.top_k(terms, k)
            ids = rng.sample(range(len(corpus)), 5)
            assert engine.scores_of(terms, ids) == fresh.scores_of(terms, ids)


def test_stale_weights_widen_the_bound_and_a_loose_term_is_requantized(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    params = BM25Params()
    state, rng, words, weights = start(5, params, documents=5000)
    before = state.postings
    after = edit(state, rng, words, weights, params, rate=0.0002).postings
    common = int(np.argmax(np.diff(before.ptr)))  # a long list: kept, its bound widened
    assert after.error[common] > before.error[common]
    assert after.scale[common] == before.scale[common]
    # Every bound is at most LIMIT scales: a term past it was quantized afresh.
    alive = np.diff(after.ptr) > 0
    assert np.all(after.error[alive] <= delta.LIMIT * after.scale[alive])


def test_okapi_and_wide_counts_need_a_full_build() -> None:
    params = BM25Params(variant="okapi")
    state, rng, words, weights = start(3, params)
    with pytest.raises(NeedsFullBuild):
        edit(state, rng, words, weights, params)
    lucene = BM25Params()
    state, rng, words, weights = start(3, lucene)
    remap = np.arange(len(state.forward), dtype=np.int32)
    wide = NewRows(np.zeros(1, np.int32), np.zeros(1, np.int32), np.asarray([300], dtype=np.int32))
    with pytest.raises(NeedsFullBuild):
        updated_postings(
            state.postings,
            remap,
            wide,
            len(state.forward.vocabulary),
            state.forward.lengths,
            lucene,
        )
