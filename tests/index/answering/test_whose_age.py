from __future__ import annotations

import random
from dataclasses import replace
from itertools import pairwise

import pytest

from index.answering.answer import AnswerPolicy, answer_question, question_terms
from index.answering.whose_age import place_age, states_age_of
from index.model import AnswerStatus, Document
from tests.index.answering import plain_whose_age as plain
from tests.support.builders import document, index_of

# The age stands alone ("the 34-year-old") three sentences after the name, with another
# athlete named in between; a second age belongs to another runner, beside her name.
HOLMES = document(
    "Britain boosted by Holmes double",
    [
        "Kelly Holmes stormed to double gold on the track at the Olympic Games. "
        "Holmes had started the year in disappointing style. "
        "Her build-up was clouded by doubt but she overhauled rival Maria Mutola to win the 800m. "
        "Just five days later, the 34-year-old made it double gold in the 1500m.",
        "Team-mate Jo Pavey, 31, finished fifth in the 5,000m after a strong run.",
    ],
)
# The age opens a paragraph; the person it belongs to is named in the one before.
DONOR = document(
    "Donor attacks Blair-Brown feud",
    [
        "Duncan Bannatyne attacked the government over its response to the crisis. "
        "Mr Bannatyne has previously given Labour money. He made his fortune from health clubs.",
        "The 52-year-old on Tuesday said he was reviewing his donations.",
    ],
)


def _place(question: str, doc: Document) -> str | None:
    """The sentence ``place_age`` quotes for ``question`` shown the article's first sentence."""
    index = index_of(doc)
    found = place_age(index, question, question_terms(index, question), [index.passage(0)])
    return None if found is None else found.text


def test_the_n_year_old_standing_alone_is_the_person_the_paragraph_is_about() -> None:
    assert _place("how old is kelly holmes", HOLMES) == (
        "Just five days later, the 34-year-old made it double gold in the 1500m."
    )
    assert _place("how old is duncan bannatyne", DONOR) == (
        "The 52-year-old on Tuesday said he was reviewing his donations."
    )


def test_an_age_is_not_given_to_someone_else_named_nearby() -> None:
    # Mutola is named just before "the 34-year-old", but the paragraph is about Holmes.
    assert _place("how old is maria mutola", HOLMES) is None
    # Pavey's age is written beside her name: hers, not Holmes's, and found for her.
    assert _place("how old is jo pavey", HOLMES) == (
        "Team-mate Jo Pavey, 31, finished fifth in the 5,000m after a strong run."
    )
    # one age cannot answer for two people
    assert _place("how old are kelly holmes and maria mutola", HOLMES) is None


def test_an_age_beside_a_description_belongs_to_the_story_s_person() -> None:
    # "the 76-year-old owner of ...": the owner is no name; the story is about Glazer.
    glazer = document(
        "Q&A: Malcolm Glazer and Man Utd",
        [
            "Manchester United received a takeover approach from US tycoon Malcolm Glazer.",
            "Reports put the offer at 300p a share, valuing Manchester United at £800m. "
            "The approach by the 76-year-old owner of the Tampa Bay Buccaneers is being led by "
            "his two sons, Avi and Joel.",
        ],
    )
    index = index_of(glazer)
    terms = question_terms(index, "how old is malcolm glazer")
    found = place_age(index, "how old is malcolm glazer", terms, [index.passage(0)])
    assert found is not None and "76-year-old owner" in found.text
    assert found.text == glazer.text[found.start : found.end]  # a sentence of the file as is
    sons = "how old are avi and joel glazer"
    assert not states_age_of(index, sons, question_terms(index, sons))(found)
    own = "how old is malcolm glazer"
    assert states_age_of(index, own, question_terms(index, own))(found)


def test_the_answer_quotes_the_placed_age_and_says_so_only_when_on() -> None:
    index = index_of(HOLMES)
    answer = answer_question(index, "how old is kelly holmes")
    assert answer.status is AnswerStatus.COVERED
    assert "34-year-old" in answer.quotes[0].passage.text
    off = answer_question(index, "how old is kelly holmes", AnswerPolicy(place_ages=False))
    assert off.status is AnswerStatus.RELATED
    # Mutola's question no longer runs on into Holmes's age: the articles don't say hers.
    mutola = answer_question(index, "how old is maria mutola")  # named just before the age
    assert mutola.status is AnswerStatus.RELATED
    assert all("34-year-old" not in q.passage.text for q in mutola.quotes)


