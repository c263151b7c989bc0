"""Typed records for what flows through the pipeline.

A passage never stores its own copy of the text: it points into its document with a character
span, so ``document.text[start:end] == passage.text`` holds by construction and every quote is
verbatim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of a document: 1-based ``number`` and its span in ``Document.text``."""

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True, eq=False)
class Document:
    """One article as read from disk; ``text`` is the whole file as decoded, untouched.

    For an article extracted from a web page, ``path`` names the plain-text copy ``text`` was read
    from and ``source`` the page itself (``index.ingest.pages``); ``published`` is ISO 8601.
    """

    doc_id: int
    path: str
    title: str
    url: str | None
    text: str
    paragraphs: tuple[Paragraph, ...]
    published: str | None = None
    author: str | None = None
    source: str | None = None

    def text_between(self, start: int, end: int) -> str:
        """``text[start:end]``: a passage's words (a persistent index's documents read them
        without decoding the whole article, ``index.retrieval.tables.LazyDocument``)."""
        return self.text[start:end]


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of a document, the unit the index ranks and the bot quotes."""

    passage_id: int
    document: Document
    paragraph: int
    sentence: int
    start: int
    end: int
    # How many consecutive sentences of the paragraph the passage spans from ``sentence``: 2 for
    # a quote that runs on into the sentence holding the answer (``index.answering.continuation``).
    sentences: int = 1

    @property
    def text(self) -> str:
        return self.document.text_between(self.start, self.end)

    @property
    def last_sentence(self) -> int:
        """The number of the passage's last sentence in its paragraph."""
        return self.sentence + self.sentences - 1


@dataclass(frozen=True, slots=True)
class Quote:
    """A passage chosen for an answer, with its score and where the question's words matched.

    ``matched`` holds spans relative to ``passage.text`` so renderers can bold them without
    re-analyzing anything.
    """

    passage: Passage
    score: float
    matched: tuple[tuple[int, int], ...] = ()


class AnswerStatus(Enum):
    """Why an answer looks the way it does; adapters pick their wording from it."""

    COVERED = "covered"
    # About the question's subject, but no quote states the kind of fact asked (no amount for
    # "how much", no date for "when"): the quotes are shown as related, not as the answer.
    RELATED = "related"
    NOT_COVERED = "not_covered"
    EMPTY_QUESTION = "empty_question"
    UNRECOGNIZED = "unrecognized"


@dataclass(frozen=True, slots=True)
class Answer:
    """The core's reply to one question: quotes best first, or a reason there are none.

    A ``RELATED`` answer's quotes are about ``subject`` (the question's words they hold, as
    typed) but state no ``missing`` fact (an ``index.answering.answer_types.Fact`` value such as
    "age" or "date").
    """

    question: str
    status: AnswerStatus
    quotes: tuple[Quote, ...] = field(default=())
    # The quotes past ``quotes``, for "More answers": made when first read
    # (``index.answering.deferred``), equal to the tuple of them.
    more: Sequence[Quote] = field(default=())
    subject: str = ""
    missing: str = ""

    @property
    def covered(self) -> bool:
        return self.status is AnswerStatus.COVERED
