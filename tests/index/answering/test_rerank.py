from __future__ import annotations

from dataclasses import replace

import pytest

from index.answering.answer import question_terms
from index.answering.question import AnswerType, answer_candidates, answer_type
from index.answering.rerank import (
    NO_EVIDENCE,
    RerankWeights,
    answer_near_text,
    article_prior,
    candidate_titles,
    paragraph_counts,
    question_runs,
    referred_terms,
    rerank,
    runs_share,
    title_damped,
)
from index.retrieval.corpus_index import CorpusIndex
from tests.support.builders import document, index_of

OFF = NO_EVIDENCE


def _ranked(index: CorpusIndex, question: str, weights: RerankWeights) -> list[str]:
    terms = question_terms(index, question)
    candidates = index.rank(terms, 50)
    return [p.text for p, _ in rerank(index, question, terms, candidates, weights)]


def test_all_weights_off_keeps_the_bm25_order() -> None:
    index = index_of(document("Fleet", ["Tankers sailed. Tankers and tankers sailed far."]))
    terms = question_terms(index, "tankers")
    candidates = index.rank(terms, 50)
    assert rerank(index, "tankers", terms, candidates, OFF) == candidates


def test_answer_type_lifts_the_sentence_holding_a_number() -> None:
    index = index_of(
        document(
            "Troops",
            [
                "North Korean troops were deployed to Kursk in large numbers by the army.",
                "About 11,000 troops were deployed.",
            ],
        )
    )
    question = "How many troops were deployed to Kursk?"
    assert _ranked(index, question, replace(OFF, answer_type=2.0))[0].startswith("About")


def test_title_words_count_for_every_sentence_of_the_article() -> None:
    game = document(
        "Super Bowl 50",
        [
            "Super Bowl 50 was a football game held in California this year.",
            "The game was televised by CBS.",
        ],
    )
    index = index_of(game)
    question = "Which network televised Super Bowl 50?"
    assert _ranked(index, question, OFF)[0].startswith("Super Bowl 50 was")
    assert _ranked(index, question, replace(OFF, title=1.0))[0] == "The game was televised by CBS."


def test_paragraph_evidence_prefers_the_paragraph_holding_the_other_words() -> None:
    index = index_of(
        document(
            "Ports",
            ["The tanker crews waited.", "Sanctions hit Russia. The tanker crews waited at port."],
        )
    )
    paragraphs = [(p.paragraph, sorted(paragraph_counts(index, p))) for p in index.iter_passages()]
    assert paragraphs[1][1] == paragraphs[2][1]
    top = rerank(
        index,
        "Russia tanker crews",
        ["russia", "tanker", "crew"],
        index.rank(["tanker", "crew"], 50),
        replace(OFF, paragraph=1.0),
    )[0][0]
    assert top.paragraph == 2


def test_a_sentence_opening_with_it_borrows_the_sentence_before() -> None:
    index = index_of(document("Lang", ["Anglo-Norman was spoken in England. It became English."]))
    second = index.passage(1)
    assert "norman" in referred_terms(index, second)
    assert referred_terms(index, index.passage(0)) == set()


def test_definition_questions_prefer_the_first_sentence() -> None:
    index = index_of(
        document("NATO", ["NATO is a military alliance.", "NATO met in Brussels and NATO voted."])
    )
    ranked = _ranked(index, "What is NATO?", replace(OFF, definition=1.0))
    assert ranked[0] == "NATO is a military alliance."


def test_paragraph_bm25_counts_repeats_and_prefers_the_shorter_paragraph() -> None:
    index = index_of(
        document(
            "Ports",
            [
                "The tanker crews waited. Russia sent ships north. Sanctions hit ports in winter.",
                "The tanker crews waited. Russia banned the tanker and the tanker left.",
            ],
        )
    )
    assert paragraph_counts(index, index.passage(3))["tanker"] == 3
    question = "Russia tanker crews"
    terms = ["russia", "tanker", "crew"]
    candidates = index.rank(["tanker", "crew"], 50)
    # Both paragraphs hold every term, so the share cannot choose; BM25 of the paragraph can.
    shares = rerank(index, question, terms, candidates, replace(OFF, paragraph=1.0))
    assert {shares[0][1], shares[1][1]} == {shares[0][1]}
    top = rerank(index, question, terms, candidates, replace(OFF, paragraph_bm25=1.0))[0][0]
    assert top.paragraph == 2


def test_title_damp_weighs_only_the_title_words_down() -> None:
    index = index_of(document("Denver Broncos", ["Miller sacked the quarterback in Denver."]))
    idf = {"denver": 2.0, "bronco": 3.0, "quarterback": 4.0}
    candidates = index.rank(list(idf), 50)
    titles = candidate_titles(index, candidates, {})
    damped = title_damped(idf, titles, 0.6)
    assert damped == pytest.approx({"denver": 0.8, "bronco": 1.2, "quarterback": 4.0})
    assert title_damped(idf, titles, 0.0) == idf


def test_title_damp_lets_the_rest_of_the_question_decide() -> None:
    index = index_of(
        document(
            "Denver Broncos",
            [
                "The Denver Broncos quarterback waved.",
                "Miller sacked the quarterback.",
                "Fans cheered. Rain fell. The band played. Denver celebrated.",
            ],
        )
    )
    question = "Which Denver Broncos player sacked the quarterback?"
    shared = replace(OFF, share=3.0)
    assert _ranked(index, question, shared)[0] == "The Denver Broncos quarterback waved."
    damped = replace(shared, title_damp=0.6)
    assert _ranked(index, question, damped)[0] == "Miller sacked the quarterback."


