"""The compiled word scan (``words.c``) gives the analyzer's token spans on ASCII text."""

from __future__ import annotations

import random

import pytest

from index.retrieval import kernels
from index.text.analyzer import _TOKEN

# The characters the token pattern treats specially, and some it does not.
ALPHABET = "aZ09 .,'`_-:;!?\"()/\t\nU.S"
SAMPLES = [
    "The U.S. said it's 1,000.",
    "a.b.cd e.f g.h.i.j. k..l m,,n o.,p",
    "U.S.A.'s rock'n'roll `quoted` 3.5% well-known x_y",
    "...a. .b. c.d.",
    "",
    "_._",
]


def regex_spans(text: str, skipped: frozenset[str] = frozenset()) -> tuple[list[int], list[int]]:
    matches = [m for m in _TOKEN.finditer(text) if m.group() not in skipped]
    return [m.start() for m in matches], [m.end() for m in matches]


NONE = kernels.WordScanner.skipping(())


def scanner() -> kernels.WordScanner:
    assert kernels.WORDS is not None  # the install compiled it (hatch_build.py)
    return kernels.WORDS


@pytest.mark.parametrize("text", SAMPLES)
def test_the_scan_gives_the_token_patterns_spans(text: str) -> None:
    assert scanner().spans(text, NONE) == regex_spans(text)


def test_the_scan_agrees_with_the_pattern_on_random_ascii() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        assert scanner().spans(text, NONE) == regex_spans(text), text


def test_the_skipped_words_are_left_out_and_only_they() -> None:
    rng = random.Random(8)
    words = ["a", "Z0", "aZ", "09", "a.a.", "U.S", "a'Z", "Don’t", "zz", "b", "0"]
    for _ in range(3000):
        skipped = frozenset(rng.sample(words, rng.randint(0, len(words))))
        text = " ".join(rng.choice([*words, "a,Z", "Za", "00"]) for _ in range(rng.randint(0, 9)))
        table = scanner().skipping(skipped)
        expected = regex_spans(text, skipped) if text.isascii() else None
        assert scanner().spans(text, table) == expected, (text, skipped)


def test_text_that_is_not_ascii_is_left_to_the_pattern() -> None:
    assert scanner().spans("Café ‘owner’ said", NONE) is None
