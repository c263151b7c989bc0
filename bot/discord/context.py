"""What the cogs use of the bot, as a Protocol: cogs never import the concrete bot class.

The bot (``bot.discord.app``) loads the cogs by name; if the cogs imported the bot back for its
type, the two would import each other. They type against this instead, and ``setup`` checks at
load time that the bot it is given has these members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar, TypeVarTuple, runtime_checkable

import discord
from discord.ext import commands

from index import Answer, Passage

if TYPE_CHECKING:
    from bot.discord.completer import Completer
    from bot.discord.cooldown import Cooldown
    from bot.settings import Settings
    from index import AnswerPolicy, CorpusIndex, LiveIndex, SourceInfo

T = TypeVar("T")
Args = TypeVarTuple("Args")
# Slash-command callbacks take the interaction of any ``commands.Bot``; what they need of our
# bot they reach through the cog's ``self.bot`` (a ``BotContext``).
Interaction = discord.Interaction[commands.Bot]


@dataclass(frozen=True, slots=True)
class Composed:
    """An answer, its Discord content, and the sentences around its top quote.

    The context is gathered with the answer, so the "Show context" button needs no index: an
    answer's buttons keep a few sentences alive, never a whole replaced index (23-58 MiB each
    at 1k articles), however many reloads happen while they work.
    """

    answer: Answer
    content: str
    context: tuple[Passage, ...]


@runtime_checkable
class BotContext(Protocol):
    """The bot as its cogs see it: settings, the live index, the cooldown and the worker."""

    settings: Settings
    live: LiveIndex
    policy: AnswerPolicy
    cooldown: Cooldown
    completer: Completer
    defer_after: float
    button_timeout: float

    @property
    def user(self) -> discord.ClientUser | None: ...

    async def compose(self, index: CorpusIndex, question: str, header: str = "") -> Composed: ...

    async def sources_of(self, index: CorpusIndex) -> list[SourceInfo]: ...

    async def in_worker(self, work: Callable[[*Args], T], *args: *Args) -> T: ...


def context_of(bot: commands.Bot) -> BotContext:
    """``bot`` as a ``BotContext``, or ``TypeError`` naming what it lacks (at extension load)."""
    if not isinstance(bot, BotContext):
        raise TypeError(f"{type(bot).__name__} is not a Verbatim bot (see BotContext)")
    return bot
