"""Quotes are verbatim by construction: every passage is a slice of its document's text."""

from __future__ import annotations

from pathlib import Path

from index.ingest.loader import load_corpus
from index.retrieval.corpus_index import CorpusIndex
from tests.conftest import SEEDS
from tests.support.builders import document, index_of

TRICKY = document(
    "Tricky — text",
    [
        "The U.S. Army’s Lt. Gen. Smith said “no.” Between 10,000 and 12,000 troops… maybe.",
        "Prices rose 2.5% in 2022! Did they? Yes — Zelenskyy’s café, Київ.",
    ],
    "example.org",
)


def assert_verbatim(index: CorpusIndex) -> None:
    assert len(index) > 0
    for passage in index.iter_passages():
        assert passage.document.text[passage.start : passage.end] == passage.text
        assert passage.text == passage.text.strip() and passage.text
        paragraph = passage.document.paragraphs[passage.paragraph - 1]
        assert paragraph.start <= passage.start < passage.end <= paragraph.end


def test_every_shipped_passage_is_a_slice_of_its_file() -> None:
    index = CorpusIndex(load_corpus(SEEDS).documents)
    assert_verbatim(index)
    for passage in index.iter_passages():
        raw = Path(passage.document.path).read_bytes().decode("utf-8")
        assert raw[passage.start : passage.end] == passage.text


def test_every_test_article_passage_is_a_slice() -> None:
    assert_verbatim(index_of(TRICKY))
    texts = [p.text for p in index_of(TRICKY).iter_passages()]
    assert "The U.S. Army’s Lt. Gen. Smith said “no.”" in texts


def test_sentences_are_numbered_within_paragraphs() -> None:
    index = CorpusIndex(load_corpus(SEEDS).documents)
    for previous, passage in zip(
        list(index.iter_passages()), list(index.iter_passages())[1:], strict=False
    ):
        if passage.paragraph == previous.paragraph:
            assert passage.sentence == previous.sentence + 1
        else:
            assert passage.sentence == 1
