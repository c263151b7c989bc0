from __future__ import annotations

import pytest

from index.answering.abstain import Abstention, lone_word, negation_mismatch, unseen_names
from index.answering.answer import AnswerPolicy, rank_question
from index.model import AnswerStatus
from index.retrieval.corpus_index import CorpusIndex
from tests.support.builders import document, index_of


@pytest.fixture
def index() -> CorpusIndex:
    return index_of(
        document(
            "Fleet news",
            [
                "Russia’s shadow fleet helps it evade sanctions in 2024.",
                "Twelve tankers were tracked near Denmark.",
            ],
        )
    )


def test_unseen_names_and_numbers_are_reported(index: CorpusIndex) -> None:
    assert unseen_names(index, "Did Biden track the tankers in 1999?") == ["biden", "1999"]
    assert unseen_names(index, "Did Russia evade sanctions in 2024?") == []
    # the first word and all-capitals questions say nothing about names
    assert unseen_names(index, "Where were tankers tracked?") == []
    assert unseen_names(index, "WHERE WERE TANKERS TRACKED?") == []


def test_negation_mismatch_needs_a_negated_question(index: CorpusIndex) -> None:
    sentence = index.passage(0)
    assert negation_mismatch("What does the fleet not evade?", sentence)
    assert not negation_mismatch("What does the fleet evade?", sentence)


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("Did Biden evade sanctions?", Abstention.UNSEEN_NAME),
        ("What does the shadow fleet never evade?", Abstention.NEGATION),
        ("Who cooked the tankers' dinner in Paris yesterday?", Abstention.LOW_COVERAGE),
    ],
)
def test_each_signal_makes_the_core_abstain(
    index: CorpusIndex, question: str, reason: Abstention
) -> None:
    # The negation signal is off by default (people ask "why won't ...", "without refuelling"
    # about what the articles do say; README, "Quality"), so it is switched on here.
    ranking = rank_question(index, question, AnswerPolicy(abstain_on_negation=True))
    assert ranking.status is AnswerStatus.NOT_COVERED
    assert ranking.abstention is reason
    assert ranking.ranked  # the ranking is kept for benchmarks even when abstaining


def test_signals_can_be_switched_off(index: CorpusIndex) -> None:
    policy = AnswerPolicy(abstain_on_unseen_names=False)
    for question in ("Did Biden evade sanctions?", "What does the shadow fleet never evade?"):
        assert rank_question(index, question, policy).status is AnswerStatus.COVERED


def test_a_lone_shared_word_in_an_article_about_something_else_is_declined() -> None:
    index = index_of(
        document("Squad", ["The team is Andrew Cole (Australia).", "He scored twice."]),
        document("Glazer", ["Glazer made a bid.", "The bid for United failed."], doc_id=1),
    )
    ranking = rank_question(index, "what's the capital of australia")
    assert ranking.abstention is Abstention.LONE_WORD
    # Another question word elsewhere in the article means the article is about the question.
    assert lone_word(index, ["glazer", "unit"], index.passage(2)) is False
    assert rank_question(index, "what did glazer bid for united").status is AnswerStatus.COVERED
    off = AnswerPolicy(abstain_on_lone_word=False)
    assert rank_question(index, "what's the capital of australia", off).abstention is None


def test_a_name_the_corpus_spells_another_way_is_seen() -> None:
    index = index_of(
        document(
            "Fines",
            [
                "Wenger was fined £15,000 by the Football Association.",
                "His hits of the 1960s still sell.",
            ],
        )
    )
    alias = {"fa": frozenset({"footbal", "associ"})}
    assert unseen_names(index, "How much did the FA fine Wenger?") == ["fa"]
    assert unseen_names(index, "How much did the FA fine Wenger?", alias) == []
    # "60s" is seen when the corpus writes "1960s"; "70s" is not (no "1970s" anywhere).
    assert unseen_names(index, "what were his hits of the 60s") == []
    assert unseen_names(index, "what were his hits of the 70s") == ["70s"]
    assert rank_question(index, "how much did the FA fine wenger").status is AnswerStatus.COVERED


def test_an_acronym_standing_for_a_question_word_is_not_a_lone_word() -> None:
    index = index_of(
        document("Lira", ["Turkey turned to the International Monetary Fund for help."]),
        document("Sport", ["Turkey beat Wales 2-0."], doc_id=1),
    )
    best = index.passage(0)
    terms = ["turkey", "imf", "bailout"]
    assert lone_word(index, terms, best) is True
    alias = {"imf": frozenset({"intern", "monetari", "fund"})}
    assert lone_word(index, terms, best, alias) is False
    assert rank_question(index, "how big was turkey's imf bailout").abstention is None
