"""The speed benchmark's corpus generator: deterministic, news-like shape, loadable articles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import benchmarks.corpus
from benchmarks.corpus import BenchText, generate_sentences, generated_sentences, write_articles
from benchmarks.speed import write_sentences
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


def test_chunked_generation_starts_with_the_same_sentences_and_streams_into_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Up to a chunk it is generate_sentences itself; beyond, chunk i is seeded seed + i.
    whole = generate_sentences(tiny_text(), 250, seed=3)
    assert list(generated_sentences(tiny_text(), 250, seed=3)) == whole
    monkeypatch.setattr(benchmarks.corpus, "CHUNK", 100)
    chunked = list(generated_sentences(tiny_text(), 250, seed=3))
    assert chunked[:100] == generate_sentences(tiny_text(), 100, seed=3)
    assert chunked[200:] == generate_sentences(tiny_text(), 50, seed=5)
    # Articles written from a stream are the articles written from the list.
    write_articles(iter(chunked), tmp_path / "streamed", seed=3)
    write_articles(chunked, tmp_path / "listed", seed=3)
    streamed = sorted(
        p.relative_to(tmp_path / "streamed") for p in (tmp_path / "streamed").rglob("*.txt")
    )
    assert streamed == sorted(
        p.relative_to(tmp_path / "listed") for p in (tmp_path / "listed").rglob("*.txt")
    )
    for rel in streamed:
        assert (tmp_path / "streamed" / rel).read_bytes() == (
            tmp_path / "listed" / rel
        ).read_bytes()


def test_the_peers_sentence_file_holds_every_indexed_sentence(tmp_path: Path) -> None:
    write_articles(generate_sentences(tiny_text(), 300, seed=2), tmp_path / "corpus", seed=2)
    write_sentences(tmp_path / "corpus", tmp_path / "sentences.txt")
    lines = (tmp_path / "sentences.txt").read_text(encoding="utf-8").split("\n")
    index = CorpusIndex(load_corpus(tmp_path / "corpus").documents)
    assert lines == [" ".join(p.text.split()) for p in index.iter_passages()]
