"""The sentence marks of an index being built: new sentences marked, unchanged ones copied.

``index.retrieval.sentence_marks`` says what the marks are; this is the builder's side of them,
kept out of ``index.storage.builder`` so that module only calls ``add`` and ``reuse``. A reused
article's marks are copied from the previous index like its forward rows (the places in
``sequence`` are within a sentence's row, which is copied whole, so they hold as they are).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from index.retrieval.sentence_marks import MarksBuilder, SentenceMarks
from index.storage.format import IndexData
from index.text.analyzer import Analyzer

Rows = npt.NDArray[np.int32]


class MarksParts:
    """Collects the marks of each document in the order the builder adds documents."""

    def __init__(self, previous: IndexData | None, analyzer: Analyzer) -> None:
        self._builder = MarksBuilder()
        self._analyzer = analyzer
        old = previous.marks if previous is not None else None
        # Plain views: slicing an ``np.memmap`` runs Python code, once per reused article.
        self._old = (
            None
            if old is None or previous is None
            else (
                SentenceMarks(
                    old.sequence.view(np.ndarray),
                    np.asarray(old.flags),
                    np.asarray(old.titles),
                    np.asarray(old.title_ptr),
                ),
                _pointers(previous),
            )
        )

    def add(self, title: str, text: str, rows: Rows, places: array[int]) -> None:
        """Mark the ``title`` and the sentences ``rows`` (passage rows: start and end in
        columns 3 and 4) of a new or changed document's ``text``, whose term places the
        forward builder gave (``ForwardBuilder.take_places``)."""
        self._builder.add_title(self._analyzer.terms(title))
        self._builder.add_places(places)
        self._builder.add_flags([text[start:end] for start, end in rows[:, 3:5].tolist()])

    def reuse(
        self, old_doc: int, title: str, span: tuple[int, int], text: Callable[[], str], rows: Rows
    ) -> None:
        """Copy the marks of the previous index's document ``old_doc`` (its sentences
        ``span``); mark its ``title`` and ``text`` when the previous index kept none."""
        first, last = span
        if self._old is None:
            whole = text()
            places = array("i")
            for start, end in rows[:, 3:5].tolist():
                places.extend(_places(self._analyzer.terms(whole[start:end])))
            self.add(title, whole, rows, places)
            return
        marks, ptr = self._old
        self._builder.extend_title(marks, old_doc)
        self._builder.extend(marks, int(ptr[first]), int(ptr[last]), first, last)

    def absorb(self, other: MarksParts) -> None:
        """Append the marks of ``other`` (the next documents, marked elsewhere) after ours."""
        self._builder.append(other._builder)

    def __getstate__(self) -> dict[str, object]:
        """Pickled by the two-core build's worker: the analyzer and old views stay behind."""
        return {**self.__dict__, "_analyzer": None, "_old": None}

    def build(self) -> SentenceMarks:
        return self._builder.build()


def _pointers(previous: IndexData) -> npt.NDArray[np.int64]:
    """Where each of the previous index's sentences starts in its marks' ``sequence``."""
    lengths = np.asarray(previous.forward.lengths)
    ptr = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    return ptr


def _places(terms: Sequence[str]) -> list[int]:
    """Each term's place among the distinct terms in order of first appearance."""
    place: dict[str, int] = {}
    return [place.setdefault(term, len(place)) for term in terms]
