"""The forward index's rows of a document's sentences computed in C (``words.c``), when the
install could build it.

A build spends most of its time turning sentences into rows: the word pattern, a dictionary
lookup per raw word, a ``Counter`` and the places of the term words, ~2 µs a word in Python.
The C scan does the same for a run of sentences in one call, looking the raw words up in its
own copy of ``ForwardBuilder``'s raw word -> term id table. Learning a word (normalizing and
stemming it) stays in Python: a sentence with a word the table lacks, a character that is not
ASCII or shouted text ends a run, and the builder adds that sentence in Python, which puts its
new words in the table. The rows, ids and first-seen order are therefore exactly Python's.
Without the library (``VERBATIM_KERNELS=off``, no compiler, other sources) ``ROWS`` is
``None`` and every sentence takes the Python path.
"""

from __future__ import annotations

import codecs
import ctypes
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from index.retrieval.kernels import LIBRARY, compiled_with

_P = ctypes.c_void_p
_I = ctypes.c_int64
_WIDE = "verbatim.wide"


def _wide(error: UnicodeError) -> tuple[str, int]:
    """Each character past Latin-1 as one byte past ASCII (offsets stay character offsets)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "\x80" * (error.end - error.start), error.end


codecs.register_error(_WIDE, _wide)


def one_byte_each(text: str) -> bytes:
    """``text`` with one byte per character, ASCII as itself and every other character as a
    byte of 0x80 or more (which the scan leaves to Python)."""
    return text.encode("latin-1", _WIDE)


class WordTable:
    """A C table of raw words (ASCII bytes) and their term ids (-1: the word gives none),
    freed with this object."""

    def __init__(self, kernel: RowKernel) -> None:
        pointer = kernel.new()
        if not pointer:
            raise MemoryError("no memory for the word table")
        self.pointer: int = pointer
        self._put, self._get = kernel.put, kernel.get
        self._finalizer = weakref.finalize(self, kernel.free, pointer)

    def put(self, word: bytes, term_id: int) -> None:
        if not word:
            raise ValueError("an empty word is never looked up")
        if not self._put(self.pointer, word, len(word), term_id):
            raise MemoryError("no memory for the word table")

    def get(self, word: bytes) -> int | None:
        """The term id of ``word``, or ``None`` when the table does not hold it."""
        found = int(self._get(self.pointer, word, len(word)))
        return None if found == -2 else found


# Why a run stopped (``verbatim_rows``): every sentence done, words to learn, a sentence for
# Python (shouted or not ASCII), the buffers full (grown for the next run).
DONE, WORDS, PYTHON, ROOM = range(4)


class Run(NamedTuple):
    """The rows of the sentences from the run's first to ``stop`` (see ``RowKernel.run``), as
    bytes of the kernel's buffers (``views``: terms, counts, places, lengths, row ends), valid
    until its next run on this thread: a builder appends them as they are."""

    stop: int
    reason: int
    terms: memoryview  # int32 each, as are counts, places and lengths; ends int64
    counts: memoryview
    places: memoryview
    lengths: memoryview
    ends: memoryview
    unknown: list[int]  # with WORDS: the start and end of each word to learn, in turn


class _Buffers:
    """One thread's output arrays, their addresses (asking numpy costs microseconds) and their
    bytes."""

    def __init__(self, room: int, rows: int) -> None:
        self.room, self.rows = room, rows
        self.arrays: tuple[Any, ...] = (
            *(np.empty(room, dtype=np.int32) for _ in range(3)),
            np.empty(rows, dtype=np.int32),
            np.empty(rows, dtype=np.int64),
            np.empty(2 * room, dtype=np.int32),
            np.zeros(4, dtype=np.int64),
        )
        self.addresses = tuple(int(array.ctypes.data) for array in self.arrays)
        self.views = tuple(memoryview(array).cast("B") for array in self.arrays[:5])


class RowKernel:
    """``verbatim_rows`` and its word table's functions (``words.c``)."""

    def __init__(self, library: ctypes.CDLL) -> None:
        functions = {
            "new": ([], _P),
            "free": ([_P], None),
            "put": ([_P, ctypes.c_char_p, _I, _I], _I),
            "get": ([_P, ctypes.c_char_p, _I], _I),
        }
        for name, (argtypes, restype) in functions.items():
            function = getattr(library, f"verbatim_table_{name}")
            function.argtypes, function.restype = argtypes, restype
        self.new: Callable[[], int | None] = library.verbatim_table_new
        self.free: Callable[[int], None] = library.verbatim_table_free
        self.put: Callable[[int, bytes, int, int], int] = library.verbatim_table_put
        self.get: Callable[[int, bytes, int], int] = library.verbatim_table_get
        self._rows = library.verbatim_rows
        self._rows.argtypes = [_P, ctypes.c_char_p, ctypes.c_char_p, *[_I] * 5, *[_P] * 7]
        self._rows.restype = _I
        self._local = threading.local()

    def table(self) -> WordTable:
        return WordTable(self)

    def run(
        self, table: WordTable, text: bytes, spans: bytes, first: int, base: int, places: bool
    ) -> Run:
        """The rows of sentences ``first``, ``first + 1``, ... of ``text`` (``one_byte_each``;
        ``spans``: each sentence's start and end as int32 pairs) up to the first that needs
        Python or words learned (``Run.stop``; the number of sentences when none does): each
        row's distinct term ids in order of first appearance, their counts, the places of its
        term words in it (when ``places``), its number of term words and where its terms end
        in the builder's ``terms`` counting from ``base``."""
        count = len(spans) // 8
        held = getattr(self._local, "buffers", None)
        buffers: _Buffers = held if held is not None else self._grown(1 << 14, 1 << 10)
        at = buffers.addresses
        stop = self._rows(
            table.pointer,
            text,
            spans,
            first,
            count,
            base,
            buffers.room,
            buffers.rows,
            at[0],
            at[1],
            at[2] if places else None,
            at[3],
            at[4],
            at[5],
            at[6],
        )
        terms, places_done, lacking, reason = buffers.arrays[6].tolist()
        if reason == ROOM:  # the next run gets room for the rest of the document
            rest = np.frombuffer(spans, dtype=np.int32).reshape(-1, 2)[stop:]
            need = int((rest[:, 1] - rest[:, 0]).sum()) // 2 + len(rest) + 1
            self._grown(max(need, 2 * buffers.room), max(len(rest), 2 * buffers.rows))
        rows, views = stop - first, buffers.views
        return Run(
            stop,
            reason,
            views[0][: 4 * terms],
            views[1][: 4 * terms],
            views[2][: 4 * places_done if places else 0],
            views[3][: 4 * rows],
            views[4][: 8 * rows],
            buffers.arrays[5][: 2 * lacking].tolist() if lacking else [],
        )

    def _grown(self, room: int, rows: int) -> _Buffers:
        buffers = _Buffers(room, rows)
        self._local.buffers = buffers
        return buffers


def load_rows(library: Path = LIBRARY) -> RowKernel | None:
    """The compiled rows of a build, or ``None`` (see ``kernels.compiled``)."""
    found = compiled_with("verbatim_rows", library)
    return None if found is None else RowKernel(found)


ROWS = load_rows()
