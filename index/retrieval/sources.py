"""What ``/sources`` and ``verbatim sources`` list: each article with its size, in corpus order."""

from __future__ import annotations

from dataclasses import dataclass

from index.retrieval.corpus_index import CorpusIndex


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What ``/sources`` and ``verbatim sources`` list for one article."""

    title: str
    url: str | None
    path: str
    paragraphs: int
    sentences: int
    published: str | None = None  # ISO 8601
    source: str | None = None  # the web page an extracted article came from


def list_sources(index: CorpusIndex) -> list[SourceInfo]:
    """Each article of the index with its paragraph and sentence counts, in corpus order."""
    return [
        SourceInfo(d.title, d.url, d.path, len(d.paragraphs), n, d.published, d.source)
        for d, n in zip(index.documents, index.sentence_counts(), strict=True)
    ]
