"""The semantic extra in the answer path, with the real packaged model (all-MiniLM-L6-v2)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.answering.abstain import Abstention
from index.answering.answer import AnswerPolicy, answer_question, rank_question
from index.answering.followup import answer_followup
from index.model import AnswerStatus
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.semantic import shared_embedder
from index.storage.opener import open_index
from tests.support.builders import write_article


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("semantic") / "corpus"
    write_article(
        folder,
        "acme.txt",
        "Acme results",
        [
            "Acme shares rose sharply on Monday after strong results.",
            "Acme collapsed into bankruptcy after its lenders walked away.",
        ],
    )
    write_article(
        folder,
        "cup.txt",
        "Cup final",
        ["The home side won the cup final after extra time.", "Fans celebrated until dawn."],
    )
    write_article(
        folder,
        "storm.txt",
        "Storm",
        [
            "A storm broke the river dam overnight.",
            "Hundreds of homes were flooded and families fled to higher ground.",
        ],
    )
    return folder


@pytest.fixture(scope="module")
def on(corpus: Path) -> CorpusIndex:
    index = open_index(corpus, corpus.parent / "on", embedder=shared_embedder()).index
    assert index.semantic is not None
    return index


@pytest.fixture(scope="module")
def off(corpus: Path) -> CorpusIndex:
    return open_index(corpus, corpus.parent / "off").index


def first(index: CorpusIndex, question: str, policy: AnswerPolicy = AnswerPolicy()) -> str:
    answer = answer_question(index, question, policy)
    assert answer.covered, answer.status
    for quote in answer.quotes:  # verbatim: the file's own characters
        passage = quote.passage
        text = Path(passage.document.path).read_text(encoding="utf-8")
        assert text[passage.start : passage.end] == passage.text
    return answer.quotes[0].passage.text


def test_meaning_puts_the_sentence_that_answers_first(on: CorpusIndex, off: CorpusIndex) -> None:
    question = "did people lose their homes in the storm"
    assert first(off, question).startswith("A storm broke")
    assert first(on, question).startswith("Hundreds of homes were flooded")


def test_the_cosine_weight_is_the_lever(on: CorpusIndex) -> None:
    policy = AnswerPolicy()
    policy = replace(policy, rerank=replace(policy.rerank, cosine=0.0))
    assert first(on, "did people lose their homes in the storm", policy).startswith("A storm")


def test_a_sentence_close_in_meaning_passes_the_coverage_test(
    on: CorpusIndex, off: CorpusIndex
) -> None:
    question = "did the company acme go bankrupt"
    declined = rank_question(off, question)
    assert declined.status is AnswerStatus.NOT_COVERED
    assert declined.abstention is Abstention.LOW_COVERAGE
    assert first(on, question).startswith("Acme collapsed into bankruptcy")


def test_a_far_meaning_declines_when_asked_to(on: CorpusIndex) -> None:
    question = "what time is kick off for the cup final in the rain"
    assert answer_question(on, question).covered
    strict = replace(AnswerPolicy(), semantic=replace(AnswerPolicy().semantic, min_cosine=0.95))
    ranking = rank_question(on, question, strict)
    assert ranking.abstention is Abstention.FAR_IN_MEANING


def test_dense_candidates_find_a_sentence_that_shares_no_word(on: CorpusIndex) -> None:
    question = "did anybody lose their house"
    lexical = replace(AnswerPolicy(), semantic=replace(AnswerPolicy().semantic, dense=0))
    assert not any("homes" in p.text for p, _ in rank_question(on, question, lexical).ranked)
    ranked = rank_question(on, question).ranked
    assert ranked and ranked[0][0].text.startswith("Hundreds of homes were flooded")


def test_a_follow_up_uses_the_meaning_too(on: CorpusIndex, off: CorpusIndex) -> None:
    question, earlier = "did people lose their homes in the storm", "tell me about acme"
    assert answer_followup(off, question, earlier).quotes[0].passage.text.startswith("A storm")
    answer = answer_followup(on, question, earlier)
    assert answer.quotes[0].passage.text.startswith("Hundreds of homes were flooded")
