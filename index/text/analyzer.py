"""One analyzer for corpus and questions: normalize, tokenize, drop stopwords, stem.

Using the very same steps on both sides is what makes "Russia’s" in an article match "russia" in
a question, so everything that turns text into terms lives here and nowhere else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from index.text.demonyms import IRREGULAR, fold_stem
from index.text.stopwords import ENGLISH_STOPWORDS

# Dotted acronyms ("U.S.", "e.g.") first, then words and numbers with inner apostrophes, dots or
# commas ("Russia’s", "10,000", "3.5"); hyphens and other punctuation separate tokens.
_TOKEN = re.compile(r"(?:[^\W_]\.){2,}|[^\W_]+(?:['’‘`.,][^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_POSSESSIVE = re.compile(r"'s$")
_NUMBER_WITH_COMMAS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_CACHE_LIMIT = 1_000_000
# Words users type (``remember=False``): one question is analyzed by several stages (ranking,
# aliases, re-ranking, abstaining), so its words are kept in a small cache of their own, emptied
# whenever it is full: it stays small whatever people type, and the corpus cache never sees them.
_TYPED_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Token:
    """A term and the span of the raw text it came from (for highlighting matches)."""

    term: str
    start: int
    end: int


class Analyzer:
    """English analyzer: Unicode/apostrophe normalization, stopwords, Snowball stemming."""

    def __init__(
        self,
        stopwords: frozenset[str] = ENGLISH_STOPWORDS,
        demonyms: bool = True,
        stemming: bool = True,
    ) -> None:
        self._stopwords = stopwords
        self._stemmer = Stemmer.Stemmer("english")
        # Its own cache off: ``_stem`` caches the stems already, and past 12,500 words the
        # stemmer's sorts its whole cache every 2,500 new ones (a third of a build's stemming).
        self._stemmer.maxCacheSize = 0
        self._stemming = stemming
        stem = self._stemmer.stemWord if stemming else _unchanged
        table = {stem(d): stem(p) for d, p in IRREGULAR.items()} if demonyms else {}
        self._folds = table
        self._unfolds: dict[str, list[str]] = {}  # term -> the other stems folding into it
        for stem_of_word, into in table.items():
            if stem_of_word != into:
                self._unfolds.setdefault(into, []).append(stem_of_word)
        # What shapes a term: analyzers configured alike give the same terms (a cache key).
        self.configuration = (stopwords, demonyms, stemming)
        self._stem = lru_cache(maxsize=200_000)(
            (lambda word: fold_stem(stem(word), table)) if demonyms else stem
        )
        # Raw word -> term (or None for a dropped word), separately for shouted text: indexing a
        # million sentences sees the same few hundred thousand words over and over.
        self._cache: tuple[dict[str, str | None], dict[str, str | None]] = ({}, {})
        self._typed: tuple[dict[str, str | None], dict[str, str | None]] = ({}, {})

    @property
    def cached_words(self) -> int:
        """How many raw words the cache holds (corpus words: see ``terms``)."""
        return len(self._cache[0]) + len(self._cache[1])

    @property
    def typed_words(self) -> int:
        """How many words users typed the small cache of them holds (at most 4,096 a case)."""
        return len(self._typed[0]) + len(self._typed[1])

    def terms(self, text: str, remember: bool = True) -> list[str]:
        """The index terms of ``text``, in order, repeats kept (BM25 counts them).

        ``remember=False`` for what users type (questions, topics): their words are analyzed
        like any other but not kept in the word cache, which holds corpus words only and so
        stops growing with every distinct word someone types.
        """
        shouting = text.isupper()
        cache = self._cache[shouting]
        raws = _TOKEN.findall(text)
        try:
            found = [cache[raw] for raw in raws]  # the common case: every word seen before
        except KeyError:
            found = [self.term(raw, shouting, remember) for raw in raws]
        return [term for term in found if term is not None]

    def words(self, text: str) -> list[str]:
        """The raw words of ``text`` (before normalization), for callers caching ``term``."""
        return _TOKEN.findall(text)

    def word_starts(self, text: str, dropped: AbstractSet[str]) -> list[int] | None:
        """Where the words of ``text`` that give a term start (``term_spans``' starts), given
        the raw words that give none (``dropped``); None for text all in upper case, which
        analyzes differently."""
        if text.isupper():
            return None
        return [match.start() for match in _TOKEN.finditer(text) if match.group() not in dropped]

    def word_ends(self, text: str, starts: Sequence[int]) -> list[int]:
        """Where each word of ``text`` starting at one of ``starts`` ends (the spans of
        ``tokens`` given their starts: the token pattern matched at each start)."""
        match = _TOKEN.match
        ends = []
        for start in starts:
            found = match(text, start)
            if found is None:
                raise ValueError(f"no word starts at {start}")
            ends.append(found.end())
        return ends

    def plain_word_terms(
        self, words: list[str], stems: list[str] | None = None
    ) -> list[str | None]:
        """``term`` of many lowercase ASCII words at once (a word list, not text: no case or
        punctuation to normalize); ``None`` for a stopword.

        ``stems`` are the words' Snowball stems when the caller has them (a shipped table):
        used when this analyzer stems and a sample of them is what its stemmer says, else the
        words are stemmed here in one call.
        """
        if not self._stemming:
            stems = words
        elif stems is None or not self.stems_agree(words, stems):
            stems = self._stemmer.stemWords(words)
        folds = self._folds
        return [
            None if word in self._stopwords else folds.get(stem, stem)
            for word, stem in zip(words, stems, strict=True)
        ]

    def term_of_stem(self, word: str, stem: str) -> str | None:
        """``plain_word_terms`` of one word whose Snowball stem is known (this analyzer stems)."""
        return None if word in self._stopwords else self._folds.get(stem, stem)

    def stems_of(self, term: str) -> list[str]:
        """The Snowball stems this (stemming) analyzer turns into ``term``: itself unless it
        folds into another, and the stems folding into it ("britain" for "british")."""
        own = [term] if self._folds.get(term, term) == term else []
        return own + self._unfolds.get(term, [])

    @property
    def stems(self) -> bool:
        """Whether terms are Snowball stems (else the words themselves)."""
        return self._stemming

    def stems_agree(self, words: list[str], stems: list[str]) -> bool:
        """Whether this stemmer gives ``stems`` for a sample of 64 of ``words``."""
        step = max(1, len(words) // 64)
        return bool(self._stemmer.stemWords(words[::step]) == stems[::step])

    def tokens(self, text: str, remember: bool = True) -> list[Token]:
        """Terms with the character spans of the words they came from (``remember``: as for
        ``terms``)."""
        shouting = text.isupper()
        tokens = []
        for match in _TOKEN.finditer(text):
            term = self.term(match.group(), shouting, remember)
            if term is not None:
                tokens.append(Token(term, match.start(), match.end()))
        return tokens

    def term_spans(self, text: str) -> tuple[list[str], list[int], list[int]]:
        """The terms of ``tokens(text)`` and the spans of their words, as three plain lists (no
        ``Token`` records): the re-ranker reads them for up to 50 sentences a question."""
        shouting = text.isupper()
        cache, term_of = self._cache[shouting], self.term
        terms: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for match in _TOKEN.finditer(text):
            raw = match.group()
            term = cache[raw] if raw in cache else term_of(raw, shouting)
            if term is not None:
                terms.append(term)
                starts.append(match.start())
                ends.append(match.end())
        return terms, starts, ends

    def term(self, raw: str, shouting: bool = False, remember: bool = True) -> str | None:
        """The term of one raw word, or None when it is a stopword or nothing is left of it.

        ``shouting`` is whether the whole text is upper case (then "US" is the word "us");
        ``remember=False`` leaves the word out of the cache (a word a user typed).
        """
        cache = self._cache[shouting]
        if raw in cache:
            return cache[raw]
        typed = self._typed[shouting]
        if not remember and raw in typed:
            return typed[raw]
        term: str | None = None
        word = normalize_word(raw)
        # "US", "IT", "WHO" in mixed-case text are names, not the function words "us", "it".
        is_acronym = not shouting and raw.isupper() and len(raw.replace(".", "")) >= 2
        if word and (word not in self._stopwords or is_acronym):
            term = self._stem(word)
        if remember:
            if len(cache) < _CACHE_LIMIT:
                cache[raw] = term
        else:
            if len(typed) >= _TYPED_LIMIT:
                typed.clear()
            typed[raw] = term
        return term


def _unchanged(word: str) -> str:
    return word


def normalize_word(raw: str) -> str:
    """Fold one raw token to its comparable form: case, accents, apostrophes, digit groups."""
    word = _fold(raw).translate(_APOSTROPHES)
    if _NUMBER_WITH_COMMAS.match(word):
        return word.replace(",", "")
    if ordinal := _ORDINAL.match(word):
        return ordinal.group(1)  # "30th" January is "30" January
    word = _POSSESSIVE.sub("", word)
    if any(char.isalpha() for char in word):
        word = word.replace("'", "").replace(".", "").replace(",", "")
    return word.strip("'.,")


@lru_cache(maxsize=200_000)
def _fold(raw: str) -> str:
    """Casefold and strip Latin accents ("Zelenskyy", "café"), leaving other scripts intact."""
    folded = unicodedata.normalize("NFKC", raw).casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped if stripped.isascii() else folded
