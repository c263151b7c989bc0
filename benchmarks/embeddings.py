"""Sentence vectors for the benchmark's corpora, cached by text in a folder outside the data.

Embedding the 2,209-article archive takes minutes on two cores; the quality benchmark runs many
times while levers are tuned, so each distinct sentence is embedded once and kept (float32, keyed
by the SHA-1 of its text) in ``--semantic-cache`` (default: a folder under the system temp dir).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.retrieval.semantic import DIMENSIONS, Embedder, Vectors

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "verbatim-bench-embeddings"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors of texts, embedded on a miss and saved in ``folder``."""

    def __init__(self, folder: Path = DEFAULT_CACHE, embedder: Embedder | None = None) -> None:
        self.folder = folder
        self.embedder = embedder or Embedder()
        self._rows: dict[str, int] = {}
        self._vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
        keys, vectors = folder / "keys.txt", folder / "vectors.npy"
        if keys.is_file() and vectors.is_file():
            names = keys.read_text(encoding="ascii").split()
            loaded = np.load(vectors)
            if len(names) == len(loaded):
                self._rows = {name: i for i, name in enumerate(names)}
                self._vectors = loaded

    def vectors(self, texts: Sequence[str]) -> Vectors:
        """One unit vector per text (embedding, and saving, the ones not cached yet)."""
        keys = [_key(text) for text in texts]
        missing = {
            key: text for key, text in zip(keys, texts, strict=True) if key not in self._rows
        }
        if missing:
            fresh = self.embedder.embed(list(missing.values()))
            start = len(self._vectors)
            self._vectors = np.concatenate([self._vectors, fresh])
            self._rows.update({key: start + i for i, key in enumerate(missing)})
            self._save()
        return self._vectors[[self._rows[key] for key in keys]].reshape(-1, DIMENSIONS)

    def embed_one(self, text: str) -> Vectors:
        vector: Vectors = self.vectors([text])[0]
        return vector

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        names = sorted(self._rows, key=self._rows.__getitem__)
        np.save(self.folder / "vectors.npy", self._vectors)
        (self.folder / "keys.txt").write_text("\n".join(names) + "\n", encoding="ascii")
