"""Find articles by title: autocomplete for the ``article`` option, and resolving what was typed."""

from __future__ import annotations

from index.model import Document
from index.retrieval.corpus_index import CorpusIndex
from index.text.analyzer import normalize_word

MAX_CHOICES = 25


def match_articles(index: CorpusIndex, prefix: str, limit: int = MAX_CHOICES) -> list[Document]:
    """Articles whose title starts with ``prefix``, then has a word starting with it, then
    contains it (case and accents ignored), each group in corpus order."""
    wanted = _fold(prefix)
    if not wanted:
        return list(index.documents[: max(limit, 0)])
    groups: tuple[list[Document], list[Document], list[Document]] = ([], [], [])
    for document in index.documents:
        title = _fold(document.title)
        if title.startswith(wanted):
            groups[0].append(document)
        elif any(word.startswith(wanted) for word in title.split()):
            groups[1].append(document)
        elif wanted in title:
            groups[2].append(document)
    return [*groups[0], *groups[1], *groups[2]][: max(limit, 0)]


def find_article(index: CorpusIndex, name: str) -> Document | None:
    """The article ``name`` designates: its exact title or file path, else the only match.

    A trailing "…" (a title cut to fit an autocomplete choice) is ignored.
    """
    name = name.strip().removesuffix("…").strip()
    wanted = _fold(name)
    for document in index.documents:
        if _fold(document.title) == wanted or document.path == name:
            return document
    matches = match_articles(index, name, limit=2)
    return matches[0] if len(matches) == 1 else None


def _fold(text: str) -> str:
    return " ".join(normalize_word(word) or word.casefold() for word in text.split())
