from __future__ import annotations

import numpy as np
import pytest

from index.summaries.corpus_analysis import analysis_of, prepare
from index.summaries.corroboration import copies_of
from index.summaries.similarity import content_overlap
from tests.support.builders import document, index_of


def test_centrality_leaves_the_sentence_itself_out() -> None:
    index = index_of(
        document(
            "T",
            [
                "Ships carried oil past sanctions. Ships carried oil past sanctions. "
                "Bakers sold bread early."
            ],
        )
    )
    scores = analysis_of(index).centrality
    # Each copy's centroid of the others is (copy + unrelated): cosine 1/sqrt(2), not 1.
    assert np.allclose(scores[:2], 2**-0.5) and scores[2] == 0.0


def test_subset_centrality_matches_a_dense_computation() -> None:
    index = index_of(
        document("T", ["Oil ships sail. Oil tankers sail far. Bread is sold. Oil and bread sell."])
    )
    vectors = analysis_of(index).vectors
    rows = np.array([0, 1, 3])
    dense = np.zeros((len(vectors), len(vectors.vocabulary)))
    for i in range(len(vectors)):
        for term, weight in vectors.row(i).items():
            dense[i, term] = weight
    for position, row in enumerate(rows):
        others = dense[[r for r in rows if r != row]].sum(axis=0)
        expected = dense[row] @ others / np.linalg.norm(others)
        assert np.isclose(vectors.centrality(rows)[position], expected)


def test_centrality_of_every_article_at_once_matches_each_article_alone() -> None:
    index = index_of(
        document("A", ["Oil ships sail. Oil tankers sail far. Bread is sold."], None, 0),
        document("B", ["Bread is sold early. Bakers sell bread. Oil is dear."], None, 1),
        document("C", ["One lonely sentence here."], None, 2),
    )
    analysis = analysis_of(index)
    together = analysis.vectors.group_centrality(analysis.document_of_row)
    for rows in analysis.documents.values():
        alone = analysis.vectors.centrality(rows.rows())
        assert np.allclose(together[rows.first : rows.end], alone)
    assert len(analysis.documents) == 3 and together[-1] == 0.0


def test_content_overlap_is_relative_to_the_smaller_sentence() -> None:
    assert content_overlap(["a", "b"], ["a", "b", "c", "d"]) == 1.0
    assert content_overlap(["a", "b", "c", "d"], ["a", "x", "y", "z"]) == 0.25
    assert content_overlap([], ["a"]) == 0.0


def test_copies_are_found_in_other_articles_only() -> None:
    line = "Tankers moved crude oil through the strait despite the embargo."
    index = index_of(
        document("A", [f"{line} {line}"], doc_id=0),
        document("B", [f"Other words entirely. {line}"], doc_id=1),
    )
    analysis = prepare(index)
    copies = copies_of(analysis, index.passage(0))
    assert [(p.document.title, p.text) for p in copies] == [("B", line)]


def test_analysis_is_built_once_per_index_even_from_many_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    index = index_of(document("T", ["Oil ships sail. Oil tankers sail far. Bread is sold."]))
    with ThreadPoolExecutor(8) as pool:
        topics = list(pool.map(lambda _: analysis_of(index).topics, range(32)))
    assert all(t is topics[0] for t in topics)
    assert analysis_of(index) is analysis_of(index)
    assert analysis_of(index_of(*index.documents)) is not analysis_of(index)


def test_an_index_without_weak_references_is_still_analyzed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import index.summaries.corpus_analysis

    class NoWeakRefs(dict[object, object]):
        def get(self, key: object, default: object = None) -> object:
            raise TypeError("cannot create weak reference")

    monkeypatch.setattr(index.summaries.corpus_analysis, "_CACHE", NoWeakRefs())
    corpus = index_of(document("T", ["Oil ships sail. Oil tankers sail far."]))
    assert analysis_of(corpus) is analysis_of(corpus)
    assert analysis_of(corpus).index is corpus
