"""Faults Discord really produces: a dropped gateway, 500s and 429s, and a 200-question burst."""

from __future__ import annotations

import asyncio
import logging
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from index.retrieval.corpus_index import CorpusIndex
from tests.conftest import TOKEN
from tests.support.bot_runner import LoopLag, ask_over_gateway, mention, running_bot, slash
from tests.support.discord_standin import DiscordStandIn

T = TypeVar("T")
MESSAGES = r"/channels/\d+/messages"
OP_RESUME = 6
BURST = 200
# Ranking 200 questions on the loop would block it for seconds; the bound leaves a wide margin
# over what two busy cores do to an idle loop (measured first, in the same test).
MIN_LAG_BOUND = 0.250
LAG_MARGIN = 5
FIGURES = Path(__file__).resolve().parents[3] / ".verbatim-burst.txt"
# Four questions whose top quotes hold different facts, so a reply sent to the wrong message
# shows; the facts are what each question asks, wherever a better ranking finds them.
FACTS = {
    "Who was killed in Moscow?": "Kirillov",
    "Kursk": "Kursk",
    "How many North Korean troops were deployed?": "12,000",
    "When did the invasion begin in February?": "February 2022",
}


def top_quote(content: str) -> str:
    line = next(line for line in content.splitlines() if line.startswith("> "))
    return line.replace("**", "")


@pytest.mark.parametrize("code", [None, 1001], ids=["network-drop", "close-frame"])
async def test_bot_resumes_after_the_gateway_drops_and_still_answers(
    standin: DiscordStandIn, shipped_index: CorpusIndex, code: int | None
) -> None:
    async with running_bot(standin, shipped_index):
        await standin.drop_gateway(code=code)
        missed = mention(standin, "Who was killed in Moscow?")
        request = await ask_over_gateway(standin, missed)  # sent while down, replayed on RESUME
        await standin.wait_for_gateway_op(OP_RESUME)
        after = await ask_over_gateway(standin, mention(standin, "Kursk"))
    assert "Kirillov" in request.json["content"] and "Kursk" in after.json["content"]


@pytest.mark.parametrize(
    "fault", ["server-error", "rate-limit", "both"], ids=lambda fault: str(fault)
)
async def test_a_reply_survives_a_500_and_a_429_and_is_delivered_once(
    standin: DiscordStandIn, shipped_index: CorpusIndex, fault: str
) -> None:
    if fault in ("server-error", "both"):
        standin.fail_next("POST", MESSAGES, 500)
    if fault in ("rate-limit", "both"):
        standin.rate_limit_next("POST", MESSAGES, retry_after=0.05)
    async with running_bot(standin, shipped_index):
        question = mention(standin, "Who was killed in Moscow?")
        await standin.dispatch("MESSAGE_CREATE", question)
        failures = 2 if fault == "both" else 1
        await standin.wait_for_request("POST", MESSAGES, failures + 1, timeout=10)
    attempts = standin.requests_matching("POST", MESSAGES)
    assert [r.status for r in attempts][:failures] != [200] * failures
    delivered = [r for r in attempts if r.ok]
    assert len(delivered) == 1 and len(standin.sent_messages()) == 1
    assert str(delivered[0].json["message_reference"]["message_id"]) == question["id"]


