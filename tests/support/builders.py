"""Builders for tiny inline articles, so each test states the text it depends on."""

from __future__ import annotations

from pathlib import Path

from index.ingest.loader import parse_text_article
from index.model import Document
from index.retrieval.corpus_index import CorpusIndex


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
