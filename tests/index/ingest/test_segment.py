from __future__ import annotations

import random
import re

import pytest
from sentencex import segment

from index.ingest.segment import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. Army said Lt. Gen. Smith arrived. He left at 3.5 p.m. on Monday.",
            ["The U.S. Army said Lt. Gen. Smith arrived.", "He left at 3.5 p.m. on Monday."],
        ),
        (
            "He called them “cannon fodder.” Then he left.",
            ["He called them “cannon fodder.”", "Then he left."],
        ),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        (
            "Prices rose 2.5% in 2022. Mr. Jones disagreed.",
            ["Prices rose 2.5% in 2022.", "Mr. Jones disagreed."],
        ),
        ("He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
        ("Did it work? Yes! It did.", ["Did it work?", "Yes!", "It did."]),
        ("Between 10,000 and 12,000 troops.", ["Between 10,000 and 12,000 troops."]),
        ("1. The first point is this.", ["1. The first point is this."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_are_offsets_into_the_whole_text() -> None:
    text = "Title\n  First one. Second one.  \nNext"
    start = text.index("First")
    end = text.index("\nNext")
    spans = sentence_spans(text, start, end)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one."]
    assert spans[0][0] == start


def test_blank_text_has_no_sentences() -> None:
    assert sentence_spans("   \n ") == []


def merged_by_search(text: str) -> list[tuple[int, int]]:
    """The spans as first written: each piece trimmed, and a span without a letter (searched
    for in the text once the next piece comes) merged into the next, the last into the one
    before it."""
    letter = re.compile(r"[^\W\d_]")
    spans: list[tuple[int, int]] = []
    position = 0
    for piece in segment("en", text):
        piece_start, position = position, position + len(piece)
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        span = (piece_start + lead, piece_start + lead + len(stripped))
        if spans and not letter.search(text[spans[-1][0] : spans[-1][1]]):
            span = (spans.pop()[0], span[1])
        spans.append(span)
    if len(spans) > 1 and not letter.search(text[spans[-1][0] : spans[-1][1]]):
        last = spans.pop()
        spans[-1] = (spans[-1][0], last[1])
    return spans


def test_spans_merge_letterless_pieces_as_a_search_of_the_text_would() -> None:
    # Markers, numbers and marks alone ("1.", "—", "*") between and after sentences.
    rng = random.Random(4)
    parts = ["It rose.", "1.", "—", "*", " ", "\n", "Why?", "3.5", "é!", "No.", "_.", "Mr. Li"]
    for _ in range(3000):
        text = " ".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert sentence_spans(text) == merged_by_search(text), text
