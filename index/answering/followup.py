"""A follow-up question: answered with the earlier question's terms, weighted lower.

"And what did Britain pledge?" after "How much aid did France promise?" means Britain's pledge
of aid. The first stage ranks the new question's terms and, separately, the earlier question's
terms not already in it; a candidate's score is its score for the new terms plus ``weight``
times its score for the earlier ones, so the new question leads and the old one only breaks
ties and lifts the sentences about the same subject. Re-ranking and abstention then judge the
candidates by the new question alone: a follow-up the articles do not cover is still "not
covered", whatever the earlier question matched. A follow-up that names nothing of its own
("how old was he?") is about the earlier question's subject: its terms are the ones ranked and
judged, and what is asked comes from the new wording.
"""

from __future__ import annotations

from dataclasses import replace

from index.answering.answer import (
    AnswerPolicy,
    Ranking,
    Scored,
    answer_from,
    first_stage_query,
    judge,
    question_terms,
    rank_question,
    subject_words,
    with_meaning_of,
)
from index.answering.question import without_chat_markup
from index.model import Answer, AnswerStatus
from index.retrieval.corpus_index import CorpusIndex

WEIGHT = 0.5


def rank_followup(
    index: CorpusIndex,
    question: str,
    earlier: str,
    policy: AnswerPolicy = AnswerPolicy(),
    weight: float = WEIGHT,
) -> Ranking:
    """``rank_question`` for ``question``, its first stage lifted by ``earlier``'s terms (the
    plain ``rank_question`` when ``earlier`` adds no term, or the question has none)."""
    cleaned = without_chat_markup(question)
    worded = any(c.isalnum() for c in cleaned)
    terms = question_terms(index, cleaned, policy) if worded else []
    if worded and not terms:
        return _about_earlier(index, cleaned, earlier, policy)
    context = [t for t in question_terms(index, earlier, policy) if t not in terms] if terms else []
    if not context:
        return rank_question(index, question, policy)
    # The new question's first stage exactly as ``rank_question`` runs it (acronyms expanded).
    query, alias = first_stage_query(index, cleaned, terms, policy)
    scores: dict[int, float] = {}
    passages = {}
    for part, factor in ((query, 1.0), (context, weight)):
        for passage, score in index.rank(part, policy.depth):
            scores[passage.passage_id] = scores.get(passage.passage_id, 0.0) + factor * score
            passages[passage.passage_id] = passage
    best = sorted(scores, key=lambda pid: (-scores[pid], pid))[: policy.depth]
    candidates: list[Scored] = [(passages[pid], scores[pid]) for pid in best]
    if index.semantic is None:
        return judge(index, cleaned, terms, candidates, policy, alias)
    # The semantic extra: the new question's meaning, as ``rank_question`` uses it.
    candidates, cosines = with_meaning_of(index, cleaned, query, candidates, policy.semantic)
    return judge(index, cleaned, terms, candidates, policy, alias, cosines)


def _about_earlier(
    index: CorpusIndex, question: str, earlier: str, policy: AnswerPolicy
) -> Ranking:
    """A follow-up that names nothing of its own ("how old was he?", "and why?") asks about the
    earlier question's subject: its terms are ranked and judged, while what is asked (an age, a
    reason) comes from the new wording. Without earlier terms either: as ``rank_question``."""
    cleaned_earlier = without_chat_markup(earlier)
    terms = question_terms(index, cleaned_earlier, policy)
    if not terms:
        return rank_question(index, question, policy)
    query, alias = first_stage_query(index, cleaned_earlier, terms, policy)
    candidates: list[Scored] = index.rank(query, policy.depth)
    if index.semantic is None:
        return judge(index, question, terms, candidates, policy, alias)
    meaning = f"{cleaned_earlier} {question}"
    candidates, cosines = with_meaning_of(index, meaning, query, candidates, policy.semantic)
    return judge(index, question, terms, candidates, policy, alias, cosines)


def answer_followup(
    index: CorpusIndex,
    question: str,
    earlier: str,
    policy: AnswerPolicy = AnswerPolicy(),
    weight: float = WEIGHT,
) -> Answer:
    """Answer ``question`` as a follow-up to ``earlier`` (quotes verbatim, as ever). A related
    answer to a question naming nothing itself says what the articles mention in the earlier
    question's words ("The articles mention “kirillov” but don't say how old.")."""
    answer = answer_from(index, rank_followup(index, question, earlier, policy, weight), policy)
    if answer.status is AnswerStatus.RELATED and not answer.subject and answer.quotes:
        subject = subject_words(index, earlier, answer.quotes[0].passage)
        answer = replace(answer, subject=subject)
    return answer
