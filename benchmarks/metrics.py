"""Ranking metrics on plain lists, so each can be checked on a hand-made case.

A ranking is a list of item ids best first; ``relevant`` is the set of correct ids. Items missing
from a ranking were not retrieved and count as wrong.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence


def precision_at_1(ranking: Sequence[int], relevant: Collection[int]) -> float:
    """1 when the first item is correct, else 0."""
    return 1.0 if ranking and ranking[0] in relevant else 0.0


def reciprocal_rank(ranking: Sequence[int], relevant: Collection[int], k: int = 10) -> float:
    """1 / rank of the first correct item within the first ``k``, else 0."""
    for rank, item in enumerate(ranking[:k], start=1):
        if item in relevant:
            return 1.0 / rank
    return 0.0


def recall_at_k(ranking: Sequence[int], relevant: Collection[int], k: int = 3) -> float:
    """Share of the correct items found in the first ``k``."""
    if not relevant:
        return 0.0
    return len(set(ranking[:k]) & set(relevant)) / len(relevant)


def average_precision(ranking: Sequence[int], relevant: Collection[int]) -> float:
    """Mean of the precision at each correct item's rank, over all correct items (TREC AP)."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for rank, item in enumerate(ranking, start=1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; 0 for no values (an empty slice of a table, not an error)."""
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def full_order(retrieved: Sequence[int], every: Sequence[int]) -> list[int]:
    """``retrieved`` then the items it left out, in their original order (ties by position)."""
    seen = set(retrieved)
    return [*retrieved, *(item for item in every if item not in seen)]
