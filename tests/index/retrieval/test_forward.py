"""The forward index keeps counts and lengths narrow without changing a value."""

from __future__ import annotations

import numpy as np

from index.retrieval.forward import forward_of, narrowest


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
