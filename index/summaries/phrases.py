"""Candidate key phrases of one sentence, from the analyzer's own tokens.

A phrase is 1-3 consecutive analyzed tokens with nothing but spaces (or a hyphen) between them, so
it never crosses a stopword, punctuation or the sentence's end. A few more words end a phrase
than the analyzer drops: possessives ("Russia’s | shadow fleet"), titles ("Lieutenant General |
Igor Kirillov"), numbers, -ly adverbs and vague words ("several", "according"). The phrase keeps
its stems (to count and match it) and its surface text (to show it as the article wrote it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from index.text.analyzer import Analyzer, Token, normalize_word

MAX_WORDS = 3

# Titles and ranks come before names; a topic is the name, not "President" or "General".
TITLE_WORDS = frozenset(
    """
    president vice prime minister secretary chancellor senator governor mayor general lieutenant
    colonel major captain commander admiral sergeant marshal chief deputy ambassador king queen
    prince princess pope mr mrs ms dr sir lord lady gen lt col sgt capt adm rep sen gov mp mps mep
    """.split()  # noqa: SIM905  (a word list reads better as text)
)
# Words the stopword list keeps for matching questions but which never make a topic.
WEAK_WORDS = frozenset(
    """
    according amid amidst among amongst upon via per within without despite toward towards across
    along around beyond behind besides since though although unless whereas whether yet however
    therefore thus even still already said says say saying told tell including include includes
    like many much several one two three four five new first last another every least less well
    make makes made take takes taken get gets got become became given give gives
    """.split()  # noqa: SIM905
)
_HYPHENS = frozenset("-‐‑")
_HYPHEN_GAP = re.compile(r"\s*[-‐‑]\s*|\s+")
_POSSESSIVE_END = re.compile(r"['’]s?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive phrase-worthy words of one sentence, as parallel tuples (cheap to scan)."""

    terms: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    capitals: tuple[bool, ...]
    opens: bool  # its first word opens the sentence, where a capital says nothing


@dataclass(frozen=True, slots=True)
class PhraseOccurrence:
    """One occurrence of a candidate phrase in a sentence."""

    terms: tuple[str, ...]
    surface: str
    capitalized: bool
    sentence_initial: bool
    followed: bool


def sentence_phrases(text: str, analyzer: Analyzer) -> Iterator[PhraseOccurrence]:
    """Every 1-3 word candidate phrase of ``text`` (one sentence), in reading order."""
    for run in sentence_runs(text, analyzer):
        for first in range(len(run.terms)):
            for last in range(first, min(first + MAX_WORDS, len(run.terms))):
                yield PhraseOccurrence(
                    run.terms[first : last + 1],
                    clean_surface(text[run.starts[first] : run.ends[last]]),
                    all(run.capitals[first : last + 1]),
                    run.opens and first == 0,
                    last + 1 < len(run.terms),
                )


def sentence_runs(text: str, analyzer: Analyzer) -> Iterator[Run]:
    """The runs of ``text`` (one sentence); phrases are their 1-3 word windows."""
    for tokens in _runs(text, analyzer):
        starts = tuple(token.start for token in tokens)
        yield Run(
            tuple(token.term for token in tokens),
            starts,
            tuple(token.end for token in tokens),
            _capitals(text, tokens),
            not text[: starts[0]].strip(" \"“‘'([—-"),
        )


def _capitals(text: str, tokens: list[Token]) -> tuple[bool, ...]:
    """Whether each token is written capitalized; after a hyphen, as the word it joins ("Blu-ray"
    is capitalized as a whole, "tsunami-hit" is not)."""
    capitals: list[bool] = []
    for i, token in enumerate(tokens):
        joined = i > 0 and text[tokens[i - 1].end : token.start] in _HYPHENS
        capitals.append(capitals[-1] if joined else text[token.start].isupper())
    return tuple(capitals)


def _runs(text: str, analyzer: Analyzer) -> Iterator[list[Token]]:
    """Maximal stretches of phrase-worthy tokens separated only by spaces or hyphens."""
    run: list[Token] = []
    for token in analyzer.tokens(text):
        if run and not _joins(text[run[-1].end : token.start]):
            yield run
            run = []
        raw = text[token.start : token.end]
        if _excluded(raw):
            if run:
                yield run
            run = []
            continue
        run.append(token)
        if raw[-1] in "s'’" and _POSSESSIVE_END.search(raw):  # "Russia’s | shadow fleet"
            yield run
            run = []
    if run:
        yield run


@lru_cache(maxsize=4_096)
def _joins(gap: str) -> bool:
    return gap == " " or _HYPHEN_GAP.fullmatch(gap) is not None


def clean_surface(raw: str) -> str:
    """A phrase as displayed: one space between words, no possessive ending."""
    surface = raw
    if "  " in surface or not surface.isprintable():  # a line break or run of spaces inside
        surface = " ".join(surface.split())
    return _POSSESSIVE_END.sub("", surface) if surface.endswith(("'s", "’s", "'", "’")) else surface


@lru_cache(maxsize=200_000)
def _excluded(raw: str) -> bool:
    word = normalize_word(raw)
    if not any(char.isalpha() for char in word) or len(word) < 2:
        return True
    if word in TITLE_WORDS or (word in WEAK_WORDS and raw != "New"):  # "New York", "New Zealand"
        return True
    # Lowercase -ly adverbs and two-letter words ("hi", "ok"); "EU" or "UN" are names.
    return raw.islower() and (word.endswith("ly") or len(word) < 3)
