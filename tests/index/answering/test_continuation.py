from __future__ import annotations

from dataclasses import replace

from index.answering.answer import AnswerPolicy, answer_question
from index.answering.continuation import continued, wanted
from index.model import AnswerStatus
from tests.support.builders import document, index_of

DRAMA = document(
    "Winter on BBC One",
    [
        "The winter schedule includes a drama about Angela Cannings, who was wrongly convicted. "
        "Sarah Lancashire and Timothy Spall will star in the real-life drama.",
        "Timothy Spall said it was a privilege.",
    ],
)


def test_a_quote_runs_on_into_the_next_sentence_that_holds_the_asked_name() -> None:
    answer = answer_question(index_of(DRAMA), "who plays in the angela cannings drama")
    assert answer.status is AnswerStatus.COVERED
    first = answer.quotes[0].passage
    assert first.sentences == 2 and (first.sentence, first.last_sentence) == (1, 2)
    assert first.text == DRAMA.text[first.start : first.end]  # one span of the file: verbatim
    assert first.text.startswith("The winter schedule") and first.text.endswith("drama.")
    # the sentence now inside the first quote is not quoted a second time
    assert all(q.passage.passage_id != first.passage_id + 1 for q in answer.quotes[1:])
    off_policy = AnswerPolicy(continue_quotes=False)
    off = answer_question(index_of(DRAMA), "who plays in the angela cannings drama", off_policy)
    assert off.quotes[0].passage.sentences == 1


def test_no_run_on_when_the_sentence_already_answers_or_the_next_one_does_not() -> None:
    index = index_of(DRAMA)
    subject, actors = index.passage(0), index.passage(1)
    question = "who plays in the angela cannings drama"
    assert continued(index, question, actors) is None  # it names them itself (and ends ¶1)
    assert continued(index, "what is the drama about", subject) is None  # no checkable kind
    # the next sentence must hold what is asked: a date is in neither
    assert continued(index, "when does the angela cannings drama air", subject) is None
    longer = continued(index, question, subject)
    assert longer is not None and longer == replace(subject, end=actors.end, sentences=2)


def test_a_quote_never_runs_on_into_the_next_paragraph() -> None:
    doc = document(
        "Holmes",
        ["Kelly Holmes stormed to double gold in Athens.", "The 34-year-old was delighted."],
    )
    index = index_of(doc)
    assert continued(index, "how old is kelly holmes", index.passage(0)) is None


def test_what_a_question_wants_follows_its_wording() -> None:
    why = wanted("why did the eu raise the payouts")
    assert why is not None and why("It did so in a bid to deter airlines.")
    assert not why("The EU raised the payouts.")
    age = wanted("how old is malcolm glazer")
    assert age is not None and age("The 76-year-old owner made a bid.") and not age("He bid.")
    assert wanted("what did paul rees say about u2") is None
