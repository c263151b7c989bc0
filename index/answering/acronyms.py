"""Acronyms and what they stand for, both ways: "IMF" / "International Monetary Fund".

News writes the long form once and the acronym after it ("the Football Association (FA)");
people ask with either ("how much did the FA fine wenger", "who heads the music managers
forum"). BM25 matches terms, so each side misses the other. For each question term this finds
the terms that may stand for it: a small table of the common acronyms, the long forms the corpus
itself spells out before an acronym in brackets, and the acronym a run of question words forms
when the corpus knows it. Only the question is read, plus the few sentences holding its acronym.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence

from index.retrieval.corpus_index import CorpusIndex
from index.text.analyzer import Analyzer
from index.text.lexicon import related_terms

COMMON: dict[str, str] = {
    "eu": "European Union",
    "un": "United Nations",
    "us": "United States",
    "imf": "International Monetary Fund",
    "nato": "North Atlantic Treaty Organisation",
    "fa": "Football Association",
    "dti": "Department of Trade and Industry",
    "nhs": "National Health Service",
    "ec": "European Commission",
    "mp": "Member of Parliament",
    "pm": "Prime Minister",
}
# Words an acronym skips ("Department of Trade and Industry" is DTI).
_SKIPPED = frozenset({"of", "and", "for", "the", "in", "on", "de"})
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# How many sentences holding an acronym are read for its long form.
SCAN = 20


def _initials(words: Sequence[str]) -> str:
    return "".join(word[0] for word in words if word.casefold() not in _SKIPPED).casefold()


_SPELLED: weakref.WeakKeyDictionary[CorpusIndex, dict[str, str | None]] = (
    weakref.WeakKeyDictionary()
)


_UPPER: weakref.WeakKeyDictionary[CorpusIndex, dict[str, str | None]] = weakref.WeakKeyDictionary()
# How many upper-cased words' terms ``_upper_term`` keeps per index before starting afresh.
_UPPER_LIMIT = 65_536


def _upper_terms(index: CorpusIndex) -> dict[str, str | None]:
    """Word -> ``index.analyzer.term(word.upper(), remember=False)``, kept per index (a
    question's words and their runs' initials recur question after question; bounded by
    ``_upper_term``, as what users type must not grow memory without end)."""
    known = _UPPER.get(index)
    return _UPPER.setdefault(index, {}) if known is None else known


def _upper_term(known: dict[str, str | None], analyzer: Analyzer, word: str) -> str | None:
    """``analyzer.term(word.upper(), remember=False)``, read from or kept in ``known``
    (``_upper_terms``: looked up once a question, not once a word)."""
    if word in known:
        return known[word]
    if len(known) >= _UPPER_LIMIT:
        known.clear()
    found = known[word] = analyzer.term(word.upper(), remember=False)
    return found


def spelled_out(index: CorpusIndex, acronym: str) -> str | None:
    """The long form the corpus writes before "(ACRONYM)", or ``None`` (remembered per index)."""
    known = _SPELLED.setdefault(index, {})
    if acronym not in known:
        known[acronym] = _spelled_out(index, acronym)
    return known[acronym]


def _spelled_out(index: CorpusIndex, acronym: str) -> str | None:
    term = index.analyzer.term(acronym.upper(), remember=False)
    if term is None:
        return None
    pattern: re.Pattern[str] | None = None
    for passage_id, _ in index.engine.top_k([term], SCAN):
        if not index.holds_bracket(passage_id):  # the pattern needs one: most are left unread
            continue
        text = index.passage_text(passage_id)
        if pattern is None:
            pattern = re.compile(
                rf"((?:[\w'’-]+\s+){{1,8}})\(\s*{re.escape(acronym)}\s*\)", re.IGNORECASE
            )
        for match in pattern.finditer(text):
            words = _WORD.findall(match.group(1))
            for start in range(len(words)):
                if words[start].casefold() in _SKIPPED:
                    continue
                if _initials(words[start:]) == acronym.casefold():
                    return " ".join(words[start:])
    return None


def aliases(index: CorpusIndex, question: str, terms: Sequence[str]) -> dict[str, frozenset[str]]:
    """Question term -> the terms that may stand for it (the long form's terms for an acronym,
    the acronym's term for each word of a long form)."""
    analyzer = index.analyzer
    wanted = set(terms)
    found: dict[str, set[str]] = {}
    words = _WORD.findall(question)
    table = related_terms(analyzer)
    upper = _upper_terms(index)
    for word in words:
        key = word.casefold()
        if not 2 <= len(key) <= 5:
            continue
        term = _upper_term(upper, analyzer, word)
        if term not in wanted:
            continue
        if not word.isupper() and key not in COMMON and table.of(term):
            continue  # an English word typed in lower case ("fine"), not an acronym
        # Only an acronym some sentence holds is looked up (and remembered): what users type
        # never grows the cache of long forms.
        long_form = (spelled_out(index, key) if index.doc_freq(term) else None) or COMMON.get(key)
        if long_form:
            others = set(analyzer.terms(long_form, remember=False)) - {term}
            found.setdefault(term, set()).update(others)
    # A run's initials (``_initials``) are its words' first letters joined, a skipped word's
    # left out: each word's is read once, not once for each of the up to four runs holding it.
    skips = [word.casefold() in _SKIPPED for word in words]
    firsts = ["" if skip else word[0] for word, skip in zip(words, skips, strict=True)]
    for size in range(2, 6):
        for start in range(len(words) - size + 1):
            if skips[start]:
                continue
            initials = "".join(firsts[start : start + size]).casefold()
            if len(initials) < 2:
                continue
            acronym = _upper_term(upper, analyzer, initials)
            if acronym is None or acronym in wanted or not index.doc_freq(acronym):
                continue
            run = words[start : start + size]
            run_terms = analyzer.terms(" ".join(run), remember=False)
            if wanted.isdisjoint(run_terms):
                continue  # no question term it could stand for: its long form is not read
            long_form = spelled_out(index, initials)
            if long_form is None or analyzer.terms(long_form, remember=False) != run_terms:
                continue  # only a long form the corpus itself spells out ("glazer bid" is no GB)
            for term in run_terms:
                if term in wanted:
                    found.setdefault(term, set()).add(acronym)
    return {term: frozenset(others) for term, others in found.items() if others}
