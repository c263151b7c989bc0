from __future__ import annotations

import pytest

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
