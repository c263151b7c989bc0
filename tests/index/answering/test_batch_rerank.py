"""The batch re-ranker must give the per-candidate reference's scores and order bit for bit."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.answering.answer import question_terms
from index.answering.batch_rerank import K1, B, _paragraph_bm25, _weights_in, rerank_ids
from index.answering.rerank import EVIDENCE, NO_EVIDENCE, RerankWeights, rerank
from index.ingest.loader import load_corpus
from index.model import Passage
from index.retrieval.corpus_index import CorpusIndex
from index.storage.opener import open_index
from tests.support.builders import write_article

WORDS = [
    "tanker",
    "crew",
    "port",
    "ship",
    "captain",
    "storm",
    "harbour",
    "fleet",
    "cargo",
    "oil",
    "invented",
    "inventor",
    "fought",
    "battle",
    "froze",
    "freeze",
    "Glazer",
    "Manchester",
    "United",
    "club",
    "bid",
    "owner",
    "Denver",
    "Broncos",
    "defense",
    "field",
    "goal",
    "punt",
    "yards",
    "game",
    "Super",
    "Bowl",
    "CBS",
    "televised",
    "March",
    "2015",
    "Monday",
    "28-yard",
    "76-year-old",
    "£178m",
    "29%",
    "million",
    "twelve",
    "miles",
    "hours",
    "years",
]
OPENERS = ("It", "He", "This", "They", "The", "A", "In", "Then")
QUESTIONS = (
    "How many yards was the punt?",
    "When did the tanker crew reach port?",
    "Who invented the cargo ship?",
    "What is Super Bowl?",
    "Which team fought the battle?",
    "How old is Malcolm Glazer owner?",
    "How much did the bid cost?",
    "What percentage of the oil froze?",
    "Denver Broncos defense field goal",
    "how far did the fleet sail in the storm",
    "captain",
)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 14))]
    return " ".join([rng.choice(OPENERS), *words]) + "."


def _corpus(folder: Path, seed: int, articles: int = 30) -> None:
    rng = random.Random(seed)
    for number in range(articles):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).title()
        paragraphs = [
            " ".join(_sentence(rng) for _ in range(rng.randint(1, 5)))
            for _ in range(rng.randint(1, 6))
        ]
        write_article(folder, f"a{number:02}.txt", title, paragraphs)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> list[CorpusIndex]:
    folder = tmp_path_factory.mktemp("batch")
    _corpus(folder / "corpus", seed=3)
    stored = open_index(folder / "corpus", folder / "index").index
    return [CorpusIndex(load_corpus(folder / "corpus").documents), stored]


def _weights(rng: random.Random) -> list[RerankWeights]:
    one: list[dict[str, Any]] = [{name: 1.0} for name in EVIDENCE]
    alone = [replace(NO_EVIDENCE, **lever) for lever in one]
    mixed = []
    for _ in range(6):
        levers: dict[str, Any] = {name: rng.choice((0, 0.3, 1.7)) for name in EVIDENCE}
        mixed.append(replace(RerankWeights(), **levers, title_damp=rng.choice((0, 0.6))))
    return [RerankWeights(), NO_EVIDENCE, *alone, *mixed]


def _same(
    index: CorpusIndex,
    question: str,
    candidates: list[tuple[Passage, float]],
    weights: RerankWeights,
    alias: dict[str, frozenset[str]] | None,
) -> None:
    terms = question_terms(index, question)
    expected = rerank(index, question, terms, candidates, weights, alias)
    ids = [passage.passage_id for passage, _ in candidates]
    got = rerank_ids(index, question, terms, ids, [s for _, s in candidates], weights, alias)
    assert [(ids[place], score) for place, score in got] == [
        (passage.passage_id, score) for passage, score in expected
    ]


@pytest.mark.parametrize("which", [0, 1], ids=["in-memory", "stored"])
def test_first_stage_candidates_score_as_the_reference(
    indexes: list[CorpusIndex], which: int
) -> None:
    index, rng = indexes[which], random.Random(11)
    for question in QUESTIONS:
        candidates = index.rank(question_terms(index, question), 50)
        assert candidates
        for weights in _weights(rng):
            _same(index, question, candidates, weights, None)


@pytest.mark.parametrize("which", [0, 1], ids=["in-memory", "stored"])
def test_random_candidates_score_as_the_reference(indexes: list[CorpusIndex], which: int) -> None:
    """Any passages in any order with any scores (ties, zeros, one article many times), with
    aliases standing in for question terms."""
    index, rng = indexes[which], random.Random(5 + which)
    for trial in range(60):
        question = rng.choice(QUESTIONS)
        ids = rng.sample(range(len(index)), rng.randint(1, min(50, len(index))))
        if trial % 3 == 0:  # neighbours: shared paragraphs and sentences referring back
            start = rng.randrange(len(index) - 10)
            ids = list(range(start, start + 10))
        scores = sorted((rng.choice((0.0, 1.0, rng.random() * 9)) for _ in ids), reverse=True)
        candidates = [(index.passage(i), s) for i, s in zip(ids, scores, strict=True)]
        terms = question_terms(index, question)
        alias = {terms[0]: frozenset(rng.sample(["ship", "oil", "bowl", "nowhere"], 2))}
        for weights in rng.sample(_weights(rng), 5):
            _same(index, question, candidates, weights, alias if trial % 2 else None)


def test_documents_sharing_an_id_share_paragraph_and_title_evidence() -> None:
    """Inline test documents may all carry doc_id 0: the reference keys paragraphs and titles
    by doc_id, and so must the batch."""
    from tests.support.builders import document

    index = CorpusIndex(
        [
            document("Tanker crew", ["The crew sailed. It reached port in March."]),
            document("Oil", ["The tanker crew froze. Oil froze in the port."]),
        ]
    )
    assert {index.passage(i).document.doc_id for i in range(len(index))} == {0}
    for question in ("When did the tanker crew reach port?", "What froze?"):
        candidates = [(index.passage(i), 1.0 / (i + 1)) for i in range(len(index))]
        for weights in _weights(random.Random(2)):
            _same(index, question, candidates, weights, None)


def _kept(
    index: CorpusIndex,
    question: str,
    ids: list[int],
    scores: list[float],
    weights: RerankWeights,
    keep: int,
    cosines: dict[int, float] | None = None,
) -> int:
    """Check ``keep``'s places: the same as with every candidate read, and every candidate
    tying with the ``keep``-th is still there (a later sort by date may move it up). Returns
    how many candidates were left out."""
    terms = question_terms(index, question)
    whole = rerank_ids(index, question, terms, ids, scores, weights, cosines=cosines)
    kept = rerank_ids(index, question, terms, ids, scores, weights, cosines=cosines, keep=keep)
    assert kept[:keep] == whole[:keep]
    assert set(kept) <= set(whole)
    if len(whole) > keep:
        assert all(item[1] < whole[keep - 1][1] for item in whole if item not in kept)
    return len(whole) - len(kept)


@pytest.mark.parametrize("which", [0, 1], ids=["in-memory", "stored"])
def test_keep_leaves_out_only_candidates_that_cannot_reach_the_kept_places(
    indexes: list[CorpusIndex], which: int
) -> None:
    """Reading the own words of only the candidates whose bound reaches the ``keep``-th score
    keeps those places bit for bit, for every lever, with ties, zeros and cosines; and it does
    leave candidates out."""
    index, rng = indexes[which], random.Random(17 + which)
    left_out = 0
    for trial in range(40):
        question = rng.choice(QUESTIONS)
        if trial % 2:
            ranked = index.rank(question_terms(index, question), 50)
            ids, scores = [p.passage_id for p, _ in ranked], [s for _, s in ranked]
        else:
            ids = rng.sample(range(len(index)), rng.randint(1, min(50, len(index))))
            scores = sorted((rng.choice((0.0, 1.0, rng.random() * 9)) for _ in ids), reverse=True)
        cosines = {i: rng.uniform(-1, 1) for i in ids} if trial % 5 == 0 else None
        for weights in rng.sample(_weights(rng), 4):
            for keep in (1, 3, 10):
                left_out += _kept(index, question, ids, scores, weights, keep, cosines)
    assert left_out > 0


def test_keep_reads_every_candidate_when_a_weight_is_negative(
    indexes: list[CorpusIndex],
) -> None:
    """A negative weight breaks the bound: then nothing is left out."""
    index = indexes[1]
    question = "Who invented the cargo ship?"
    ranked = index.rank(question_terms(index, question), 50)
    ids, scores = [p.passage_id for p, _ in ranked], [s for _, s in ranked]
    weights = replace(RerankWeights(), answer_type=-0.5)
    assert _kept(index, question, ids, scores, weights, 3) == 0


def _plain_weight_in(weight: Any, present: Any) -> Any:
    """The column loop ``_weights_in`` replaced (one matrix at a time)."""
    total = np.zeros(present.shape[0], dtype=np.float64)
    for j in range(weight.size):
        total = total + np.where(present[:, j], weight[j], 0.0)
    return total


def _plain_paragraph_bm25(counts: Any, lengths: Any, idf: dict[str, float]) -> Any:
    """The term loop ``_paragraph_bm25`` replaced."""
    mean = int(lengths.sum()) / lengths.size or 1.0
    norm = K1 * (1 - B + B * lengths / mean)
    scores = np.zeros(lengths.size, dtype=np.float64)
    for j, weight in enumerate(idf.values()):
        times = counts[:, j].astype(np.float64)
        part = weight * times * (K1 + 1) / (times + norm)
        scores = scores + np.where(counts[:, j] > 0, part, 0.0)
    return scores / (float(scores.max()) or 1.0)


@pytest.mark.parametrize("seed", range(20))
def test_matrix_sums_are_the_column_loops_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, columns = int(rng.integers(1, 60)), int(rng.integers(0, 9))
    # Weights of many magnitudes, so that a different order of addition would change bits.
    weight = rng.random(columns) * 10.0 ** rng.integers(-8, 8, columns)
    present = [rng.random((rows, columns)) < 0.5 for _ in range(4)]
    got = _weights_in(weight, *present)
    for mine, matrix in zip(got, present, strict=True):
        assert mine.tobytes() == _plain_weight_in(weight, matrix).tobytes()
    counts = rng.integers(0, 4, (rows, columns)) * (rng.random((rows, columns)) < 0.6)
    lengths = rng.integers(1, 300, rows)
    idf = {f"t{j}": float(w) for j, w in enumerate(weight)}
    expected = _plain_paragraph_bm25(counts, lengths, idf)
    assert _paragraph_bm25(counts, lengths, idf).tobytes() == expected.tobytes()
