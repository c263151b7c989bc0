"""The URL check's ASCII shortcut finds the characters the per-character check finds."""

from __future__ import annotations

import random

from index.ingest.urls import _is_blank_or_control, has_blank_or_control, is_web_url, split_web_url


def per_character(text: str) -> bool:
    return any(_is_blank_or_control(char) for char in text)


def test_every_ascii_character_alone_and_in_a_url() -> None:
    for code in range(128):
        char = chr(code)
        assert has_blank_or_control(char) == per_character(char), code
        url = f"https://example.org/a{char}b"
        assert has_blank_or_control(url) == per_character(url), code


def test_random_text_ascii_or_not() -> None:
    rng = random.Random(9)
    alphabet = "ab/:.?# \t\x00\x1f\x7f\u00a0\u200b\u2028é東"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert has_blank_or_control(text) == per_character(text), repr(text)


def test_urls_with_spaces_or_controls_are_refused() -> None:
    assert is_web_url("https://example.org/news/1")
    assert not is_web_url("https://example.org/a b")
    assert not is_web_url("https://example.org/a\x07b")
    assert not is_web_url("https://example.org/a\u200bb")  # a format character, not ASCII


def test_the_plain_url_shortcut_agrees_with_splitting() -> None:
    rng = random.Random(4)
    starts = ["http://", "https://", "HTTPS://", "ftp://", "http:/", "http://user@", "", "//"]
    alphabet = "aaZZ0099..--//?#:@[]_~% \t\x00\x7fé"
    for _ in range(5000):
        rest = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        url = rng.choice(starts) + rest
        assert is_web_url(url) == split_web_url(url), repr(url)
    long = "https://example.org/" + "a" * 2100
    assert not is_web_url(long) and not split_web_url(long)
