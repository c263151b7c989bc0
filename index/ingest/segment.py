"""Split paragraphs into sentence spans with exact character offsets.

sentencex (Wikimedia's rule-based segmenter, compiled) returns pieces that tile the input exactly,
so offsets are a running sum; we only trim the whitespace around each piece. It knows
abbreviations ("U.S.", "Lt. Gen."), decimals, ellipses and quotes that end sentences.
"""

from __future__ import annotations

import re

from sentencex import segment as _sentencex_segment

from index.model import Document

# A piece with no letter at all ("1.", "—", "*") is a list marker or stray mark, not a sentence.
_HAS_LETTER = re.compile(r"[^\W\d_]")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences in ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    position = start
    # Whether the last span holds a letter, found on its piece when it is made (a span merged
    # into it had none), not by searching the text again when the next piece comes.
    lettered, search = True, _HAS_LETTER.search
    for piece in _sentencex_segment("en", text[start:end]):
        piece_start, position = position, position + len(piece)
        body = piece.lstrip()
        stripped = body.rstrip()
        if not stripped:
            continue
        first = piece_start + len(piece) - len(body)
        span = (first, first + len(stripped))
        if spans and not lettered:
            span = (spans.pop()[0], span[1])
        spans.append(span)
        lettered = search(stripped) is not None
    if len(spans) > 1 and not lettered:
        last = spans.pop()
        spans[-1] = (spans[-1][0], last[1])
    return spans


# (document position, paragraph, sentence, start, end) of one sentence passage.
PassageRow = tuple[int, int, int, int, int]


def passage_rows(document: Document, position: int) -> list[PassageRow]:
    """``(document position, paragraph, sentence, start, end)`` of each sentence of a document."""
    rows: list[PassageRow] = []
    for paragraph in document.paragraphs:
        spans = sentence_spans(document.text, paragraph.start, paragraph.end)
        for number, (start, end) in enumerate(spans, start=1):
            rows.append((position, paragraph.number, number, start, end))
    return rows
