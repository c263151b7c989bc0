"""The plain-text parser gives what the general line helpers (``_lines``, ``_split_source_line``,
``_paragraphs``, which Markdown uses) give, on the shipped articles and random odd text."""

from __future__ import annotations

import random
from dataclasses import fields
from pathlib import Path

import pytest

from index.errors import ArticleError
from index.ingest import loader
from index.model import Document

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
PIECES = [
    "Ministers signed the treaty.",
    "  An indented line. ",
    "",
    " ",
    "\t",
    "\u3000",
    "Source: news0.example.com",
    "Original Source: https://example.org/a?b=1",
    "source:",
    "SOURCE :  not a url",
    "A line\u2028split oddly.",
    "Form\x0cfeed",
    "Zoë’s café — “quoted”.",
]
ENDS = ["\n", "\r\n", "\r", "\u2029", "\x85", ""]


def reference(text: str, path: str) -> Document:
    """The parser as it was: one ``_Line`` per line, then the general helpers."""
    lines = loader._lines(text, 0, len(text))
    at = next((i for i, line in enumerate(lines) if line.text.strip()), None)
    if at is None:
        raise ArticleError(Path(path), "empty file")
    body, url = loader._split_source_line(lines[at + 1 :], path)
    paragraphs = loader._paragraphs(body)
    if not paragraphs:
        raise ArticleError(Path(path), "no body text after the title")
    return Document(0, path, lines[at].text.strip(), url, text, paragraphs)


def parsed(parse: object, text: str) -> object:
    """The document's fields (documents compare by identity), or why there is none."""
    try:
        document = parse(text, "a.txt")  # type: ignore[operator]
    except ArticleError as exc:
        return exc.reason
    return tuple(getattr(document, field.name) for field in fields(Document))


def test_the_shipped_articles_parse_as_before() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.rglob("*.txt"))]
    assert texts
    for text in texts:
        assert parsed(loader.parse_text_article, text) == parsed(reference, text)


@pytest.mark.parametrize("seed", range(4))
def test_random_text_parses_as_before(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        lines = rng.choices(PIECES, k=rng.randint(0, 9))
        text = "".join(line + rng.choice(ENDS) for line in lines)
        if rng.random() < 0.1:
            text = "\ufeff" + text
        assert parsed(loader.parse_text_article, text) == parsed(reference, text), repr(text)
