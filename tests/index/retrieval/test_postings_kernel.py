"""The compiled first stage (``index.retrieval.kernels``) ranks exactly like rank-bm25."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

import hatch_build
from index.retrieval import kernels
from index.retrieval.engine import ReferenceEngine, top_k
from index.retrieval.params import BM25Params, Variant
from index.retrieval.sparse_engine import SparseEngine
from tests.index.retrieval.test_sparse_engine import queries, zipf_corpus

# The variants whose lacking terms add 0.0: the kernel serves them (BM25+/L take another path).
ADDITIVE: tuple[Variant, ...] = ("lucene", "okapi")


def test_the_install_built_and_loaded_the_kernel() -> None:
    # `pip install -e .` compiles it (hatch_build.py); without it every query runs numpy.
    assert kernels.KERNEL is not None
    assert SparseEngine.from_corpus([["a", "b"], ["b"]]).kernel is kernels.KERNEL


@pytest.mark.parametrize("variant", ADDITIVE)
@pytest.mark.parametrize("block", [1, 7, 64, 4096])
@pytest.mark.parametrize("seed", [11, 12])
def test_compiled_top_k_equals_the_reference_across_blocks(
    variant: Variant, block: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small blocks make a small corpus cross hundreds of them, so terms leave the essential
    # set mid-query and the non-essential lists are looked up block by block.
    monkeypatch.setattr(kernels, "BLOCK", block)
    corpus = zipf_corpus(seed, passages=2500, vocabulary=250)
    params = BM25Params(variant=variant)
    reference = ReferenceEngine(corpus, params)
    fast = SparseEngine.from_corpus(corpus, params)
    assert fast.kernel is not None
    for terms in queries(seed, corpus, count=60):
        expected = reference.scores(terms)
        for k in (1, 3, 10, 50, 3000):
            assert fast.top_k(terms, k) == top_k(expected, k)


def test_ties_at_the_kth_place_go_to_the_earlier_passage() -> None:
    # 300 identical passages tie exactly, spread over many blocks; top 5 are the first five.
    corpus = [["storm", "coast"] if i % 3 == 0 else ["storm"] for i in range(900)]
    fast = SparseEngine.from_corpus(corpus)
    assert fast.kernel is not None
    reference = ReferenceEngine(corpus)
    for terms in (["storm"], ["coast"], ["coast", "storm"], ["storm", "coast", "coast"]):
        for k in (1, 5, 299, 301):
            assert fast.top_k(terms, k) == top_k(reference.scores(terms), k)


def test_scratch_is_left_clean_between_queries() -> None:
    corpus = zipf_corpus(13, passages=3000, vocabulary=100)
    fast = SparseEngine.from_corpus(corpus)
    reference = ReferenceEngine(corpus)
    for terms in queries(13, corpus, count=40):
        assert fast.top_k(terms, 10) == top_k(reference.scores(terms), 10)
        values, seen, _ = fast._scratch()
        assert not values.any() and not seen.any()


def test_the_kernel_is_off_when_asked_missing_or_built_from_another_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert kernels.load() is not None
    monkeypatch.setenv("VERBATIM_KERNELS", "off")
    assert kernels.load() is None and kernels.load_term_major() is None
    monkeypatch.delenv("VERBATIM_KERNELS")
    assert kernels.load(tmp_path / "missing.so") is None
    (tmp_path / "junk.so").write_bytes(b"not a library")
    assert kernels.load(tmp_path / "junk.so") is None
    # A library built from an edited source (its digest is other files').
    postings, *others = kernels.SOURCES
    edited = tmp_path / "postings.c"
    edited.write_text(postings.read_text() + "\n/* edited */\n")
    library = tmp_path / "edited.so"
    compiler = hatch_build.compiler()
    assert compiler is not None
    define = f'-DVERBATIM_SOURCE_DIGEST="{kernels.source_digest()}"'
    sources = [str(edited), *map(str, others)]
    command = [compiler, *hatch_build.FLAGS, define, *sources, "-o", str(library)]
    subprocess.run(command, check=True)
    # built from the sources the package holds (as it says)
    loaders = (kernels.load, kernels.load_words, kernels.load_files, kernels.load_term_major)
    assert all(load(library) is not None for load in loaders)
    monkeypatch.setattr(kernels, "SOURCES", (edited, *others))
    assert all(load(library) is None for load in loaders)


def test_a_layout_the_kernel_does_not_read_falls_back_to_numpy() -> None:
    fast = SparseEngine.from_corpus(zipf_corpus(14, passages=200))
    postings = fast.postings
    wide = type(postings)(**{**_fields(postings), "docs": np.asarray(postings.docs, np.int64)})
    engine = SparseEngine(fast.vocabulary, wide)
    assert engine.kernel is None
    for terms in queries(14, zipf_corpus(14, passages=200), count=20):
        assert engine.top_k(terms, 10) == fast.top_k(terms, 10)


def _fields(postings: object) -> dict[str, object]:
    import dataclasses

    return {f.name: getattr(postings, f.name) for f in dataclasses.fields(postings)}  # type: ignore[arg-type]


@pytest.mark.parametrize("variant", ADDITIVE)
def test_compiled_exact_scores_are_numpys_bit_for_bit(variant: Variant) -> None:
    # Any passages (holding some, all or none of the terms), repeated query terms included.
    corpus = zipf_corpus(15, passages=1200, vocabulary=120)
    fast = SparseEngine.from_corpus(corpus, BM25Params(variant=variant))
    assert fast._exact_layout
    rng = np.random.default_rng(15)
    for terms in queries(15, corpus, count=40):
        ids = fast._ids(terms)
        candidates = rng.choice(len(corpus), size=60, replace=False).astype(np.int32)
        compiled = fast._exact_compiled(ids, candidates)
        assert compiled.tobytes() == fast._exact(ids, candidates).tobytes()
