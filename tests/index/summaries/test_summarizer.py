"""Summaries: verbatim sentences, central and non-redundant, in article order, with sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import VerbatimError
from index.ingest.loader import load_corpus
from index.retrieval.corpus_index import CorpusIndex
from index.summaries.similarity import content_overlap
from index.summaries.summarizer import MAX_LENGTH, MIN_LENGTH, SummaryStatus, summarize
from index.summaries.topics import corpus_topics
from tests.conftest import SEEDS
from tests.support.builders import document, index_of

SHARED = "The central bank raised interest rates by half a point on Tuesday to fight inflation."
BANK = document(
    "Bank raises rates",
    [
        f"{SHARED} Inflation has stayed above the bank's target for two years.",
        "Mortgage holders will pay more as interest rates climb. Savers welcomed higher rates.",
    ],
    "bank.example",
    doc_id=0,
)
MARKETS = document(
    "Markets react",
    [
        f"Stocks fell sharply after the news. {SHARED}",
        "Analysts expect the bank to raise interest rates again if inflation persists.",
    ],
    "markets.example",
    doc_id=1,
)


@pytest.mark.parametrize("length", range(MIN_LENGTH, MAX_LENGTH + 1))
def test_gist_of_the_shipped_article_is_short_central_and_spread(
    shipped_index: CorpusIndex, length: int
) -> None:
    summary = summarize(shipped_index, length=length)
    assert summary.status is SummaryStatus.COVERED
    assert 1 <= len(summary.items) <= length
    passages = [item.quote.passage for item in summary.items]
    assert len({p.paragraph for p in passages}) >= min(3, length)
    assert [p.passage_id for p in passages] == sorted(p.passage_id for p in passages)


def test_default_gist_covers_three_paragraphs_without_repeating_itself(
    shipped_index: CorpusIndex,
) -> None:
    summary = summarize(shipped_index)
    assert len(summary.items) == 5
    passages = [item.quote.passage for item in summary.items]
    assert len({p.paragraph for p in passages}) >= 3
    terms = [shipped_index.analyzer.terms(p.text) for p in passages]
    for i, first in enumerate(terms):
        for second in terms[i + 1 :]:
            assert content_overlap(first, second) <= 0.5


def test_quotes_are_verbatim_slices_of_the_file(shipped_index: CorpusIndex) -> None:
    items = summarize(shipped_index, topic="NATO").items
    assert items
    for item in items:
        passage = item.quote.passage
        raw = Path(passage.document.path).read_bytes().decode("utf-8")
        assert raw[passage.start : passage.end] == passage.text


def test_topic_summary_keeps_to_sentences_that_mention_the_topic(
    shipped_index: CorpusIndex,
) -> None:
    summary = summarize(shipped_index, topic="shadow fleet")
    assert summary.status is SummaryStatus.COVERED
    texts = [item.quote.passage.text for item in summary.items]
    assert len(texts) >= 3
    assert all("shadow fleet" in text.casefold() for text in texts)
    assert any("evasion of sanctions" in text for text in texts)
    for item in summary.items:
        bold = {item.quote.passage.text[a:b].casefold() for a, b in item.quote.matched}
        assert bold == {"shadow", "fleet"}


def test_topic_matches_stems(shipped_index: CorpusIndex) -> None:
    summary = summarize(shipped_index, topic="shadow fleets")
    assert summary.items and all("shadow fleet" in i.quote.passage.text for i in summary.items)


def test_uncovered_topic_says_so_and_suggests_covered_ones(shipped_index: CorpusIndex) -> None:
    summary = summarize(shipped_index, topic="weather in Paris")
    assert summary.status is SummaryStatus.NOT_COVERED and summary.items == ()
    topics = {topic.phrase for topic in corpus_topics(shipped_index)}
    assert summary.suggestions and set(summary.suggestions) <= topics


def test_topic_of_only_stopwords_is_unrecognized(shipped_index: CorpusIndex) -> None:
    assert summarize(shipped_index, topic="what is the").status is SummaryStatus.UNRECOGNIZED


@pytest.mark.parametrize("length", [0, 2, 7, 100])
def test_length_outside_the_range_is_an_error(shipped_index: CorpusIndex, length: int) -> None:
    with pytest.raises(VerbatimError, match="3 to 6"):
        summarize(shipped_index, length=length)


def test_shared_sentence_is_shown_once_with_both_sources() -> None:
    index = index_of(BANK, MARKETS)
    for summary in (summarize(index, length=3), summarize(index, topic="interest rates")):
        shared = [item for item in summary.items if item.quote.passage.text == SHARED]
        assert len(shared) == 1, [i.quote.passage.text for i in summary.items]
        sources = {shared[0].quote.passage.document.title}
        sources |= {p.document.title for p in shared[0].also_in}
        assert sources == {"Bank raises rates", "Markets react"}
        assert all(p.text == SHARED for p in shared[0].also_in)


def test_sentences_without_copies_list_no_other_source() -> None:
    summary = summarize(index_of(BANK, MARKETS), topic="mortgage")
    assert len(summary.items) == 1 and summary.items[0].also_in == ()


def test_article_option_limits_the_summary_to_that_article() -> None:
    index = index_of(BANK, MARKETS)
    summary = summarize(index, article="markets", length=3)
    assert summary.article is MARKETS and summary.articles_in_scope == 1
    assert summary.items and all(i.quote.passage.document is MARKETS for i in summary.items)


def test_unknown_article_is_reported_with_titles_to_choose_from() -> None:
    summary = summarize(index_of(BANK, MARKETS), article="football")
    assert summary.status is SummaryStatus.UNKNOWN_ARTICLE and summary.items == ()
    ambiguous = summarize(index_of(BANK, MARKETS), article="r")
    assert ambiguous.status is SummaryStatus.UNKNOWN_ARTICLE
    assert set(ambiguous.suggestions) == {"Bank raises rates", "Markets react"}


def test_same_corpus_gives_the_same_summary_and_topics() -> None:
    def snapshot() -> tuple[object, ...]:
        index = CorpusIndex(load_corpus(SEEDS).documents)
        gist = [(i.quote.passage.passage_id, i.quote.passage.text) for i in summarize(index).items]
        topic = [i.quote.passage.passage_id for i in summarize(index, topic="Russia").items]
        return tuple(gist), tuple(topic), tuple(corpus_topics(index, 50))

    assert snapshot() == snapshot()


def test_suggestions_are_the_topics_like_the_words_asked(shipped_index: CorpusIndex) -> None:
    summary = summarize(shipped_index, topic="Kirill Putin")
    assert summary.status is SummaryStatus.NOT_COVERED
    # Only the close topic, not the most frequent ones padding the list.
    assert summary.suggestions == ("Igor Kirillov",)


def test_suggestions_fall_back_to_the_top_topics_when_nothing_is_close(
    shipped_index: CorpusIndex,
) -> None:
    summary = summarize(shipped_index, topic="zzyzx qwrtp")
    assert summary.status is SummaryStatus.NOT_COVERED
    top = tuple(t.phrase for t in corpus_topics(shipped_index, 5))
    assert summary.suggestions == top


def test_a_sentence_with_half_of_a_two_word_topic_is_not_about_it() -> None:
    index = index_of(
        document(
            "Ships",
            [
                "The shadow fleet carried oil past the sanctions again this month.",
                "A fishing fleet left the harbour before the storm arrived.",
                "Officials stood in the shadow of the port cranes all day.",
                "Insurers refused to cover the shadow fleet tankers last year.",
            ],
        )
    )
    texts = [i.quote.passage.text for i in summarize(index, topic="shadow fleet").items]
    assert len(texts) == 2 and all("shadow fleet" in text for text in texts)


def test_gist_of_several_articles_spreads_over_them() -> None:
    long = document(
        "Rates",
        [
            "The central bank raised interest rates to curb inflation on Tuesday.",
            "Inflation forced the central bank to lift interest rates again.",
            "Economists said the bank's interest rates move would slow inflation.",
            "Higher interest rates from the central bank should cool inflation soon.",
        ],
        doc_id=0,
    )
    short = document(
        "Homes",
        ["Mortgage costs climbed as higher interest rates squeezed household budgets."],
        doc_id=1,
    )
    summary = summarize(index_of(long, short), length=3)
    assert {i.quote.passage.document.title for i in summary.items} == {"Rates", "Homes"}
