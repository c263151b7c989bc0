"""CorpusIndex's batch reads for the re-ranker must say what the per-passage records say."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import Counter

import numpy as np
import pytest

from index.retrieval import kernels
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.sentence_marks import REFERS_BACK_PATTERN
from index.storage.opener import open_index
from index.text.analyzer import Analyzer
from tests.conftest import SEEDS
from tests.support.builders import document, write_article


def _bare(index: CorpusIndex) -> CorpusIndex:
    """The same index without a forward index (counts from ``terms_of``)."""
    return CorpusIndex.assemble(
        index.documents,
        index.table,
        index.engine,  # type: ignore[arg-type]
        index.analyzer,
        index.params,
    )


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> list[CorpusIndex]:
    folder = tmp_path_factory.mktemp("arrays")
    rng = random.Random(4)
    words = [
        "Zoë",
        "café",
        "ship’s",
        "crew",
        "10,000",
        "troops",
        "U.S.",
        "sailed",
        "north",
        "It",
        "was",
        "the",
        "port’s",
        "30th",
        "(FA)",
    ]
    for number in range(12):
        paragraphs = [
            " ".join(
                " ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) + "."
                for _ in range(rng.randint(1, 4))
            )
            for _ in range(rng.randint(1, 5))
        ]
        write_article(folder / "corpus", f"a{number}.txt", rng.choice(words).title(), paragraphs)
    memory = CorpusIndex(
        [
            document("Tankers", ["Tankers sailed. The crew froze.", "It was cold."]),
            document("Ports", ["Ports closed in March 2015."], doc_id=7),
            # A paragraph longer than the spans' first window (and than one reach of 30).
            document("Long", [" ".join(f"Ship {n} sailed." for n in range(75)), "Done."]),
        ]
    )
    stored = open_index(folder / "corpus", folder / "index").index
    seeds = open_index(SEEDS, folder / "seeds").index
    return [memory, stored, seeds, _bare(stored)]


def test_texts_titles_dates_and_ids_are_the_records(indexes: list[CorpusIndex]) -> None:
    for index in indexes:
        ids = np.arange(len(index), dtype=np.int64)
        positions, paragraphs, sentences = index.positions(ids)
        doc_ids = index.document_ids(positions)
        for i in range(len(index)):
            passage = index.passage(i)
            assert index.passage_text(i) == passage.text
            assert (paragraphs[i], sentences[i]) == (passage.paragraph, passage.sentence)
            assert doc_ids[i] == passage.document.doc_id
            position = int(positions[i])
            assert index.title_terms(position) == set(index.analyzer.terms(passage.document.title))
            assert index.published(position) == passage.document.published


def test_term_sets_and_spans_are_the_analysis(indexes: list[CorpusIndex]) -> None:
    for index in indexes:
        for i in range(len(index)):
            passage = index.passage(i)
            assert index.term_set(i) == set(index.terms_of(passage))
            terms, starts, ends = index.term_spans_at(i)
            tokens = index.analyzer.tokens(passage.text)
            assert (terms, starts, ends) == (
                [t.term for t in tokens],
                [t.start for t in tokens],
                [t.end for t in tokens],
            )
            assert index.terms_at(i) == index.terms_of(passage)
            lo, hi = index.document_span(i)
            expected = {t for p in index.document_passages(passage) for t in index.terms_of(p)}
            assert [p.passage_id for p in index.document_passages(passage)] == list(range(lo, hi))
            assert index.range_terms(lo, hi) == expected


def test_sentence_marks_are_the_live_analysis(indexes: list[CorpusIndex]) -> None:
    """What the index keeps of each sentence (``retrieval.sentence_marks``) is what the
    question path would compute from its text: its terms in order and whether it opens by
    referring back (all passages at once, and a shuffled sample with repeats)."""
    rng = random.Random(5)
    for index in indexes:
        ids = np.arange(len(index), dtype=np.int64)
        opens, sequences = index.refers_back(ids), index.term_sequences(ids.tolist())
        starts = index.term_starts(ids.tolist())
        for i in range(len(index)):
            text = index.passage(i).text
            terms, offsets, _ = index.analyzer.term_spans(text)
            assert sequences[i] == index.analyzer.terms(text) == terms
            assert starts[i] == (terms, offsets)
            assert bool(opens[i]) == (REFERS_BACK_PATTERN.match(text) is not None)
            assert index.holds_bracket(i) == ("(" in text)
        sample = rng.choices(range(len(index)), k=40)
        assert index.term_sequences(sample) == [sequences[i] for i in sample]
        assert index.term_starts(sample) == [starts[i] for i in sample]
        assert index.term_sequences([]) == index.term_starts([]) == []
    assert any(index._marks is not None for index in indexes)
    assert any(index.holds_bracket(i) for i in range(len(indexes[0])))
    assert not all(index.holds_bracket(i) for i in range(len(indexes[0])))
    assert indexes[-1]._marks is None  # the bare index computes them from the text


def test_paragraph_spans_and_preceding_are_the_neighbourhood(indexes: list[CorpusIndex]) -> None:
    for index in indexes:
        ids = np.arange(len(index), dtype=np.int64)
        before = index.preceding(ids)
        for reach in (0, 1, 6, 7, 30):
            lo, hi = index.paragraph_spans(ids, reach)
            for i in range(len(index)):
                around = index._around(index.passage(i), reach, reach, same_paragraph=True)
                assert list(range(lo[i], hi[i])) == [p.passage_id for p in around]
        for i in range(len(index)):
            assert before[i] == index.neighbours(index.passage(i), 1, 0)[0].passage_id


def test_range_term_counts_count_the_analyzed_terms(indexes: list[CorpusIndex]) -> None:
    rng = random.Random(9)
    for index in indexes:
        vocabulary = sorted(index.vocabulary())
        for _ in range(30):
            wanted = [*rng.sample(vocabulary, min(4, len(vocabulary))), "never-seen"]
            wanted += wanted[:1]  # a term asked twice gets the same counts in both columns
            lo = np.asarray(rng.choices(range(len(index)), k=6), dtype=np.int64)
            hi = np.minimum(lo + np.asarray(rng.choices(range(4), k=6)), len(index))
            counts, lengths = index.range_term_counts(lo, hi, index.term_ids(wanted))
            for row in range(lo.size):
                counted = Counter(
                    t for i in range(lo[row], hi[row]) for t in index.terms_of(index.passage(i))
                )
                assert lengths[row] == sum(counted.values())
                assert counts[row].tolist() == [counted[t] for t in wanted]


def test_term_spans_keep_what_tokens_keep_for_odd_text() -> None:
    analyzer = Analyzer()
    for text in ("THE U.S. ARMY SAILED", "Zoë’s 10,000 troops; the 30th", "", "the of and"):
        tokens = analyzer.tokens(text)
        assert analyzer.term_spans(text) == (
            [t.term for t in tokens],
            [t.start for t in tokens],
            [t.end for t in tokens],
        )


def test_word_starts_are_found_from_the_dropped_words_or_by_analysis(
    indexes: list[CorpusIndex],
) -> None:
    """A persistent index keeps the raw words that give no term, and finds each term's word
    start in the text by them; with a word missing from them the counts disagree and the
    sentence is analyzed instead: the same starts either way, with the compiled scan of ASCII
    sentences (``kernels.WORDS``) and without."""
    stored = [index for index in indexes if index._marks is not None and index._marks.dropped]
    assert stored and {"the", "was", "It"} <= stored[0]._marks.dropped  # type: ignore[union-attr]
    assert kernels.WORDS is not None and stored[0].words is kernels.WORDS
    for index, words in itertools.product(stored, (kernels.WORDS, None)):
        index.words = words
        ids = list(range(len(index)))
        expected = [index.analyzer.term_spans(index.passage(i).text) for i in ids]
        assert index.term_spans_of(ids) == expected
        marks = index._marks
        assert marks is not None
        index._marks = dataclasses.replace(marks, dropped=marks.dropped - {"the", "was"})
        try:
            index._term_spans.cache_clear()
            assert index.term_spans_of(ids) == expected
            assert [index.term_spans_at(i) for i in ids] == expected
        finally:
            index._marks = marks
            index.words = kernels.WORDS
