"""The forward index keeps counts, lengths and term ids narrow without changing a value."""

from __future__ import annotations

import numpy as np
import pytest

from index.retrieval.forward import SplitIds, forward_of, narrowest


def test_counts_and_lengths_are_stored_narrow_with_the_same_values() -> None:
    forward = forward_of([["fleet", "fleet", "storm"], [], ["storm"]])
    assert forward.counts.dtype == np.uint8 and forward.lengths.dtype == np.uint8
    assert forward.counts.tolist() == [2, 1, 1]
    assert forward.lengths.tolist() == [3, 0, 1]


def test_a_term_repeated_past_255_times_widens_the_type() -> None:
    forward = forward_of([["fleet"] * 300])
    assert forward.counts.dtype == np.uint16
    assert forward.counts.tolist() == [300]
    wide = np.asarray([70_000, 1], dtype=np.int32)
    assert narrowest(wide).dtype == np.int32
    assert narrowest(wide).tolist() == [70_000, 1]


@pytest.mark.parametrize("top", [0, 65_535, 65_536, 70_000, 20_000_000])
def test_split_term_ids_give_back_every_id(top: int) -> None:
    rng = np.random.default_rng(top)
    terms = rng.integers(0, top + 1, size=500).astype(np.int32)
    terms[0] = top
    split = SplitIds.of(terms)
    assert split.low.dtype == np.uint16
    assert split.high.size == (terms.size if top > 0xFFFF else 0)  # no high bits when narrow
    assert split.high.dtype == (np.uint16 if top >= 1 << 24 else np.uint8)
    assert np.array_equal(np.asarray(split), terms) and split.size == len(split) == terms.size
    at = rng.integers(0, terms.size, size=50)
    assert np.array_equal(split[at], terms[at])
    assert np.array_equal(split[10:20], terms[10:20])
    assert split[at].dtype == np.int32
