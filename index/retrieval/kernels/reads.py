"""The answer path's reads of a persistent index's forward rows and sentence marks, with
``pread`` in C (``reads.c``) rather than through the mapped files.

An answer reads the rows of a few hundred sentences scattered over the corpus (the candidates'
paragraphs, the terms in order of a few dozen). Mapped, every first touch of a page makes the
kernel map the 64 KB around it, so a thousand questions left the whole forward files (65 MB at
a million sentences) resident; ``madvise`` does not stop it. Read here, nothing of them stays
in memory, and each batch is one call (a read per run of consecutive sentences; the entries
file holds a term's id and count side by side, so a row is one read).

``RowFiles.of`` gives ``None`` without the compiled library or for a layout the C code does
not read (then the caller reads the mapped arrays, the same values).
"""

from __future__ import annotations

import ctypes
import os
import threading
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from index.retrieval.kernels import LIBRARY, compiled_with

_P = ctypes.c_void_p
_I = ctypes.c_int64
Ints = npt.NDArray[np.int64]
Int32s = npt.NDArray[np.int32]
# Sentences per stored start of their places (``RowFiles.checkpoints``; ``reads.c`` sums the
# lengths from one to the next).
GROUP = 64


class _Entries(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_int64)
        for name in ("fd", "offset", "size", "high_at", "high_size", "count_at", "count_size")
    ]


class _Reads:
    """The three functions of ``reads.c``."""

    def __init__(self, library: ctypes.CDLL) -> None:
        self.terms = library.verbatim_entry_terms
        self.terms.argtypes = [_P, _I, _I, _P]
        self.counts = library.verbatim_span_counts
        self.counts.argtypes = [_P, _P, _I, _P, _I, _P, _P, _P, _I, _P, _I, _I, _P, _P]
        self.sequences = library.verbatim_sequences
        self.sequences.argtypes = [_P, _I, _I, _I, _P, _I, _P, _I, _P, _P, _I, _P, _P]
        for function in (self.terms, self.counts, self.sequences):
            function.restype = _I


def _load(library: Path = LIBRARY) -> _Reads | None:
    found = compiled_with("verbatim_sequences", library)
    return None if found is None else _Reads(found)


READS = _load()


def _unsigned(values: npt.NDArray[Any]) -> bool:
    """Whether the C code reads ``values`` as they are: native, C-contiguous unsigned integers
    of 1, 2 or 4 bytes, or int64 (offsets), never negative."""
    kind, size = values.dtype.kind, values.dtype.itemsize
    native = values.dtype.isnative and values.flags.c_contiguous
    return native and ((kind == "u" and size in (1, 2, 4)) or (kind == "i" and size in (4, 8)))


def _little(dtype: np.dtype[Any]) -> bool:
    return dtype.kind == "u" and dtype.itemsize in (1, 2, 4) and dtype.byteorder in "<|="


