"""Let other threads run during long background work: a short real sleep every few milliseconds.

Why it is needed: a thread that releases the GIL very often for short calls (``os.pread`` of
article text from a persistent index, once per sentence) takes it back before a waiting thread
has woken up. The waiter's timed wait restarts at every release, so it never asks for a switch
and can starve for seconds: preparing the topics of a 2,200-article persistent index in a
background thread stalled the Discord bot's event loop for 5.8 s (10 ms with the texts in
memory). A real sleep leaves the GIL free long enough for the waiter to take it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

WORK_SECONDS = 0.005  # the interpreter's own switch interval
PAUSE_SECONDS = 0.0002  # ~4% of the work: enough for a woken thread to take the GIL


def paced(
    items: Iterable[T],
    work: float = WORK_SECONDS,
    pause: float = PAUSE_SECONDS,
    *,
    clock: Callable[[], float] = time.perf_counter,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[T]:
    """``items``, with a ``pause`` s sleep after each ``work`` s spent by the consumer."""
    deadline = clock() + work
    for item in items:
        yield item
        if clock() >= deadline:
            sleep(pause)
            deadline = clock() + work
