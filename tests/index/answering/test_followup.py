"""Follow-ups: the earlier question's terms lift its subject, weighted below the new terms."""

from __future__ import annotations

from index import AnswerPolicy, AnswerStatus, answer_followup, answer_question
from index.retrieval.corpus_index import CorpusIndex
from tests.support.builders import document, index_of

FIRST = "How much aid did France promise?"
FOLLOW = "And what did Britain pledge?"
AID = "Britain pledged 3 billion pounds in aid to Ukraine as well."
TROOPS = "Britain pledged to send more troops to Estonia next year."


def corpus() -> CorpusIndex:
    return index_of(
        document(
            "Aid for Ukraine",
            ["France promised 2 billion euros in aid to Ukraine on Monday.", TROOPS, AID],
        ),
        document("Weather", ["It rained in Paris all week, forecasters said."], doc_id=1),
    )


def texts(index: CorpusIndex, question: str, earlier: str | None = None) -> list[str]:
    policy = AnswerPolicy()
    answer = (
        answer_question(index, question, policy)
        if earlier is None
        else answer_followup(index, question, earlier, policy)
    )
    for quote in answer.quotes:
        passage = quote.passage
        assert passage.document.text[passage.start : passage.end] == passage.text
    return [quote.passage.text for quote in answer.quotes]


def test_the_earlier_question_lifts_the_sentence_on_its_subject() -> None:
    index = corpus()
    assert texts(index, FOLLOW)[0] == TROOPS  # alone, the new question prefers the troops
    assert texts(index, FOLLOW, FIRST)[0] == AID


def test_the_new_question_leads_the_earlier_one_only_lifts() -> None:
    index = corpus()
    # France's sentence matches every earlier term but none of the new ones: not first.
    assert "France" not in texts(index, FOLLOW, FIRST)[0]


def test_a_follow_up_the_articles_do_not_cover_is_still_not_covered() -> None:
    answer = answer_followup(corpus(), "What is the weather in Berlin?", FIRST)
    assert answer.status is AnswerStatus.NOT_COVERED and not answer.quotes


def test_an_earlier_question_with_nothing_new_changes_nothing() -> None:
    index = corpus()
    assert texts(index, FOLLOW, "what did Britain pledge") == texts(index, FOLLOW)


def test_a_follow_up_naming_nothing_of_its_own_is_about_the_earlier_subject() -> None:
    index = index_of(
        document(
            "Holmes double",
            ["Kelly Holmes won double gold in Athens. The 34-year-old was delighted."],
        ),
        document("Weather", ["It rained in Paris all week, forecasters said."], doc_id=1),
    )
    alone = answer_question(index, "how old is she?")
    assert alone.status is AnswerStatus.UNRECOGNIZED  # nothing to look up on its own
    followed = answer_followup(index, "how old is she?", "what did kelly holmes win?")
    assert followed.status is AnswerStatus.COVERED
    assert "34-year-old" in followed.quotes[0].passage.text  # the age asked, of the subject
    # what is asked still comes from the new wording: no age about Paris is made up
    weather = answer_followup(index, "how old is it?", "did it rain in paris?")
    assert weather.status is AnswerStatus.RELATED
    assert weather.subject == "rain paris"  # what the articles mention, in the earlier words
    assert all("34-year-old" not in q.passage.text for q in weather.quotes)
    # an empty line is still an empty question, not the earlier one asked again
    assert answer_followup(index, "?", "what did kelly holmes win?").status is (
        AnswerStatus.EMPTY_QUESTION
    )
