"""A case-insensitive pattern matched lowered on ASCII text finds what it finds as it is."""

from __future__ import annotations

import random

import pytest

from index.answering import answer_types, question
from index.text.folded import FoldedPattern
from tests.conftest import SEEDS

PATTERNS = [*answer_types._FACT_PATTERNS.values(), question._NUMBER, question._DATE]
WORDS = [
    "Aged",
    "34-YEAR-OLD",
    "£5m",
    "$3",
    "Euros",
    "per cent",
    "10%",
    "Five",
    "HUNDREDS",
    "March",
    "monday",
    "Yesterday",
    "1998",
    "2010s",
    "90s",
    "3KM",
    "Miles",
    "mph",
    "a Few",
    "No",
    "since",
    "Decades",
    "ago",
    "in",
    "two",
    "Weeks",
    "the",
    "U.S.",
    "(34)",
    ",",
    "12,000",
    "6.5",
    "Tonnes",
]


def _texts() -> list[str]:
    rng = random.Random(3)
    texts = [line for path in SEEDS.glob("*.txt") for line in path.read_text().splitlines()]
    for _ in range(3000):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 8))]
        cased = [
            w.upper() if rng.random() < 0.2 else w.title() if rng.random() < 0.3 else w
            for w in words
        ]
        texts.append(rng.choice([" ", ", ", "-"]).join(cased))
    return texts


@pytest.mark.parametrize("folded", PATTERNS, ids=lambda p: p.source[:30])
def test_the_same_matches_at_the_same_places(folded: FoldedPattern) -> None:
    matched = 0
    for text in _texts():
        expected = list(folded.pattern.finditer(text))
        found = list(folded.finditer(text))
        assert [m.span() for m in found] == [m.span() for m in expected], text
        assert [m.group().casefold() for m in found] == [m.group().casefold() for m in expected]
        assert (folded.search(text) is None) == (folded.pattern.search(text) is None)
        matched += bool(expected)
    assert matched > 100  # the texts do hold what the patterns look for


def test_text_that_is_not_ascii_is_matched_case_insensitively() -> None:
    folded = FoldedPattern(r"\bkm\b")
    assert folded.search("3 \u212am away") is not None  # the Kelvin sign folds to "k"
    assert folded.search("3 KM away") is not None and folded.search("3 kg") is None


def test_only_lowercase_patterns_are_taken() -> None:
    with pytest.raises(ValueError):
        FoldedPattern(r"\bKm\b")
    assert FoldedPattern(r"\b\d+\W\s").search("12, ")  # escapes are not letters


def test_patterns_are_compiled_when_first_used() -> None:
    folded = FoldedPattern(r"\bkm\b")
    assert "_cased" not in vars(folded) and "pattern" not in vars(folded)
    assert folded.search("3 KM away") is not None
    assert "_cased" in vars(folded) and "pattern" not in vars(folded)
