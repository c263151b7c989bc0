from __future__ import annotations

from index.answering.spelling import corrected, speller, word_fix
from index.retrieval.corpus_index import CorpusIndex
from tests.support.builders import document, index_of


def _index() -> CorpusIndex:
    return index_of(
        document(
            "Music news",
            [
                "Ray Charles died aged 73; Charles was a pianist.",
                "Directed by Subhash Ghai, the film opens in January.",
                "The rest of the tour was cancelled. Chart success followed.",
            ],
        )
    )


def test_an_unknown_term_is_corrected_to_the_nearest_corpus_term() -> None:
    index = _index()
    analyzer = index.analyzer
    fixed = corrected(index, analyzer.terms("ray charels directd"))
    assert fixed == analyzer.terms("ray charles directed")


def test_a_swap_of_two_letters_is_one_edit() -> None:
    index = _index()
    (term,) = index.analyzer.terms("pianits")
    assert speller(index).correct(index, term) == index.analyzer.terms("pianist")[0]


def test_known_short_and_unlike_terms_are_left_alone() -> None:
    index = _index()
    fix = speller(index).correct
    assert fix(index, "chart") == "chart"  # known to the corpus
    assert fix(index, "reset") == "reset"  # short: "rest" is another word, not a typo
    assert fix(index, "xharles") == "xharles"  # another first letter
    assert fix(index, "2004x") == "2004x"  # numbers are never corrected


def test_corrections_that_meet_keep_one_term() -> None:
    index = _index()
    assert corrected(index, ["charl", "charel"]) == ["charl"]


def test_a_swap_stemming_hides_is_found_on_the_word_as_typed() -> None:
    index = index_of(document("Trial", ["Mr Jackson denies 10 charges of child abuse."]))
    analyzer = index.analyzer
    (typo,) = analyzer.terms("chrages")  # "chrage": two edits from the stem "charg"
    assert speller(index).correct(index, typo) == typo  # the stem's edit cannot reach it
    assert corrected(index, [typo]) == [typo]  # nor without the typed words
    assert corrected(index, [typo], {typo: "chrages"}) == analyzer.terms("charges")
    # only swaps: a word one letter away that is no swap is left alone
    (other,) = analyzer.terms("chxrges")
    assert corrected(index, [other], {other: "chxrges"}) == [other]
    assert word_fix(index, "harges") is None  # no swap of it is a corpus word
    assert word_fix(index, "chrge") is None  # five letters: too short to correct


def test_the_vocabulary_is_grouped_only_for_a_term_that_may_be_corrected() -> None:
    import index.answering.spelling as spelling

    index = _index()
    analyzer = index.analyzer
    assert corrected(index, analyzer.terms("ray charles chart 2004")) == analyzer.terms(
        "ray charles chart 2004"
    )
    assert index not in spelling._SPELLERS  # every term known, short or a number
    corrected(index, analyzer.terms("charels"))
    assert index in spelling._SPELLERS