def test_the_sentence_just_before_about_someone_else_keeps_the_age_theirs() -> None:
    doc = document(
        "Glazer bid",
        [
            "Malcolm Glazer made a new offer for the club.",
            "Holmes won gold in Athens.",
            "The 34-year-old made it double gold.",
        ],
    )
    assert _place("how old is malcolm glazer", doc) is None
    assert _place("how old is holmes", doc) == "The 34-year-old made it double gold."


def test_a_quote_run_on_into_the_next_sentence_is_read_whole() -> None:
    doc = document(
        "Athletics review",
        ["Jo Pavey ran well. The champion retired at 34 after the final. Holmes said goodbye."],
    )
    index = index_of(doc)
    question = "how old is holmes"
    test = states_age_of(index, question, question_terms(index, question))
    age, farewell = index.passage(1), index.passage(2)
    assert not test(age)  # names nobody: "at 34" is not placed on Holmes
    both = replace(age, end=farewell.end, sentences=2)  # the two as one run-on quote
    assert both.text == doc.text[both.start : both.end]
    assert test(both)  # the quote names Holmes and gives no age beside another name


_FIRST = ("Kelly", "Maria", "Jo", "Duncan", "Malcolm", "Peyton", "Avi")
_LAST = ("Holmes", "Mutola", "Pavey", "Bannatyne", "Glazer", "Manning", "Britain")
_FILLER = (
    "won gold",
    "said on Tuesday",
    "finished fifth in the 5,000m",
    "stormed to victory in Athens",
    "made his fortune from care homes",
    "owner of the Tampa Bay Buccaneers",
    "became the oldest quarterback",
    "was a teenager then",
    "in his forties",
    "scored 12 points",
    "won in 1999",
    "and the British team",
)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" if rng.random() < 0.5 else rng.choice(_LAST)


def _age_sentence(rng: random.Random) -> str:
    age, name, rest = rng.randint(9, 99), _name(rng), rng.choice(_FILLER)
    forms = (
        f"The {age}-year-old {rest}.",
        f"The battling {age}-year-old {name} {rest}.",
        f"{name}, {age}, {rest}.",
        f"{name} ({age}) {rest}.",
        f"{name} died aged {age}.",
        f"A {age}-year-old man {rest}.",
        f"{name} {rest} at {age}.",
        f"He {rest}.",
        f"She {rest}, {rng.choice(_FILLER)}.",
        f"{name} {rest}.",
        f"Reports say {name} {rest}.",
        f"{rest.capitalize()} with {name}.",
    )
    return rng.choice(forms)


@pytest.mark.parametrize("seed", range(4))
def test_ages_are_placed_as_the_plain_reading_places_them(seed: int) -> None:
    """The cut-down reading (a sentence with no digit and no decade word skipped, each text
    read once, no "the N-year-old" looked into once one is theirs) places and tests the ages
    of random articles as the plain module does, for questions about everyone they name."""
    rng = random.Random(seed)
    docs = [
        document(
            f"{_name(rng)} {rng.choice(_FILLER)}",
            [
                " ".join(_age_sentence(rng) for _ in range(rng.randint(1, 5)))
                for _ in range(rng.randint(1, 5))
            ],
            doc_id=number,
        )
        for number in range(8)
    ]
    index = index_of(*docs)
    passages = list(index.iter_passages())
    longer = [
        replace(p, end=q.end, sentences=2)
        for p, q in pairwise(passages)
        if p.document is q.document and p.paragraph == q.paragraph
    ]
    questions = [f"how old is {f} {last}" for f in _FIRST[:3] for last in _LAST]
    questions += [f"How old was {last}?" for last in _LAST] + ["how old are Avi and Joel Glazer"]
    for question in questions:
        terms = question_terms(index, question)
        for _ in range(3):
            shown = rng.sample(passages, k=3)
            assert place_age(index, question, terms, shown) == plain.place_age(
                index, question, terms, shown
            )
        fast, slow = (
            states_age_of(index, question, terms),
            plain.states_age_of(index, question, terms),
        )
        for passage in passages + longer:
            assert fast(passage) is slow(passage)
