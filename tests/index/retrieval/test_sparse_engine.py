"""Parity: the fast engine ranks exactly like the rank-bm25 reference, for every BM25 variant."""

from __future__ import annotations

import dataclasses
import itertools
import random
import threading

import numpy as np
import numpy.typing as npt
import pytest

from index.retrieval import kernels, sparse_engine, weights
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.engine import ReferenceEngine, top_k
from index.retrieval.forward import SplitIds, forward_of
from index.retrieval.params import VARIANTS, BM25Params, Variant
from index.retrieval.sparse_engine import SparseEngine
from tests.support.builders import document


def numpy_path(engine: SparseEngine) -> SparseEngine:
    """The same engine without the compiled kernel (the numpy path, whose steps these tests
    watch)."""
    return SparseEngine(engine.vocabulary, engine.postings, kernel=None)


def zipf_corpus(seed: int, passages: int, vocabulary: int = 400) -> list[list[str]]:
    """Sentences of Zipf-distributed words: a few very common terms, a long tail of rare ones."""
    rng = random.Random(seed)
    words = [f"t{i}" for i in range(vocabulary)]
    weights = [1 / (rank + 1) for rank in range(vocabulary)]
    return [rng.choices(words, weights, k=rng.randint(0, 18)) for _ in range(passages)]


def queries(seed: int, corpus: list[list[str]], count: int = 60) -> list[list[str]]:
    """Questions built from corpus words (with repeats and unknown words thrown in)."""
    rng = random.Random(seed)
    pool = [term for passage in corpus for term in passage] + ["unknown"]
    return [rng.choices(pool, k=rng.randint(1, 7)) for _ in range(count)]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_top_10_and_scores_equal_the_reference(variant: Variant, seed: int) -> None:
    corpus = zipf_corpus(seed, passages=1500)
    params = BM25Params(variant=variant)
    reference = ReferenceEngine(corpus, params)
    fast = SparseEngine.from_corpus(corpus, params)
    for terms in queries(seed, corpus):
        expected = reference.scores(terms)
        assert np.array_equal(fast.scores(terms), expected)
        assert fast.top_k(terms, 10) == top_k(expected, 10)


@pytest.mark.parametrize("variant", VARIANTS)
def test_ties_and_tiny_corpora_rank_the_same(variant: Variant) -> None:
    # Identical sentences tie exactly; the earlier passage must come first in both engines.
    corpus = [["fleet", "sanction"], ["fleet", "sanction"], ["troop"], [], ["fleet"], ["fleet"]]
    params = BM25Params(variant=variant)
    reference, fast = ReferenceEngine(corpus, params), SparseEngine.from_corpus(corpus, params)
    for terms in (["fleet"], ["sanction", "fleet"], ["troop", "troop"], ["nope"], []):
        for k in (1, 2, 3, 10):
            assert fast.top_k(terms, k) == top_k(reference.scores(terms), k)


def test_bm25_plus_fills_with_passages_lacking_every_term() -> None:
    # BM25+ gives every passage idf * delta per known query term, so unmatched ones still rank.
    corpus = [["a"], ["b"], ["c"], ["a", "b"]]
    fast = SparseEngine.from_corpus(corpus, BM25Params(variant="plus"))
    ranked = fast.top_k(["a"], 4)
    assert [passage for passage, _ in ranked] == [0, 3, 1, 2]
    assert ranked == top_k(ReferenceEngine(corpus, BM25Params(variant="plus")).scores(["a"]), 4)


def test_fast_engine_is_the_default_and_ranks_the_shipped_article_like_the_reference(
    shipped_index: CorpusIndex,
) -> None:
    assert isinstance(shipped_index.engine, SparseEngine)
    reference = CorpusIndex(shipped_index.documents, engine_factory=ReferenceEngine)
    for question in ("North Korean troops deployed", "killed in Moscow", "Kursk casualties"):
        terms = shipped_index.analyzer.terms(question)
        fast = [(p.passage_id, s) for p, s in shipped_index.rank(terms, 10)]
        assert fast == [(p.passage_id, s) for p, s in reference.rank(terms, 10)]
        assert fast


