from __future__ import annotations

import pytest

from index.answering.abstain import coverage
from index.answering.answer import AnswerPolicy, answer_question
from index.errors import VerbatimError
from index.model import AnswerStatus
from index.retrieval.corpus_index import CorpusIndex
from tests.support.builders import document, index_of

FLEET = document(
    "Fleet news",
    [
        "Russia’s shadow fleet helps it evade sanctions. Officials tracked twelve tankers.",
        "The weather was cold in Moscow. Tanker crews waited at port.",
        "NATO took over coordination of aid to Ukraine.",
    ],
    "www.example.org",
)


@pytest.fixture
def fleet_index() -> CorpusIndex:
    return index_of(FLEET)


def test_answers_with_the_matching_sentence_first(fleet_index: CorpusIndex) -> None:
    answer = answer_question(fleet_index, "How does Russia evade sanctions?")
    assert answer.status is AnswerStatus.COVERED
    top = answer.quotes[0].passage
    assert top.text == "Russia’s shadow fleet helps it evade sanctions."
    assert (top.paragraph, top.sentence) == (1, 1)


def test_matched_spans_mark_the_question_words(fleet_index: CorpusIndex) -> None:
    quote = answer_question(fleet_index, "shadow fleet").quotes[0]
    words = [quote.passage.text[s:e] for s, e in quote.matched]
    assert words == ["shadow", "fleet"]


def test_matched_spans_mark_a_related_word_standing_in_for_a_question_word() -> None:
    index = index_of(
        document("Phones", ["Alexander Graham Bell, its inventor, patented the telephone."])
    )
    quote = answer_question(index, "Who invented the telephone?").quotes[0]
    words = [quote.passage.text[s:e] for s, e in quote.matched]
    assert words == ["inventor", "telephone"]


@pytest.mark.parametrize(
    "question", ["What is the capital of Peru?", "xqzv blorf wibble", "Who won the football match?"]
)
def test_off_topic_and_gibberish_are_not_covered(fleet_index: CorpusIndex, question: str) -> None:
    answer = answer_question(fleet_index, question)
    assert answer.status is AnswerStatus.NOT_COVERED
    assert answer.quotes == ()


@pytest.mark.parametrize("question", ["", "   ", "???", "!!! ...", "—"])
def test_empty_questions_get_their_own_status(fleet_index: CorpusIndex, question: str) -> None:
    assert answer_question(fleet_index, question).status is AnswerStatus.EMPTY_QUESTION


def test_stopword_only_question_is_unrecognized(fleet_index: CorpusIndex) -> None:
    assert answer_question(fleet_index, "What is it?").status is AnswerStatus.UNRECOGNIZED


def test_relative_floor_hides_weak_quotes(fleet_index: CorpusIndex) -> None:
    strict = answer_question(fleet_index, "tanker fleet", AnswerPolicy(relative_floor=1.0))
    loose = answer_question(fleet_index, "tanker fleet", AnswerPolicy(relative_floor=0.0))
    assert len(strict.quotes) == 1
    assert len(loose.quotes) > 1
    assert all(q.score >= strict.quotes[0].score for q in strict.quotes)


def test_an_interior_relative_floor_keeps_exactly_the_quotes_above_its_share(
    fleet_index: CorpusIndex,
) -> None:
    """At a floor strictly between 0 and 1, chosen so that one quote's share of the best score
    lies in ``[floor², floor)``: a floor applied squared (or not at all) keeps that quote."""
    everything = answer_question(fleet_index, "tanker fleet", AnswerPolicy(relative_floor=0.0))
    scores = [q.score for q in (*everything.quotes, *everything.more)]
    best = scores[0]
    shares = [score / best for score in scores[1:] if 0 < score < best]
    assert shares, scores  # the question must rank quotes of different strength
    share = min(shares)
    floor = (share + share**0.5) / 2  # share < floor < sqrt(share), so floor² < share
    assert 0 < floor < 1
    answer = answer_question(fleet_index, "tanker fleet", AnswerPolicy(relative_floor=floor))
    kept = [q.score for q in (*answer.quotes, *answer.more)]
    assert kept == [score for score in scores if score >= floor * best]
    assert len(kept) < len(scores)


def test_top_limits_quotes_and_the_rest_are_more(fleet_index: CorpusIndex) -> None:
    answer = answer_question(fleet_index, "tanker fleet", AnswerPolicy(top=1, relative_floor=0.0))
    assert len(answer.quotes) == 1 and len(answer.more) >= 1
    scores = [q.score for q in (*answer.quotes, *answer.more)]
    assert scores == sorted(scores, reverse=True)


def test_coverage_is_the_share_of_question_weight_found(fleet_index: CorpusIndex) -> None:
    passage = fleet_index.passage(0)
    assert coverage(fleet_index, ["shadow", "fleet"], passage) == pytest.approx(1.0)
    assert coverage(fleet_index, ["weather"], passage) == 0.0
    half = coverage(fleet_index, ["shadow", "zzzunknown"], passage)
    assert 0.0 < half < 1.0


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(VerbatimError):
        AnswerPolicy(top=0)
    with pytest.raises(VerbatimError):
        AnswerPolicy(min_coverage=1.5)


def test_shipped_article_answers_and_abstains(shipped_index: CorpusIndex) -> None:
    covered = answer_question(shipped_index, "Who was killed in a bombing in Moscow?")
    assert covered.covered and "Kirillov" in covered.quotes[0].passage.text
    assert not answer_question(shipped_index, "What is the weather in Paris?").covered
