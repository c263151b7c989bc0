from __future__ import annotations

import pytest

from benchmarks.metrics import (
    average_precision,
    full_order,
    mean,
    precision_at_1,
    recall_at_k,
    reciprocal_rank,
)


def test_precision_at_1_looks_only_at_the_first_item() -> None:
    assert precision_at_1([3, 1], {3}) == 1.0
    assert precision_at_1([1, 3], {3}) == 0.0
    assert precision_at_1([], {3}) == 0.0


def test_reciprocal_rank_uses_the_first_correct_item_within_k() -> None:
    assert reciprocal_rank([5, 6, 7], {7}) == pytest.approx(1 / 3)
    assert reciprocal_rank([5, 7, 7], {7}) == pytest.approx(1 / 2)
    assert reciprocal_rank([5, 6, 7], {7}, k=2) == 0.0
    assert reciprocal_rank([5, 6], {9}) == 0.0


def test_recall_at_k_counts_correct_items_in_the_first_k() -> None:
    assert recall_at_k([1, 2, 3, 4], {2, 4}, k=3) == pytest.approx(0.5)
    assert recall_at_k([4, 2], {2, 4}, k=3) == 1.0
    assert recall_at_k([1], set(), k=3) == 0.0


def test_average_precision_matches_a_hand_computed_case() -> None:
    # correct at ranks 1 and 3: (1/1 + 2/3) / 2
    assert average_precision([10, 11, 12, 13], {10, 12}) == pytest.approx((1 + 2 / 3) / 2)
    # a correct item never retrieved still counts in the denominator
    assert average_precision([10, 11], {11, 99}) == pytest.approx((1 / 2) / 2)
    assert average_precision([1, 2], set()) == 0.0


def test_full_order_appends_unretrieved_items_in_original_order() -> None:
    assert full_order([2, 0], [0, 1, 2, 3]) == [2, 0, 1, 3]


def test_mean_of_nothing_is_zero() -> None:
    assert mean([]) == 0.0
    assert mean([1.0, 0.0, 0.5]) == pytest.approx(0.5)
