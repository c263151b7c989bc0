"""Per-document arrays pickled joined come back as they went (``index.storage.joined``)."""

from __future__ import annotations

import pickle

import numpy as np

from index.storage.joined import Joined, join, split


def test_arrays_alike_join_and_split_back_equal() -> None:
    rng = np.random.default_rng(2)
    arrays = [rng.integers(0, 9, size=(int(n), 5), dtype=np.int32) for n in [3, 0, 1, 7, 0]]
    joined = join(arrays)
    assert isinstance(joined, Joined) and joined.values.shape == (11, 5)
    back = split(pickle.loads(pickle.dumps(joined)))
    assert len(back) == len(arrays)
    for got, sent in zip(back, arrays, strict=True):
        assert got.dtype == sent.dtype and got.shape == sent.shape
        assert np.array_equal(got, sent)


def test_arrays_of_other_types_or_shapes_stay_a_list() -> None:
    mixed = [np.zeros(2, np.uint32), np.zeros(2, np.uint16)]
    shapes = [np.zeros((2, 2), np.int32), np.zeros((2, 3), np.int32)]
    for arrays in (mixed, shapes, []):
        assert join(arrays) is arrays
        assert split(arrays) is arrays


def test_split_pieces_are_views_of_one_array() -> None:
    back = split(join([np.arange(3), np.arange(4)]))
    back[1][0] = 99  # ``Parts.absorb`` shifts the rows it receives in place
    assert back[1].tolist() == [99, 1, 2, 3] and back[0].tolist() == [0, 1, 2]
