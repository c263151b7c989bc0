"""What the store keeps and gives back, as plain dataclasses (no database types leak out)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """One question the bot answered: ``status`` is the core's ``AnswerStatus`` value."""

    id: str
    asked_at: float
    guild_id: int | None
    user_id: int
    question: str
    status: str


@dataclass(frozen=True, slots=True)
class AskedRow:
    """A recorded question as a report reads it: when, what, how it went (never who)."""

    asked_at: float
    question: str
    status: str


class VoteChange(Enum):
    """What one press of 👍 or 👎 did to that person's vote on that answer."""

    NEW = "new"
    CHANGED = "changed"
    SAME = "same"
    UNKNOWN = "unknown"  # no such answer (purged, or never recorded)


@dataclass(frozen=True, slots=True)
class Window:
    """Which questions a report covers: since ``since`` (Unix seconds), one server or all."""

    since: float
    guild_id: int | None = None
