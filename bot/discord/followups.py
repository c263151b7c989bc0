"""Which earlier question a message follows up on: a reply to one of the bot's answers, or a
message in a thread the bot opened for a question.

Kept in memory, bounded (``LIMIT`` answers and threads, the oldest forgotten first): a follow-up
is a conversation of minutes (``VERBATIM_FOLLOWUP_MINUTES``); after a restart or that long, a
message is a new question. Only the question's text is kept, never who asked it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class Asked:
    """A question the bot answered, and when (``time.monotonic``)."""

    question: str
    at: float


class Conversations:
    def __init__(self, minutes: float, limit: int = LIMIT) -> None:
        self.seconds = minutes * 60
        self._limit = limit
        self._answers: OrderedDict[int, Asked] = OrderedDict()  # bot's answer message id
        self._threads: OrderedDict[int, Asked] = OrderedDict()  # thread id: its last question

    def answered(self, message_id: int, question: str, thread_id: int | None = None) -> None:
        """Remember the bot's answer ``message_id`` to ``question`` (in ``thread_id``)."""
        asked = Asked(question, time.monotonic())
        self._put(self._answers, message_id, asked)
        if thread_id is not None:
            self._put(self._threads, thread_id, asked)

    def opened(self, thread_id: int) -> None:
        """A thread the bot opened: messages there are addressed to it."""
        self._threads.setdefault(thread_id, Asked("", time.monotonic()))

    def is_bot_thread(self, channel_id: int) -> bool:
        return channel_id in self._threads

    def earlier(self, reference_id: int | None, channel_id: int) -> str | None:
        """The question a message replying to ``reference_id`` (or posted in ``channel_id``, a
        bot thread) follows up on, or ``None``: a new question, or one asked too long ago."""
        asked = self._answers.get(reference_id) if reference_id is not None else None
        if asked is None:
            asked = self._threads.get(channel_id)
        if asked is None or not asked.question:
            return None
        if time.monotonic() - asked.at > self.seconds:
            return None
        return asked.question

    def _put(self, table: OrderedDict[int, Asked], key: int, asked: Asked) -> None:
        table[key] = asked
        table.move_to_end(key)
        while len(table) > self._limit:
            table.popitem(last=False)
