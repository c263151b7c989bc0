"""Second-stage re-ranking of the first stage's best passages with cheap extra evidence.

BM25 sees one sentence at a time and counts words. The evidence added here, each measured on
the quality benchmark (README, "Quality"), and each checked on the top ``depth`` candidates only
through ``CorpusIndex``'s public methods, so the cost does not grow with the corpus:

- ``share``: the idf-weighted share of the question's distinct terms the sentence holds (BM25
  rewards repeating one term; a sentence that answers tends to hold *all* of them).
- ``paragraph``: the same share over the sentence's whole paragraph (the right paragraph first).
- ``paragraph_bm25``: BM25 of the sentence's whole paragraph (k1 1.2, b 0.75, the length compared
  with the candidates' paragraphs), over the best candidate paragraph's: unlike the share it counts
  a term the paragraph repeats, and weighs a long paragraph's matches down.
- ``title``: question terms the article's title names count for every sentence of that article
  ("... at Super Bowl 50?" — "The game was televised by CBS.").
- ``answer_type``: "how many" wants a number, "when" a date; the sentence holds one beyond the
  question's own words.
- ``coref``: a sentence opening with "It", "He", "This" ... borrows the question terms of the
  sentence before it, which it refers to.
- ``definition``: "What is X?" is answered by an article's first sentence.

The final score is the BM25 score over the best one (1 for the top) plus the weighted evidence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from index.model import Passage
from index.question import AnswerType, answer_type, has_answer_type, is_definition_question
from index.search import CorpusIndex

Scored = tuple[Passage, float]

# First words that point back to the sentence before ("It was ...", "This triggered ...").
_REFERS_BACK = re.compile(
    r"^\W*(it|its|he|his|she|her|they|their|them|this|these|that|those|there|such)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RerankWeights:
    """Weight of each kind of evidence (see the module docstring); all zero keeps BM25's order."""

    share: float = 0.5
    paragraph: float = 0.75
    paragraph_bm25: float = 0.4
    title: float = 1.0
    answer_type: float = 0.5
    coref: float = 0.5
    definition: float = 0.5
    depth: int = 50
    # Levers measured on branch quality3 (0 = off); see README "Quality".
    paragraph_idf: float = 0.0
    proper: float = 0.0
    title_damp: float = 0.0
    rank_prior: float = 0.0
    rank_k: float = 10.0
    head: float = 0.0
    reweight_bm25: bool = False
    strict_type: str = ""

    @property
    def active(self) -> bool:
        return any(
            (
                self.share,
                self.paragraph,
                self.paragraph_bm25,
                self.title,
                self.answer_type,
                self.coref,
                self.definition,
                self.rank_prior,
            )
        )


def rerank(
    index: CorpusIndex,
    question: str,
    terms: Sequence[str],
    candidates: Sequence[Scored],
    weights: RerankWeights,
) -> list[Scored]:
    """``candidates`` re-scored and re-ordered, best first (ties keep the first-stage order)."""
    if not weights.active or not candidates:
        return list(candidates)
    titles: dict[int, set[str]] = {}
    idf = {term: index.idf(term) for term in dict.fromkeys(terms)}
    plain = idf
    if weights.paragraph_idf:
        idf = _mix_paragraph_idf(index, idf, candidates, weights.paragraph_idf)
    if weights.proper:
        marked = _proper_terms(index, question)
        idf = {t: w * (1 + weights.proper) if t in marked else w for t, w in idf.items()}
    if weights.head:
        noun = _head_term(index, question)
        idf = {t: w * (1 + weights.head) if t == noun else w for t, w in idf.items()}
    if weights.title_damp:
        named: set[str] = set()
        for passage, _ in candidates:
            named |= _title(index, passage, titles)
        idf = {t: w * (1 - weights.title_damp) if t in named else w for t, w in idf.items()}
    total = sum(idf.values()) or 1.0
    kind = answer_type(question)
    definition = is_definition_question(question)
    top = candidates[0][1] or 1.0
    paragraphs: dict[tuple[int, int], Counter[str]] = {}
    for passage, _ in candidates:
        if _key(passage) not in paragraphs:
            paragraphs[_key(passage)] = paragraph_counts(index, passage)
    paragraph_bm25 = _paragraph_bm25(idf, paragraphs) if weights.paragraph_bm25 else {}
    if weights.reweight_bm25 and idf is not plain:
        candidates = _reweighted(index, plain, idf, candidates)
        top = max(score for _, score in candidates) or 1.0
    rescored = []
    for order, (passage, score) in enumerate(candidates):
        own = set(index.terms_of(passage))
        evidence = (
            weights.share * _weight_in(idf, own) / total
            + weights.paragraph * _weight_in(idf, set(paragraphs[_key(passage)])) / total
            + weights.paragraph_bm25 * paragraph_bm25.get(_key(passage), 0.0)
            + weights.title * _weight_in(idf, _title(index, passage, titles) - own) / total
            + weights.coref * _weight_in(idf, referred_terms(index, passage) - own) / total
        )
        if kind is not AnswerType.OTHER and has_answer_type(
            passage.text, kind, question, kind.value in weights.strict_type.split("+")
        ):
            evidence += weights.answer_type
        if definition and passage.paragraph == 1 and passage.sentence == 1:
            evidence += weights.definition
        if weights.rank_prior:
            evidence += weights.rank_prior * weights.rank_k / (order + weights.rank_k)
        rescored.append((score / top + evidence, order, passage))
    rescored.sort(key=lambda item: (-item[0], item[1]))
    return [(passage, score) for score, _, passage in rescored]


