from __future__ import annotations

from index.text.analyzer import Analyzer, normalize_word


def test_curly_and_straight_apostrophes_and_possessives_fold_alike() -> None:
    analyzer = Analyzer()
    assert (
        analyzer.terms("Russia’s fleet")
        == analyzer.terms("Russia's fleet")
        == analyzer.terms("russia fleet")
    )


def test_corpus_and_question_are_analyzed_alike() -> None:
    analyzer = Analyzer()
    sentence = "North Korean troops were deployed near Kursk in 2022."
    question = "Were NORTH korean Troops deployed near kursk in 2022?"
    assert set(analyzer.terms(question)) == set(analyzer.terms(sentence))


def test_stemming_matches_inflections() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("casualties") == analyzer.terms("casualty")
    assert analyzer.terms("deployment") != [] and analyzer.terms("deployed") == analyzer.terms(
        "deploy"
    )


def test_numbers_keep_their_value() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("10,000 troops") == ["10000", "troop"]
    assert analyzer.terms("3.5 percent in 2022") == ["3.5", "percent", "2022"]


def test_stopwords_dropped_but_acronyms_kept() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("What is the of and") == []
    assert analyzer.terms("the US military") == ["us", "militari"]
    assert analyzer.terms("the U.S. military") == ["us", "militari"]
    assert analyzer.terms("tell us more") == ["tell"]


def test_won_is_a_verb_but_wont_a_stopword() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("Labour won the vote") == ["labour", "won", "vote"]
    assert analyzer.terms("they won't vote") == analyzer.terms("they won’t vote") == ["vote"]


def test_accents_fold_for_latin_but_other_scripts_survive() -> None:
    assert normalize_word("Café") == "cafe"
    assert normalize_word("Київ") == "київ"
    terms = Analyzer().terms("Zelenskyy Зеленський")
    assert terms[0] == "zelenskyy"
    assert len(terms) == 2 and terms[1].startswith("зеленськ")


def test_token_spans_point_at_the_raw_words() -> None:
    text = "Igor Kirillov’s death"
    tokens = Analyzer().tokens(text)
    assert [text[t.start : t.end] for t in tokens] == ["Igor", "Kirillov’s", "death"]


def test_demonyms_fold_onto_their_place() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("North Korean troops") == analyzer.terms("North Korea troops")
    assert analyzer.terms("Russian Australians") == analyzer.terms("Russia Australia")
    assert analyzer.terms("Victorian") != analyzer.terms("Victoria")
    assert analyzer.terms("French") == analyzer.terms("France")
    assert analyzer.terms("Britons UK British") == analyzer.terms("Britain Britain Britain")
    assert Analyzer(demonyms=False).terms("Korean") != Analyzer(demonyms=False).terms("Korea")


def test_ordinals_match_their_number() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("opened on January 30th") == analyzer.terms("opened on January 30")


def test_the_stemmers_own_cache_is_off_and_stems_are_unchanged() -> None:
    import Stemmer

    analyzer = Analyzer()
    assert analyzer._stemmer.maxCacheSize == 0  # ``_stem`` caches them
    reference = Stemmer.Stemmer("english")
    words = [f"runn{'ing' * (i % 3)}s{i}" for i in range(15_000)]  # past its purge threshold
    assert [analyzer._stemmer.stemWord(w) for w in words] == reference.stemWords(words)
