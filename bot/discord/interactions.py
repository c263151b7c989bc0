"""One slash-command reply, the same way for every cog: the ``Outcome`` of the work, sent at
once when quick or after a "thinking…" defer when slow (a private one stays private); the
cooldown's refusal as an ``Outcome``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field

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
    embeds: list[discord.Embed] = field(default_factory=list)


def cooldown_refusal(cooldown: Cooldown, user_id: int) -> Outcome | None:
    """The private "try again in N s" reply when ``user_id`` is over the per-user budget, else
    ``None`` (and the use is counted). One budget covers questions, ``/sources``, ``/summary`` and
    ``/topics``."""
    verdict = cooldown.check(user_id)
    if verdict.allowed:
        return None
    return Outcome(
        texts.cooldown(verdict.retry_after), private=True, silent=not verdict.first_refusal
    )


async def respond(
    interaction: Interaction, work: Outcome | Awaitable[Outcome], defer_after: float
) -> None:
    """Answer at once when the work is quick (or already done); else defer first, then follow up.

    Discord drops an interaction not answered within 3 s, so slow work shows "thinking…" first.
    Whether the reply is private is known only once the work is done, and the first follow-up
    takes the privacy of the deferral: a private outcome after a public "thinking…" deletes that
    message and follows up privately, so a slow private reply never becomes public.
    """
    if isinstance(work, Outcome):
        await _send_now(interaction, work)
        return
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    if done:
        await _send_now(interaction, task.result())
        return
    await interaction.response.defer(thinking=True)
    outcome = await task
    if outcome.private:
        await interaction.delete_original_response()
    view = outcome.view or discord.utils.MISSING
    sent = await interaction.followup.send(
        outcome.content or discord.utils.MISSING,
        embeds=outcome.embeds,
        view=view,
        ephemeral=outcome.private,
        allowed_mentions=NONE,
        wait=True,
    )
    if outcome.view is not None:
        outcome.view.message = sent


async def _send_now(interaction: Interaction, outcome: Outcome) -> None:
    view = outcome.view or discord.utils.MISSING
    callback = await interaction.response.send_message(
        outcome.content or None,
        embeds=outcome.embeds,
        view=view,
        ephemeral=outcome.private,
        allowed_mentions=NONE,
    )
    sent = callback.resource if isinstance(callback.resource, discord.Message) else None
    if outcome.view is not None and sent is not None:
        outcome.view.message = sent
