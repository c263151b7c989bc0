"""``paced``: every item, in order, with a short sleep after each slice of work."""

from __future__ import annotations

import itertools

from index.pacing import paced


def test_paced_yields_every_item_and_sleeps_once_per_work_slice() -> None:
    ticks = itertools.count()  # each clock reading is one "millisecond" later
    sleeps: list[float] = []
    items = list(
        paced(
            range(10),
            work=3,
            pause=0.5,
            clock=lambda: float(next(ticks)),
            sleep=sleeps.append,
        )
    )
    assert items == list(range(10))
    assert sleeps and len(sleeps) < 10 and set(sleeps) == {0.5}


def test_quick_work_never_sleeps() -> None:
    sleeps: list[float] = []
    assert list(paced("abc", work=60.0, sleep=sleeps.append)) == ["a", "b", "c"]
    assert sleeps == []
