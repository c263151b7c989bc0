"""The speed benchmark's corpus generator: deterministic, news-like shape, loadable articles."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from benchmarks.corpus import BenchText, generate_sentences, write_articles
from index.ingest.loader import load_corpus
from index.retrieval.corpus_index import CorpusIndex


def tiny_text() -> BenchText:
    words = ["fleet", "harbour", "minister", "treaty", "storm", "comet", "port", "army"]
    return BenchText(
        words=words,
        frequencies=np.asarray([50.0, 20, 12, 8, 5, 3, 2, 1]),
        lengths=np.asarray([6, 9, 14, 21]),
        questions=["Where did the fleet sail?"],
        squad=[],
        wikiqa=([], []),
    )


def test_generation_is_deterministic_and_uses_the_length_statistics() -> None:
    first = generate_sentences(tiny_text(), 500, seed=3)
    assert first == generate_sentences(tiny_text(), 500, seed=3)
    assert first != generate_sentences(tiny_text(), 500, seed=4)
    assert {len(s.split()) for s in first} <= {6, 9, 14, 21}
    assert all(s[0].isupper() and s.endswith(".") for s in first)


def test_articles_hold_20_to_60_sentences_and_index_as_such(tmp_path: Path) -> None:
    sentences = generate_sentences(tiny_text(), 400, seed=3)
    articles = write_articles(sentences, tmp_path / "corpus", seed=3)
    documents = load_corpus(tmp_path / "corpus").documents
    assert len(documents) == articles and articles >= 400 // 60
    counts = CorpusIndex(documents).sentence_counts()
    assert sum(counts) == 400
    assert all(20 <= n <= 60 for n in counts[:-1])  # the last article takes what is left
