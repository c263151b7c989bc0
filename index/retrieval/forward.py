"""The forward index: each passage's distinct terms (as ids) with their counts, as flat arrays.

This is the one structure everything else is derived from: BM25 weights and the term→passage
postings are recomputed from it in vectorised numpy, and a partial rebuild reuses the slices of
unchanged articles without re-segmenting or re-analyzing them.

Term ids are given in order of first appearance in the corpus and each passage lists its terms in
order of first appearance: that is the order rank-bm25 builds its dictionaries in, and keeping it
makes floating-point sums (the Okapi idf floor) come out bit for bit the same.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from index.retrieval.kernels.rows import PYTHON, ROWS, WORDS, RowKernel, WordTable, one_byte_each
from index.text.analyzer import Analyzer

if TYPE_CHECKING:
    from index.retrieval.kernels.reads import RowFiles

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
# Counts and lengths are kept in the narrowest unsigned type that holds them (a sentence rarely
# repeats a term 255 times): a quarter of the memory and disk of int32, the same values.
Counts = npt.NDArray[np.unsignedinteger[Any]] | Int32s
_CHUNK = 1 << 20


class SplitIds:
    """Term ids kept as their low 16 bits (``low``, two bytes each) and, when the vocabulary
    is larger than 65,536 terms, the bits above them (``high``, one byte each unless it is
    over 16.7 million): 3 bytes an entry instead of int32's 4 at a million sentences (65,836
    terms), 2 below 65,536 terms. Indexing with a slice or an array of positions gives the ids
    as int32; ``np.asarray`` gives them all."""

    __slots__ = ("high", "low")

    def __init__(self, low: npt.NDArray[np.uint16], high: Counts) -> None:
        self.low, self.high = low, high

    @classmethod
    def of(cls, terms: Int32s) -> SplitIds:
        """``terms`` split, a million at a time (no full-length temporaries: a build saves
        them at its peak memory)."""
        terms = np.asarray(terms)
        wide = terms.size and int(terms.max()) > 0xFFFF
        low = np.empty(terms.size, dtype=np.uint16)
        high = np.empty(terms.size if wide else 0, dtype=np.int32)
        for lo in range(0, terms.size, _CHUNK):
            part = terms[lo : lo + _CHUNK]
            low[lo : lo + part.size] = part & 0xFFFF
            if wide:
                high[lo : lo + part.size] = part >> 16
        return cls(low, narrowest(high) if wide else np.zeros(0, np.uint8))

    @property
    def size(self) -> int:
        return int(self.low.size)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, at: slice | npt.NDArray[np.integer[Any]]) -> Int32s:
        ids = self.low[at].astype(np.int32)
        if self.high.size:
            ids |= self.high[at].astype(np.int32) << 16
        return ids

    def __array__(self, dtype: Any = None, copy: Any = None) -> Int32s:
        ids = self[slice(None)]
        return ids if dtype is None else ids.astype(dtype)


Ids = Int32s | SplitIds


def entry_type(high: np.dtype[Any] | None, count: np.dtype[Any]) -> np.dtype[Any]:
    """The record of one forward entry on disk: the term id's low 16 bits, its high bits (none
    below 65,536 terms) and the count, side by side, little-endian, so a row of entries is one
    contiguous read (``kernels.reads``)."""
    fields = [("low", np.dtype("<u2"))]
    if high is not None:
        fields.append(("high", np.dtype(high).newbyteorder("<")))
    fields.append(("count", np.dtype(count).newbyteorder("<")))
    return np.dtype(fields)


def pack_entries(terms: SplitIds, counts: npt.NDArray[Any]) -> npt.NDArray[np.void]:
    """``terms`` and ``counts`` as one array of ``entry_type`` records."""
    high = terms.high.dtype if terms.high.size else None
    entries = np.empty(terms.size, dtype=entry_type(high, np.asarray(counts).dtype))
    entries["low"] = terms.low
    if high is not None:
        entries["high"] = terms.high
    entries["count"] = counts
    return entries


def unpack_entries(entries: npt.NDArray[np.void]) -> tuple[SplitIds, Counts]:
    """The term ids and counts of ``entry_type`` records (views, nothing copied)."""
    names = entries.dtype.names or ()
    high = entries["high"] if "high" in names else np.zeros(0, np.uint8)
    return SplitIds(entries["low"], high), entries["count"]


@dataclass(frozen=True, slots=True)
class ForwardIndex:
    """Row ``i`` (a passage) holds ``terms[row_ptr[i]:row_ptr[i+1]]`` with ``counts`` alike.

    ``lengths[i]`` is the passage's number of terms with repeats (BM25's document length).
    ``vocabulary[j]`` is the text of term id ``j``.
    """

    vocabulary: tuple[str, ...]
    row_ptr: Int64s
    terms: Ids  # ``SplitIds`` in a persistent index
    counts: Counts
    lengths: Counts
    # A persistent index's entries file (and marks) read with ``pread`` for the answer path
    # (``kernels.reads``): none for an index in memory, or without the compiled library.
    files: RowFiles | None = None

    def __len__(self) -> int:
        return int(self.row_ptr.size - 1)

    def row(self, passage_id: int) -> tuple[Int32s, Counts]:
        """The distinct term ids of one passage and how often each occurs."""
        lo, hi = int(self.row_ptr[passage_id]), int(self.row_ptr[passage_id + 1])
        return self.terms[lo:hi], self.counts[lo:hi]


class ForwardBuilder:
    """Accumulates analyzed passages into a ``ForwardIndex`` without keeping term lists."""

    def __init__(self, places: bool = False) -> None:
        self.ids: dict[str, int] = {}
        # With ``places``: each term occurrence's place in its passage's row, in text order
        # (``index.retrieval.sentence_marks``), for the caller to ``take_places``.
        self._places = array("i") if places else None
        self._raw_ids: dict[str, int] = {}  # raw word -> term id, -1 for a dropped word
        # The raw words seen that give no term (stopwords, punctuation): whether a raw word is
        # dropped depends on it alone (in text that is not all upper case), so where each term's
        # word starts can be found in a sentence's text without analyzing it again.
        self.dropped: set[str] = set()
        # The ASCII words of ``_raw_ids`` in C, for ``add_texts`` (made on first use).
        self._table: WordTable | None = None
        self._row_ptr = array("q", [0])
        self._terms = array("i")
        self._counts = array("i")
        self._lengths = array("i")
        self.renumber = False

    @classmethod
    def continuing(cls, vocabulary: Sequence[str], places: bool = False) -> ForwardBuilder:
        """A builder whose term ids start as ``vocabulary``'s (new words get the next ids), so
        rows it builds can be appended to an index of that vocabulary as they are."""
        builder = cls(places)
        builder.ids = {word: i for i, word in enumerate(vocabulary)}
        return builder

    def add(self, terms: Sequence[str]) -> None:
        """Append one passage given its analyzed terms (repeats included)."""
        ids = self.ids
        found = [ids.setdefault(term, len(ids)) for term in terms]
        self._append(Counter(found), len(terms), found)

    def add_text(self, text: str, analyzer: Analyzer) -> None:
        """Append one passage given its text: ``add(analyzer.terms(text))``, but faster.

        Indexing sees the same words again and again, so each raw word is mapped to its term id
        once; this is the hot loop of a build.
        """
        if text.isupper():  # shouted text analyzes differently ("US" is "us"): rare, slow path
            self.add(analyzer.terms(text))
            return
        known = self._raw_ids
        raws = analyzer.words(text)
        try:
            found = [known[raw] for raw in raws]
        except KeyError:
            found = [known[raw] if raw in known else self._learn(raw, analyzer) for raw in raws]
        ids = [i for i in found if i >= 0]
        self._append(Counter(ids), len(ids), ids)

    def add_texts(
        self, text: str, spans: Int32s, analyzer: Analyzer, kernel: RowKernel | None = ROWS
    ) -> None:
        """Append one passage per ``(start, end)`` row of ``spans`` in ``text``: the same as
        ``add_text`` of each, runs of plain ASCII sentences in one C call (``kernels.rows``;
        with no ``kernel``, each sentence in Python)."""
        if kernel is None:
            for start, end in spans.tolist():
                self.add_text(text[start:end], analyzer)
            return
        table, places = self._word_table(kernel), self._places
        data, pairs = one_byte_each(text), np.ascontiguousarray(spans, dtype=np.int32).tobytes()
        done, count = 0, len(spans)
        while done < count:
            run = kernel.run(table, data, pairs, done, len(self._terms), places is not None)
            self._terms.frombytes(run.terms)
            self._counts.frombytes(run.counts)
            self._lengths.frombytes(run.lengths)
            self._row_ptr.frombytes(run.ends)
            if places is not None:
                places.frombytes(run.places)
            done = run.stop
            learned = False
            if run.reason == WORDS:  # learned in text order, as ``add_text`` learns them
                known, bounds = self._raw_ids, run.unknown
                for start, end in zip(bounds[::2], bounds[1::2], strict=True):
                    if (raw := text[start:end]) not in known:
                        self._learn(raw, analyzer)
                        learned = True
            # Shouted or not ASCII (or, never expected, words the table lacks and we know).
            if run.reason == PYTHON or (run.reason == WORDS and not learned):
                start, end = spans[done].tolist()
                self.add_text(text[start:end], analyzer)
                done += 1

    def _word_table(self, kernel: RowKernel) -> WordTable:
        """The C copy of the raw-word cache's ASCII words, made from it when first needed."""
        if self._table is None:
            self._table = kernel.table()
            for raw, term_id in self._raw_ids.items():
                if raw.isascii():
                    self._table.put(raw.encode("ascii"), term_id)
        return self._table

    def _learn(self, raw: str, analyzer: Analyzer) -> int:
        term = analyzer.term(raw)
        term_id = -1 if term is None else self.ids.setdefault(term, len(self.ids))
        self._raw_ids[raw] = term_id
        if self._table is not None and raw.isascii():
            self._table.put(raw.encode("ascii"), term_id)
        if term_id < 0:
            self.dropped.add(raw)
        return term_id

    def _append(self, counted: Counter[int], length: int, ids: list[int]) -> None:
        if self._places is not None:  # the row lists the ids in order of first appearance
            place = {term: j for j, term in enumerate(counted)}
            self._places.extend(map(place.__getitem__, ids))
        self._terms.extend(counted.keys())
        self._counts.extend(counted.values())
        self._lengths.append(length)
        self._row_ptr.append(len(self._terms))

    def take_places(self) -> array[int]:
        """The places recorded since the last call (see ``places``), handed over."""
        if self._places is None:
            raise ValueError("this builder records no places")
        taken = self._places
        self._places = array("i")
        return taken

    def extend(self, forward: ForwardIndex, first: int, last: int, ids: Int64s) -> None:
        """Append rows ``first:last`` of another index; ``ids`` maps its term ids to ours."""
        lo, hi = int(forward.row_ptr[first]), int(forward.row_ptr[last])
        self._terms.frombytes(ids[np.asarray(forward.terms[lo:hi])].astype(np.int32).tobytes())
        self._counts.frombytes(np.asarray(forward.counts[lo:hi], dtype=np.int32).tobytes())
        self._lengths.frombytes(np.asarray(forward.lengths[first:last], dtype=np.int32).tobytes())
        ends = np.asarray(forward.row_ptr[first + 1 : last + 1], dtype=np.int64) - lo
        self._row_ptr.frombytes((ends + self._row_ptr[-1]).tobytes())
        # Reused rows interleave with new ones: ids are no longer in first-appearance order.
        self.renumber = True

    def append(self, other: ForwardBuilder) -> None:
        """Append every row of ``other``, a builder of the passages that come after ours: its
        words new to us get the next ids in its order, so ids stay in order of first appearance
        (as if one builder had taken every passage). Places (if recorded) must have been taken."""
        ids = self.map_terms(list(other.ids)).astype(np.int32)
        terms = np.frombuffer(other._terms, dtype=np.int32)
        self._terms.frombytes(ids[terms].tobytes())
        self._counts.extend(other._counts)
        self._lengths.extend(other._lengths)
        ends = np.frombuffer(other._row_ptr, dtype=np.int64)[1:] + self._row_ptr[-1]
        self._row_ptr.frombytes(ends.tobytes())
        self.renumber = self.renumber or other.renumber
        self.dropped |= other.dropped

    def forget_words(self) -> None:
        """Drop the raw-word cache (only adding passages uses it; it is large)."""
        self._raw_ids, self._table = {}, None

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the C word table (an address in this process); it is made again
        from the raw-word cache when needed."""
        return {**self.__dict__, "_table": None}

    def map_terms(self, vocabulary: Sequence[str]) -> Int64s:
        """Our ids for another index's vocabulary (new words get new ids)."""
        ids = self.ids
        return np.asarray([ids.setdefault(word, len(ids)) for word in vocabulary], dtype=np.int64)

    def build(self) -> ForwardIndex:
        """The index, sharing the builder's buffers (no copy: a build's peak memory holds one
        set of columns); the builder can take no more passages afterwards."""
        terms = np.frombuffer(self._terms, dtype=np.int32)
        words = list(self.ids)
        if self.renumber:
            terms, words = _first_appearance(terms, words)
        self.forget_words()  # the raw-word cache is only for adding passages
        counts = narrowest(np.frombuffer(self._counts, dtype=np.int32))
        lengths = narrowest(np.frombuffer(self._lengths, dtype=np.int32))
        self._counts, self._lengths = array("i"), array("i")  # free the wide copies
        return ForwardIndex(
            vocabulary=tuple(words),
            row_ptr=np.frombuffer(self._row_ptr, dtype=np.int64),
            terms=terms,
            counts=counts,
            lengths=lengths,
        )


