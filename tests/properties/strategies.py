"""Hypothesis strategies for the bad input users really have: odd bytes, names, trees, questions.

Examples are bounded (see ``settings`` in each test) so the whole suite stays within ``make
test``'s time on two cores.
"""

from __future__ import annotations

import os

from hypothesis import strategies as st

CONTROLS = st.sampled_from(["\x00", "\x07", "\x1b[2J", "\x1b]0;title\x07", "\x9b", "\r", "\x7f"])
NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x85", "\x0c"])
WORDS = st.sampled_from(
    ["The", "fleet", "sailed", "north.", "Kursk", "12,000", "troops", "“quoted”", "café", "…"]
)


@st.composite
def article_text(draw: st.DrawFn) -> str:
    """Text shaped like an article, with controls, odd newlines and huge lines mixed in."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        parts = draw(st.lists(st.one_of(WORDS, CONTROLS, st.text(max_size=12)), max_size=12))
        line = " ".join(parts)
        if draw(st.integers(0, 19)) == 0:
            line *= draw(st.integers(100, 2000))  # a huge line
        lines.append(line)
    separator = draw(NEWLINES)
    return separator.join(lines)


@st.composite
def article_bytes(draw: st.DrawFn) -> bytes:
    """Random binary, truncated UTF-8, BOMs (UTF-8 and UTF-16) and article-shaped text."""
    text = draw(article_text())
    shape = draw(st.sampled_from(["utf8", "bom", "utf16", "truncated", "binary", "front"]))
    if shape == "binary":
        return draw(st.binary(max_size=600))
    if shape == "utf16":
        return text.encode("utf-16")
    if shape == "front":
        front = draw(st.text(max_size=80))
        return f"---\n{front}\n---\n{text}".encode("utf-8", "surrogatepass")
    raw = text.encode("utf-8", "surrogatepass")
    if shape == "bom":
        return b"\xef\xbb\xbf" + raw
    if shape == "truncated" and raw:
        return raw[: draw(st.integers(0, len(raw) - 1))] + b"\xe2\x80"
    return raw


# File names as bytes: not UTF-8, newlines, very long, leading dots and dashes, odd suffixes.
NAME_BYTES = st.builds(
    lambda prefix, body, suffix: prefix + body + suffix,
    st.sampled_from([b"", b".", b"-", b"--", b"#", b" ", b"-n "]),
    st.binary(min_size=1, max_size=40).map(
        lambda raw: raw.replace(b"/", b"_").replace(b"\x00", b"_")
    )
    | st.sampled_from([b"caf\xe9", b"new\nline", b"\x1b[2J", b"a" * 200, b"\xff\xfe"]),
    st.sampled_from([b".txt", b".md", b".markdown", b".TXT", b"", b".txt~", b".swp"]),
).filter(lambda name: name not in (b".", b"..") and len(name) <= 250)


QUESTIONS = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.builds(
        lambda words, markup: " ".join(words) + markup,
        st.lists(WORDS, max_size=10),
        st.sampled_from(["", "?", "<@123>", "<#5>", "**bold**", "\x00", "@everyone", "\u202e"]),
    ),
    st.just("Kursk " * 1700),  # 10k characters
)


def fsencode(path: str | os.PathLike[str]) -> bytes:
    return os.fsencode(path)
