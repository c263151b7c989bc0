"""Word knowledge from WordNet: related words, and the nouns that ask for a name.

Related words are what a question may say instead of the article's word. BM25 only counts a
word the sentence shares; a question worded unlike the article ("Who invented ...?" / "... was the
inventor of ...") then loses to sentences that share only the topic. The re-ranker gives part
credit for a question term whose related term the sentence holds.

The relation is WordNet 3.0's (synonyms, derivational forms, irregular forms; see
``index.text.wordnet_table``), shipped as a word table in ``index/text/data``. Terms meet through
the analyzer: a question term is related to every word related to *any* word with its stem ("invent"
covers "invent" and "invention"). The table carries each word's Snowball stem and is sorted by it,
so a term's rows are found by binary search in the table as read (no parse of its 60,000 lines);
a term's related terms are worked out on first use and remembered. An analyzer that stems
otherwise (or not at all) gets the whole table parsed under its own terms.

Naming nouns are the nouns whose first sense is a person, group or place: "Which *team* won?",
"What *city* ...?" ask for a name the way "Who ...?" does.
"""

from __future__ import annotations

import bisect
import contextlib
import gzip
import re
import threading
from collections import defaultdict
from collections.abc import Hashable
from importlib import resources

import numpy as np

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


def _read_bytes(name: str) -> bytes:
    return gzip.decompress(resources.files("index.text").joinpath("data", name).read_bytes())


def _read_lines(name: str) -> list[str]:
    return _read_bytes(name).decode("utf-8").splitlines()


def read_table() -> list[tuple[str, str, str]]:
    """The shipped table: (word, its Snowball stem, its related words joined by spaces)."""
    rows = []
    for line in _read_lines(TABLE):
        word, stem, related = line.split("\t", 2)
        rows.append((word, stem, related))
    return rows


_NONE: frozenset[str] = frozenset()
# Terms known to have no row, remembered up to this many and then forgotten together.
ABSENT = 65_536


class StemSortedTable:
    """The shipped table as it lies (lines sorted by stem), searched by stem: only where the
    lines and their tabs lie is found (two numpy scans), so the first question of a process
    pays neither for turning 60,000 lines into a dict (~0.1 s) nor for lists of their offsets
    (as long again); a lookup is a binary search over the stems, cut out as it probes them."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        raw = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(raw == ord("\n"))
        tabs = np.flatnonzero(raw == ord("\t"))
        if tabs.size != 2 * ends.size:
            raise ValueError("related-words table: not three tab-separated fields a line")
        self._starts = np.concatenate(([0], ends[:-1] + 1))
        self._ends = ends
        # Line ``i``'s stem lies between its two tabs.
        self._stem_starts = tabs[0::2] + 1
        self._stem_ends = tabs[1::2]

    def __len__(self) -> int:
        return len(self._starts)

    def row(self, line: int) -> tuple[str, str, str]:
        """(word, stem, related words) of one line."""
        text = self._data[int(self._starts[line]) : int(self._ends[line])].decode("utf-8")
        word, stem, related = text.split("\t", 2)
        return word, stem, related

    def rows_of(self, stem: str) -> list[tuple[str, str, str]]:
        """Every line whose stem is ``stem``: a binary search over the lines, each probed line's
        stem cut out of the table as it is compared (some 16 lines a lookup)."""
        key, stem_at, count = stem.encode("utf-8"), self._stem_at, len(self)
        line = bisect.bisect_left(range(count), key, key=stem_at)
        rows = []
        while line < count and stem_at(line) == key:
            rows.append(self.row(line))
            line += 1
        return rows

    def _stem_at(self, line: int) -> bytes:
        return self._data[self._stem_starts.item(line) : self._stem_ends.item(line)]

    def sample(self, count: int = 64) -> tuple[list[str], list[str]]:
        """Words and stems of ``count`` lines spread over the table (to check the stemmer)."""
        step = max(1, len(self) // count)
        rows = [self.row(line) for line in range(0, len(self), step)]
        return [word for word, _, _ in rows], [stem for _, stem, _ in rows]


class RelatedTerms:
    """Term -> the terms of the words WordNet relates to the words with that term."""

    def __init__(
        self,
        analyzer: Analyzer,
        rows: list[tuple[str, str, str]] | None = None,
        table: StemSortedTable | None = None,
    ) -> None:
        """From ``rows`` (parsed whole), or searched in ``table`` by stem when the analyzer's
        stemmer agrees with the table's stems (the shipped table and the default analyzer)."""
        self._analyzer = analyzer
        self._table = table if table is not None and _searchable(analyzer, table) else None
        self._rows: dict[str, list[str]] | None = None
        if self._table is None:
            self._rows = _by_term(analyzer, rows if rows is not None else read_table())
        self._known: dict[str, frozenset[str]] = {}
        self._absent: set[str] = set()

    def __len__(self) -> int:
        """How many terms have a row (parses the whole table once when it was searched)."""
        if self._rows is None:
            self._rows = _by_term(self._analyzer, read_table())
        return len(self._rows)

    @property
    def cached(self) -> int:
        """How many terms' related terms are kept (at most ``len(self)``)."""
        return len(self._known)

    def of(self, term: str) -> frozenset[str]:
        """The related terms of ``term`` (never ``term`` itself); empty when WordNet has none.

        Only the table's own terms are cached, so the cache is bounded by the table and not by
        the distinct words users type (those have no row: nothing to compute or keep). Terms
        without a row are remembered as such up to ``ABSENT`` of them (then all forgotten): the
        lone-word test asks for every term of an answer's article, and most have none, again
        and again (about 14 searches of the table a question at a million sentences, 11 of
        them repeats, ~0.3 ms).
        """
        known = self._known.get(term)
        if known is None:
            if term in self._absent:
                return _NONE
            rows = self._related_rows(term)
            if not rows:
                if len(self._absent) >= ABSENT:
                    self._absent.clear()
                self._absent.add(term)
                return _NONE
            # The table's words are plain lower-case ones: stemmed in one call, not one by one.
            words = list({word for related in rows for word in related.split()})
            found = set(self._analyzer.plain_word_terms(words)) - {None, term}
            known = self._known[term] = frozenset(t for t in found if t is not None)
        return known

    def _related_rows(self, term: str) -> list[str]:
        if self._rows is not None:
            return self._rows.get(term, [])
        assert self._table is not None
        analyzer = self._analyzer
        return [
            related
            for stem in analyzer.stems_of(term)
            for word, own, related in self._table.rows_of(stem)
            if analyzer.term_of_stem(word, own) == term
        ]