def narrow_offsets(ptr: Int64s) -> npt.NDArray[np.uint32] | Int64s:
    """Offsets (``row_ptr``) as uint32 when the last one fits: half of int64 on disk."""
    if ptr.size and int(ptr[-1]) > np.iinfo(np.uint32).max:
        return ptr
    return ptr.astype(np.uint32)


def narrowest(values: Int32s) -> Counts:
    """``values`` (never negative) in the narrowest unsigned type that holds them all."""
    top = int(values.max()) if values.size else 0
    if top <= np.iinfo(np.uint8).max:
        return values.astype(np.uint8)
    if top <= np.iinfo(np.uint16).max:
        return values.astype(np.uint16)
    return values


def _first_appearance(terms: Int32s, words: list[str]) -> tuple[Int32s, list[str]]:
    """Renumber term ids by first appearance (rank-bm25's dictionary order); drop unused words."""
    first = np.full(len(words), terms.size, dtype=np.int64)
    np.minimum.at(first, terms, np.arange(terms.size, dtype=np.int64))  # O(n), no sort
    used = np.flatnonzero(first < terms.size)
    order = used[np.argsort(first[used], kind="stable")]
    renumber = np.zeros(len(words), dtype=np.int32)
    renumber[order] = np.arange(order.size, dtype=np.int32)
    return renumber[terms], [words[i] for i in order]


def forward_of(corpus: Iterable[Sequence[str]]) -> ForwardIndex:
    """A forward index of already-analyzed passages (tests and the reference engine's input)."""
    builder = ForwardBuilder()
    for terms in corpus:
        builder.add(terms)
    return builder.build()
