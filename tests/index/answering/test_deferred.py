"""The "More answers" quotes are made on first read, and are the quotes made at once."""

from __future__ import annotations

import pickle
import threading

import pytest

from index.answering.answer import _quote, answer_question, rank_question
from index.answering.deferred import DeferredQuotes, quotes_later
from index.model import Quote
from index.retrieval.corpus_index import CorpusIndex
from tests.support.builders import document, index_of

TANKERS = document(
    "Tankers",
    [
        "The tanker fleet sailed from Murmansk. A second tanker fleet followed in May.",
        "Tanker crews said the fleet was old. The fleet's tankers carried crude oil.",
        "Insurers refused the fleet. Each tanker in the fleet flew a new flag.",
        "Officials counted the tankers of the fleet. THE FLEET WAS TRACKED BY SATELLITE.",
    ],
)


@pytest.fixture(scope="module")
def tanker_index() -> CorpusIndex:
    return index_of(TANKERS)


@pytest.mark.parametrize(
    ("which", "question"),
    [
        ("shipped", "Russia's shadow fleet"),
        ("tankers", "the tanker fleet"),
        ("tankers", "the fleet"),
    ],
)
def test_more_quotes_are_made_when_read_and_match_the_sentences(
    shipped_index: CorpusIndex, tanker_index: CorpusIndex, which: str, question: str
) -> None:
    index = shipped_index if which == "shipped" else tanker_index
    answer = answer_question(index, question)
    assert answer.more, "more quotes above the floor than an answer shows"
    assert isinstance(answer.more, DeferredQuotes) and not answer.more.made
    terms = list(rank_question(index, question).terms)
    # Each quote as ``_quote`` makes it alone from the sentence's own marks (no shared gather).
    alone = tuple(_quote(index, terms, q.passage, q.score) for q in answer.more)
    assert tuple(answer.more) == alone and answer.more.made
    assert all(quote.matched for quote in alone)


def test_deferred_quotes_behave_as_their_tuple(shipped_index: CorpusIndex) -> None:
    answer = answer_question(shipped_index, "Russia's shadow fleet")
    made = tuple(answer.more)
    assert answer.more == made and made == answer.more and answer.more != made[:-1]
    assert hash(answer.more) == hash(made) and repr(answer.more) == repr(made)
    assert answer.more[0] == made[0] and answer.more[1:] == made[1:]
    copy = pickle.loads(pickle.dumps(answer))
    assert type(copy.more) is tuple and repr(copy) == repr(answer)


def test_quotes_are_made_once_across_threads_and_counted_right() -> None:
    calls = []
    quote = Quote(passage=None, score=1.0)  # type: ignore[arg-type]
    gate = threading.Barrier(4)

    def make() -> tuple[Quote, ...]:
        calls.append(1)
        return (quote, quote)

    later = DeferredQuotes(2, make)
    assert len(later) == 2 and not calls

    def read() -> None:
        gate.wait()
        assert tuple(later) == (quote, quote)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    with pytest.raises(ValueError, match="made 2 quotes, not 3"):
        tuple(DeferredQuotes(3, make))
    assert quotes_later(0, make) == () and len(calls) == 2