def _searchable(analyzer: Analyzer, table: StemSortedTable) -> bool:
    """Whether ``analyzer`` stems as the table's stems say (its terms can be found by stem)."""
    return analyzer.stems and analyzer.stems_agree(*table.sample())


def _by_term(analyzer: Analyzer, rows: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """Every row's related words under the analyzer's term of its word."""
    found: dict[str, list[str]] = defaultdict(list)
    terms = analyzer.plain_word_terms([word for word, _, _ in rows], [stem for _, stem, _ in rows])
    for (_, _, related), term in zip(rows, terms, strict=True):
        if term is not None:
            found[term].append(related)
    return found


_LOCK = threading.Lock()
_BUILT: dict[Hashable, RelatedTerms] = {}
# The shipped table being read on a thread of its own (``read_ahead``), and where it lands.
_AHEAD: list[tuple[threading.Thread, list[StemSortedTable]]] = []


def related_terms(analyzer: Analyzer) -> RelatedTerms:
    """The shipped table in ``analyzer``'s terms, built once per analyzer configuration (every
    benchmark question builds its own index and analyzer; alike ones share the table)."""
    with _LOCK:
        key = analyzer.configuration
        if key not in _BUILT:
            _BUILT[key] = RelatedTerms(analyzer, table=_shipped_table())
        return _BUILT[key]


def read_ahead() -> None:
    """Start reading the shipped table on a thread of its own, for a process about to answer.

    Inflating it and finding its lines (~20 ms) is zlib's and numpy's work, done without the
    interpreter's lock: a one-shot ``verbatim ask`` has it done on its second core while it
    imports and opens the index, instead of in its first answer. The table is the same either
    way; a read that fails there is done again, and fails, where it is used.
    """
    with _LOCK:
        if _AHEAD or _BUILT:
            return
        landed: list[StemSortedTable] = []

        def read() -> None:
            with contextlib.suppress(Exception):
                landed.append(StemSortedTable(_read_bytes(TABLE)))

        thread = threading.Thread(target=read, name="verbatim-read-ahead", daemon=True)
        _AHEAD.append((thread, landed))
        thread.start()


def _shipped_table() -> StemSortedTable:
    """The shipped table: the one read ahead if any (waited for), else read now."""
    if _AHEAD:
        thread, landed = _AHEAD.pop()
        thread.join()
        if landed:
            return landed[0]
    return StemSortedTable(_read_bytes(TABLE))


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
