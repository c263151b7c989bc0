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


def regex_spans(text: str) -> tuple[list[int], list[int]]:
    matches = list(_TOKEN.finditer(text))
    return [m.start() for m in matches], [m.end() for m in matches]


def scanner() -> kernels.WordScanner:
    assert kernels.WORDS is not None  # the install compiled it (hatch_build.py)
    return kernels.WORDS


@pytest.mark.parametrize("text", SAMPLES)
def test_the_scan_gives_the_token_patterns_spans(text: str) -> None:
    assert scanner().spans(text) == regex_spans(text)


def test_the_scan_agrees_with_the_pattern_on_random_ascii() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        assert scanner().spans(text) == regex_spans(text), text


def test_text_that_is_not_ascii_is_left_to_the_pattern() -> None:
    assert scanner().spans("Café ‘owner’ said") is None
