"""The semantic extra's vectors: int8 storage keeps cosines, the real model, the install check."""

from __future__ import annotations

import importlib
import importlib.util
import os
from typing import Any

import numpy as np
import pytest

from index.errors import SettingsError
from index.retrieval import semantic
from index.retrieval.semantic import DIMENSIONS, SentenceVectors, check_install, shared_embedder


def test_int8_vectors_keep_cosines_within_a_hundredth() -> None:
    rng = np.random.default_rng(7)
    raw = rng.normal(size=(200, DIMENSIONS)).astype(np.float32)
    raw /= np.linalg.norm(raw, axis=1, keepdims=True)
    query = raw[0] * 0.6 + raw[1] * 0.8
    query /= np.linalg.norm(query)
    stored = SentenceVectors.quantize(raw)
    assert stored.codes.dtype == np.int8 and stored.codes.shape == (200, DIMENSIONS)
    exact = raw @ query
    assert np.abs(stored.cosines(query) - exact).max() < 0.01
    assert np.allclose(stored.cosines(query, [5, 1]), exact[[5, 1]], atol=0.01)


def test_a_zero_vector_quantizes_without_dividing_by_zero() -> None:
    stored = SentenceVectors.quantize(np.zeros((1, DIMENSIONS), dtype=np.float32))
    assert stored.cosines(np.ones(DIMENSIONS, dtype=np.float32)).tolist() == [0.0]


def test_the_packaged_model_puts_a_paraphrase_closest() -> None:
    vectors = shared_embedder().embed(
        [
            "did the company go bust",
            "The firm collapsed into bankruptcy after its lenders walked away.",
            "The home side won the cup final after extra time.",
        ]
    )
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    paraphrase, unrelated = vectors[1] @ vectors[0], vectors[2] @ vectors[0]
    assert paraphrase > unrelated + 0.3


def test_the_model_is_read_offline() -> None:
    shared_embedder().load()
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_a_missing_package_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def without_torch(name: str, *args: Any) -> Any:
        return None if name == "torch" else real(name, *args)

    monkeypatch.setattr(semantic.importlib.util, "find_spec", without_torch)
    with pytest.raises(SettingsError, match=r"torch is not installed.*verbatim\[semantic\]"):
        check_install()


def test_missing_model_files_are_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    package = importlib.import_module(semantic.MODEL_PACKAGE)
    monkeypatch.setattr(package, "get_model_path", lambda: tmp_path)
    with pytest.raises(SettingsError, match="model files are missing"):
        check_install()


def test_nearest_is_best_first_and_ties_go_to_the_lower_id() -> None:
    unit = np.eye(DIMENSIONS, dtype=np.float32)
    stored = SentenceVectors.quantize(np.stack([unit[1], unit[0], unit[0], -unit[0]]))
    assert [i for i, _ in stored.nearest(unit[0], 3)] == [1, 2, 0]
    assert [i for i, _ in stored.nearest(unit[0], 10)] == [1, 2, 0, 3]
    assert stored.nearest(unit[0], 0) == []
