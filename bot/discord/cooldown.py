"""A per-user cooldown: at most ``rate`` questions per ``per`` seconds, sliding window.

Kept apart from discord.py's ``commands.CooldownMapping`` because one budget covers both chat
questions and slash commands, and because the bot should tell a flooding user *once* when to
retry rather than answer each extra message with another notice (which would flood too).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

FORGET_AT = 1024  # users tracked before idle ones are dropped (a scan of them all, so not always)


@dataclass(frozen=True, slots=True)
class Verdict:
    """``allowed``, or when to retry and whether this is the first refusal of the window."""

    allowed: bool
    retry_after: float = 0.0
    first_refusal: bool = False


class Cooldown:
    """Sliding-window rate limit per user id; ``rate == 0`` turns it off."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}
        self._told: dict[int, float] = {}

    def check(self, user_id: int) -> Verdict:
        """Record a question by ``user_id`` if allowed, else say how long to wait."""
        if self.rate <= 0:
            return Verdict(True)
        now = self._clock()
        times = self._asked.setdefault(user_id, deque())
        while times and now - times[0] >= self.per:
            times.popleft()
        if len(times) < self.rate:
            times.append(now)
            self._told.pop(user_id, None)
            self._forget_idle(now)
            return Verdict(True)
        retry_after = self.per - (now - times[0])
        first = self._told.get(user_id) != times[0]
        self._told[user_id] = times[0]
        return Verdict(False, retry_after, first)

    @property
    def tracked_users(self) -> int:
        """How many users the cooldown holds anything about (questions or a refusal)."""
        return len(self._asked.keys() | self._told.keys())

    def _forget_idle(self, now: float) -> None:
        """Drop users whose window has passed, and their refusal record with them (a refused
        user who never comes back would otherwise stay), so memory follows active users only."""
        if len(self._asked) < FORGET_AT:
            return
        idle = [u for u, t in self._asked.items() if not t or now - t[-1] >= self.per]
        for user_id in idle:
            del self._asked[user_id]
            self._told.pop(user_id, None)
