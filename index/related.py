"""Related words: what a question may say instead of the article's word ("invented" / "inventor").

BM25 only counts a word the sentence shares; a question worded unlike the article ("Who invented
...?" / "... was the inventor of ...") then loses to sentences that share only the topic. The
re-ranker gives part credit for a question term whose related term the sentence holds.

The relation is WordNet 3.0's (synonyms, derivational forms, irregular forms; see
``index.wordnet_table``), shipped as a word table in ``index/data``. Terms meet through the
analyzer: a question term is related to every word related to *any* word with its stem
("invent" covers "invent" and "invention"). The table's words are stemmed in one batch when it is
first needed (~0.1 s, once per process and analyzer configuration); a term's related terms are
worked out on first use and remembered.
"""

from __future__ import annotations

import gzip
import threading
from collections import defaultdict
from collections.abc import Hashable
from importlib import resources

from index.analyze import Analyzer

TABLE = "related_words.tsv.gz"


def read_table() -> list[tuple[str, str]]:
    """The shipped table: (word, its related words joined by spaces) per line."""
    data = resources.files("index").joinpath("data", TABLE).read_bytes()
    rows = []
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        word, _, related = line.partition("\t")
        rows.append((word, related))
    return rows


class RelatedTerms:
    """Term -> the terms of the words WordNet relates to the words with that term."""

    def __init__(self, analyzer: Analyzer, rows: list[tuple[str, str]]) -> None:
        self._analyzer = analyzer
        self._rows: dict[str, list[str]] = defaultdict(list)
        terms = analyzer.plain_word_terms([word for word, _ in rows])
        for (_, related), term in zip(rows, terms, strict=True):
            if term is not None:
                self._rows[term].append(related)
        self._known: dict[str, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def of(self, term: str) -> frozenset[str]:
        """The related terms of ``term`` (never ``term`` itself); empty when WordNet has none."""
        known = self._known.get(term)
        if known is None:
            words = {word for related in self._rows.get(term, ()) for word in related.split()}
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
