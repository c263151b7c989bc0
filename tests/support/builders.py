"""Builders for tiny inline articles, so each test states the text it depends on."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from index.ingest.loader import parse_text_article
from index.model import Document
from index.retrieval.corpus_index import CorpusIndex
from index.storage.opener import OpenedIndex, open_index


def article_text(title: str, paragraphs: list[str], source: str | None = None) -> str:
    lines = [title, *paragraphs]
    if source is not None:
        lines.append(f"Original Source: {source}")
    return "\n".join(lines) + "\n"


def write_article(
    folder: Path, name: str, title: str, paragraphs: list[str], source: str | None = None
) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_text(title, paragraphs, source), encoding="utf-8")
    return path


def document(
    title: str, paragraphs: list[str], source: str | None = None, doc_id: int = 0
) -> Document:
    return parse_text_article(article_text(title, paragraphs, source), f"{title}.txt", doc_id)


def index_of(*documents: Document) -> CorpusIndex:
    return CorpusIndex(list(documents))


def with_published(doc: Document, published: str | None) -> Document:
    """``doc`` as if its front matter gave this ``published`` date."""
    return replace(doc, published=published)


# An article as editors' tools really save one: a UTF-8 byte-order mark, Windows line ends,
# curly quotes and apostrophes, and a sentence wrapped across a line end. Quotes must be slices
# of exactly these bytes as decoded, whatever the loader, store or renderer do to them.
TRICKY_BYTES = (
    "\ufeffThe “Harbour” Report\r\n"
    "\r\n"
    "The harbour’s new crane, called “Big Lift”, arrived on Monday. It lifted 40 tonnes\r\n"
    "in its first hour. Dock workers said it was “the fastest they’d seen”.\r\n"
    "\r\n"
    "The port’s director said the crane cost two million euros. Critics called the crane "
    "“a folly” and the director’s plan ‘reckless’.\r\n"
    "Original Source: https://harbour.example/report\r\n"
).encode("utf-8")


def write_tricky_article(folder: Path, name: str = "harbour.txt") -> Path:
    """``TRICKY_BYTES`` as the file ``folder/name`` (folder created)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(TRICKY_BYTES)
    return path


def reopened_as_older_format(
    corpus: Path, directory: Path, manifest: dict[str, Any], version: int
) -> OpenedIndex:
    """Save ``manifest`` (files already taken out of it) as format ``version`` and open the
    index again: it must be rebuilt, and the articles' folder left exactly as it was."""
    manifest["version"] = version
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = sorted(p.name for p in corpus.iterdir())
    reopened = open_index(corpus, directory)
    assert reopened.rebuilt
    assert sorted(p.name for p in corpus.iterdir()) == before
    return reopened
