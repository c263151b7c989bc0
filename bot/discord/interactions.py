"""One slash-command reply, the same way for every cog: the ``Outcome`` of the work, sent at
once when quick or after a "thinking…" defer when slow; the cooldown's refusal as an ``Outcome``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass

import discord

from bot import texts
from bot.discord.context import Interaction
from bot.discord.cooldown import Cooldown
from bot.discord.views import AnswerView

NONE = discord.AllowedMentions.none()


@dataclass(slots=True)
class Outcome:
    """What to send for one question; ``silent`` when a flooding user was already told."""

    content: str
    view: AnswerView | None = None
    private: bool = False
    silent: bool = False


def cooldown_refusal(cooldown: Cooldown, user_id: int) -> Outcome | None:
    """The private "try again in N s" reply when ``user_id`` is over the per-user budget, else
    ``None`` (and the use is counted). One budget covers questions, ``/summary`` and ``/topics``."""
    verdict = cooldown.check(user_id)
    if verdict.allowed:
        return None
    return Outcome(
        texts.cooldown(verdict.retry_after), private=True, silent=not verdict.first_refusal
    )


async def ready(outcome: Outcome) -> Outcome:
    """``outcome`` as the awaitable ``respond`` takes (a reply known without any work)."""
    return outcome


async def respond(interaction: Interaction, work: Awaitable[Outcome], defer_after: float) -> None:
    """Answer at once when the work is quick; else defer first, then follow up.

    Discord drops an interaction not answered within 3 s, so slow work shows "thinking…" first.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    sent: discord.Message | None
    if not done:
        await interaction.response.defer(thinking=True)
        outcome = await task
        view = outcome.view or discord.utils.MISSING
        sent = await interaction.followup.send(
            outcome.content, view=view, allowed_mentions=NONE, wait=True
        )
    else:
        outcome = task.result()
        view = outcome.view or discord.utils.MISSING
        callback = await interaction.response.send_message(
            outcome.content, view=view, ephemeral=outcome.private, allowed_mentions=NONE
        )
        sent = callback.resource if isinstance(callback.resource, discord.Message) else None
    if outcome.view is not None and sent is not None:
        outcome.view.message = sent
