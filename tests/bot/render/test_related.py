"""The third kind of answer: about the subject, but no quote states what was asked."""

from __future__ import annotations

from bot.render import RELATED_LABEL, answer_to_json, render_answer, to_markdown, to_terminal
from bot.render.discord_fit import answer_content
from index.answering.answer import AnswerPolicy, answer_question, rank_question
from index.model import AnswerStatus
from tests.support.builders import document, index_of

INDEX = index_of(
    document(
        "Glazer bid",
        [
            "Shares rose after a new offer from US tycoon Malcolm Glazer.",
            "The club's board rejected the offer from the tycoon.",
            "Holmes won gold in Athens.",
            "The 34-year-old made it double gold in the 1500m.",
        ],
    )
)


def test_a_question_whose_fact_no_quote_states_is_related() -> None:
    answer = answer_question(INDEX, "how old is malcolm glazer")
    assert answer.status is AnswerStatus.RELATED
    assert not answer.covered
    assert answer.subject == "malcolm glazer"
    assert answer.missing == "age"
    assert "Malcolm Glazer" in answer.quotes[0].passage.text


def test_related_can_be_switched_off() -> None:
    policy = AnswerPolicy(related=False)
    assert rank_question(INDEX, "how old is malcolm glazer", policy).status is AnswerStatus.COVERED


def test_the_next_sentence_stating_the_fact_is_quoted_first() -> None:
    answer = answer_question(INDEX, "how old is holmes")
    assert answer.status is AnswerStatus.COVERED
    assert answer.quotes[0].passage.text.startswith("The 34-year-old")
    policy = AnswerPolicy(neighbours=False, place_ages=False)
    off = answer_question(INDEX, "how old is holmes", policy)
    assert off.status is AnswerStatus.RELATED


def test_terminal_and_discord_say_what_is_missing_then_the_related_quotes() -> None:
    rendered = render_answer(answer_question(INDEX, "how old is malcolm glazer"))
    terminal = to_terminal(rendered)
    assert terminal.startswith(
        "The articles mention “malcolm glazer” but don't say how old.\n" + RELATED_LABEL
    )
    assert "1. “Shares rose after a new offer from US tycoon Malcolm Glazer.”" in terminal
    markdown = to_markdown(rendered)
    assert markdown.startswith("The articles mention “malcolm glazer” but don't say how old.")
    assert "> Shares rose after a new offer from US tycoon **Malcolm Glazer**." in markdown
    assert answer_content(rendered).startswith("The articles mention")


def test_json_puts_the_quotes_under_related() -> None:
    reply = answer_to_json(answer_question(INDEX, "how old is malcolm glazer"))
    assert reply["status"] == "related"
    assert reply["covered"] is False
    assert reply["quotes"] == []
    assert reply["related"][0]["text"].endswith("Malcolm Glazer.")
    assert reply["message"].startswith("The articles mention")
