"""Sentence vectors in the persistent index: computed at build, kept as int8, reused unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from index.retrieval.semantic import DIMENSIONS, Embedder, Vectors
from index.storage.opener import open_index
from tests.support.builders import write_article


class CountingEmbedder(Embedder):
    """A stand-in with the real one's interface: a fixed vector per text, and a log of texts."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed(self, texts: list[str]) -> Vectors:
        self.seen.extend(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "little")
            row = np.random.default_rng(seed).normal(size=DIMENSIONS)
            rows.append(row / np.linalg.norm(row))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), DIMENSIONS)


def corpus(folder: Path) -> Path:
    write_article(folder, "fleet.txt", "Fleet", ["The fleet sailed north. It reached port."])
    write_article(folder, "storm.txt", "Storm", ["A storm broke the dam. Fields flooded."])
    return folder


def test_vectors_are_built_once_and_read_back_memory_mapped(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    built = open_index(corpus(tmp_path / "c"), tmp_path / "idx", embedder=embedder)
    texts = [passage.text for passage in built.index.iter_passages()]
    assert sorted(embedder.seen) == sorted(texts)
    embedder.seen.clear()
    loaded = open_index(tmp_path / "c", tmp_path / "idx", embedder=embedder)
    assert not loaded.rebuilt and embedder.seen == []
    semantic = loaded.index.semantic
    assert semantic is not None and isinstance(semantic.vectors.codes, np.memmap)
    question = embedder.embed(["A storm broke the dam."])[0]
    cosines = semantic.vectors.cosines(question)
    assert texts[int(np.argmax(cosines))] == "A storm broke the dam."
    assert (tmp_path / "idx" / "vectors.codes.npy").is_file()


def test_only_a_changed_article_is_embedded_again(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    first = open_index(corpus(tmp_path / "c"), tmp_path / "idx", embedder=embedder)
    before = first.index.semantic
    assert before is not None
    kept = {p.text: before.vectors.codes[p.passage_id].copy() for p in first.index.iter_passages()}
    embedder.seen.clear()
    write_article(tmp_path / "c", "storm.txt", "Storm", ["A storm broke the dam. Roads closed."])
    again = open_index(tmp_path / "c", tmp_path / "idx", embedder=embedder)
    assert again.rebuilt
    assert sorted(embedder.seen) == ["A storm broke the dam.", "Roads closed."]
    after = again.index.semantic
    assert after is not None
    for passage in again.index.iter_passages():
        if passage.text in kept:
            assert np.array_equal(after.vectors.codes[passage.passage_id], kept[passage.text])


def test_turning_the_extra_on_rebuilds_an_index_without_vectors(tmp_path: Path) -> None:
    plain = open_index(corpus(tmp_path / "c"), tmp_path / "idx")
    assert plain.index.semantic is None and not (tmp_path / "idx" / "vectors.codes.npy").exists()
    embedder = CountingEmbedder()
    on = open_index(tmp_path / "c", tmp_path / "idx", embedder=embedder)
    assert on.rebuilt and on.index.semantic is not None and len(embedder.seen) == len(on.index)


def test_without_the_extra_stored_vectors_are_left_unused(tmp_path: Path) -> None:
    open_index(corpus(tmp_path / "c"), tmp_path / "idx", embedder=CountingEmbedder())
    off = open_index(tmp_path / "c", tmp_path / "idx")
    assert not off.rebuilt and off.index.semantic is None


def test_a_damaged_vector_file_is_rebuilt(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    open_index(corpus(tmp_path / "c"), tmp_path / "idx", embedder=embedder)
    codes = tmp_path / "idx" / "vectors.codes.npy"
    codes.write_bytes(codes.read_bytes()[:-DIMENSIONS])  # a truncated file fails its checksum
    embedder.seen.clear()
    reopened = open_index(tmp_path / "c", tmp_path / "idx", embedder=embedder)
    assert reopened.rebuilt and len(embedder.seen) == len(reopened.index)
