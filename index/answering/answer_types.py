"""The precise kind of fact a question asks for, and whether a sentence states one.

``index.question.answer_type`` says "a number" for every "how ..." question; people ask "how old
is she" (an age: "the 34-year-old", "aged 73"), "how much did it cost" (money: "£178m", "3m
euros"), "what percentage" ("29%"), "how long" (a duration or a length), "when" (a date). A
sentence about the subject that states no such thing does not answer: the answer may sit in the
sentence next to it ("The approach by the 76-year-old owner ..."), or the articles may not say
it at all, which the answer should admit ("related"). Patterns only, no model.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from index.answering.question import first_rule
from index.text.folded import FoldedPattern


class Fact(Enum):
    """What a question asks for; ``NONE`` when its wording names no checkable kind."""

    AGE = "age"
    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"
    DISTANCE = "distance"
    COUNT = "count"
    MEASURE = "measure"
    DATE = "date"
    NONE = "none"


# The facts a pattern recognises precisely (not "any number"): safe to look for in a neighbour.
SPECIFIC = frozenset({Fact.AGE, Fact.MONEY, Fact.PERCENT, Fact.DURATION, Fact.DISTANCE, Fact.DATE})

_MONEY_WORDS = (
    r"cost|costs|costing|price|prices|priced|pay|pays|paid|paying|worth|earn|earns|earned|spend"
    r"|spent|budget|fee|fees|fine|fined|salary|wage|wages|charge|charged|bill|sold for|bid"
    r"|compensation|compo|payout|payouts|money|cash|aid|loan|bailout|value|valued|raise|raised"
    r"|donate|donated|pledge|pledged|profit|profits|revenue|sales|debt|deal"
)
_QUESTION_RULES: tuple[tuple[re.Pattern[str], Fact], ...] = (
    (re.compile(r"\bhow old\b|\bwhat age\b|\bage of\b"), Fact.AGE),
    (re.compile(r"\bwhat (percent|percentage|proportion|share)\b"), Fact.PERCENT),
    (re.compile(r"\bby how (much|many)\b"), Fact.COUNT),
    (re.compile(rf"\bhow much\b.*\b({_MONEY_WORDS})\b|\b(price|cost|budget|fee) of\b"), Fact.MONEY),
    (re.compile(r"\bwhat('s| is| was| were)? (the )?(price|cost|budget|fee|value)\b"), Fact.MONEY),
    (re.compile(rf"\bhow (much|big) (was|is|were|are)\b.*\b({_MONEY_WORDS})\b"), Fact.MONEY),
    (re.compile(r"\bhow much\b"), Fact.COUNT),
    (re.compile(r"\bhow long\b"), Fact.DURATION),
    # A race's time is how long it took, not a time of day: "winning time", "what time did she run".
    (
        re.compile(
            r"\b(winning|finishing|race|lap|qualifying|personal best|record|world record) time\b"
            r"|\bwhat time did (\w+ )+(run|finish|clock|record|set|do)\b"
        ),
        Fact.DURATION,
    ),
    (re.compile(r"\bhow far\b"), Fact.DISTANCE),
    (re.compile(r"\bhow many\b"), Fact.COUNT),
    (re.compile(r"\bhow (quick|quickly|soon)\b"), Fact.DURATION),
    (re.compile(r"\bhow (big|large)\b"), Fact.COUNT),
    (re.compile(r"\bhow (tall|high|fast|heavy|deep|wide)\b"), Fact.MEASURE),
    (
        re.compile(
            r"^\W*(so |and |but )?when\b|\bwhen (did|does|do|is|was|were|will|are|has|have)\b"
            r"|\b(what|which) (year|date|day|month|time)\b|\bsince when\b"
            r"|\brelease date\b"
        ),
        Fact.DATE,
    ),
)

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|million"
    r"|millions|billion|billions|half|a third|a quarter|double|treble|twice"
)
_NUM = rf"(\d+(?:[.,]\d+)*|{_NUMBER_WORDS})"
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TIME_UNITS = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century"

# Matched lowered on ASCII text (``index.text.folded``: the same matches, 2-4 times faster).
_FACT_PATTERNS: dict[Fact, FoldedPattern] = {
    Fact.AGE: FoldedPattern(
        r"\b\d{1,3}-year-old\b|\baged? \d{1,3}\b|\bage of \d{1,3}\b|\b\d{1,3}(st|nd|rd|th) birthday"
        r"|, \d{1,3},|\(\d{1,3}\)|\bat \d{1,3}\b|\b(teenager|teens|twenties|thirties|forties"
        r"|fifties|sixties|seventies|eighties|nineties)\b",
    ),
    Fact.MONEY: FoldedPattern(
        rf"[£$€¥]\s?\d|\b\d+(?:[.,]\d+)*\s?(m|bn|k|p)?\s*(euros?|dollars?|pounds?|pence|yen|lira"
        rf"|rupees?|francs?|cents?)\b|\b\d+(?:\.\d+)?p\b|\b{_NUM}\s+(million|billion)?\s*(euros"
        rf"|dollars|pounds)\b",
    ),
    Fact.PERCENT: FoldedPattern(r"\d\s?%|\bper ?cent\b|\bpercentage points?\b"),
    Fact.DURATION: FoldedPattern(
        rf"\b{_NUM}[\s-]+({_TIME_UNITS})\b|\b(a|an|whole)\s+({_TIME_UNITS})\b|\b{_NUM}-(year|month"
        rf"|week|day|hour|minute)\b|\b(years|decades|months|weeks)\b|\bsince (19|20)\d\d\b"
        rf"|\b(19|20)\d\d\b|\b\d+(\.\d+)?(mph|km|m|ft|cm|kg)\b|\b{_NUM}\s+(miles?|km"
        rf"|kilometres?|metres?|meters?|feet|inches|yards?|storeys?|floors?)\b",
    ),
    Fact.DISTANCE: FoldedPattern(
        rf"\b{_NUM}[\s-]*(miles?|km|kilometres?|kilometers?|metres?|meters?|feet|ft|yards?"
        rf"|inches|nautical)\b|\b\d+(\.\d+)?(km|m|ft|mi)\b",
    ),
    Fact.COUNT: FoldedPattern(rf"\d|\b({_NUMBER_WORDS}|several|a few|no)\b"),
    Fact.MEASURE: FoldedPattern(
        rf"\b{_NUM}[\s-]*(m|metres?|meters?|feet|foot|ft|inches|km|kilometres?|kilometers?|miles?"
        rf"|mph|kph|km/h|storeys?|stories|floors?|tonnes?|tons?|kg|kilos?|kilograms?|lb|pounds"
        rf"|gb|mb|megabytes?|gigabytes?|pixels)\b|\d\s?m/s|\b\d+(\.\d+)?(m|ft|km|kg|mph)\b",
    ),
    Fact.DATE: FoldedPattern(
        rf"\b(1\d{{3}}|20\d\d)s?\b|\b({_MONTHS})\b|\b({_DAYS})\b|\b\d{{2}}s\b"
        r"|\b(yesterday|today|tomorrow|tonight|last (week|month|year|season)|next (week|month"
        r"|year)|this (week|month|year)|recently|earlier this|later this|century|decade|ago"
        r"|since|until|by the end of)\b"
        rf"|\b{_NUM} ({_TIME_UNITS}) (after|before|later|earlier|ago)\b"
        rf"|\bin {_NUM} ({_TIME_UNITS})\b",
    ),
}


@lru_cache(maxsize=4096)  # asked up to five times an answer; bounded, as users type questions
def asked_fact(question: str) -> Fact:
    """The kind of fact ``question`` asks for (first rule that fits)."""
    return first_rule(_QUESTION_RULES, question, Fact.NONE)


# Kinds that also answer another: "how much of a pay rise" is answered by "6 percent".
_ALSO: dict[Fact, tuple[Fact, ...]] = {Fact.MONEY: (Fact.PERCENT,)}


def states(text: str, fact: Fact) -> bool:
    """Whether ``text`` states a fact of the asked kind (always true for ``Fact.NONE``)."""
    pattern = _FACT_PATTERNS.get(fact)
    if pattern is None or pattern.search(text) is not None:
        return True
    return any(_FACT_PATTERNS[other].search(text) is not None for other in _ALSO.get(fact, ()))
