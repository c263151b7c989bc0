"""What a question asks for, read from its wording: asking phrases, answer type, definitions.

Question words are stopwords for matching (``index.text.stopwords``); this module reads them for the
other signals they carry. "How many ..." wants a number, "when ..." a date, "who ..." a name, and
"What is X?" asks what an article is about. Everything here is a few regular expressions run on
the question and on the top candidates only, so it costs nothing on a large corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum
from functools import lru_cache
from typing import TypeVar

from index.text.folded import FoldedPattern

T = TypeVar("T")

# Chat mention and custom emoji markup ("<@123>", "<#5>", "<:name:9>", "@everyone") is not part
# of what is asked: left in, "<@123>" reads as a number the articles never mention. Removed here,
# in the core, so the CLI, the shell and the bot read a pasted question alike.
_CHAT_MARKUP = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|(?<!\w)@(?:everyone|here)\b")


def without_chat_markup(question: str) -> str:
    """The question's own words, with mention and emoji markup removed and spaces tidied."""
    return " ".join(_CHAT_MARKUP.sub(" ", question).split())


class AnswerType(Enum):
    """The kinds of answer a question word asks for; ``OTHER`` when it names none."""

    NUMBER = "number"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    OTHER = "other"


_UNITS = "(year|date|day|month|decade|century)"
_PLACES = "(city|country|state|place|region|town|county|continent)"
_RULES: tuple[tuple[re.Pattern[str], AnswerType], ...] = (
    (
        re.compile(
            r"\bhow (many|much|long|old|far|large|big|tall|high|often)\b"
            r"|\bwhat (percent|percentage|number|amount)\b"
        ),
        AnswerType.NUMBER,
    ),
    (re.compile(rf"\bwhen\b|\b(what|which) ({_UNITS}|time)\b"), AnswerType.DATE),
    (re.compile(r"\bwho(m|se)?\b"), AnswerType.PERSON),
    (re.compile(rf"\bwhere\b|\b(what|which) {_PLACES}\b"), AnswerType.PLACE),
)

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|twenty|thirty|forty|"
    "fifty|hundred|thousand|million|billion|trillion|half|percent"
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# Matched lowered on ASCII text (``index.text.folded``: the same spans, 2-4 times faster).
_NUMBER = FoldedPattern(rf"\d+(?:[.,]\d+)*|\b({_NUMBER_WORDS})\b")
_DATE = FoldedPattern(rf"\b(1\d{{3}}|20\d{{2}})s?\b|\b({_MONTHS})\b|\bcentury\b")
# A capitalized word that does not start the sentence: a cheap stand-in for a name. The capital
# comes first and the look back after it, so the engine skips to capitals (half the time of
# looking back at every position; the same matches).
_NAME = re.compile(r"[A-Z](?<=[\w,;:)] [A-Z])[a-z]+")
_WORDS = re.compile(r"[^\W\d_]+")

