from __future__ import annotations

from index.answering.acronyms import aliases, spelled_out
from index.answering.answer import AnswerPolicy, answer_question, question_terms
from tests.support.builders import document, index_of

INDEX = index_of(
    document(
        "Wenger fined",
        [
            "The Football Association (FA) fined Wenger £15,000.",
            "The Music Managers' Forum (MMF) backed the musicians.",
            "The MMF wants cheaper visas.",
            "Turkey took a loan from the International Monetary Fund.",
            "Glazer's bid for the club failed.",
        ],
    )
)


def test_the_corpus_spells_out_its_acronyms() -> None:
    assert spelled_out(INDEX, "fa") == "Football Association"
    assert spelled_out(INDEX, "mmf") == "Music Managers' Forum"
    assert spelled_out(INDEX, "xyz") is None


def _aliases(question: str) -> dict[str, frozenset[str]]:
    return aliases(INDEX, question, question_terms(INDEX, question))


def test_an_acronym_stands_for_its_long_form_and_back() -> None:
    terms = INDEX.analyzer.terms
    assert _aliases("how much did the FA fine him")[terms("FA")[0]] == frozenset(
        terms("football association")
    )
    assert _aliases("imf loan to turkey")[terms("IMF")[0]] >= frozenset(terms("monetary fund"))
    assert _aliases("who heads the music managers forum")[terms("forum")[0]] == {terms("MMF")[0]}


def test_runs_the_corpus_does_not_spell_out_are_no_acronym() -> None:
    assert _aliases("is the glazer bid over") == {}
    assert _aliases("what did he fine") == {}  # a lower-case English word is not an acronym


def test_the_long_form_finds_the_sentence_with_the_acronym() -> None:
    question = "what does the music managers forum want"
    shown = [q.passage.text for q in answer_question(INDEX, question).quotes]
    assert "The MMF wants cheaper visas." in shown
    off = answer_question(INDEX, question, AnswerPolicy(acronyms=False))
    assert "The MMF wants cheaper visas." not in [q.passage.text for q in off.quotes]