def _weight_in(idf: dict[str, float], present: set[str]) -> float:
    return sum(weight for term, weight in idf.items() if term in present)


def paragraph_terms(index: CorpusIndex, passage: Passage, reach: int = 30) -> set[str]:
    """Every term of the paragraph holding ``passage`` (up to ``reach`` sentences each way)."""
    return set(paragraph_counts(index, passage, reach))


def paragraph_counts(index: CorpusIndex, passage: Passage, reach: int = 30) -> Counter[str]:
    """How often each term occurs in the paragraph holding ``passage`` (``reach`` as above)."""
    around = index.neighbours(passage, reach, reach)
    return Counter(t for p in around if p.paragraph == passage.paragraph for t in index.terms_of(p))


def _key(passage: Passage) -> tuple[int, int]:
    return passage.document.doc_id, passage.paragraph


def _paragraph_bm25(
    idf: dict[str, float],
    paragraphs: dict[tuple[int, int], Counter[str]],
    k1: float = 1.2,
    b: float = 0.75,
) -> dict[tuple[int, int], float]:
    """BM25 of each candidate paragraph over the best one's (0..1).

    Only the candidates' paragraphs are scored, so their mean length stands in for the corpus's.
    """
    lengths = {key: sum(counts.values()) for key, counts in paragraphs.items()}
    mean = sum(lengths.values()) / len(lengths) or 1.0
    scores = {}
    for key, counts in paragraphs.items():
        norm = k1 * (1 - b + b * lengths[key] / mean)
        scores[key] = sum(
            weight * counts[t] * (k1 + 1) / (counts[t] + norm)
            for t, weight in idf.items()
            if counts[t]
        )
    best = max(scores.values()) or 1.0
    return {key: score / best for key, score in scores.items()}


def referred_terms(index: CorpusIndex, passage: Passage) -> set[str]:
    """Terms of the sentence before ``passage`` when it opens by referring back to it."""
    if passage.sentence == 1 or not _REFERS_BACK.match(passage.text):
        return set()
    before = index.neighbours(passage, 1, 0)[0]
    return set(index.terms_of(before)) if before.paragraph == passage.paragraph else set()


def _title(index: CorpusIndex, passage: Passage, cache: dict[int, set[str]]) -> set[str]:
    document = passage.document
    if document.doc_id not in cache:
        cache[document.doc_id] = set(index.analyzer.terms(document.title))
    return cache[document.doc_id]


_PROPER = re.compile(r"(?<=[\w,;:)'\"] )[A-Z][\w'’.-]*|\d[\d.,]*")


def _proper_terms(index: CorpusIndex, question: str) -> set[str]:
    """Terms the question writes as a name (capitalized after its first word) or a number."""
    spans = [(m.start(), m.end()) for m in _PROPER.finditer(question)]
    return {
        token.term
        for token in index.analyzer.tokens(question)
        if any(lo <= token.start < hi for lo, hi in spans)
    }


def _mix_paragraph_idf(
    index: CorpusIndex, idf: dict[str, float], candidates: Sequence[Scored], alpha: float
) -> dict[str, float]:
    """Sentence idf mixed with idf over the candidates' articles' paragraphs (share ``alpha``)."""
    seen: set[int] = set()
    paragraphs: dict[tuple[int, int], set[str]] = {}
    for passage, _ in candidates:
        doc = passage.document.doc_id
        if doc in seen:
            continue
        seen.add(doc)
        for p in index.neighbours(passage, 2000, 2000):
            paragraphs.setdefault((doc, p.paragraph), set()).update(index.terms_of(p))
    n = len(paragraphs)
    mixed = {}
    sent_total = sum(idf.values()) or 1.0
    para = {}
    for term in idf:
        df = max(sum(term in terms for terms in paragraphs.values()), 1)
        para[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    para_total = sum(para.values()) or 1.0
    for term, weight in idf.items():
        mixed[term] = sent_total * (
            (1 - alpha) * weight / sent_total + alpha * para[term] / para_total
        )
    return mixed


_HEAD = re.compile(r"\b(?:what|which)\s+(?:\w+\s+)?", re.IGNORECASE)


def _head_term(index: CorpusIndex, question: str) -> str | None:
    """The first analyzed term after "what/which" (at most one word skipped), if any."""
    match = _HEAD.search(question)
    if match is None:
        return None
    terms = index.analyzer.terms(question[match.start() :])
    return terms[0] if terms else None


def _reweighted(
    index: CorpusIndex,
    plain: dict[str, float],
    weighted: dict[str, float],
    candidates: Sequence[Scored],
) -> list[Scored]:
    """First-stage scores with each question term's share rescaled from ``plain`` to ``weighted``.

    Within one sentence BM25's length norm is the same for every term, so a term's share of the
    score is its idf times its saturated count (k1 taken as 0.4; exact when every count is 1).
    """
    out = []
    for passage, score in candidates:
        counts = Counter(index.terms_of(passage))
        before = after = 0.0
        for term, weight in plain.items():
            tf = counts[term]
            if tf:
                saturated = tf / (tf + 0.4)
                before += weight * saturated
                after += weighted[term] * saturated
        out.append((passage, score * after / before if before else score))
    return out
