from __future__ import annotations

import pytest

from index.answering.answer_types import Fact, asked_fact, states


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("how old is kelly holmes", Fact.AGE),
        ("how much compo can you get if you're bumped?", Fact.MONEY),
        ("what's the price of a us visa", Fact.MONEY),
        ("what percentage of the market does it hold", Fact.PERCENT),
        ("by how much did sales drop", Fact.COUNT),
        ("how many jets will boeing sell", Fact.COUNT),
        ("how long did she spend studying", Fact.DURATION),
        ("how far can the 777 fly", Fact.DISTANCE),
        ("when did the scheme kick in", Fact.DATE),
        ("what year did callaghan become prime minister", Fact.DATE),
        ("what was the relay team's winning time", Fact.DURATION),  # a race's time: how long
        ("what time did she run in the final", Fact.DURATION),
        ("what time does the show start", Fact.DATE),  # a time of day
        ("why do sms get through when calls don't", Fact.NONE),
        ("who directed kisna", Fact.NONE),
    ],
)
def test_the_asked_fact_is_read_from_the_wording(question: str, fact: Fact) -> None:
    assert asked_fact(question) is fact


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("The approach by the 76-year-old owner was rejected.", Fact.AGE),
        ("Charles died aged 73 in June 2004.", Fact.AGE),
        ("New rules set compensation at between 250 euros (£173) and 600 euros.", Fact.MONEY),
        ("A bid of 300p a share would be enough.", Fact.MONEY),
        ("Dock workers accepted a pay rise of 6 percent.", Fact.MONEY),
        ("Shares closed up 4.75% on Monday.", Fact.PERCENT),
        ("She spent three weeks learning Hindi.", Fact.DURATION),
        ("It can fly almost 11,000 miles non-stop.", Fact.DISTANCE),
        ("It will go on sale from 22 January.", Fact.DATE),
        ("In 1066, Duke William conquered England.", Fact.DATE),
        ("He passed away just 11 days after his wife died.", Fact.DATE),
    ],
)
def test_a_sentence_stating_the_fact_is_recognised(text: str, fact: Fact) -> None:
    assert states(text, fact)


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Shares rose after a new offer from US tycoon Malcolm Glazer.", Fact.AGE),
        ("Low-cost airlines have criticised the new compensation levels.", Fact.MONEY),
        ("Shares closed up on Monday.", Fact.PERCENT),
        ("The firm was forced into bankruptcy.", Fact.DATE),
    ],
)
def test_a_sentence_without_the_fact_is_not(text: str, fact: Fact) -> None:
    assert not states(text, fact)


def test_no_asked_fact_is_stated_by_every_sentence() -> None:
    assert states("Anything at all.", Fact.NONE)


def test_measures_and_speeds_ask_for_a_unit_or_a_time() -> None:
    assert asked_fact("how tall is mount everest") is Fact.MEASURE
    assert asked_fact("how quickly do they turn pictures into maps") is Fact.DURATION
    assert asked_fact("how big was the audience") is Fact.COUNT
    assert states("The tower is 508m tall.", Fact.MEASURE)
    assert states("The lifts climb at 1,010 metres a minute.", Fact.MEASURE)
    assert not states("Rates rose to 2% as climbers tried Mount Everest.", Fact.MEASURE)
