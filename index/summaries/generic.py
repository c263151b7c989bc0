"""Words that never make a topic: months, weekdays, numbers, bare years and common English words.

A reader cannot follow up "December", "2004", "people" or "used": they are in every story. Names
stay topics even when their lowercase form is common ("Brown", "London", "United"): the corpus
shows a name by writing it capitalized mid-sentence, and only lowercase words are checked
against English word frequencies. The frequencies come from ``wordfreq`` (its own bundled data,
no download), on its Zipf scale: 6 is "the", 5 "government", 4 "airline", 3.5 "tsunami".
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.text.analyzer import Analyzer
from index.text.demonyms import IRREGULAR

_MONTHS = "january february march april may june july august september october november december"
MONTHS = frozenset(f"{_MONTHS} jan feb mar apr jun jul aug sep sept oct nov dec".split())
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())  # noqa: SIM905
HOLIDAYS = frozenset("christmas xmas easter halloween".split())  # noqa: SIM905  (dates too)
# Lowercase words at least this frequent in English are generic nouns and verbs ("economy",
# "shares", "used"); a phrase needs one word rarer than that to be specific ("tsunami aid").
COMMON_ZIPF = 4.5
COMMON_WORD_ZIPF = 4.0  # a lone lowercase word must be rarer still ("tsunami", not "firms")
# Words of the news genre itself, in every story: who said it, not what it is about.
NEWS_WORDS = frozenset(
    """
    spokesman spokeswoman spokesperson correspondent analyst analysts official officials
    reporter reporters chairman executive executives website statement statements interview
    tv pc pcs cd cds dvd dvds ceo gdp
    """.split()  # noqa: SIM905
)
NUMBER_WORDS = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions dozen dozens
    first second third fourth fifth sixth seventh eighth ninth tenth half
    euro euros dollar dollars pound pounds yen pence cents percent
    """.split()  # noqa: SIM905
)
_NUMERIC = re.compile(r"[\d.,:%/£$€-]+(?:bn|m|k|th|st|nd|rd|s)?", re.IGNORECASE)


# Places named without a demonym in the table of ``index.text.demonyms``.
_COUNTRIES = ("uk", "us", "usa", "britain", "america", "europe")


def place_terms(analyzer: Analyzer) -> frozenset[str]:
    """The analyzer's terms for countries and continents (the demonym table's places)."""
    places = {*IRREGULAR.values(), *_COUNTRIES}
    return frozenset(term for place in places for term in analyzer.terms(place, remember=False))


def is_calendar_or_number(word: str) -> bool:
    """A month, weekday, number, year or unit ("March", "2004", "3.5bn", "eight", "euros")."""
    folded = word.casefold().strip(".,'’")
    if folded in MONTHS or folded in WEEKDAYS or folded in HOLIDAYS or folded in NUMBER_WORDS:
        return True
    return _NUMERIC.fullmatch(folded) is not None


@lru_cache(maxsize=100_000)
def zipf(word: str) -> float:
    """How common ``word`` is in English (wordfreq's Zipf scale, 0 for unknown words)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word.casefold(), "en"))


def is_common(word: str) -> bool:
    return zipf(word) >= COMMON_ZIPF


def is_generic_phrase(words: list[str], name: bool) -> bool:
    """True when a phrase (its words as shown) names nothing a reader could follow up.

    Any phrase made only of calendar words and numbers is generic ("December 2004"), or starting
    or ending with one; a name (``name``: the corpus writes it capitalized) is otherwise specific
    unless it carries two common lowercase words; a lowercase phrase needs a word rarer than
    ``COMMON_ZIPF``, one lowercase word rarer than ``COMMON_WORD_ZIPF``, and not an -ed verb.
    """
    if all(is_calendar_or_number(word) for word in words):
        return True
    if any(is_calendar_or_number(word) for word in (words[0], words[-1])):
        return True  # "March 2005 election", "tsunami December": a date, not a topic
    if len(words) == 1 and words[0].casefold() in NEWS_WORDS:
        return True
    if any(word.casefold().replace("’", "'").startswith("i'") for word in words):
        return True  # "I'm", "I've": the capital is the pronoun's, not a name's
    lowercase = [word for word in words if not word[:1].isupper()]
    if lowercase and len(lowercase) < len(words) and words[0] in lowercase:
        # A lowercase word before a name qualifies it ("possible Russian", "former Ukraine").
        return is_common(words[0])
    if name or (lowercase and len(lowercase) < len(words)):
        # A name, or a name with words around it ("Hutton report"); two common words around a
        # name are a chance run ("Vendelin report came"), not a phrase.
        return len(lowercase) > 1 and all(is_common(word) for word in lowercase)
    if len(words) == 1:
        return words[0].casefold().endswith("ed") or zipf(words[0]) >= COMMON_WORD_ZIPF
    return all(is_common(word) for word in words)
