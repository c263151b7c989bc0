from __future__ import annotations

import random
import re

import pytest

from index.answering import question
from index.answering.question import (
    AnswerType,
    answer_candidates,
    answer_type,
    is_definition_question,
    is_negated,
    strip_asking,
)
from tests.conftest import SEEDS


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many troops were deployed?", AnswerType.NUMBER),
        ("What percentage of voters agreed?", AnswerType.NUMBER),
        ("When did the war start?", AnswerType.DATE),
        ("In what year was it built?", AnswerType.DATE),
        ("Who was killed in Moscow?", AnswerType.PERSON),
        ("Where did the fleet dock?", AnswerType.PLACE),
        ("Which city hosted the game?", AnswerType.PLACE),
        ("What did NATO take over?", AnswerType.OTHER),
    ],
)
def test_answer_type_follows_the_question_words(question: str, kind: AnswerType) -> None:
    assert answer_type(question) is kind


def test_answer_type_must_be_new_to_the_question() -> None:
    question = "How many of the 12 tankers were seized?"
    assert answer_candidates("Officials seized 3 tankers.", AnswerType.NUMBER, question)
    assert not answer_candidates("The 12 tankers left port.", AnswerType.NUMBER, question)
    assert answer_candidates("It began in March 2022.", AnswerType.DATE, "When did it begin?")
    assert not answer_candidates("It began quietly.", AnswerType.DATE, "When did it begin?")
    assert not answer_candidates("Anything at all.", AnswerType.OTHER, "What happened?")


def test_names_are_capitalized_words_after_the_first() -> None:
    assert answer_candidates("The order came from Putin.", AnswerType.PERSON, "Who gave it?")
    assert not answer_candidates("The order came late.", AnswerType.PERSON, "Who gave it?")


def test_asking_phrases_are_stripped_but_content_stays() -> None:
    assert strip_asking("How many North Korean troops were deployed?").split() == [
        "North",
        "Korean",
        "troops",
        "were",
        "deployed?",
    ]
    assert "kind" not in strip_asking("What kind of sanctions apply?")
    assert "name" not in strip_asking("What is the name of the general?")
    assert strip_asking("what does DRM stand for").split() == ["what", "does", "DRM"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is NATO?", True),
        ("who was Igor Kirillov", True),
        ("What is the capital of Peru and why?", False),
        ("When did it start?", False),
    ],
)
def test_definition_questions_are_short_what_is_questions(question: str, expected: bool) -> None:
    assert is_definition_question(question) is expected


def test_negation_is_read_from_the_raw_words() -> None:
    assert is_negated("Which troops were not deployed?")
    assert is_negated("Russia didn’t respond.")
    assert not is_negated("Nothingness is notable.")
    assert not is_negated("The troops were deployed.")


@pytest.mark.parametrize(
    "question",
    [
        "Which stadium is called the Big House?",
        "Which abbey is located in Caen?",
        "When did the battle take place?",
        "What city is also known as the Garden City?",
        "Who is considered the founder of the city?",
    ],
)
def test_naming_and_locating_verbs_are_stripped(question: str) -> None:
    verbs = {"called", "located", "place", "known", "considered"}
    assert verbs & _words(question)
    assert verbs & _words(strip_asking(question, naming=False))
    assert not verbs & _words(strip_asking(question))


@pytest.mark.parametrize(
    "question",
    [
        "In what year did the Normans conquer England?",
        "Which day was the game played?",
        "How long is the river?",
        "How old was Manning?",
    ],
)
def test_the_unit_a_question_asks_in_is_stripped(question: str) -> None:
    units = {"year", "day", "long", "old"}
    assert units & _words(strip_asking(question, unit=False))
    assert not units & _words(strip_asking(question))


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("What award did Newton get?", "get"),
        ("Who made the tackle?", "made"),
        ("What was Manning given?", "given"),
    ],
)
def test_light_verbs_are_stripped(question: str, verb: str) -> None:
    assert verb in _words(strip_asking(question, light=False))
    assert verb not in _words(strip_asking(question))


def test_time_words_stay_when_they_are_the_content() -> None:
    assert "year" in _words(strip_asking("How many touchdowns did he throw that year?"))
    assert "long" in _words(strip_asking("Who won the long jump?"))


def test_naming_verbs_stay_when_they_are_the_content() -> None:
    # "called" without "is/was" and "place" without "take" are ordinary words here.
    assert "called" in _words(strip_asking("Who called the referendum?"))
    assert "place" in _words(strip_asking("What place did the team finish in?"))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def test_chat_spellings_and_filler_are_rewritten() -> None:
    stripped = strip_asking("how many ppl lost their jobs anyway, whats teh number")
    assert "people" in stripped and "ppl" not in stripped
    assert "anyway" not in stripped and "whats" not in stripped and "teh" not in stripped
    assert "ppl" in strip_asking("how many ppl lost their jobs", chat=False)


def test_chat_markup_is_not_part_of_the_question() -> None:
    """The core removes mention and emoji markup, so the bot needs no copy of the rule."""
    from index.answering.question import without_chat_markup

    raw = "@everyone <@123> <@!45> <@&6> <#78> <:flag:999> Where  is **Kursk**? @here"
    assert without_chat_markup(raw) == "Where is **Kursk**?"
    assert without_chat_markup("email@here.com stays") == "email@here.com stays"


def test_a_name_typed_in_lower_case_is_the_subject_not_the_answer() -> None:
    question = "who plays in the angela cannings drama"
    subject = "The winter schedule includes a drama about Angela Cannings."
    answer = "The drama stars Sarah Lancashire and Timothy Spall."
    assert not answer_candidates(subject, AnswerType.PERSON, question)
    assert [m.group() for m in answer_candidates(answer, AnswerType.PERSON, question)] == [
        "Sarah",
        "Lancashire",
        "Timothy",
        "Spall",
    ]


def test_the_name_pattern_finds_what_looking_back_first_finds() -> None:
    # ``_NAME`` puts its look back after the capital for speed; the plain form is the meaning.
    plain = re.compile(r"(?<=[\w,;:)] )[A-Z][a-z]+")
    rng = random.Random(7)
    pieces = ["Ann", "bob", "ÉLan", "Dé", " ", ", ", ") ", ": ", "; ", "x", "1 ", "\n", "Zq9"]
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += ["".join(rng.choice(pieces) for _ in range(30)) for _ in range(3000)]
    found = 0
    for text in texts:
        expected = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in question._NAME.finditer(text)] == expected, text
        found += len(expected)
    assert found > 1000
