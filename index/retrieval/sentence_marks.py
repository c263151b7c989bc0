"""What the re-ranker reads of each sentence's words in order, computed once when it is indexed.

The forward index holds each sentence's distinct terms and counts: enough for sums, not for
order. The re-ranker also asks for order (runs of question terms in a row, an asked-for number
within a few terms of a question term) and whether a sentence opens by pointing back ("It
was ..."). Answering that from the text means reading the article and re-analyzing the
sentence, 50 candidates a question; here it is kept beside the forward index instead:

- ``sequence``: each term occurrence of the sentence, in order, as its place in the sentence's
  forward row (the row lists the distinct terms in order of first appearance, so the places are
  small: one byte each unless a sentence holds over 255 distinct terms). The forward index's
  builder records them as it counts (``ForwardBuilder(places=True)``), so a build pays a few
  microseconds a sentence for them, and no second pass over the words;
- ``flags``: bit ``REFERS_BACK`` when the sentence opens with "It", "He", "This" ...; bit
  ``BRACKET`` when it holds a "(": the long form of an acronym is looked for only in sentences
  that write "... (ACRONYM)", and most of the sentences holding an acronym hold no bracket, so
  their texts need not be read (``index.answering.acronyms``);
- ``titles``, ``title_ptr``: each document's title terms (distinct, space-separated UTF-8,
  document ``d``'s at ``titles[title_ptr[d]:title_ptr[d+1]]``): the re-ranker reads the titles
  of 30 or so candidate articles a question, and analyzing them was a twentieth of an answer.

Sentence ``i``'s occurrences are ``sequence[ptr[i]:ptr[i+1]]`` with ``ptr`` the running sum of
the forward index's lengths (each sentence's number of terms with repeats). The terms are those
of ``Analyzer.term_spans`` on the sentence, which the tests check over whole corpora.

Not kept either: where each term's word starts in the sentence (28 MB at a million sentences,
two thirds of the marks). Only the sentences an answer looks near and the quotes shown need
them, and their texts are read for those anyway, so they are found in the text then: the raw
words that give no term (``dropped``, a few thousand: "the", "The", "it's" ...) are kept
instead, and a sentence's starts are those of its other words (``Analyzer.word_starts``; a
count that disagrees with the sentence's terms, or text in capitals, is analyzed in full).

Not kept: the answer-type and fact patterns' results (matching all of them costs over 150 µs a
sentence at build time, several times a whole build's: they run on the candidates' texts for
the questions that ask for them).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from index.retrieval.forward import narrowest

Unsigned = npt.NDArray[np.unsignedinteger[Any]] | npt.NDArray[np.int32]

# First words that point back to the sentence before ("It was ...", "This triggered ...").
REFERS_BACK_PATTERN = re.compile(
    r"^\W*(it|its|he|his|she|her|they|their|them|this|these|that|those|there|such)\b",
    re.IGNORECASE,
)
REFERS_BACK = 1
BRACKET = 2


def refers_back(text: str) -> bool:
    """Whether a sentence opens by pointing back to the one before ("It was ...")."""
    return REFERS_BACK_PATTERN.match(text) is not None


@dataclass(frozen=True, slots=True)
class SentenceMarks:
    """The marks of every sentence, row ``i`` for passage ``i`` (see the module docstring)."""

    sequence: Unsigned
    flags: npt.NDArray[np.uint8]
    titles: npt.NDArray[np.uint8]
    title_ptr: npt.NDArray[np.int64]
    # The raw words the corpus's sentences hold that give no term (``ForwardBuilder.dropped``):
    # with them, where each term's word starts is found in a sentence's text by one scan.
    dropped: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return int(self.flags.size)

    def title_terms(self, position: int) -> frozenset[str]:
        """The analyzed terms of the title of the document at ``position``."""
        lo, hi = self.title_ptr.item(position), self.title_ptr.item(position + 1)
        return frozenset(np.asarray(self.titles[lo:hi]).tobytes().decode("utf-8").split())


class MarksBuilder:
    """Accumulates ``SentenceMarks`` sentence by sentence, beside a ``ForwardBuilder``."""

    def __init__(self) -> None:
        self._sequence = array("i")
        self._flags = array("B")
        self._titles = bytearray()
        self._title_ptr = array("q", [0])

    def add_title(self, terms: list[str]) -> None:
        """Append the title of the next document given its analyzed ``terms``."""
        self._titles += " ".join(dict.fromkeys(terms)).encode("utf-8")
        self._title_ptr.append(len(self._titles))

    def extend_title(self, marks: SentenceMarks, position: int) -> None:
        """Append the title of another index's document at ``position``."""
        lo, hi = int(marks.title_ptr[position]), int(marks.title_ptr[position + 1])
        self._titles += np.asarray(marks.titles[lo:hi]).tobytes()
        self._title_ptr.append(len(self._titles))

    def add_places(self, places: array[int]) -> None:
        """Append the places of several sentences (``ForwardBuilder.take_places``; their flags
        come with ``add_flags``)."""
        self._sequence.extend(places)

    def add_flags(self, texts: list[str]) -> None:
        """Append the flags of sentences given their ``texts``."""
        match = REFERS_BACK_PATTERN.match
        self._flags.extend(
            [
                (REFERS_BACK if match(text) else 0) | (BRACKET if "(" in text else 0)
                for text in texts
            ]
        )

    def extend(self, marks: SentenceMarks, lo: int, hi: int, first: int, last: int) -> None:
        """Append sentences ``first:last`` of another index's ``marks``, whose occurrences are
        ``lo:hi`` of its sequence (the places are within rows, so they carry over as they are)."""
        self._sequence.frombytes(np.asarray(marks.sequence[lo:hi], dtype=np.int32).tobytes())
        self._flags.frombytes(np.asarray(marks.flags[first:last], dtype=np.uint8).tobytes())

    def append(self, other: MarksBuilder) -> None:
        """Append every sentence and title of ``other`` (the documents that come after ours)."""
        self._sequence.extend(other._sequence)
        self._flags.extend(other._flags)
        base = len(self._titles)
        self._titles += other._titles
        ends = np.frombuffer(other._title_ptr, dtype=np.int64)[1:] + base
        self._title_ptr.frombytes(ends.tobytes())

    def build(self) -> SentenceMarks:
        """The marks, each column in the narrowest unsigned type that holds it."""
        marks = SentenceMarks(
            narrowest(np.frombuffer(self._sequence, dtype=np.int32)),
            np.frombuffer(self._flags, dtype=np.uint8).copy(),
            np.frombuffer(bytes(self._titles), dtype=np.uint8),
            np.frombuffer(self._title_ptr, dtype=np.int64).copy(),
        )
        self._sequence, self._flags = array("i"), array("B")
        self._titles, self._title_ptr = bytearray(), array("q", [0])
        return marks
