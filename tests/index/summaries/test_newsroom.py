"""Topics and summaries on a small newsroom: stories across articles, names, dates (issue 17)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from index.model import Document
from index.retrieval.corpus_index import CorpusIndex
from index.summaries.corpus_analysis import analysis_of
from index.summaries.generic import MONTHS, WEEKDAYS, is_calendar_or_number, is_generic_phrase
from index.summaries.summarizer import SummaryMode, SummaryStatus, summarize
from index.summaries.topics import corpus_topics
from tests.support.builders import document, index_of

GLAZER_1 = [
    "Malcolm Glazer has raised his stake in Manchester United to almost 29%. "
    "The American tycoon bought the shares from Irish racing magnates on Monday.",
    "Mr Glazer now needs the backing of the club's board for a full takeover bid. "
    "Supporters of Manchester United staged a protest outside Old Trafford in December.",
]
GLAZER_2 = [
    "The board of Manchester United has agreed to open its books to Malcolm Glazer. "
    "Glazer wants to see the club's accounts before he makes a formal takeover bid.",
    "Shareholders United, a group of supporters, said the takeover bid would load debt on "
    "the club. The American owns the Tampa Bay Buccaneers in March 2004.",
]
LEE = [
    "Stan Lee, the comic book writer, has created a new superhero for television. "
    "Lee said the hero would fight crime in New York every Tuesday.",
    "Stan Lee made his name with Spider-Man in 2004 and the years before. Lee co-created "
    "the Hulk as well. Lee still writes every day in December. Critics praise Lee for his wit. "
    "Lee said he was proud of the new superhero.",
]
VOLCANO = [
    "A volcano in Iceland erupted on Sunday, sending ash over the North Atlantic. "
    "Airlines cancelled hundreds of flights as the ash cloud spread in January.",
    "Scientists monitoring the volcano said the eruption could last for weeks. "
    "Farmers near the volcano moved their livestock away from the ash.",
]


def newsroom() -> CorpusIndex:
    return index_of(
        document("Glazer raises Man Utd stake", GLAZER_1, "a.example", 0),
        document("United to open books to Glazer", GLAZER_2, "b.example", 1),
        document("Stan Lee creates a new hero", LEE, "c.example", 2),
        document("Volcano erupts in Iceland", VOLCANO, "d.example", 3),
    )


def rank(index: CorpusIndex, phrase: str) -> int:
    phrases = [topic.phrase for topic in corpus_topics(index, 1000)]
    return phrases.index(phrase)


def test_a_story_told_by_two_articles_outranks_a_one_off() -> None:
    index = newsroom()
    # "Lee" is named in more sentences (7) than "Glazer" (4), but in one article only.
    assert rank(index, "Malcolm Glazer") < rank(index, "Stan Lee")
    stories = analysis_of(index).stories.stories
    assert stories[0].documents == (0, 1)
    assert [story.documents for story in stories[1:]] in ([(2,), (3,)], [(3,), (2,)])


def test_the_gist_quotes_each_story_once_before_a_second_sentence_from_any() -> None:
    index = newsroom()
    gist = summarize(index, length=3)
    documents = [item.quote.passage.document.doc_id for item in gist.items]
    story = {0: "glazer", 1: "glazer", 2: "lee", 3: "volcano"}
    assert sorted(story[doc] for doc in documents) == ["glazer", "lee", "volcano"]
    six = summarize(index, length=6)
    assert {story[item.quote.passage.document.doc_id] for item in six.items} == {
        "glazer",
        "lee",
        "volcano",
    }


def test_months_weekdays_numbers_and_years_never_become_topics() -> None:
    phrases = [topic.phrase for topic in corpus_topics(newsroom(), 1000)]
    assert phrases, "the corpus has topics"
    for phrase in phrases:
        words = phrase.split()
        assert not any(is_calendar_or_number(word) for word in words), phrase
        assert not any(w.casefold() in MONTHS | WEEKDAYS for w in words), phrase


def test_common_words_and_verbs_are_not_topics_but_rare_words_are() -> None:
    phrases = {topic.phrase for topic in corpus_topics(newsroom(), 1000)}
    for generic in ("years", "day", "said", "erupted", "club", "board", "new superhero"):
        assert generic not in phrases
    assert "volcano" in phrases and "takeover bid" in phrases


def test_a_short_name_is_the_full_name_of_its_article() -> None:
    index = newsroom()
    topics = {topic.phrase: topic for topic in corpus_topics(index, 1000)}
    assert "Glazer" not in topics and "Lee" not in topics
    glazer = topics["Malcolm Glazer"]
    # Every sentence naming "Glazer" or "Malcolm Glazer": 2 in the first article, 2 in the second.
    assert (glazer.sentences, glazer.articles) == (4, 2)
    quoted = summarize(index, "Malcolm Glazer", length=6).items
    assert {item.quote.passage.text for item in quoted} >= {
        "Mr Glazer now needs the backing of the club's board for a full takeover bid.",
        "Glazer wants to see the club's accounts before he makes a formal takeover bid.",
    }


def test_a_short_name_links_only_where_the_article_names_it_in_full() -> None:
    singer = document(
        "Ray Charles honoured",
        ["Ray Charles won eight Grammys. Charles died last year. Fans of Charles cheered."],
        "r.example",
        0,
    )
    others = [
        document(f"Charles story {n}", [f"Charles spoke about story {n} in a speech."], None, n)
        for n in range(1, 5)
    ]
    topics = {t.phrase: t for t in corpus_topics(index_of(singer, *others), 1000)}
    assert (topics["Ray Charles"].sentences, topics["Ray Charles"].articles) == (3, 1)
    assert topics["Charles"].articles == 5  # the other articles' Charles is not the singer


def test_a_topic_in_more_than_a_quarter_of_many_articles_is_too_broad() -> None:
    documents = [
        document(
            f"Story {n}",
            [f"Officials in Brussels discussed plan number {n}. The Vendelin report came out."]
            if n < 2
            else [f"Officials in Brussels discussed plan number {n}."],
            None,
            n,
        )
        for n in range(12)
    ]
    phrases = {t.phrase for t in corpus_topics(index_of(*documents), 1000)}
    assert "Brussels" not in phrases
    assert "Vendelin report" in phrases


def dated(doc: Document, published: str | None) -> Document:
    return replace(doc, published=published)


def notre_dame() -> CorpusIndex:
    texts = [
        ("Fire at Notre-Dame", "2019-04-15", "Fire broke out in the roof of Notre-Dame."),
        ("Notre-Dame reopens", "2024-12-07", "Notre-Dame reopened to the public with a mass."),
        ("Rebuilding Notre-Dame", "2021-09-18", "Craftsmen began rebuilding the Notre-Dame spire."),
        ("Paris notes", None, "Tourists still photograph Notre-Dame from the river."),
        ("Weather", "2020-01-01", "Rain is expected across the north tomorrow."),
    ]
    return index_of(
        *(
            dated(document(title, [f"{text} It was a day to remember."], None, n), when)
            for n, (title, when, text) in enumerate(texts)
        )
    )


def test_a_timeline_orders_the_articles_by_published_date_undated_last() -> None:
    summary = summarize(notre_dame(), "Notre-Dame", length=6, mode=SummaryMode.TIMELINE)
    assert summary.status is SummaryStatus.COVERED and summary.mode is SummaryMode.TIMELINE
    titles = [item.quote.passage.document.title for item in summary.items]
    expected = ["Fire at Notre-Dame", "Rebuilding Notre-Dame", "Notre-Dame reopens", "Paris notes"]
    assert titles == expected


def test_a_timeline_without_dates_keeps_article_order() -> None:
    index = index_of(
        *(dated(doc, None) for doc in notre_dame().documents if doc.title != "Weather")
    )
    summary = summarize(index, "Notre-Dame", length=6, mode=SummaryMode.TIMELINE)
    documents = [item.quote.passage.document.doc_id for item in summary.items]
    assert documents == sorted(documents) and len(documents) == 4


def test_compare_quotes_one_sentence_per_covering_article() -> None:
    index = newsroom()
    summary = summarize(index, "takeover bid", mode=SummaryMode.COMPARE)
    documents = [item.quote.passage.document.doc_id for item in summary.items]
    assert sorted(documents) == [0, 1]
    for item in summary.items:
        passage = item.quote.passage
        assert passage.document.text[passage.start : passage.end] == passage.text
        assert "takeover bid" in passage.text


def test_not_covered_suggests_topics_sharing_a_word_with_the_question() -> None:
    summary = summarize(newsroom(), "volcanoes of Chile")
    assert summary.status is SummaryStatus.NOT_COVERED
    assert summary.suggestions[0] == "volcano"


def test_the_story_gist_keeps_to_the_articles_published_since() -> None:
    dates = ["2005-01-02", "2005-01-03", "2005-03-01", "2005-03-02"]
    index = index_of(
        *(dated(doc, when) for doc, when in zip(newsroom().documents, dates, strict=True))
    )
    gist = summarize(index, length=4, since=datetime(2005, 2, 1, tzinfo=UTC))
    assert {item.quote.passage.document.doc_id for item in gist.items} == {2, 3}


@pytest.mark.parametrize(
    ("words", "name", "generic"),
    [
        (["December", "2004"], True, True),
        (["eight", "Grammys"], False, True),
        (["Christmas"], True, True),
        (["people"], False, True),
        (["market", "share"], False, True),
        (["I'm"], True, True),
        (["spokesman"], False, True),
        (["tsunami"], False, False),
        (["tsunami", "aid"], False, False),
        (["Brown"], True, False),
        (["Hutton", "report"], False, False),
        (["possible", "Russian"], False, True),
    ],
)
def test_what_is_generic(words: list[str], name: bool, generic: bool) -> None:
    assert is_generic_phrase(words, name) is generic
