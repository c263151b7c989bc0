"""What a persistent index holds, as records: the files it indexed and the arrays built from them.

The builder makes these, the store writes and memory-maps them, the opener decides whether they
are current; keeping the types apart from all three lets each import them without the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from index.retrieval.forward import ForwardIndex
from index.retrieval.semantic import SentenceVectors
from index.retrieval.sentence_marks import SentenceMarks
from index.retrieval.tables import DocumentTable, PassageTable
from index.retrieval.weights import Postings

# Called with (files done, files in all) while a build runs.
Progress = Callable[[int, int], None]


class FileRecord(NamedTuple):
    """One article file as last indexed: ``doc`` is its position, or -1 with a ``reason``.

    A named tuple, not a dataclass: every open makes one per article from the catalog (25,000
    at a million sentences), and a frozen dataclass's ``__init__`` costs several times more.
    """

    path: str
    size: int
    mtime_ns: int
    sha256: str
    doc: int = -1
    reason: str = ""
    walk_skip: bool = False  # skipped by the walk, not an article file that was read


@dataclass(frozen=True, slots=True)
class IndexData:
    """Everything a persistent index holds; arrays are memory-mapped when loaded from disk."""

    files: tuple[FileRecord, ...]
    documents: DocumentTable
    passages: PassageTable
    forward: ForwardIndex
    postings: Postings
    # Row ``i`` for passage ``i``: kept only when built with the semantic extra on.
    vectors: SentenceVectors | None = None
    # Each sentence's terms in order and its opening (``index.retrieval.sentence_marks``).
    marks: SentenceMarks | None = None