def test_index_doc_freq_matches_the_passages() -> None:
    index = CorpusIndex(
        [document("Fleet", ["The fleet sailed. The fleet returned.", "A storm came."])]
    )
    assert index.doc_freq("fleet") == 2 and index.doc_freq("storm") == 1
    assert index.doc_freq("absent") == 0


def test_concurrent_queries_get_the_same_answers_as_serial_ones() -> None:
    # Scratch arrays are per thread: threads querying one engine must not see each other's sums.
    corpus = zipf_corpus(9, passages=3000)
    fast = SparseEngine.from_corpus(corpus, BM25Params())
    asked = queries(9, corpus, count=200)
    expected = [fast.top_k(terms, 10) for terms in asked]
    results: dict[int, list[list[tuple[int, float]]]] = {}

    def worker(slot: int) -> None:
        results[slot] = [fast.top_k(terms, 10) for terms in asked]

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [results[slot] for slot in range(4)] == [expected] * 4


@pytest.mark.parametrize("variant", VARIANTS)
def test_empty_and_one_sentence_corpora_rank_like_the_reference(variant: Variant) -> None:
    params = BM25Params(variant=variant)
    for corpus in ([], [[], []], [["a"]], [["a"], []]):
        fast = SparseEngine.from_corpus(corpus, params)
        expected = top_k(ReferenceEngine(corpus, params).scores(["a"]), 3)
        assert fast.top_k(["a"], 3) == expected


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", [4, 5])
def test_pruned_queries_rank_exactly_like_the_reference(
    variant: Variant, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MaxScore pruning normally starts at long postings lists; here at every query, so that a
    # small corpus exercises it (common terms, many ties among one-term matches).
    monkeypatch.setattr(sparse_engine, "PRUNE_FROM", 0)
    corpus = zipf_corpus(seed, passages=3000, vocabulary=200)
    params = BM25Params(variant=variant)
    reference = ReferenceEngine(corpus, params)
    fast = numpy_path(SparseEngine.from_corpus(corpus, params))
    for terms in queries(seed, corpus, count=80):
        expected = reference.scores(terms)
        for k in (1, 3, 10, 50):
            assert fast.top_k(terms, k) == top_k(expected, k)


def test_pruning_skips_the_long_lists_a_rare_term_outweighs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "rare" is in 3 of 2,000 passages, "common" in every one: after scanning "rare", the top 2
    # are settled and the common term's 2,000 postings are only looked up for the survivors.
    monkeypatch.setattr(sparse_engine, "PRUNE_FROM", 0)
    corpus = [["common", "rare"] if i % 700 == 0 else ["common"] for i in range(2000)]
    fast = numpy_path(SparseEngine.from_corpus(corpus))
    fetched: list[int] = []  # every scan of a term's postings
    looked_up: list[int] = []  # lookups for candidate passages only (quantized or exact)
    postings, weights_of = fast._postings, fast._weights_of

    def fetch(term_id: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        fetched.append(term_id)
        return postings(term_id)

    def look_up(
        term_id: int, candidates: npt.NDArray[np.int32], exact: bool = False
    ) -> npt.NDArray[np.float64]:
        looked_up.append(term_id)
        return weights_of(term_id, candidates, exact)

    monkeypatch.setattr(fast, "_postings", fetch)
    monkeypatch.setattr(fast, "_weights_of", look_up)
    ranked = fast.top_k(["common", "rare"], 2)
    assert ranked == top_k(ReferenceEngine(corpus).scores(["common", "rare"]), 2)
    common = fast.vocabulary["common"]
    assert looked_up.count(common) >= 1
    assert fetched.count(common) == 0  # never scanned


@pytest.mark.parametrize("variant", VARIANTS)
def test_quantized_weights_are_within_their_scale_of_the_exact_ones(variant: Variant) -> None:
    params = BM25Params(variant=variant)
    corpus = zipf_corpus(6, passages=1500, vocabulary=300)
    postings = SparseEngine.from_corpus(corpus, params).postings
    reference = ReferenceEngine(corpus, params)
    for term_id in range(postings.ptr.size - 1):
        lo, hi = int(postings.ptr[term_id]), int(postings.ptr[term_id + 1])
        exact = postings.exact_weights(term_id, np.arange(lo, hi))
        approximate = postings.weights[lo:hi] * postings.scale[term_id]
        assert np.all(np.abs(approximate - exact) <= postings.scale[term_id])
        assert np.all(np.abs(exact) <= postings.peak[term_id] + postings.scale[term_id])
    # The exact weights are rank-bm25's own contributions, bit for bit.
    term = "t3"
    term_id = SparseEngine.from_corpus(corpus, params).vocabulary[term]
    lo, hi = int(postings.ptr[term_id]), int(postings.ptr[term_id + 1])
    docs = postings.docs[lo:hi]
    contributions = reference.scores([term])[docs]
    assert contributions.tolist() == postings.exact_weights(term_id, np.arange(lo, hi)).tolist()


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("prune_from", [0, 10**9])
@pytest.mark.parametrize("compiled", [True, False])
def test_coarse_quantization_still_ranks_exactly_like_the_reference(
    variant: Variant, prune_from: int, compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Weights quantized 4,096 times more coarsely (8 levels a sign) put many passages within one
    # step of the k-th best: the candidates' exact re-scoring alone keeps the ranking identical.
    monkeypatch.setattr(sparse_engine, "PRUNE_FROM", prune_from)
    corpus = zipf_corpus(7, passages=2000, vocabulary=150)
    params = BM25Params(variant=variant)
    fine = SparseEngine.from_corpus(corpus, params)
    postings = fine.postings
    coarse = dataclasses.replace(
        postings,
        weights=np.rint(postings.weights / 4096).astype(np.int16),
        scale=postings.scale * 4096,
        error=postings.error * 4096,
    )
    engine = SparseEngine(fine.vocabulary, coarse, fine.kernel if compiled else None)
    assert (engine.kernel is not None) == compiled
    reference = ReferenceEngine(corpus, params)
    for terms in queries(7, corpus, count=60):
        expected = reference.scores(terms)
        for k in (1, 3, 10, 50):
            assert engine.top_k(terms, k) == top_k(expected, k)


@pytest.mark.parametrize("compiled", [False, True])
def test_the_counting_sort_is_numpys_stable_argsort(
    compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In numpy, chunk by chunk (many chunks, a term's postings across them), and in C.
    monkeypatch.setattr(weights, "_CHUNK", 37)
    assert kernels.TERM_MAJOR is not None  # the install compiled it (hatch_build.py)
    sort = kernels.TERM_MAJOR if compiled else None
    corpus = [[]] * 2 + zipf_corpus(8, passages=400, vocabulary=60) + [[]] * 3
    forward = forward_of([*corpus[:200], [], *corpus[200:]])
    for terms in (forward.terms, SplitIds.of(forward.terms)):  # as built, and as stored
        shaped = dataclasses.replace(forward, terms=terms)
        doc_freq = np.bincount(forward.terms, minlength=len(forward.vocabulary)).astype(np.int64)
        order, docs = weights.term_major(shaped, doc_freq, sort)
        expected = np.argsort(forward.terms, kind="stable")
        assert order.tolist() == expected.tolist()
        passages = np.searchsorted(forward.row_ptr, expected, side="right") - 1
        assert docs.tolist() == passages.tolist()


def test_peaks_taken_slice_by_slice_are_each_terms_largest_magnitude(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(weights, "_SLICE", 5)  # slices cut through terms' lists
    rng = np.random.default_rng(3)
    sizes = rng.integers(0, 9, size=40)  # empty terms too
    ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    values = rng.normal(size=int(ptr[-1]))
    expected = [
        float(np.abs(values[lo:hi]).max()) if hi > lo else 0.0
        for lo, hi in itertools.pairwise(ptr.tolist())
    ]
    assert weights.peaks(values, ptr).tolist() == expected
