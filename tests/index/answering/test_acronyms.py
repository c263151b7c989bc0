from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from index.answering.acronyms import (
    _SKIPPED,
    _WORD,
    COMMON,
    _initials,
    aliases,
    spelled_out,
)
from index.answering.answer import AnswerPolicy, answer_question, question_terms
from index.retrieval.corpus_index import CorpusIndex
from index.text.lexicon import related_terms
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


def _plain_aliases(
    index: CorpusIndex, question: str, terms: Sequence[str]
) -> dict[str, frozenset[str]]:
    """``aliases`` as first written: every word and run analyzed afresh, each run's initials
    joined from its words, each run's long form looked up (the reference for the fast one)."""
    analyzer = index.analyzer
    wanted = set(terms)
    found: dict[str, set[str]] = {}
    words = _WORD.findall(question)
    table = related_terms(analyzer)
    for word in words:
        key = word.casefold()
        term = analyzer.term(word.upper(), remember=False)
        if term not in wanted or not 2 <= len(key) <= 5:
            continue
        if not word.isupper() and key not in COMMON and table.of(term):
            continue
        long_form = (spelled_out(index, key) if index.doc_freq(term) else None) or COMMON.get(key)
        if long_form:
            others = set(analyzer.terms(long_form, remember=False)) - {term}
            found.setdefault(term, set()).update(others)
    for size in range(2, 6):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            initials = _initials(run)
            if len(initials) < 2 or run[0].casefold() in _SKIPPED:
                continue
            acronym = analyzer.term(initials.upper(), remember=False)
            if acronym is None or acronym in wanted or not index.doc_freq(acronym):
                continue
            long_form = spelled_out(index, initials)
            run_terms = analyzer.terms(" ".join(run), remember=False)
            if long_form is None or analyzer.terms(long_form, remember=False) != run_terms:
                continue
            for term in run_terms:
                if term in wanted:
                    found.setdefault(term, set()).add(acronym)
    return {term: frozenset(others) for term, others in found.items() if others}


# Words that spell acronyms out and skip in them, in several cases, and others.
_TEXT = (
    "Football Association FA fa FOOTBALL association Music Managers' Forum MMF mmf music managers"
    " forum International Monetary Fund IMF imf monetary of the and for Department Trade"
    " Industry DTI dti un UN us US eu EU EC pm PM fine bid Glazer glazer's GB gb wenger Wenger"
    " Kim Jong Un North Korea NK nk Zelensky NATO nato Shadow Fleet SF Ukraine Russia's 2024"
    " IT it WHO who Über Straße ß"
)
_VOCABULARY = _TEXT.split()


def _questions(rng: random.Random, count: int) -> list[str]:
    questions = []
    for _ in range(count):
        words = [rng.choice(_VOCABULARY) for _ in range(rng.randint(1, 9))]
        if rng.random() < 0.2:
            words = [word.upper() for word in words]
        questions.append(" ".join(words) + rng.choice(("", "?", " (FA)")))
    return questions


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_aliases_are_the_plain_ones(shipped_index: CorpusIndex, seed: int) -> None:
    """The fast ``aliases`` (initials joined once, the term cache read once a question, no
    long form read for a run that stands for no question term) gives the plain one's table,
    on the test corpus, the seed articles and random questions in every case."""
    rng = random.Random(seed)
    fixed = [
        "how much did the FA fine him",
        "imf loan to turkey",
        "who heads the music managers forum",
        "what does the music managers forum want",
        "is the glazer bid over",
        "What did NATO say about the shadow fleet of Russia?",
        "department of trade and industry",
    ]
    for index in (INDEX, shipped_index):
        for question in fixed + _questions(rng, 150):
            terms = question_terms(index, question)
            assert aliases(index, question, terms) == _plain_aliases(index, question, terms)
            for _ in range(2):  # terms that differ from the question's own
                others = rng.sample(terms, k=len(terms) // 2) + rng.sample(
                    index.analyzer.terms(_TEXT), k=3
                )
                assert aliases(index, question, others) == _plain_aliases(index, question, others)
