"""Autocomplete apart from answers: its own thread, stale keystrokes dropped unworked, a bounded
queue, a per-user budget; and, end to end, choices while the answer worker is busy."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

import bot.service
from bot.discord.completer import BUDGET_KEYSTROKES, Completer
from bot.discord.cooldown import Cooldown
from index.retrieval.corpus_index import CorpusIndex
from tests.bot.discord.test_summaries import autocomplete
from tests.support.bot_runner import running_bot
from tests.support.discord_standin import DiscordStandIn


@pytest.fixture
def completer() -> Iterator[Completer]:
    completer = Completer(max_pending=3)
    yield completer
    completer.close()


async def hold(
    completer: Completer, user_id: int
) -> tuple[threading.Event, asyncio.Task[str | None]]:
    """Occupy the completion thread until the returned event is set."""
    gate, started = threading.Event(), threading.Event()

    def blocking() -> str:
        started.set()
        gate.wait(10)
        return "held"

    task = asyncio.ensure_future(completer.run(user_id, blocking))
    await asyncio.to_thread(started.wait, 10)
    return gate, task


async def test_only_the_newest_keystroke_of_a_user_is_worked(completer: Completer) -> None:
    gate, held = await hold(completer, 1)
    worked: list[str] = []

    def find(typed: str) -> str:
        worked.append(typed)
        return typed.upper()

    keystrokes = [asyncio.ensure_future(completer.run(2, find, typed)) for typed in ("f", "fl")]
    await asyncio.sleep(0)
    gate.set()
    assert await held == "held"
    assert await asyncio.gather(*keystrokes) == [None, "FL"]
    assert worked == ["fl"] and completer.dropped == 1  # the stale "f" was never worked


async def test_a_full_queue_drops_requests_at_once(completer: Completer) -> None:
    gate, held = await hold(completer, 1)
    queued = [asyncio.ensure_future(completer.run(user, str, user)) for user in (2, 3)]
    await asyncio.sleep(0)
    assert await completer.run(4, str, 4) is None  # 3 pending: dropped without waiting
    gate.set()
    await held
    assert await asyncio.gather(*queued) == ["2", "3"]


async def test_each_user_has_a_budget_of_keystrokes() -> None:
    completer = Completer(budget=Cooldown(3, 60.0))
    results = [await completer.run(7, str, n) for n in range(4)]
    assert results == ["0", "1", "2", None]
    assert await completer.run(8, str, 9) == "9"  # other users are not affected
    completer.close()


async def test_autocomplete_is_answered_while_the_answer_worker_is_busy(
    standin: DiscordStandIn, shipped_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, started = threading.Event(), threading.Event()
    ask = bot.service.ask

    def slow_answer(*args: object) -> object:
        started.set()
        release.wait(10)
        return ask(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.service, "ask", slow_answer)
    try:
        async with running_bot(standin, shipped_index):
            payload = standin.interaction_payload("ask", {"question": "Kursk"})
            await standin.dispatch("INTERACTION_CREATE", payload)
            await asyncio.to_thread(started.wait, 10)  # the answer worker is now busy
            choices = await autocomplete(standin, {"topic": "fle"}, "topic")
            release.set()
            await standin.wait_for_request("POST", rf"/interactions/{payload['id']}/.+/callback")
    finally:
        release.set()
    assert [c["name"] for c in choices] == ["shadow fleet"]


async def test_a_user_typing_too_fast_gets_no_choices_and_others_still_do(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    flooder, other = standin.make_user("flooder"), standin.make_user("other")
    async with running_bot(standin, shipped_index):
        flood = [
            await autocomplete(standin, {"topic": "fle"}, "topic", user=flooder)
            for _ in range(BUDGET_KEYSTROKES + 1)
        ]
        others = await autocomplete(standin, {"topic": "fle"}, "topic", user=other)
    assert all(choices for choices in flood[:-1]) and flood[-1] == []
    assert [c["name"] for c in others] == ["shadow fleet"]
