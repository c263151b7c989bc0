"""``index.answering.whose_age`` as first written, the reference ``test_whose_age`` holds it to:
each sentence's text read several times, every age pattern run on every sentence, and a "the
N-year-old" still looked into after one that is the person's was found."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.answering.answer_types import Fact, states
from index.model import Passage
from index.retrieval.corpus_index import CorpusIndex
from index.text.analyzer import Analyzer, Token
from index.text.demonyms import IRREGULAR
from index.text.lexicon import related_terms

_PLURAL = re.compile(r"\bhow old (are|were)\b|\bages\b|\b\w+ and \w+\b.*\bold\b", re.IGNORECASE)
_AGED_AFTER = re.compile(r"\b(\d{1,3})-year-old\b", re.IGNORECASE)
# An age written after the name it belongs to: "Holmes, 34," "Holmes (34)" "Holmes, aged 34".
_AGED_BEFORE = re.compile(r"(,\s*(aged\s+)?\d{1,3}\s*,|\(\s*\d{1,3}\s*\)|\baged\s+\d{1,3}\b)")
# "the 34-year-old" standing alone (or "the battling 34-year-old").
_STANDING = re.compile(r"\bthe\s+(\w+\s+)?$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Lower-case words allowed between an age and its name ("34-year-old former champion Holmes"),
# and the words that end the reach: after them, a name is something else's ("owner of Tampa").
_REACH = 2
_LINKS = frozenset(
    ["of", "in", "at", "for", "from", "with", "to", "on", "by", "and", "or", "who", "which", "that"]
)
# At least this many sentences before "the N-year-old" are read for whose it is (it may open a
# paragraph: "... He made his fortune from care homes." / "The 52-year-old on Tuesday said ...").
_LEAD = 3
# The headline counts as this many mentions of each capitalised name it holds.
_HEADLINE = 2
# A sentence's subject is named in its opening words; a pronoun opening keeps the last one.
_OPENING = 8
_PRONOUNS = frozenset(["he", "she", "his", "her", "they", "their", "it", "its"])
_BESIDE, _ALONE = "beside", "alone"


@dataclass(frozen=True, slots=True)
class _Mention:
    """An age in a sentence and the name term it is written beside (``None``: "the N-year-old")."""

    owner: str | None


class AgeReader:
    """What one "how old" question reads of the articles: each article's person once, however
    many of its sentences are tested or searched (the run-on, neighbour and placing paths)."""

    def __init__(self, index: CorpusIndex, question: str, terms: Sequence[str]) -> None:
        self._index = index
        self._terms = terms
        # One age cannot answer for two people ("how old are Avi and Joel Glazer").
        self._plural = _PLURAL.search(question) is not None
        self._people: dict[int, _Person | None] = {}

    def _person(self, passage: Passage) -> _Person | None:
        doc = passage.document.doc_id
        if doc not in self._people:
            self._people[doc] = _person(self._index, self._terms, passage)
        return self._people[doc]

    def belongs(self, passage: Passage) -> bool:
        """Whether ``passage`` states the age of the person asked about, not another person's
        beside them ("... rival Maria Mutola ..." / "the 34-year-old ...")."""
        if self._plural:
            return False
        person = self._person(passage)
        return person is not None and person.owner(passage) is not None

    def place(self, shown: Sequence[Passage]) -> Passage | None:
        """A sentence of the ``shown`` passages' articles that states the person's age, or
        ``None`` when none can be placed: the first with the age beside their name, else the
        first "the N-year-old" that is theirs."""
        if self._plural:
            return None
        seen: set[int] = set()
        for passage in shown:
            if passage.document.doc_id in seen:
                continue
            seen.add(passage.document.doc_id)
            person = self._person(passage)
            if person is None:
                continue
            alone: Passage | None = None
            for sentence in person.sentences:
                owner = person.owner(sentence)
                if owner == _BESIDE:
                    return sentence
                if owner == _ALONE and alone is None:
                    alone = sentence
            if alone is not None:
                return alone
        return None


def place_age(
    index: CorpusIndex, question: str, terms: Sequence[str], shown: Sequence[Passage]
) -> Passage | None:
    """``AgeReader.place`` for one question (``terms``: its analyzed terms, naming the person)."""
    return AgeReader(index, question, terms).place(shown)


def states_age_of(
    index: CorpusIndex, question: str, terms: Sequence[str]
) -> Callable[[Passage], bool]:
    """``AgeReader.belongs`` for one question (each article read once)."""
    return AgeReader(index, question, terms).belongs


@dataclass(frozen=True, slots=True)
class _Person:
    """The person a question asks about, as one article names them."""

    analyzer: Analyzer
    sentences: Sequence[Passage]
    names: frozenset[str]
    surname: str
    headline: Counter[str]
    places: frozenset[str]
    capital: frozenset[str]
    written: frozenset[str]
    tokens: Mapping[int, list[Token]]

    def _tokens(self, passage: Passage) -> list[Token]:
        """``passage``'s tokens, analyzed once per article (``_names`` reads them all; a quote
        run on into the next sentence is analyzed whole)."""
        found = self.tokens.get(passage.passage_id) if passage.sentences == 1 else None
        if found is None:
            found = self.analyzer.tokens(passage.text, remember=False)
        return found

    def owner(self, passage: Passage) -> str | None:
        """``_BESIDE`` when an age in ``passage`` is written beside the person's name, or the
        sentence names them and gives no age beside another name ("Manning became the oldest
        quarterback ... at age 39"); ``_ALONE`` when a "the N-year-old" in it is theirs; else
        ``None``."""
        mentions = _mentions(self.analyzer, passage)
        owners = {m.owner for m in mentions if m.owner is not None}
        if owners & self.names:
            return _BESIDE
        if not owners and states(passage.text, Fact.AGE) and self._named_in(passage):
            return _BESIDE
        if any(m.owner is None for m in mentions) and self._main_person(passage):
            return _ALONE
        return None

    def _named_in(self, passage: Passage) -> bool:
        return any(t.term in self.names for t in self._tokens(passage))

    def _main_person(self, passage: Passage) -> bool:
        """Whether "the N-year-old" in ``passage`` is the person: the last one the sentences
        leading to it are about, or the one they (its paragraph so far, and at least the
        ``_LEAD`` sentences before it) name most, the headline's names counted ``_HEADLINE``
        times — unless the sentence just before is about someone else and does not name them
        ("Holmes won gold in Athens." / "The 34-year-old ..." is not Glazer's age)."""
        leading = [
            other
            for other in self.sentences
            if passage.passage_id - other.passage_id >= 0
            and (
                passage.passage_id - other.passage_id <= _LEAD
                or other.paragraph == passage.paragraph
            )
        ]
        if self._last_subject(leading[:-1]) == self.surname:
            return True
        if len(leading) > 1:
            just_before = leading[-2]
            someone = self._subject(just_before)
            named = {t.term for t in self._tokens(just_before)}
            if someone not in (None, self.surname) and self.surname not in named:
                return False
        counts: Counter[str] = Counter({t: _HEADLINE * n for t, n in self.headline.items()})
        for sentence in leading:
            counts.update(self._named(sentence))
        for place in self.places:
            counts.pop(place, None)
        mine = counts.get(self.surname, 0)
        return mine > 0 and mine >= max(counts.values())

    def _named(self, passage: Passage) -> list[str]:
        """The names ``passage`` writes (its opening word too when it is a name)."""
        text = passage.text
        tokens = self._tokens(passage)
        return [
            t.term
            for i, t in enumerate(tokens)
            if _is_capital(text, t) and (i > 0 or t.term in self.written)
        ]

    def _last_subject(self, leading: Sequence[Passage]) -> str | None:
        """The surname the last of ``leading`` is about, kept through sentences that open with
        a pronoun or name nobody in their opening words."""
        subject = None
        for other in leading:
            subject = self._subject(other) or subject
        return subject

    def _subject(self, passage: Passage) -> str | None:
        """The (sur)name ``passage`` writes first in its opening words (``None`` when it opens
        with a pronoun or names nobody there)."""
        words = _WORD.findall(passage.text)[:_OPENING]
        if words and words[0].lower() in _PRONOUNS:
            return None
        phrase: list[str] = []
        for word in words:
            if word[:1].isupper() and (phrase or _term(self.analyzer, word) in self.capital):
                phrase.append(word)
            elif phrase:
                break
        last = _term(self.analyzer, phrase[-1]) if phrase else None
        return None if last is None or last in self.places else last


def _person(index: CorpusIndex, terms: Sequence[str], passage: Passage) -> _Person | None:
    """The person ``terms`` name in ``passage``'s article (the terms it writes capitalised; the
    last is the surname), or ``None`` when they name nobody there."""
    analyzer = index.analyzer
    sentences = index.document_passages(passage)
    # The words of every sentence of the article, from the index's sentence marks where it keeps
    # them (no sentence analyzed again: tokenizing a 40-sentence article cost ~12 ms).
    ids = [p.passage_id for p in sentences]
    tokens = {
        pid: [Token(*span) for span in zip(*spans, strict=True)]
        for pid, spans in zip(ids, index.term_spans_of(ids), strict=True)
    }
    inside, written = _names(sentences, tokens)
    english = related_terms(analyzer)
    # who a sentence is about: a name written inside a sentence, or one only written at a
    # sentence's start that is no English word ("Holmes won gold.", not "Reports say ...")
    capital = inside | {term for term in written - inside if not english.of(term)}
    names = [term for term in terms if term in written]
    if not names:
        return None
    title = passage.document.title
    headline = Counter(t.term for t in _capitalised(analyzer, title, first=True))
    places = _places(analyzer)
    return _Person(
        analyzer,
        sentences,
        frozenset(names),
        names[-1],
        headline,
        places,
        frozenset(capital),
        frozenset(written),
        tokens,
    )


def _mentions(analyzer: Analyzer, passage: Passage) -> list[_Mention]:
    """The ages ``passage`` states, each with the name it is written beside (if any)."""
    text = passage.text
    out: list[_Mention] = []
    for match in _AGED_AFTER.finditer(text):
        owner = _name_after(analyzer, text[match.end() :])
        if owner is None and not _STANDING.search(text[max(0, match.start() - 40) : match.start()]):
            continue  # "a 34-year-old man": beside no name and not "the 34-year-old"
        out.append(_Mention(owner))
    for match in _AGED_BEFORE.finditer(text):
        words = _WORD.findall(text[max(0, match.start() - 60) : match.start()])[-_REACH - 1 :]
        while words and words[-1][:1].islower() and words[-1].lower() not in _LINKS:
            words.pop()  # "Charles died aged 73"
        if words and words[-1][:1].isupper():
            out.append(_Mention(_term(analyzer, words[-1])))
    return out


def _name_after(analyzer: Analyzer, rest: str) -> str | None:
    """The term of the name right after an age ("34-year-old [former champion] Kelly Holmes":
    "holm"), or ``None`` ("the 76-year-old owner of the Tampa Bay Buccaneers": an owner)."""
    words = _WORD.findall(rest[:80])
    lead = 0
    while lead < len(words) and lead < _REACH and words[lead][:1].islower():
        if words[lead].lower() in _LINKS:
            return None
        lead += 1
    name = []
    for word in words[lead:]:
        if not word[:1].isupper():
            break
        name.append(word)
    return _term(analyzer, name[-1]) if name else None


def _term(analyzer: Analyzer, word: str) -> str | None:
    found = analyzer.terms(word, remember=False)
    return found[0] if found else None


def _names(
    sentences: Sequence[Passage], tokens: Mapping[int, list[Token]]
) -> tuple[set[str], set[str]]:
    """The terms an article writes as names: capitalised inside a sentence, and those plus the
    ones capitalised at a sentence's start that it never writes in lower case ("Holmes won
    gold.", not "Shares rose."; "Reports say ..." may be one too, so these name the person
    asked about but are not taken for who a sentence is about)."""
    inside: set[str] = set()
    opening: set[str] = set()
    lower: set[str] = set()
    for sentence in sentences:
        text = sentence.text
        for place, token in enumerate(tokens[sentence.passage_id]):
            if not _is_capital(text, token):
                lower.add(token.term)
            elif place:
                inside.add(token.term)
            else:
                opening.add(token.term)
    return inside, inside | (opening - lower)


def _capitalised(analyzer: Analyzer, text: str, first: bool = False) -> list[Token]:
    """The capitalised words of ``text`` (the first word only when ``first``: a sentence's
    opening word is capitalised whatever it is)."""
    tokens = analyzer.tokens(text, remember=False)
    return [t for i, t in enumerate(tokens) if (first or i > 0) and _is_capital(text, t)]


def _is_capital(text: str, token: Token) -> bool:
    return text[token.start : token.start + 1].isupper()


@lru_cache(maxsize=4)
def _places(analyzer: Analyzer) -> frozenset[str]:
    """Places and nationalities as terms: capitalised, but never the person asked about."""
    words = " ".join(f"{name} {place}" for name, place in IRREGULAR.items())
    return frozenset(analyzer.terms(words, remember=False))