# Phrases that only say *how* the question asks: their words ("many", "kind", "name") are in the
# question but seldom in the answer sentence, so matching them rewards the wrong sentences.
_ASKING = re.compile(
    r"\bhow (many|much)\b|\b(what|which) (kind|kinds|type|types|sort|sorts) of\b"
    r"|\b(what|which) (is|was|are|were) the names? of\b|\baccording to the (text|passage)\b"
    r"|\bname (the|a|an|one|two)\b"
    # "what does DRM stand for": the answer spells the acronym out and says no "stand".
    r"|\b(stand|stands|stood) for\b|\bshort for\b",
    re.IGNORECASE,
)
# Verbs that only say how the answer is referred to or where it is: "Which stadium *is called* the
# Big House?", "Which abbey *is located* in Caen?", "When did the battle *take place*?". The answer
# sentence names or places the thing ("The abbey stands in Caen"), so these words seldom occur in
# it. Only right after "is/was": also at the question's end ("Where is the castle located?")
# measured worse on the held-out articles.
_NAMING = re.compile(
    r"\b(is|are|was|were|be|been|being)\s+(also\s+|often\s+|sometimes\s+|commonly\s+)?"
    r"(called|named|termed|dubbed|known\s+as|referred\s+to(\s+as)?|considered|regarded\s+as"
    r"|described\s+as|located|situated)\b"
    r"|\b(take|takes|took|taken|taking)\s+place\b",
    re.IGNORECASE,
)
# The unit or measure a question asks in: "What year ...", "Which day ...", "How long ...", "How
# old ...". The answer sentence gives the date or amount ("In 1066 ...", "at age 39"), seldom the
# unit's word, and a sentence that happens to hold it ("media day", "a long drive") is no better.
_UNIT = re.compile(
    r"\b(what|which) (years?|days?|dates?|months?|decades?|century|centuries)\b"
    r"|\bhow (long|old|far|large|big|tall|high|often)\b",
    re.IGNORECASE,
)
# Light verbs: "What award did he *get*?", "Who *made* the call?", "What was he *given*?". The
# answer sentence says what happened in its own verb ("he received", "the call was Ward's"), and
# the common verb only adds weight to sentences that share it by chance.
_LIGHT_VERBS = re.compile(
    r"\b(get|gets|got|gotten|getting|make|makes|made|making|give|gives|gave|given|giving)\b",
    re.IGNORECASE,
)
# Chat filler and contractions as people type them in a channel: "why do so many fans hold shares
# *anyway*", "how many jets does boeing reckon *it'll* sell", "*whats* the budget". They carry no
# subject, and as words the articles seldom use they weigh like rare names in the ranking and in
# the coverage test.
_CHAT = re.compile(
    r"\b(anyway|anyways|actually|tho|gonna|wanna|gotta|kinda|sorta|basically|literally|really"
    r"|exactly|even|ever|please|pls|plz|hey|hi|ok|okay|lol|btw|um|uh|hmm|yeah|guy|guys|dude"
    r"|mate|stuff|anything|something|anyone|someone|u|ur|ya"
    r"|whats|whos|hows|wheres|whens|whys|itll|hed|youll|theyll|theyd|youd|im|ive|youve|weve"
    r"|theyve|youre|theyre|cant|howd|whatd|whered|whod)\b"
    r"|\b(i mean|you know|i wonder|tell me|any idea|right now|these days|nowadays|back in)\b"
    r"|\b(it|he|she|they|you|we|i)['’](ll|d|re|ve|m|s)\b",
    re.IGNORECASE,
)
# Chat spellings of words: "how many ppl lost their jobs", "the price in teh uk".
_CHAT_SPELLINGS = {
    "ppl": "people",
    "teh": "the",
    "nyc": "New York",
    "govt": "government",
    "gov": "government",
    "intl": "international",
    "yr": "year",
    "yrs": "years",
    "mins": "minutes",
    "hrs": "hours",
    "msg": "message",
    "pic": "picture",
    "pics": "pictures",
    "bday": "birthday",
}
_CHAT_SPELLING = re.compile(rf"\b({'|'.join(_CHAT_SPELLINGS)})\b", re.IGNORECASE)
_DEFINITION = re.compile(
    r"^\s*(what|who)\s+(is|are|was|were)\s+(an?\s+|the\s+)?[\w'’.-]+(\s+[\w'’.-]+){0,3}\s*\??\s*$",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(not|never|no|none|nothing|nobody|without|cannot|neither|nor)\b|n[’']t\b", re.IGNORECASE
)


def strip_asking(
    question: str,
    naming: bool = True,
    unit: bool = True,
    light: bool = True,
    chat: bool = True,
) -> str:
    """``question`` without its asking phrases ("how many", "what kind of", "name the").

    ``naming`` also drops naming and locating verbs ("is called", "is located", "took place");
    ``unit`` the unit or measure the question asks in ("what year", "which day", "how long");
    ``light`` the light verbs "get", "make", "give"; ``chat`` chat filler and contractions
    ("anyway", "gonna", "it'll", "whats").
    """
    stripped = question
    if chat:
        stripped = _CHAT_SPELLING.sub(lambda m: _CHAT_SPELLINGS[m.group().casefold()], stripped)
        stripped = _CHAT.sub(" ", stripped)
    stripped = _ASKING.sub(" ", stripped)
    if unit:
        stripped = _UNIT.sub(" ", stripped)
    if light:
        stripped = _LIGHT_VERBS.sub(" ", stripped)
    return _NAMING.sub(" ", stripped) if naming else stripped


@lru_cache(maxsize=4096)  # asked several times an answer; bounded, as users type questions
def answer_type(question: str) -> AnswerType:
    """The answer type ``question`` asks for, from its question words (first rule that fits)."""
    return first_rule(_RULES, question, AnswerType.OTHER)


def first_rule(rules: Sequence[tuple[re.Pattern[str], T]], question: str, default: T) -> T:
    """What the first of ``rules`` whose pattern occurs in the case-folded ``question`` says."""
    lowered = question.casefold()
    for pattern, value in rules:
        if pattern.search(lowered):
            return value
    return default


def answer_candidates(sentence: str, kind: AnswerType, question: str) -> list[re.Match[str]]:
    """The things of ``kind`` in ``sentence`` (numbers, dates, capitalized names) that the
    question does not already say: where the answer may be (in an ASCII sentence a number's or
    a date's ``group()`` is lowercase: its span is the sentence's)."""
    return answer_finder(kind, question)(sentence)


def answer_finder(kind: AnswerType, question: str) -> Callable[[str], list[re.Match[str]]]:
    """``answer_candidates`` for one question and kind, read from the question once (the
    re-ranker asks it of 50 sentences)."""
    if kind is AnswerType.OTHER:
        return lambda sentence: []
    pattern: FoldedPattern | re.Pattern[str] = {
        AnswerType.NUMBER: _NUMBER,
        AnswerType.DATE: _DATE,
    }.get(kind, _NAME)
    said = {match.group().casefold() for match in pattern.finditer(question)}
    if pattern is _NAME:
        # People type names in lower case ("who plays in the angela cannings drama"): a name
        # the question holds in any case is the subject, not the answer.
        said |= {word.casefold() for word in _WORDS.findall(question)}
    return lambda sentence: [
        match for match in pattern.finditer(sentence) if match.group().casefold() not in said
    ]


def is_definition_question(question: str) -> bool:
    """ "What is X?" / "Who was X?" with a short X: asks what an article is about."""
    return _DEFINITION.match(question) is not None


def is_negated(text: str) -> bool:
    """Whether ``text`` says "not", "never", "no" ... (negations are stopwords for matching)."""
    return _NEGATION.search(text) is not None
