"""A quote that runs on into the next sentence when that sentence holds what was asked.

News names the subject in one sentence and gives the asked thing in the next: "The £178m winter
schedule also includes ... a drama about Angela Cannings ..." / "Sarah Lancashire and Timothy
Spall will star in the real-life drama, Cherished." Quoting the second alone loses who "they"
are; quoting the first alone does not answer. So when the question asks for a kind of thing (an
age, an amount, a date, a number, a name, a reason) that the quoted sentence lacks and the next
sentence of its paragraph holds, the quote becomes both sentences: one span of the file, still
verbatim. Patterns only (``index.answering.answer_types``, ``index.answering.question``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from index.answering.answer_types import Fact, asked_fact, states
from index.answering.question import AnswerType, answer_candidates
from index.answering.rerank import NO_EVIDENCE, asked_kinds
from index.model import Passage
from index.retrieval.corpus_index import CorpusIndex

_WHY = re.compile(r"\bwhy\b", re.IGNORECASE)
# Words that give a reason ("in a bid to deter airlines", "because of the debt").
_REASON = re.compile(
    r"\b(because|due to|as a result|so that|in order to|in a bid to|the reason|blamed|caused by"
    r"|thanks to|owing to|after|since)\b",
    re.IGNORECASE,
)


def wanted(question: str) -> Callable[[str], bool] | None:
    """A test of whether a sentence holds the kind of thing ``question`` asks for, or ``None``
    when its wording names no kind that a pattern can check ("what did he say about ...")."""
    fact = asked_fact(question)
    if fact is not Fact.NONE:
        return lambda text: states(text, fact)
    _, kind, _ = asked_kinds(question, NO_EVIDENCE)
    if kind is not AnswerType.OTHER:
        return lambda text: bool(answer_candidates(text, kind, question))
    if _WHY.search(question):
        return lambda text: _REASON.search(text) is not None
    return None


def continued(
    index: CorpusIndex,
    question: str,
    passage: Passage,
    belongs: Callable[[Passage], bool] = lambda _: True,
) -> Passage | None:
    """``passage`` and the next sentence of its paragraph as one passage, when only the next
    one holds what ``question`` asks for (and ``belongs``: an age must be the person's); else
    ``None``."""
    holds = wanted(question)
    if holds is None or passage.sentences != 1 or holds(passage.text):
        return None
    after = [
        p
        for p in index.neighbours(passage, 0, 1)
        if p.passage_id == passage.passage_id + 1 and p.paragraph == passage.paragraph
    ]
    if not after or not holds(after[0].text) or not belongs(after[0]):
        return None
    return replace(passage, end=after[0].end, sentences=2)
