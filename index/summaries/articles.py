"""Find articles by title: autocomplete for the ``article`` option, and resolving what was typed.

Matching reads a title list folded once per index (``titles_of``), never the documents: a
stored index decodes an article's whole text to build its ``Document``, and autocomplete runs on
every keystroke (167-263 ms per keystroke at 4k articles when it decoded them all).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from index.model import Document
from index.retrieval.corpus_index import CorpusIndex
from index.summaries.corpus_analysis import analysis_of
from index.text.analyzer import normalize_word

MAX_CHOICES = 25


@dataclass(frozen=True, slots=True)
class Titles:
    """Every article's title, its folded form and its path, in corpus order."""

    titles: tuple[str, ...]
    folded: tuple[str, ...]
    paths: tuple[str, ...]


_TITLES: weakref.WeakKeyDictionary[CorpusIndex, Titles] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def titles_of(index: CorpusIndex) -> Titles:
    """The folded title list of ``index``, built once (from ``/sources``' list, which the
    analysis keeps) and dropped with the index."""
    with _LOCK:
        found = _TITLES.get(index)
    if found is not None:
        return found
    sources = analysis_of(index).sources
    built = Titles(
        tuple(s.title for s in sources),
        tuple(_fold(s.title) for s in sources),
        tuple(s.path for s in sources),
    )
    with _LOCK:
        return _TITLES.setdefault(index, built)


def match_titles(index: CorpusIndex, prefix: str, limit: int = MAX_CHOICES) -> list[int]:
    """Positions of the articles whose title starts with ``prefix``, then has a word starting
    with it, then contains it (case and accents ignored), each group in corpus order."""
    folded = titles_of(index).folded
    wanted = _fold(prefix)
    if not wanted:
        return list(range(min(max(limit, 0), len(folded))))
    groups: tuple[list[int], list[int], list[int]] = ([], [], [])
    for position, title in enumerate(folded):
        if title.startswith(wanted):
            groups[0].append(position)
        elif any(word.startswith(wanted) for word in title.split()):
            groups[1].append(position)
        elif wanted in title:
            groups[2].append(position)
    return [*groups[0], *groups[1], *groups[2]][: max(limit, 0)]


def match_article_titles(index: CorpusIndex, prefix: str, limit: int = MAX_CHOICES) -> list[str]:
    """The titles ``match_titles`` finds, without building any document (autocomplete)."""
    titles = titles_of(index).titles
    return [titles[position] for position in match_titles(index, prefix, limit)]


def match_articles(index: CorpusIndex, prefix: str, limit: int = MAX_CHOICES) -> list[Document]:
    """The articles ``match_titles`` finds (only those are decoded)."""
    return [index.documents[position] for position in match_titles(index, prefix, limit)]


def find_article(index: CorpusIndex, name: str) -> Document | None:
    """The article ``name`` designates: its exact title or file path, else the only match.

    A trailing "…" (a title cut to fit an autocomplete choice) is ignored.
    """
    name = name.strip().removesuffix("…").strip()
    wanted = _fold(name)
    titles = titles_of(index)
    for position, (title, path) in enumerate(zip(titles.folded, titles.paths, strict=True)):
        if title == wanted or path == name:
            return index.documents[position]
    matches = match_titles(index, name, limit=2)
    return index.documents[matches[0]] if len(matches) == 1 else None


def _fold(text: str) -> str:
    return " ".join(normalize_word(word) or word.casefold() for word in text.split())
