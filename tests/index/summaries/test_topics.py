"""Topics: real phrases as written, true counts, no function words; autocompletion."""

from __future__ import annotations

import itertools
import re

import pytest

from index.retrieval.corpus_index import CorpusIndex
from index.summaries.articles import find_article, match_articles
from index.summaries.phrases import WEAK_WORDS, sentence_phrases
from index.summaries.topics import complete_topic, corpus_topics
from tests.support.builders import document, index_of


def test_shipped_article_topics_include_the_main_subjects(shipped_index: CorpusIndex) -> None:
    phrases = [topic.phrase for topic in corpus_topics(shipped_index)]
    for expected in ("North Korea", "shadow fleet", "NATO"):
        assert expected in phrases
    assert any("Kirillov" in phrase for phrase in phrases)
    assert len(phrases) == 15


def test_topics_are_not_stopwords_or_function_words(shipped_index: CorpusIndex) -> None:
    analyzer = shipped_index.analyzer
    for topic in corpus_topics(shipped_index, limit=100):
        words = topic.phrase.split()
        assert len(analyzer.terms(topic.phrase)) == len(topic.terms), topic  # no stopword in it
        assert len(words) > 1 or (words[0].casefold() not in WEAK_WORDS and len(words[0]) > 2)


def mentions(index: CorpusIndex, terms: tuple[str, ...]) -> list[int]:
    """Passages where ``terms`` occur as consecutive words (only spaces or a hyphen between)."""
    found = []
    for passage in index.iter_passages():
        tokens = index.analyzer.tokens(passage.text)
        for i in range(len(tokens) - len(terms) + 1):
            window = tokens[i : i + len(terms)]
            gaps = [passage.text[a.end : b.start] for a, b in itertools.pairwise(window)]
            if tuple(t.term for t in window) == terms and all(g.strip(" -") == "" for g in gaps):
                found.append(passage.passage_id)
                break
    return found


def test_counts_are_true_counts(shipped_index: CorpusIndex) -> None:
    # A merged name ("Volodymyr Zelensky") counts every sentence naming its short form.
    for topic in corpus_topics(shipped_index):
        assert topic.sentences == len(mentions(shipped_index, topic.key)), topic
        assert topic.articles == 1


@pytest.mark.parametrize("phrase", ["shadow fleet", "NATO", "Igor Kirillov", "North Korea"])
def test_counts_of_names_match_the_text(shipped_index: CorpusIndex, phrase: str) -> None:
    topic = next(t for t in corpus_topics(shipped_index) if t.phrase == phrase)

    def count(pattern: str) -> int:
        return sum(1 for p in shipped_index.iter_passages() if re.search(pattern, p.text))

    exact = r"\b" + r"\s+".join(phrase.split()) + r"\b"
    # An analyzer that folds demonyms counts "North Korean troops" as a mention of North Korea.
    assert count(exact) <= topic.sentences <= count(exact[:-2] + r"(?:n\b|\b)")
    assert topic.sentences == count(exact) or phrase == "North Korea"


def test_topics_are_best_first(shipped_index: CorpusIndex) -> None:
    scores = [topic.score for topic in corpus_topics(shipped_index, limit=50)]
    assert scores == sorted(scores, reverse=True)


def test_phrases_never_cross_stopwords_punctuation_or_possessives(
    shipped_index: CorpusIndex,
) -> None:
    text = "Zelensky urged allies to act against Russia’s shadow fleet, which evades sanctions."
    surfaces = {o.surface for o in sentence_phrases(text, shipped_index.analyzer)}
    assert {"shadow fleet", "Russia", "Zelensky urged allies"} <= surfaces
    assert not {s for s in surfaces if "Russia " in s or "fleet evades" in s or "act against" in s}


def test_a_name_after_a_title_is_the_topic(shipped_index: CorpusIndex) -> None:
    text = "It followed the death of Russian Lieutenant General Igor Kirillov in Moscow."
    surfaces = {o.surface for o in sentence_phrases(text, shipped_index.analyzer)}
    assert "Igor Kirillov" in surfaces and not {s for s in surfaces if "General" in s}


def test_topics_spread_over_articles_count_each_article() -> None:
    index = index_of(
        document("One", ["The harbour froze. Ice closed the harbour again."], doc_id=0),
        document("Two", ["Fishermen left the harbour early."], doc_id=1),
    )
    harbour = next(t for t in corpus_topics(index) if t.phrase == "harbour")
    assert (harbour.sentences, harbour.articles) == (3, 2)


def test_complete_topic_by_prefix_then_inner_word(shipped_index: CorpusIndex) -> None:
    assert complete_topic(shipped_index, "sha")[0] == "shadow fleet"
    assert "shadow fleet" in complete_topic(shipped_index, "FLEET")
    assert complete_topic(shipped_index, "")[:3] == [
        t.phrase for t in corpus_topics(shipped_index, 3)
    ]
    assert complete_topic(shipped_index, "zzzz") == []
    assert len(complete_topic(shipped_index, "", limit=5)) == 5


def test_match_articles_and_find_article() -> None:
    first = document("North Korea Reports Casualties", ["A sentence here."], doc_id=0)
    second = document("Markets in Korea", ["Another sentence."], doc_id=1)
    third = document("Korea trade talks", ["A third sentence."], doc_id=2)
    index = index_of(first, second, third)
    assert match_articles(index, "north") == [first]
    assert match_articles(index, "KOREA") == [third, first, second]  # title start first
    assert match_articles(index, "orea") == [first, second, third]  # then anywhere
    assert match_articles(index, "") == [first, second, third]
    assert find_article(index, "markets in korea") is second
    assert find_article(index, "in korea") is second
    assert find_article(index, "korea") is None  # ambiguous
    assert find_article(index, "nowhere") is None


def test_topic_spelling_is_the_one_used_as_a_noun_and_not_a_forced_capital() -> None:
    index = index_of(
        document(
            "Ships",
            [
                "Two oil tankers were seized. Several oil tanker crews went on strike.",
                "Insurers dropped the oil tankers. Angry oil tanker crews blocked the road.",
                "Shadow fleet ships sailed at night. Officials tracked the shadow fleet closely.",
            ],
        )
    )
    phrases = {topic.terms: topic.phrase for topic in corpus_topics(index, 50)}
    tanker = index.analyzer.terms("oil tankers")
    assert phrases[tuple(tanker)] == "oil tankers"
    assert phrases[tuple(index.analyzer.terms("shadow fleet"))] == "shadow fleet"
