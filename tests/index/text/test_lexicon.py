from __future__ import annotations

import gzip
from pathlib import Path

from index.text.analyzer import Analyzer
from index.text.lexicon import (
    TABLE,
    RelatedTerms,
    StemSortedTable,
    _read_bytes,
    asks_for_a_name,
    naming_nouns,
    read_table,
    related_terms,
)
from index.text.wordnet_table import NAMING, RELATED, main, related_words


def test_batch_terms_of_table_words_equal_the_analyzers_own_terms() -> None:
    analyzer = Analyzer()
    rows = read_table()
    words, stems = [word for word, _, _ in rows], [stem for _, stem, _ in rows]
    assert len(words) > 50_000
    expected = [analyzer.term(word) for word in words]
    assert analyzer.plain_word_terms(words) == expected
    # The shipped stems are the stemmer's (else regenerate: python -m index.text.wordnet_table).
    assert analyzer.plain_word_terms(words, stems) == expected
    assert Analyzer(stemming=False).plain_word_terms(words, stems) == words_without_stopwords(words)


def test_stale_shipped_stems_are_noticed_and_recomputed() -> None:
    analyzer = Analyzer()
    words = ["inventions", "running", "cities"] * 30
    wrong = ["x"] * len(words)
    assert analyzer.plain_word_terms(words, wrong) == [analyzer.term(w) for w in words]


def words_without_stopwords(words: list[str]) -> list[str | None]:
    analyzer = Analyzer(stemming=False)
    return [analyzer.term(word) for word in words]


def test_related_terms_meet_through_stems_and_exclude_the_term_itself() -> None:
    table = related_terms(Analyzer())
    invent = table.of("invent")
    assert "inventor" in invent and "invent" not in invent
    assert "fight" in table.of(Analyzer().term("fought") or "")
    assert table.of("qwzx") == frozenset()


def test_one_table_per_analyzer_configuration() -> None:
    assert related_terms(Analyzer()) is related_terms(Analyzer())
    assert related_terms(Analyzer(stemming=False)) is not related_terms(Analyzer())
    assert "inventor" in related_terms(Analyzer(stemming=False)).of("invent")


# A WordNet dictionary in miniature: two verb synsets, one noun synset, a derivation pointer
# from "invent" (word 1) to "inventor" (word 1), and one from word 2 ("devise") that "invent"
# must not inherit; one irregular form.
_DATA_VERB = """\
  1 licence header line
00000001 31 v 02 invent 0 devise 0 002 + 00000010 n 0101 + 00000020 n 0201 00 | make up
00000002 31 v 01 fight 0 000 00 | battle
"""
_DATA_NOUN = """\
00000010 18 n 01 inventor 0 001 + 00000001 v 0101 | someone who invents
00000020 06 n 01 device 0 000 | a thing
"""
_INDEX_VERB = """\
invent v 1 1 + 1 0 00000001
devise v 1 1 + 1 0 00000001
fight v 1 0 1 0 00000002
"""
_INDEX_NOUN = """\
inventor n 1 1 + 1 0 00000010
device n 1 0 1 0 00000020
"""


def _dictionary(folder: Path) -> Path:
    files = {
        "data.verb": _DATA_VERB,
        "data.noun": _DATA_NOUN,
        "index.verb": _INDEX_VERB,
        "index.noun": _INDEX_NOUN,
        "verb.exc": "fought fight\n",
    }
    for name in (
        "data.adj",
        "data.adv",
        "index.adj",
        "index.adv",
        "noun.exc",
        "adj.exc",
        "adv.exc",
    ):
        files.setdefault(name, "")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="latin-1")
    return folder


def test_table_holds_synonyms_own_derivations_and_irregular_forms(tmp_path: Path) -> None:
    table = related_words(_dictionary(tmp_path))
    assert table["invent"] == {"devise", "inventor"}  # not "device": that pointer is devise's
    assert table["devise"] == {"invent", "device"}
    assert table["inventor"] == {"invent"}
    assert table["fought"] == {"fight"}
    assert "fight" not in table  # nothing related: no line


def test_built_tables_are_written_as_lines(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main([str(_dictionary(tmp_path)), str(out)]) == 0
    lines = gzip.decompress((out / RELATED).read_bytes()).decode("utf-8").splitlines()
    assert "invent\tinvent\tdevise inventor" in lines
    nouns = gzip.decompress((out / NAMING).read_bytes()).decode("utf-8").splitlines()
    assert nouns == ["inventor"]  # lexname 18 (noun.person); "device" is 06 (noun.artifact)
    assert main([]) == 2


def test_naming_nouns_make_what_questions_ask_for_a_name() -> None:
    assert {"team", "city", "quarterback"} <= naming_nouns()
    assert asks_for_a_name("Which NFL team won?")  # the word after a capitalized one
    assert asks_for_a_name("What cities hosted the game?")  # plural
    assert not asks_for_a_name("What color was the logo?")
    assert not asks_for_a_name("What is the capital?")
    assert not asks_for_a_name("Who won?")


def test_the_table_searched_by_stem_gives_what_the_parsed_table_gives() -> None:
    # The shared table is searched in place (lines sorted by stem); parsing every line must
    # give every term the same related terms, stopwords and folded stems ("british") included.
    analyzer = Analyzer()
    searched = RelatedTerms(analyzer, table=StemSortedTable(_read_bytes(TABLE)))
    parsed = RelatedTerms(analyzer, read_table())
    assert searched._table is not None and parsed._table is None
    terms = list(parsed._rows or {})
    assert len(terms) > 40_000
    assert [searched.of(t) for t in terms] == [parsed.of(t) for t in terms]
    for word in ("british", "britain", "fought", "the", "qwzx"):
        term = analyzer.term(word) or word
        assert searched.of(term) == parsed.of(term)
    assert len(searched) == len(parsed)


def test_related_terms_are_the_analyzers_own_terms_of_the_related_words() -> None:
    # ``of`` stems a row's related words in one call (``plain_word_terms``); word by word, the
    # analyzer's ``term`` of each must give every term the same set, for either analyzer.
    rows = read_table()
    for analyzer in (Analyzer(), Analyzer(stemming=False)):
        table = RelatedTerms(analyzer, table=StemSortedTable(_read_bytes(TABLE)))
        by_term: dict[str, set[str]] = {}
        for word, _, related in rows:
            term = analyzer.term(word)
            if term is not None:
                by_term.setdefault(term, set()).update(related.split())
        assert len(by_term) > 40_000
        for term, words in by_term.items():
            expected = {analyzer.term(w) for w in words} - {None, term}
            assert table.of(term) == expected, term


def test_an_analyzer_that_does_not_stem_gets_the_table_parsed() -> None:
    plain = RelatedTerms(Analyzer(stemming=False), table=StemSortedTable(_read_bytes(TABLE)))
    assert plain._table is None  # its terms are words: not findable by stem
    assert "inventor" in plain.of("invent")


def test_lines_out_of_stem_order_are_not_found() -> None:
    # Why the generator sorts by stem: a misplaced line is invisible to the binary search.
    table = StemSortedTable(b"b\tb\tx\na\ta\ty\nc\tc\tz\n")
    assert table.rows_of("c") == [("c", "c", "z")]
    assert table.rows_of("a") == []
