"""Word knowledge from WordNet: related words, and the nouns that ask for a name.

Related words are what a question may say instead of the article's word. BM25 only counts a
word the sentence shares; a question worded unlike the article ("Who invented ...?" / "... was the
inventor of ...") then loses to sentences that share only the topic. The re-ranker gives part
credit for a question term whose related term the sentence holds.

The relation is WordNet 3.0's (synonyms, derivational forms, irregular forms; see
``index.text.wordnet_table``), shipped as a word table in ``index/text/data``. Terms meet through
the analyzer: a question term is related to every word related to *any* word with its stem ("invent"
covers "invent" and "invention"). The table carries each word's Snowball stem, so loading it is
reading it (0.06 s, once per process and analyzer configuration); a term's related terms are worked
out on first use and remembered.

Naming nouns are the nouns whose first sense is a person, group or place: "Which *team* won?",
"What *city* ...?" ask for a name the way "Who ...?" does.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections import defaultdict
from collections.abc import Hashable
from importlib import resources

from index.text.analyzer import Analyzer

TABLE = "related_words.tsv.gz"
NAMING = "naming_nouns.txt.gz"
# "What is ...", "Which was ...": not a noun of the question's focus.
_NOT_FOCUS = frozenset(
    {"is", "was", "are", "were", "did", "does", "do", "had", "has", "have", "the", "a", "an"}
    | {"of", "can", "could", "would", "will", "type", "kind", "sort"}
)
_FOCUS = re.compile(r"\b(?:what|which)\s+(\w+)(?:\s+(\w+))?", re.IGNORECASE)
_PLURALS = (("ies", "y"), ("es", ""), ("s", ""), ("men", "man"))


def _read_lines(name: str) -> list[str]:
    data = resources.files("index.text").joinpath("data", name).read_bytes()
    return gzip.decompress(data).decode("utf-8").splitlines()


def read_table() -> list[tuple[str, str, str]]:
    """The shipped table: (word, its Snowball stem, its related words joined by spaces)."""
    rows = []
    for line in _read_lines(TABLE):
        word, stem, related = line.split("\t", 2)
        rows.append((word, stem, related))
    return rows


_NONE: frozenset[str] = frozenset()


class RelatedTerms:
    """Term -> the terms of the words WordNet relates to the words with that term."""

    def __init__(self, analyzer: Analyzer, rows: list[tuple[str, str, str]]) -> None:
        self._analyzer = analyzer
        self._rows: dict[str, list[str]] = defaultdict(list)
        words = [word for word, _, _ in rows]
        terms = analyzer.plain_word_terms(words, [stem for _, stem, _ in rows])
        for (_, _, related), term in zip(rows, terms, strict=True):
            if term is not None:
                self._rows[term].append(related)
        self._known: dict[str, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def cached(self) -> int:
        """How many terms' related terms are kept (at most ``len(self)``)."""
        return len(self._known)

    def of(self, term: str) -> frozenset[str]:
        """The related terms of ``term`` (never ``term`` itself); empty when WordNet has none.

        Only the table's own terms are cached, so the cache is bounded by the table and not by
        the distinct words users type (those have no row: nothing to compute or keep).
        """
        known = self._known.get(term)
        if known is None:
            rows = self._rows.get(term)
            if rows is None:
                return _NONE
            words = {word for related in rows for word in related.split()}
            found = {self._analyzer.term(word) for word in words} - {None, term}
            known = self._known[term] = frozenset(t for t in found if t is not None)
        return known


_LOCK = threading.Lock()
_BUILT: dict[Hashable, RelatedTerms] = {}


def related_terms(analyzer: Analyzer) -> RelatedTerms:
    """The shipped table in ``analyzer``'s terms, built once per analyzer configuration (every
    benchmark question builds its own index and analyzer; alike ones share the table)."""
    with _LOCK:
        key = analyzer.configuration
        if key not in _BUILT:
            _BUILT[key] = RelatedTerms(analyzer, read_table())
        return _BUILT[key]


_NAMING: list[frozenset[str]] = []


def naming_nouns() -> frozenset[str]:
    """The shipped naming nouns ("team", "city", "quarterback"), read once per process."""
    with _LOCK:
        if not _NAMING:
            _NAMING.append(frozenset(_read_lines(NAMING)))
        return _NAMING[0]


def asks_for_a_name(question: str) -> bool:
    """Whether "what/which X" has a naming noun X ("Which NFL team ...?": the word after a
    capitalized one), so the answer is a name as for "who"."""
    match = _FOCUS.search(question)
    if match is None:
        return False
    word = match.group(1)
    if word[:1].isupper() and match.group(2):
        word = match.group(2)
    word = word.casefold()
    if word in _NOT_FOCUS:
        return False
    nouns = naming_nouns()
    forms = [word] + [word[: -len(end)] + new for end, new in _PLURALS if word.endswith(end)]
    return any(form in nouns for form in forms)
