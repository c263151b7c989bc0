from __future__ import annotations

import numpy as np
import pytest

from index.errors import VerbatimError
from index.retrieval.engine import ReferenceEngine, top_k
from index.retrieval.params import VARIANTS, BM25Params

# "fleet" is in exactly half of the four sentences: plain BM25Okapi gives it idf 0.
CORPUS = [["fleet", "sanction"], ["fleet", "vessel"], ["troop", "kursk"], ["nato", "aid"]]


def test_plain_okapi_zeroes_a_term_in_half_the_sentences() -> None:
    scores = ReferenceEngine(CORPUS, BM25Params(variant="okapi")).scores(["fleet"])
    assert np.allclose(scores, 0.0)


@pytest.mark.parametrize("variant", ["lucene", "plus", "l"])
def test_other_variants_still_rank_a_term_in_half_the_sentences(variant: str) -> None:
    scores = ReferenceEngine(CORPUS, BM25Params(variant=variant)).scores(["fleet"])  # type: ignore[arg-type]
    assert scores[0] > 0 and scores[1] > 0
    assert scores[0] > scores[2] and scores[1] > scores[3]


def test_term_in_every_sentence_keeps_positive_weight_with_lucene_idf() -> None:
    corpus = [["russia", "fleet"], ["russia", "troop"], ["russia"]]
    scores = ReferenceEngine(corpus).scores(["russia"])
    assert (scores > 0).all()


def test_rarer_terms_weigh_more() -> None:
    engine = ReferenceEngine(CORPUS)
    assert engine.scores(["kursk"])[2] > engine.scores(["fleet"])[0]


def test_unknown_terms_and_empty_corpus_score_zero() -> None:
    assert not ReferenceEngine(CORPUS).scores(["weather"]).any()
    assert ReferenceEngine([]).scores(["x"]).size == 0
    assert not ReferenceEngine([[], []]).scores(["x"]).any()


def test_top_k_breaks_ties_by_earlier_passage_and_drops_zeros() -> None:
    scores = np.array([0.0, 2.0, 3.0, 2.0, 0.0, 2.0])
    assert top_k(scores, 3) == [(2, 3.0), (1, 2.0), (3, 2.0)]
    assert top_k(scores, 10) == [(2, 3.0), (1, 2.0), (3, 2.0), (5, 2.0)]
    assert top_k(np.zeros(3), 2) == []


def test_bad_parameters_list_the_valid_choices() -> None:
    with pytest.raises(VerbatimError, match=str(VARIANTS[0])):
        BM25Params(variant="nope")  # type: ignore[arg-type]
    with pytest.raises(VerbatimError, match="k1"):
        BM25Params(b=2.0)