class RowFiles:
    """The forward entries file (``forward.ENTRY_FIELDS`` records) and the marks' places file of
    an open index, each a descriptor and where its data starts, with the mapped row offsets and
    lengths (small, read in place)."""

    def __init__(
        self,
        entries: tuple[Path, int, np.dtype[Any]],
        places: tuple[Path, int, np.dtype[Any]] | None,
        row_ptr: npt.NDArray[Any],
        lengths: npt.NDArray[Any],
        reads: _Reads,
    ) -> None:
        path, offset, dtype = entries
        fields: dict[str, Any] = dict(dtype.fields or {})
        high = fields.get("high")
        self._entries = _Entries(
            os.open(path, os.O_RDONLY),
            offset,
            dtype.itemsize,
            -1 if high is None else high[1],
            0 if high is None else high[0].itemsize,
            fields["count"][1],
            fields["count"][0].itemsize,
        )
        weakref.finalize(self, os.close, self._entries.fd)
        self._places: tuple[int, int, int] | None = None
        if places is not None:
            fd = os.open(places[0], os.O_RDONLY)
            weakref.finalize(self, os.close, fd)
            self._places = (fd, places[1], places[2].itemsize)
        self._address = ctypes.addressof(self._entries)
        self.row_ptr, self.lengths = row_ptr, lengths
        self._ptr = (row_ptr.ctypes.data, row_ptr.dtype.itemsize)
        self._length = (lengths.ctypes.data, lengths.dtype.itemsize)
        self._reads = reads
        self._checkpoints: Ints | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(
        cls,
        entries: npt.NDArray[Any],
        places: npt.NDArray[Any] | None,
        row_ptr: npt.NDArray[Any],
        lengths: npt.NDArray[Any],
        reads: _Reads | None = READS,
    ) -> RowFiles | None:
        """The reader of mapped ``entries`` (and ``places``) arrays' files, or ``None`` when
        the library is missing or a layout is not one ``reads.c`` reads."""
        if reads is None or not isinstance(entries, np.memmap) or entries.filename is None:
            return None
        fields = entries.dtype.fields or {}
        layout = fields.get("low") is not None and fields["low"][1] == 0
        layout = layout and all(_little(kind) for kind, *_ in fields.values())
        layout = layout and fields["low"][0].itemsize == 2 and "count" in fields
        ptr, sizes = np.asarray(row_ptr), np.asarray(lengths)
        if not layout or not (_unsigned(ptr) and _unsigned(sizes)):
            return None
        place = None
        if places is not None:
            if not isinstance(places, np.memmap) or places.filename is None:
                return None
            if not _little(places.dtype):
                return None
            place = (Path(places.filename), int(places.offset), places.dtype)
        path = Path(entries.filename)
        return cls((path, int(entries.offset), entries.dtype), place, ptr, sizes, reads)

    def terms(self, first: int, last: int) -> Int32s:
        """The term ids of entries ``first:last`` (rows side by side)."""
        ids = np.empty(max(last - first, 0), dtype=np.int32)
        if ids.size and self._reads.terms(self._address, first, last, ids.ctypes.data) < 0:
            raise OSError("could not read the forward entries")
        return ids

    def span_counts(self, lo: Ints, hi: Ints, column: Int32s, width: int) -> tuple[Ints, Ints]:
        """How often each term occurs in each span of sentences ``lo[s]:hi[s]`` (column
        ``column[term]`` of a ``width``-wide matrix, -1 for a term not counted) and each span's
        number of terms with repeats."""
        lo = np.ascontiguousarray(lo, dtype=np.int64)
        hi = np.ascontiguousarray(hi, dtype=np.int64)
        order = np.argsort(lo, kind="stable")
        out = np.empty((lo.size, width), dtype=np.int64)
        lengths = np.empty(lo.size, dtype=np.int64)
        failed = self._reads.counts(
            self._address,
            *self._ptr,
            *self._length,
            lo.ctypes.data,
            hi.ctypes.data,
            order.ctypes.data,
            lo.size,
            column.ctypes.data,
            column.size,
            width,
            out.ctypes.data,
            lengths.ctypes.data,
        )
        if failed:
            raise OSError("could not read the forward entries")
        return out, lengths

    def sequences(self, ids: Ints) -> tuple[Int32s, Ints]:
        """Each sentence's term ids in order (its places mapped through its row), end to end,
        and how many each has."""
        if self._places is None:
            raise ValueError("the index keeps no sentence marks")
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        total = int(np.asarray(self.lengths[ids]).sum(dtype=np.int64)) if ids.size else 0
        out = np.empty(total, dtype=np.int32)
        sizes = np.empty(ids.size, dtype=np.int64)
        fd, offset, size = self._places
        written = self._reads.sequences(
            self._address,
            fd,
            offset,
            size,
            *self._ptr,
            *self._length,
            self.checkpoints().ctypes.data,
            ids.ctypes.data,
            ids.size,
            out.ctypes.data,
            sizes.ctypes.data,
        )
        if written != total:
            raise OSError("could not read the sentence marks")
        return out, sizes

    def checkpoints(self) -> Ints:
        """Where the places of sentences 0, 64, 128 ... start (summed on first use: 8 bytes
        every 64 sentences instead of every sentence's start)."""
        found = self._checkpoints
        if found is None:
            with self._lock:
                lengths = np.asarray(self.lengths)
                found = np.zeros(-(-lengths.size // GROUP) + 1, dtype=np.int64)
                if lengths.size:
                    starts = np.arange(0, lengths.size, GROUP)
                    np.cumsum(np.add.reduceat(lengths, starts, dtype=np.int64), out=found[1:])
                self._checkpoints = found
        return found
