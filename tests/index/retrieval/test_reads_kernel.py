"""The answer path's reads of forward rows and marks with ``pread`` (``kernels.reads``) give
what the mapped arrays hold: on random rows of every stored layout, and through a persistent
index of the seed articles, whose answers read them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.forward import SplitIds, narrowest, pack_entries, unpack_entries
from index.retrieval.kernels.reads import GROUP, READS, RowFiles
from index.storage.opener import open_index
from tests.conftest import SEEDS


def test_the_install_built_the_reads() -> None:
    # `pip install -e .` compiles them (hatch_build.py); without them answers map the files.
    assert READS is not None


def _rows(
    rng: np.random.Generator, passages: int, terms: int, most: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any], list[list[int]]]:
    """Random rows (distinct ids each, some empty), their counts, lengths and sentences'
    places in order."""
    ids, counts, places, sizes = [], [], [], []
    for _ in range(passages):
        size = int(rng.integers(0, 12))
        row = rng.choice(terms, size=size, replace=False) if size else np.zeros(0, np.int64)
        times = rng.integers(1, most + 1, size=size)
        ids.append(row)
        counts.append(times)
        order = [j for j, t in enumerate(times.tolist()) for _ in range(t)]
        rng.shuffle(order)
        places.append(order)
        sizes.append(size)
    row_ptr = np.zeros(passages + 1, dtype=np.uint32)
    np.cumsum(sizes, out=row_ptr[1:])
    flat_ids = np.concatenate(ids).astype(np.int32)
    flat_counts = np.concatenate(counts).astype(np.int32)
    return row_ptr, flat_ids, flat_counts, places


def _saved(folder: Path, name: str, values: np.ndarray[Any, Any]) -> np.memmap[Any, Any]:
    np.save(folder / name, values)
    mapped: np.memmap[Any, Any] = np.load(folder / name, mmap_mode="r")
    return mapped


@pytest.mark.parametrize(
    ("terms", "most"),
    [(5_000, 3), (70_000, 300), (20_000_000, 2)],
    ids=["16 bits", "wide counts", "wide high bits"],
)
def test_reads_give_the_mapped_rows(tmp_path: Path, terms: int, most: int) -> None:
    rng = np.random.default_rng(terms)
    passages = 3 * GROUP + 17
    row_ptr, ids, counts, places = _rows(rng, passages, terms, most)
    split = SplitIds.of(ids)
    entries = _saved(tmp_path, "entries.npy", pack_entries(split, narrowest(counts)))
    low, high = unpack_entries(entries)[0].low, unpack_entries(entries)[0].high
    assert low.dtype == np.uint16 and (high.size == 0) == (terms <= 0x10000)
    lengths = narrowest(np.asarray([len(p) for p in places], dtype=np.int32))
    sequence = narrowest(np.asarray([j for p in places for j in p], dtype=np.int32))
    files = RowFiles.of(entries, _saved(tmp_path, "places.npy", sequence), row_ptr, lengths)
    assert files is not None
    # Rows of any range.
    for lo, hi in [(0, passages), (5, 6), (GROUP - 1, GROUP + 2), (7, 7)]:
        first, last = int(row_ptr[lo]), int(row_ptr[hi])
        assert files.terms(first, last).tolist() == ids[first:last].tolist()
    # Each sentence's terms in order, any sentences (repeats too).
    pick = rng.integers(0, passages, size=80)
    flat, sizes = files.sequences(pick)
    expected = [ids[int(row_ptr[p]) + j] for p in pick.tolist() for j in places[p]]
    assert flat.tolist() == expected
    assert sizes.tolist() == [len(places[p]) for p in pick.tolist()]
    # Counts of wanted terms over spans that overlap, touch, repeat and are empty.
    lo = rng.integers(0, passages, size=60)
    hi = np.minimum(lo + rng.integers(0, 9, size=60), passages)
    lo, hi = np.concatenate([lo, [3, 3, 4, 0]]), np.concatenate([hi, [4, 3, 9, 0]])
    wanted = np.unique(rng.choice(ids, size=25))
    column = np.full(max(terms, int(ids.max()) + 1), -1, dtype=np.int32)
    column[wanted] = np.arange(wanted.size, dtype=np.int32)
    matrix, totals = files.span_counts(lo, hi, column, wanted.size + 1)
    for s, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
        first, last = int(row_ptr[a]), int(row_ptr[b])
        row = dict.fromkeys(range(wanted.size + 1), 0)
        for t, c in zip(ids[first:last].tolist(), counts[first:last].tolist(), strict=True):
            if column[t] >= 0:
                row[int(column[t])] += c
        assert matrix[s].tolist() == list(row.values())
        assert totals[s] == int(lengths[a:b].sum())


def test_a_term_outside_the_lookup_is_an_error_not_a_stray_read(tmp_path: Path) -> None:
    row_ptr = np.asarray([0, 2], dtype=np.uint32)
    split = SplitIds.of(np.asarray([1, 9], dtype=np.int32))
    entries = _saved(tmp_path, "entries.npy", pack_entries(split, np.ones(2, np.uint8)))
    files = RowFiles.of(entries, None, row_ptr, np.asarray([2], dtype=np.uint8))
    assert files is not None
    with pytest.raises(OSError):
        files.span_counts(np.asarray([0]), np.asarray([1]), np.full(5, -1, np.int32), 1)


def test_unmapped_or_unread_layouts_are_left_to_the_arrays() -> None:
    split = SplitIds.of(np.asarray([1, 2], dtype=np.int32))
    ptr, lengths = np.asarray([0, 2], dtype=np.uint32), np.asarray([2], dtype=np.uint8)
    assert RowFiles.of(pack_entries(split, np.ones(2, np.uint8)), None, ptr, lengths) is None
    assert RowFiles.of(np.zeros(2, np.uint32), None, ptr, lengths, reads=None) is None


def test_a_persistent_index_reads_what_its_mapped_arrays_hold(tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    index = open_index(corpus, tmp_path / "index").index
    assert index._files is not None
    mapped = CorpusIndex.__new__(CorpusIndex)
    mapped.__dict__.update({name: getattr(index, name) for name in _state(index)})
    mapped._files = None
    rng = np.random.default_rng(7)
    size = len(index)
    ids = rng.integers(0, size, size=200).tolist()
    assert index.term_sequences(ids) == mapped.term_sequences(ids)
    lo = rng.integers(0, size, size=150)
    hi = np.minimum(lo + rng.integers(0, 30, size=150), size)
    wanted = np.concatenate([rng.integers(0, len(index._term_ids), size=40), [-1, 3, 3]])
    for one, other in zip(
        index.range_term_counts(lo, hi, wanted),
        mapped.range_term_counts(lo, hi, wanted),
        strict=True,
    ):
        assert one.dtype == other.dtype and np.array_equal(one, other)
    for a, b in zip(lo.tolist()[:30], hi.tolist()[:30], strict=True):
        assert index.range_terms(a, b) == mapped.range_terms(a, b)


def _state(index: CorpusIndex) -> list[str]:
    """The attributes of a ``CorpusIndex`` (it has no ``__dict__`` copy of its own)."""
    return list(vars(index))
