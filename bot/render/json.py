"""The stable ``--json`` output: answers, summaries and topics as plain data.

One ``passage_json`` serves every quote, so an answer's quotes, a summary's sentences and their
"also in" copies carry the same fields (``text == file_text[start:end]`` of the file at ``path``).
Quotes are data here: never escaped, never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.render.blocks import related_text
from index import Answer, AnswerStatus, Passage, Summary

if TYPE_CHECKING:
    from index import Topic


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The stable ``--json`` object documented in the README. A "related" answer (not covered)
    has no ``quotes``: its closest quotes are under ``related``, with the ``message`` saying
    what the articles don't say."""
    quotes = [
        {**passage_json(quote.passage), "score": round(quote.score, 6)} for quote in answer.quotes
    ]
    reply: dict[str, Any] = {
        "question": answer.question,
        "covered": answer.covered,
        "status": answer.status.value,
        "quotes": [] if answer.status is AnswerStatus.RELATED else quotes,
    }
    if answer.status is AnswerStatus.RELATED:
        reply["message"] = related_text(answer.subject, answer.missing)
        reply["related"] = quotes
    return reply


def passage_json(passage: Passage) -> dict[str, Any]:
    """One quoted sentence and where it is: the fields every quote of ``--json`` has."""
    document = passage.document
    return {
        "text": passage.text,
        "title": document.title,
        "url": document.url,
        "published": document.published,
        "path": document.path,
        "source": document.source,
        "paragraph": passage.paragraph,
        "sentence": passage.sentence,
        "sentences": passage.sentences,
        "start": passage.start,
        "end": passage.end,
    }


def summary_to_json(summary: Summary) -> dict[str, Any]:
    """The stable ``verbatim summary --json`` object documented in the README."""
    return {
        "topic": summary.topic,
        "article": summary.article.title if summary.article else None,
        "status": summary.status.value,
        "mode": summary.mode.value,
        "covered": summary.covered,
        "items": [
            {
                **passage_json(item.quote.passage),
                "also_in": list(map(passage_json, item.also_in)),
            }
            for item in summary.items
        ],
        "suggestions": list(summary.suggestions),
        "since": summary.since.isoformat() if summary.since else None,
    }


def topics_to_json(topics: Sequence[Topic]) -> list[dict[str, Any]]:
    return [
        {"phrase": t.phrase, "sentences": t.sentences, "articles": t.articles, "score": t.score}
        for t in topics
    ]
