"""Dates everywhere: read once as ISO 8601, shown in attributions, filtered by ``since``, and the
newer article first when two sentences score the same."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from bot.render import answer_to_json, render_answer, to_markdown, to_terminal
from index.answering.answer import answer_question
from index.ingest.dates import display_date, normalize_date, parse_since
from index.ingest.loader import parse_markdown_article
from index.model import Document
from index.summaries.summarizer import SummaryStatus, summarize
from tests.support.builders import document, index_of

NOW = datetime(2024, 3, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2024-03-12", "2024-03-12"),
        ("2024-03-12T09:30:00+01:00", "2024-03-12T09:30:00+01:00"),
        ("2024-03-12T09:30:00Z", "2024-03-12T09:30:00+00:00"),
        ("Tue, 12 Mar 2024 09:30:00 GMT", "2024-03-12T09:30:00+00:00"),
        ("last Tuesday", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_as_iso_8601_or_not_at_all(raw: str | None, iso: str | None) -> None:
    assert normalize_date(raw) == iso


def test_front_matter_date_is_kept_as_iso_and_shown_as_day_month_year() -> None:
    text = "---\ntitle: Port strike\ndate: 2024-03-12\n---\n\nDock workers went back to work.\n"
    published = parse_markdown_article(text, "a.md").published
    assert published == "2024-03-12" and display_date(published) == "12 Mar 2024"


def test_since_takes_relative_spans_and_dates_and_rejects_the_rest() -> None:
    assert parse_since("7d", NOW) == datetime(2024, 3, 13, 12, 0, tzinfo=UTC)
    assert parse_since("12h", NOW) == datetime(2024, 3, 20, 0, 0, tzinfo=UTC)
    assert parse_since("2024-03-01", NOW) == datetime(2024, 3, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="7d"):
        parse_since("soon", NOW)


def _dated(doc: Document, published: str | None) -> Document:
    return dataclasses.replace(doc, published=published)


OLD = _dated(
    document(
        "Old wire copy",
        ["The port strike ended on Tuesday after talks.", "Ships queued at the harbour."],
        "old.example/a",
    ),
    "2024-03-01",
)
NEW = _dated(
    document(
        "New wire copy",
        ["The port strike ended on Tuesday after talks.", "Cranes moved again by noon."],
        "new.example/b",
        doc_id=1,
    ),
    "2024-03-15",
)


def test_attribution_json_and_ties_show_the_newer_article_first() -> None:
    answer = answer_question(index_of(OLD, NEW), "When did the port strike end?")
    first, second = answer.quotes[:2]
    assert first.score == second.score and first.passage.document is NEW
    terminal = to_terminal(render_answer(answer))
    assert "New wire copy ¶1 s1 · 15 Mar 2024 · https://new.example/b" in terminal
    assert "¶1 s1 · 15 Mar 2024" in to_markdown(render_answer(answer))
    quotes = answer_to_json(answer)["quotes"]
    assert [q["published"] for q in quotes[:2]] == ["2024-03-15", "2024-03-01"]
    swapped = answer_question(index_of(_dated(OLD, "2024-03-30"), NEW), "When did the strike end?")
    assert swapped.quotes[0].passage.document.title == "Old wire copy"


def test_summary_since_keeps_only_newer_articles() -> None:
    index = index_of(OLD, NEW)
    recent = summarize(index, length=3, since=datetime(2024, 3, 10, tzinfo=UTC))
    assert recent.covered and recent.articles_in_scope == 1
    assert {item.quote.passage.document.title for item in recent.items} == {"New wire copy"}
    everything = summarize(index, length=3)
    assert everything.covered and everything.articles_in_scope == 2
    none = summarize(index, length=3, since=datetime(2025, 1, 1, tzinfo=UTC))
    assert none.status is SummaryStatus.NONE_SINCE and not none.items


def test_a_sentence_two_articles_share_is_summarized_from_the_newer_one() -> None:
    shared = "The port strike ended on Tuesday after talks."
    summary = summarize(index_of(OLD, NEW), length=3)
    (item,) = [i for i in summary.items if i.quote.passage.text == shared]
    assert item.quote.passage.document.title == "New wire copy"
    assert [p.document.title for p in item.also_in] == ["Old wire copy"]
    undated = summarize(index_of(_dated(OLD, None), _dated(NEW, None)), length=3)
    (first,) = [i for i in undated.items if i.quote.passage.text == shared]
    assert first.quote.passage.document.title == "Old wire copy"  # no dates: corpus order
