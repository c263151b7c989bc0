"""CorpusIndex's neighbourhood queries: the document and paragraph around a passage."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from index.retrieval.corpus_index import CorpusIndex
from index.storage.opener import open_index
from tests.conftest import SEEDS
from tests.support.builders import document, index_of

TWO = index_of(
    document("One", ["A one. A two. A three.", "B one. B two."], doc_id=0),
    document("Two", ["C one. C two."], doc_id=1),
)


def test_neighbours_stay_in_the_document() -> None:
    last_of_first = TWO.passage(4)
    assert [p.text for p in TWO.neighbours(last_of_first, 2, 2)] == ["A three.", "B one.", "B two."]
    assert [p.text for p in TWO.neighbours(TWO.passage(5), 1, 1)] == ["C one.", "C two."]


def test_paragraph_passages_are_exactly_the_paragraph() -> None:
    assert [p.text for p in TWO.paragraph_passages(TWO.passage(1))] == [
        "A one.",
        "A two.",
        "A three.",
    ]
    assert [p.text for p in TWO.paragraph_passages(TWO.passage(3))] == ["B one.", "B two."]
    assert [p.text for p in TWO.paragraph_passages(TWO.passage(1), reach=1)] == [
        "A one.",
        "A two.",
        "A three.",
    ]
    assert [p.text for p in TWO.paragraph_passages(TWO.passage(0), reach=1)] == ["A one.", "A two."]


def test_paragraph_passages_match_filtering_neighbours(shipped_index: CorpusIndex) -> None:
    for passage in shipped_index.iter_passages():
        expected = [
            p.passage_id
            for p in shipped_index.neighbours(passage, 30, 30)
            if p.paragraph == passage.paragraph
        ]
        assert [p.passage_id for p in shipped_index.paragraph_passages(passage)] == expected


def test_terms_of_is_the_analysis_of_the_text_cached_or_not(shipped_index: CorpusIndex) -> None:
    for passage in shipped_index.iter_passages():
        first = shipped_index.terms_of(passage)
        assert first == shipped_index.analyzer.terms(passage.text)
        assert shipped_index.terms_of(passage) is first  # served from the cache


def _counted(index: CorpusIndex, passage_id: int) -> Counter[str]:
    passage = index.passage(passage_id)
    return Counter(t for p in index.paragraph_passages(passage) for t in index.terms_of(p))


def test_paragraph_term_counts_from_the_forward_index_equal_counting_the_terms(
    shipped_index: CorpusIndex, tmp_path: Path
) -> None:
    """The re-ranker reads paragraph counts from the stored rows; they must be the analysis."""
    opened = open_index(SEEDS, tmp_path / "idx").index
    for index in (shipped_index, opened):
        assert index._forward is not None
        for passage_id in range(len(index)):
            passage = index.passage(passage_id)
            assert index.paragraph_term_counts(passage) == _counted(index, passage_id)
            assert index.paragraph_term_counts(passage, reach=1) == Counter(
                t for p in index._around(passage, 1, 1, True) for t in index.terms_of(p)
            )


def test_paragraph_term_counts_without_a_forward_index_count_the_terms(
    shipped_index: CorpusIndex,
) -> None:
    bare = CorpusIndex.assemble(
        shipped_index.documents,
        shipped_index.table,
        shipped_index.engine,  # type: ignore[arg-type]
        shipped_index.analyzer,
        shipped_index.params,
    )
    for passage_id in range(len(bare)):
        assert bare.paragraph_term_counts(bare.passage(passage_id)) == _counted(bare, passage_id)
