"""Readers for the public benchmark data, building the product's own ``Document`` records.

The data stays where it is (a data-directory option points at it); nothing here is copied into
the project. SQuAD articles become one ``Document`` each, paragraphs joined by a blank line, so
the product's segmenter cuts them into the sentences the bot would quote. WikiQA candidates become
one paragraph each of a ``Document`` per question, so every candidate maps to its own passages.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.model import Document, Paragraph, Passage

SQUAD_DIR = "squad"
WIKIQA_TEST = Path("wikiqa") / "WikiQA-test.tsv"
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True, slots=True)
class SquadQuestion:
    """One SQuAD question; ``answer_start`` is an offset into the joined article text."""

    qid: str
    text: str
    answer_start: int | None

    @property
    def answerable(self) -> bool:
        return self.answer_start is not None


@dataclass(frozen=True, slots=True)
class SquadArticle:
    """One SQuAD article: its document (all paragraphs) and its questions."""

    title: str
    source: str
    document: Document
    questions: tuple[SquadQuestion, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A WikiQA candidate sentence and whether it answers the question."""

    sentence_id: str
    text: str
    correct: bool


@dataclass(frozen=True, slots=True)
class WikiQAQuestion:
    """A WikiQA question with its candidate sentences in their original order."""

    qid: str
    text: str
    document_id: str
    title: str
    candidates: tuple[Candidate, ...]

    @property
    def has_correct(self) -> bool:
        return any(candidate.correct for candidate in self.candidates)

    @property
    def all_correct(self) -> bool:
        return all(candidate.correct for candidate in self.candidates)


def joined_document(
    doc_id: int, path: str, title: str, paragraphs: Sequence[str]
) -> tuple[Document, list[int]]:
    """A ``Document`` of ``paragraphs`` joined by blank lines, and each paragraph's offset."""
    offsets, spans, position = [], [], 0
    for number, paragraph in enumerate(paragraphs, start=1):
        offsets.append(position)
        spans.append(Paragraph(number, position, position + len(paragraph)))
        position += len(paragraph) + len(PARAGRAPH_BREAK)
    text = PARAGRAPH_BREAK.join(paragraphs)
    return Document(doc_id, path, title, None, text, tuple(spans)), offsets


def read_squad(path: Path, first_doc_id: int = 0) -> list[SquadArticle]:
    """Every article of a SQuAD dev file (v1.1 or v2.0), answer offsets mapped to the document."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    articles = []
    for number, article in enumerate(data):
        title = str(article["title"]).replace("_", " ")
        texts = [str(p["context"]) for p in article["paragraphs"]]
        document, offsets = joined_document(first_doc_id + number, str(path), title, texts)
        questions = tuple(
            _squad_question(qa, offset)
            for paragraph, offset in zip(article["paragraphs"], offsets, strict=True)
            for qa in paragraph["qas"]
        )
        articles.append(SquadArticle(str(article["title"]), path.name, document, questions))
    return articles


def _squad_question(qa: dict[str, object], offset: int) -> SquadQuestion:
    answers = qa.get("answers") or []
    impossible = bool(qa.get("is_impossible", False)) or not answers
    start = None
    if not impossible and isinstance(answers, list):
        start = offset + int(answers[0]["answer_start"])
    return SquadQuestion(str(qa["id"]), str(qa["question"]), start)


def read_squad_dir(data_dir: Path) -> list[SquadArticle]:
    """All SQuAD articles under ``data_dir/squad`` (files in sorted order, ids unique)."""
    articles: list[SquadArticle] = []
    for path in sorted((data_dir / SQUAD_DIR).glob("*.json")):
        articles.extend(read_squad(path, first_doc_id=len(articles)))
    return articles


def gold_passage(passages: Iterable[Passage], offset: int) -> Passage:
    """The sentence holding character ``offset``, else the last one starting before it."""
    best: Passage | None = None
    for passage in passages:
        if passage.start <= offset < passage.end:
            return passage
        if passage.start <= offset:
            best = passage
    if best is None:
        raise ValueError(f"no passage starts at or before offset {offset}")
    return best


def read_wikiqa(path: Path) -> list[WikiQAQuestion]:
    """Questions of a WikiQA TSV file in file order, candidates in their original order."""
    grouped: dict[str, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            grouped.setdefault(row["QuestionID"], []).append(row)
    return [
        WikiQAQuestion(
            qid,
            rows[0]["Question"],
            rows[0]["DocumentID"],
            rows[0]["DocumentTitle"],
            tuple(Candidate(r["SentenceID"], r["Sentence"], r["Label"] == "1") for r in rows),
        )
        for qid, rows in grouped.items()
    ]


def wikiqa_document(question: WikiQAQuestion, doc_id: int = 0) -> Document:
    """The question's candidates as one document, one paragraph per candidate sentence."""
    texts = [candidate.text for candidate in question.candidates]
    return joined_document(doc_id, question.document_id, question.title, texts)[0]
