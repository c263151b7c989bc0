"""Quotes made when first read: an answer's ``more`` quotes.

Every answer keeps up to seven quotes beyond the three it shows, for the Discord "More answers"
button, which few people press; marking their matched words (a read of each sentence's text and
marks) was about a twentieth of an answer's time at a million sentences. They are made on first
use, from the same passages and scores, so what a reader sees is the same quotes either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from threading import Lock
from typing import Any, overload

from index.model import Quote


class DeferredQuotes(Sequence[Quote]):
    """A read-only sequence of ``count`` quotes that ``make`` returns when first needed.

    It compares, hashes, prints and pickles as the tuple of its quotes, so an ``Answer`` holding
    one equals (and pickles as) the answer holding that tuple.
    """

    __slots__ = ("_count", "_lock", "_make", "_quotes")

    def __init__(self, count: int, make: Callable[[], tuple[Quote, ...]]) -> None:
        self._count = count
        self._make: Callable[[], tuple[Quote, ...]] | None = make
        self._quotes: tuple[Quote, ...] | None = None
        self._lock = Lock()  # two threads reading at once make them once

    @property
    def made(self) -> bool:
        """Whether the quotes have been made (read by the tests)."""
        return self._quotes is not None

    def _all(self) -> tuple[Quote, ...]:
        quotes = self._quotes
        if quotes is None:
            with self._lock:
                if self._quotes is None:
                    assert self._make is not None
                    made = self._make()
                    if len(made) != self._count:
                        raise ValueError(f"made {len(made)} quotes, not {self._count}")
                    self._quotes, self._make = made, None  # the closure's index is let go
                quotes = self._quotes
        return quotes

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, at: int) -> Quote: ...
    @overload
    def __getitem__(self, at: slice) -> tuple[Quote, ...]: ...
    def __getitem__(self, at: int | slice) -> Quote | tuple[Quote, ...]:
        return self._all()[at]

    def __iter__(self) -> Iterator[Quote]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DeferredQuotes):
            return self._all() == other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple, (self._all(),)


def quotes_later(count: int, make: Callable[[], tuple[Quote, ...]]) -> Sequence[Quote]:
    """``make``'s quotes, made on first use; the empty tuple when there are none."""
    return DeferredQuotes(count, make) if count else ()
