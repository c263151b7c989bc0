"""What users type never grows the analyzer's word cache or the related-terms cache."""

from __future__ import annotations

import pytest

from index.answering.answer import answer_question
from index.summaries.summarizer import summarize
from index.text import analyzer as analyzer_module
from index.text import lexicon
from index.text.analyzer import Analyzer
from index.text.lexicon import RelatedTerms, read_table
from tests.support.builders import document, index_of

DOC = document(
    "Fleet",
    ["Russia’s shadow fleet helps it evade sanctions. The tankers sail at night from the port."],
)


def junk(n: int) -> str:
    return f"Qx{n}zvrb Wq{n}lmn kr{n}tt"


def test_questions_and_topics_leave_the_word_cache_as_the_corpus_made_it() -> None:
    index = index_of(DOC)
    # Corpus words are cached while indexing; the related words of "fleet" (WordNet's table,
    # bounded) on its first question. What varies below is only words no table or corpus has.
    answer_question(index, "Does the fleet sail?")
    cached = index.analyzer.cached_words
    assert cached > 0
    for n in range(300):
        answer_question(index, f"Does the fleet {junk(n)} sail?")
        summarize(index, topic=junk(n), length=3)
    assert index.analyzer.cached_words == cached
    assert answer_question(index, "Where do the tankers sail?").covered  # still answers


def test_text_analyzed_with_remember_false_gives_the_same_terms_uncached() -> None:
    analyzer = Analyzer()
    remembered = Analyzer()
    text = "The U.S. Army’s 10,000 troops SAILED north"
    assert analyzer.terms(text, remember=False) == remembered.terms(text)
    assert analyzer.cached_words == 0 and remembered.cached_words > 0
    assert [t.term for t in analyzer.tokens(text, remember=False)] == remembered.terms(text)
    assert analyzer.cached_words == 0


def test_typed_words_are_kept_in_their_own_bounded_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyzer_module, "_TYPED_LIMIT", 5)
    analyzer, fresh = Analyzer(), Analyzer()
    words = [*(junk(n) for n in range(40)), "U.S.", "SAILED", "Russia’s", "10,000", "the", "30th"]
    for text in (" ".join(words), " ".join(words).upper(), *words, *words):
        # The same terms as a fresh analyzer's, whether the words came from the cache or not.
        assert analyzer.terms(text, remember=False) == Analyzer().terms(text, remember=False)
        assert [t.term for t in analyzer.tokens(text, remember=False)] == fresh.terms(text)
        assert 0 < analyzer.typed_words <= 2 * 5
    assert analyzer.cached_words == 0
    analyzer.terms("sailed north", remember=False)
    analyzer.terms("sailed north")  # a corpus word is kept in the corpus cache all the same
    assert analyzer.cached_words == 2


def test_related_terms_cache_only_the_tables_terms() -> None:
    # A table of its own: the shared one per analyzer configuration may hold "ship" already
    # from another test, which made this test depend on the order tests run in.
    table = RelatedTerms(Analyzer(), read_table())
    before = table.cached
    for n in range(500):
        assert table.of(f"zq{n}xv") == frozenset()
    assert table.cached == before
    assert table.of("ship")  # a table term: computed and kept
    assert before < table.cached <= len(table)


def test_terms_without_a_row_are_searched_once_up_to_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = RelatedTerms(Analyzer(), read_table())
    searched: list[str] = []
    search = table._related_rows

    def counted(term: str) -> list[str]:
        searched.append(term)
        return search(term)

    monkeypatch.setattr(table, "_related_rows", counted)
    monkeypatch.setattr(lexicon, "ABSENT", 3)
    for _ in range(2):
        assert [table.of(t) for t in ("zqa", "zqb", "zqc")] == [frozenset()] * 3
    assert searched == ["zqa", "zqb", "zqc"]  # the second round asked the table nothing
    assert table.of("zqd") == frozenset() and table.of("zqa") == frozenset()
    assert searched[3:] == ["zqd", "zqa"]  # past the bound all were forgotten
    assert table.of("ship") and table.of("ship") == table.of("ship")
