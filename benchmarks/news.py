"""The news benchmark: Discord-style questions over real BBC articles, alone and in an archive.

Reads ``DATA/news`` in place (``questions.json``, ``articles/``, ``archive/``) and scores exactly
as its ``score.py`` does: a question is a hit when a gold substring lies in one of the first one
or three quotes of a covered answer, and declined when the answer is not covered. The answers are
the product's own (``answer_question``, the CLI's ``--top 3`` policy) over the product's persistent
index, written to a temporary folder. The archive variant copies the 40 articles and the archive
into one temporary corpus folder; nothing is ever written under ``DATA``.

The dev set is split by article number: odd articles are for tuning, even ones held out (and the
reverse check), so a lever is kept only when it helps both halves.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.embeddings import EmbeddingCache
from benchmarks.systems import PlainBM25, with_vectors
from index.answering.answer import AnswerPolicy, answer_question
from index.model import Answer
from index.retrieval.corpus_index import CorpusIndex
from index.storage.opener import open_index

NEWS_DIR = Path("news")
HALVES = ("odd", "even")
_NUMBER = re.compile(r"^(\d+)-")


@dataclass(frozen=True, slots=True)
class NewsQuestion:
    """One question of ``questions.json``; ``number`` is its article's (or imitated one's) NN."""

    text: str
    gold: tuple[str, ...]
    tags: tuple[str, ...]
    abstain: bool
    off_topic: bool
    number: int | None

    @property
    def half(self) -> str | None:
        """``odd`` or ``even`` by article number; ``None`` for an off-topic question."""
        if self.number is None:
            return None
        return HALVES[1] if self.number % 2 == 0 else HALVES[0]


def read_news(data_dir: Path) -> list[NewsQuestion]:
    """The questions of ``data_dir/news/questions.json`` in file order."""
    raw = json.loads((data_dir / NEWS_DIR / "questions.json").read_text(encoding="utf-8"))
    return [_question(item) for item in raw["questions"]]


def _question(item: dict[str, Any]) -> NewsQuestion:
    article = item.get("article") or item.get("near")
    match = _NUMBER.match(str(article)) if article else None
    return NewsQuestion(
        text=str(item["q"]),
        gold=tuple(item.get("gold", ())),
        tags=tuple(item.get("tags", ())),
        abstain=bool(item.get("abstain", False)),
        off_topic=bool(item.get("off_topic", False)),
        number=int(match.group(1)) if match else None,
    )


@contextmanager
def news_index(
    data_dir: Path, archive: bool, embeddings: EmbeddingCache | None = None
) -> Iterator[CorpusIndex]:
    """The product's index of the 40 articles (read in place) or of the articles plus the
    archive (copied into a temporary folder); the index itself lives in a temporary folder."""
    articles = data_dir / NEWS_DIR / "articles"
    with tempfile.TemporaryDirectory(prefix="verbatim-news-") as tmp:
        corpus = articles
        if archive:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            for folder in (articles, data_dir / NEWS_DIR / "archive"):
                for path in sorted(folder.glob("*.txt")):
                    shutil.copyfile(path, corpus / path.name)
        yield with_vectors(open_index(corpus, Path(tmp) / "index").index, embeddings)


def quote_texts(answer: Answer) -> list[str]:
    """What score.py reads: the quotes' texts of a covered answer, none of a declined one."""
    return [quote.passage.text for quote in answer.quotes] if answer.covered else []


def hit(question: NewsQuestion, texts: Sequence[str], k: int) -> bool:
    """A gold substring in one of the first ``k`` quotes (score.py's rule)."""
    return any(g in t for t in texts[:k] for g in question.gold)


@dataclass(slots=True)
class NewsRun:
    """Per-question rows of one system on one corpus."""

    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)


def evaluate(
    index: CorpusIndex,
    questions: Sequence[NewsQuestion],
    policy: AnswerPolicy = AnswerPolicy(top=3),
    name: str = "verbatim",
) -> NewsRun:
    """The product's answer to every question, scored."""
    run = NewsRun(name)
    for question in questions:
        answer = answer_question(index, question.text, policy)
        texts = [quote.passage.text for quote in answer.quotes]
        run.rows.append(_row(question, texts, answer.covered, answer.status.value))
    return run


def evaluate_plain(index: CorpusIndex, questions: Sequence[NewsQuestion]) -> NewsRun:
    """Plain rank-bm25 over the same sentences: it declines only when nothing scores."""
    plain = PlainBM25(list(index.iter_passages()))
    run = NewsRun("rank-bm25")
    for question in questions:
        result = plain.search(question.text, 3)
        texts = [index.passage(i).text for i in result.ranked]
        run.rows.append(_row(question, texts, not result.abstained, "plain"))
    return run


def _row(question: NewsQuestion, texts: list[str], covered: bool, status: str) -> dict[str, Any]:
    shown = texts if covered else []
    return {
        "question": question.text,
        "half": question.half,
        "tags": list(question.tags),
        "kind": "off_topic" if question.off_topic else "near" if question.abstain else "answer",
        "covered": covered,
        "status": status,
        "top1": hit(question, shown, 1),
        "top3": hit(question, shown, 3),
        "quotes": texts[:3],
        "gold": list(question.gold),
    }


def figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """score.py's figures: top-1, top-3, wrongly declined, near-miss and off-topic declined,
    as shares with their counts."""
    answer = [r for r in rows if r["kind"] == "answer"]
    near = [r for r in rows if r["kind"] == "near"]
    off = [r for r in rows if r["kind"] == "off_topic"]
    return {
        "n": len(answer),
        "top1": sum(r["top1"] for r in answer),
        "top3": sum(r["top3"] for r in answer),
        "wrongly_declined": sum(not r["covered"] for r in answer),
        "near_n": len(near),
        "near_declined": sum(not r["covered"] for r in near),
        "off_n": len(off),
        "off_declined": sum(not r["covered"] for r in off),
    }


def breakdown(run: NewsRun) -> dict[str, dict[str, Any]]:
    """Figures for all questions, each half (off-topic questions count in both) and each tag."""
    rows = run.rows
    groups: dict[str, list[dict[str, Any]]] = {"all": rows}
    for half in HALVES:
        groups[half] = [r for r in rows if r["half"] in (half, None)]
    for tag in sorted({t for r in rows for t in r["tags"]}):
        groups[f"tag:{tag}"] = [r for r in rows if tag in r["tags"]]
    return {name: figures(group) for name, group in groups.items()}


def _share(count: int, total: int) -> str:
    return f"{count / total:6.1%} ({count}/{total})" if total else "—"


def format_news(title: str, runs: Sequence[NewsRun]) -> str:
    """A Markdown table: one row per system and group, score.py's columns."""
    out = [
        f"{title}",
        "| system | group | top-1 | top-3 | wrongly declined | near-miss declined"
        " | off-topic declined |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for group, f in breakdown(run).items():
            out.append(
                f"| {run.name} | {group} | {_share(f['top1'], f['n'])}"
                f" | {_share(f['top3'], f['n'])}"
                f" | {_share(f['wrongly_declined'], f['n'])}"
                f" | {_share(f['near_declined'], f['near_n'])}"
                f" | {_share(f['off_declined'], f['off_n'])} |"
            )
    return "\n".join(out)
