"""Autocomplete work, kept apart from answers: its own thread, a bounded queue, stale requests
dropped, and a per-user budget.

Discord sends an autocomplete interaction on every keystroke. Sharing the answer worker, 20 of
them made a ``/ask`` wait 2.1 s; and a timeout on the waiting side never stopped the work
itself. Here a keystroke's work runs in one completion thread, only while it is still the
user's newest keystroke (an older one still queued is skipped, its work never done), only if
fewer than ``max_pending`` requests wait, and only within the user's budget of keystrokes.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, TypeVarTuple

from bot.discord.cooldown import Cooldown

log = logging.getLogger(__name__)
T = TypeVar("T")
Args = TypeVarTuple("Args")

MAX_PENDING = 8
# Keystrokes per user: typing a 30-character title letter by letter fits; a script does not.
BUDGET_KEYSTROKES = 40
BUDGET_SECONDS = 20.0


class Completer:
    """Runs autocomplete work for users; ``None`` when a request is dropped (stale, queue full,
    over budget), which the caller answers with no choices."""

    def __init__(
        self,
        max_pending: int = MAX_PENDING,
        budget: Cooldown | None = None,
    ) -> None:
        self.max_pending = max_pending
        self.budget = budget or Cooldown(BUDGET_KEYSTROKES, BUDGET_SECONDS)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="verbatim-complete")
        self._tickets = itertools.count()
        self._newest: dict[int, int] = {}  # user id -> ticket of their newest request
        self._pending = 0
        self.dropped = 0

    async def run(self, user_id: int, work: Callable[[*Args], T], *args: *Args) -> T | None:
        """``work(*args)`` in the completion thread, or ``None`` if the request is dropped."""
        if not self.budget.check(user_id).allowed or self._pending >= self.max_pending:
            self.dropped += 1
            return None
        ticket = next(self._tickets)
        self._newest[user_id] = ticket
        self._pending += 1
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(
                self._executor, self._if_newest, user_id, ticket, work, *args
            )
        finally:
            self._pending -= 1
            if self._newest.get(user_id) == ticket:
                del self._newest[user_id]
        if result is None:
            self.dropped += 1
        return result

    def _if_newest(
        self, user_id: int, ticket: int, work: Callable[[*Args], T], *args: *Args
    ) -> T | None:
        """In the thread: skip the work when the user typed again since (a dict read)."""
        if self._newest.get(user_id) != ticket:
            return None
        return work(*args)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