def test_a_related_word_counts_for_the_question_word_it_stands_for() -> None:
    index = index_of(
        document(
            "Phones",
            [
                "The telephone was patented in 1876 by Alexander Graham Bell, its inventor.",
                "The telephone changed daily life.",
            ],
        )
    )
    question = "Who invented the telephone?"
    assert _ranked(index, question, OFF)[0].startswith("The telephone changed")
    assert _ranked(index, question, replace(OFF, related=1.0))[0].endswith("its inventor.")


@pytest.mark.parametrize(
    ("lever", "question", "bm25_first", "together"),
    [
        (
            "bigram",
            "Who kicked the field goal?",
            "The goal was on the far field when he kicked.",
            "He kicked the winning field goal late.",
        ),
        (
            "trigram",
            "Who praised the Denver Broncos defense?",
            "Denver praised the defense of the Broncos.",
            "Fans long praised the Denver Broncos defense that season.",
        ),
    ],
)
def test_question_words_in_a_row_prefer_the_sentence_keeping_them_together(
    lever: str, question: str, bm25_first: str, together: str
) -> None:
    index = index_of(document("Game", [bm25_first, together]))
    assert _ranked(index, question, OFF)[0] == bm25_first
    assert _ranked(index, question, replace(OFF, **{lever: 1.0}))[0] == together


@pytest.mark.parametrize(
    ("length", "runs"),
    [
        (2, {("kick", "field"): 3.0, ("field", "goal"): 5.0}),
        (3, {("kick", "field", "goal"): 6.0}),
    ],
)
def test_question_runs_weigh_each_run_by_its_terms_idf(
    length: int, runs: dict[tuple[str, ...], float]
) -> None:
    index = index_of(document("Game", ["He kicked the winning field goal late."]))
    idf = {"kick": 1.0, "field": 2.0, "goal": 3.0}
    sequence = index.analyzer.terms("Who kicked the field goal?")
    assert question_runs(sequence, idf, length) == runs


def test_a_number_next_to_the_question_words_beats_one_far_from_them() -> None:
    index = index_of(
        document(
            "Punts",
            [
                "The punt by Nortman went 28 yards.",
                "In 2015 the team had a long season before the punt by Nortman.",
            ],
        )
    )
    question = "How many yards did the punt by Nortman go?"
    kind = answer_type(question)
    idf = {t: index.idf(t) for t in question_terms(index, question)}
    near, far = index.iter_passages()
    found_near = answer_candidates(near.text, kind, question)
    found_far = answer_candidates(far.text, kind, question)
    assert answer_near_text(index, near.text, found_near, kind, idf, set(), window=4)
    assert not answer_near_text(index, far.text, found_far, kind, idf, set(), window=2)


def test_a_name_that_the_question_or_title_says_is_not_an_answer() -> None:
    index = index_of(document("Broncos", ["The Broncos beat the team from Carolina."]))
    question = "Which team did the Broncos beat?"
    idf = {t: index.idf(t) for t in question_terms(index, question)}
    (passage,) = index.iter_passages()
    found = answer_candidates(passage.text, AnswerType.PERSON, question)
    assert answer_near_text(index, passage.text, found, AnswerType.PERSON, idf, set(), 4)
    assert not answer_near_text(index, passage.text, found, AnswerType.PERSON, idf, {"carolina"}, 4)


def test_runs_of_weightless_terms_share_nothing_rather_than_dividing_by_zero() -> None:
    runs = {("super", "bowl"): 0.0}
    assert runs_share(runs, {"super", "bowl"}, ["super", "bowl"]) == 0.0


def test_the_article_with_more_sentences_about_the_question_is_preferred() -> None:
    lone = document("Markets", ["Traders said the glazer bid lifted shares."])
    story = document(
        "Club",
        [
            "The glazer bid was welcomed by some fans.",
            "The board rejected the glazer bid on Monday.",
            "Supporters marched against the glazer bid.",
        ],
        doc_id=1,
    )
    other = document("Weather", ["Rain fell.", "Wind blew.", "Snow came.", "Sun shone."], doc_id=2)
    index = index_of(lone, story, other)
    question = "glazer bid shares"
    assert _ranked(index, question, OFF)[0].startswith("Traders")
    assert not _ranked(index, question, replace(OFF, article=3.0))[0].startswith("Traders")


def test_the_article_prior_is_each_articles_share_of_the_best_sum() -> None:
    index = index_of(document("A", ["One. Two."]), document("B", ["Three."], doc_id=1))
    a1, a2, b1 = (index.passage(i) for i in range(3))
    prior = article_prior([(a1, 2.0), (b1, 3.0), (a2, 2.0)])
    assert prior == {0: 1.0, 1: 0.75}


def test_every_weight_is_a_listed_lever_or_a_setting() -> None:
    """The levers are listed once (``EVIDENCE``): a new weight that is not listed would be
    missed by ``active``, ``NO_EVIDENCE`` and the sweep alike."""
    from index.answering.rerank import EVIDENCE, LEVERS

    settings = {"depth", "near_window"}
    assert set(RerankWeights.__dataclass_fields__) == set(LEVERS) | settings
    assert set(EVIDENCE) < set(LEVERS)
    assert all(getattr(NO_EVIDENCE, name) == 0 for name in LEVERS)
    assert not NO_EVIDENCE.active and RerankWeights().active