async def test_the_token_never_reaches_a_log_record_or_an_error(
    standin: DiscordStandIn, shipped_index: CorpusIndex, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    standin.fail_next("POST", MESSAGES, 500)
    async with running_bot(standin, shipped_index, log_level="DEBUG") as bot:
        await ask_over_gateway(standin, mention(standin, "Kursk"))
        await ask_over_gateway(standin, mention(standin, "Kursk"))
        await slash(standin, "ask", {"question": "Kursk"})
        await standin.drop_gateway()
        await standin.wait_for_gateway_op(OP_RESUME)
        settings_text = f"{bot.settings!r} {bot.settings}"
    assert len(caplog.records) > 20  # discord.py's debug logging really was captured
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
    assert TOKEN not in caplog.text  # formatted records, tracebacks included
    assert TOKEN not in settings_text and "**********" in settings_text
    assert [r for r in standin.requests if r.headers.get("Authorization")] and all(
        r.headers["Authorization"] == f"Bot {TOKEN}"
        for r in standin.requests
        if "Authorization" in r.headers
    )


async def test_a_burst_of_200_questions_gets_200_right_replies_without_blocking_the_loop(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    questions = list(FACTS)
    async with running_bot(standin, shipped_index, cooldown_questions=0) as bot:
        assert bot.is_ready()
        with LoopLag() as idle:  # the baseline: what the busy machine does to an idle loop
            await asyncio.sleep(1.0)
        bound = max(MIN_LAG_BOUND, LAG_MARGIN * idle.worst)
        messages = [mention(standin, questions[n % len(questions)]) for n in range(BURST)]
        sent_at: dict[str, float] = {}
        with LoopLag() as lag:
            for message in messages:
                sent_at[message["id"]] = time.perf_counter()
                await standin.dispatch("MESSAGE_CREATE", message)
            await standin.wait_for_request("POST", MESSAGES, BURST, timeout=30)
    replies = {
        str(r.json["message_reference"]["message_id"]): r
        for r in standin.requests_matching("POST", MESSAGES)
    }
    assert len(standin.requests_matching("POST", MESSAGES)) == BURST == len(replies)
    for message in messages:
        question = message["content"].split("> ", 1)[1]
        top = top_quote(replies[message["id"]].json["content"])
        assert FACTS[question] in top
        assert not any(fact in top for other, fact in FACTS.items() if other != question)
    latencies = sorted(replies[m["id"]].at - sent_at[m["id"]] for m in messages)
    median, worst = statistics.median(latencies), latencies[-1]
    FIGURES.write_text(
        f"burst of {BURST}: MESSAGE_CREATE -> reply REST call median {median * 1000:.1f} ms, "
        f"worst {worst * 1000:.1f} ms; largest event-loop lag {lag.worst * 1000:.1f} ms "
        f"(idle baseline {idle.worst * 1000:.1f} ms)\n",
        encoding="utf-8",
    )
    assert lag.worst < bound, f"event loop blocked {lag.worst * 1000:.1f} ms (bound {bound:.3f})"


async def test_answers_and_summaries_are_computed_off_the_event_loop(
    standin: DiscordStandIn, shipped_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deterministic half of "never block the loop": the core runs in a worker thread."""
    import bot.render.discord_fit
    import bot.service

    ran_in: list[str] = []

    def spy(work: Callable[..., T]) -> Callable[..., T]:
        def wrapped(*args: Any, **kwargs: Any) -> T:
            ran_in.append(threading.current_thread().name)
            return work(*args, **kwargs)

        return wrapped

    # The cogs are loaded by name when the bot starts (a fresh module each time): patch where
    # they import from.
    fit = bot.render.discord_fit
    monkeypatch.setattr(bot.service, "ask", spy(bot.service.ask))
    monkeypatch.setattr(bot.service, "summary", spy(bot.service.summary))
    monkeypatch.setattr(fit, "sources_reply", spy(fit.sources_reply))
    async with running_bot(standin, shipped_index, defer_after=30.0):
        await ask_over_gateway(standin, mention(standin, "Kursk"))
        await slash(standin, "ask", {"question": "Kursk"})
        await slash(standin, "summary")
        await slash(standin, "sources")
    loop_thread = threading.current_thread().name
    assert len(ran_in) == 4 and loop_thread not in ran_in, ran_in


async def test_a_resume_url_that_fails_the_gateway_rule_is_not_used(
    standin: DiscordStandIn, shipped_index: CorpusIndex, caplog: pytest.LogCaptureFixture
) -> None:
    """READY names a plain ``ws://`` remote host to resume at: a resume there would send the
    token in clear. The bot resumes at its configured gateway instead."""
    standin.resume_gateway_url = "ws://gateway.attacker.invalid/"
    with caplog.at_level(logging.WARNING, logger="bot.discord.gateway"):
        async with running_bot(standin, shipped_index):
            await standin.drop_gateway()
            resumed = await standin.wait_for_gateway_op(OP_RESUME, timeout=10)
            after = await ask_over_gateway(standin, mention(standin, "Kursk"))
    assert resumed.d["token"] == TOKEN and "Kursk" in after.json["content"]
    assert "not connecting to gateway ws://gateway.attacker.invalid" in caplog.text
