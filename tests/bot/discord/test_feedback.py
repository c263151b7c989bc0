"""👍/👎 under every answer: anyone may vote, once per answer, changeably, told privately."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from bot import texts
from bot.settings import Settings
from bot.store import QuestionRecord, Recorder, VoteChange, Window, open_store
from bot.store.sql import SqlStore
from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import ask_over_gateway, mention, press, running_bot
from tests.support.discord_standin import DiscordStandIn

EPHEMERAL = 1 << 6
QUESTION = "Who was killed in Moscow?"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_two_people_vote_one_changes_and_each_is_told_privately(
    standin: DiscordStandIn,
    shipped_index: CorpusIndex,
    request: pytest.FixtureRequest,
    backend: str,
) -> None:
    reader, editor = standin.make_user("reader"), standin.make_user("editor")
    store = {}
    if backend == "postgresql":
        store["database_url"] = request.getfixturevalue("postgres_url")
    async with running_bot(standin, shipped_index, **store) as bot:
        answer = await ask_over_gateway(standin, mention(standin, QUESTION))
        message = answer.response
        first = await press(standin, message, "Helpful", user=reader)
        second = await press(standin, message, "Not helpful", user=editor)
        changed = await press(standin, message, "Not helpful", user=reader)
        again = await press(standin, message, "Not helpful", user=reader)
        asker = await press(standin, message, "Helpful")  # the asker too
        assert bot.recorder is not None
        report = await asyncio.wrap_future(bot.recorder.report(Window(0.0)))
    replies = [r.json["data"] for r in (first, second, changed, again, asker)]
    assert [reply["content"] for reply in replies] == [
        texts.voted(VoteChange.NEW, True),
        texts.voted(VoteChange.NEW, False),
        texts.voted(VoteChange.CHANGED, False),
        texts.voted(VoteChange.SAME, False),
        texts.voted(VoteChange.NEW, True),
    ]
    assert all(reply["flags"] & EPHEMERAL for reply in replies)
    assert (report.asked, report.covered, report.helpful, report.not_helpful) == (1, 1, 1, 2)
    # Each press got one reply: the answer's own view stays out of the votes.
    assert len(standin.requests_matching("POST", r"/interactions/\d+/.+/callback")) == 5


async def test_a_not_covered_answer_can_be_rated_too(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index) as bot:
        answer = await ask_over_gateway(standin, mention(standin, "What is the weather in Paris?"))
        vote = await press(standin, answer.response, "Not helpful")
        assert bot.recorder is not None
        report = await asyncio.wrap_future(bot.recorder.report(Window(0.0)))
    assert vote.json["data"]["content"] == texts.voted(VoteChange.NEW, False)
    assert (report.asked, report.not_covered, report.not_helpful) == (1, 1, 1)
    assert [gap.question for gap in report.top_not_covered] == ["What is the weather in Paris?"]


class SlowStore(SqlStore):
    """A store whose writes wait until the test lets them through (a stuck disk)."""

    def __init__(self, inner: SqlStore, gate: threading.Event) -> None:
        self.__dict__.update(inner.__dict__)
        self.gate = gate

    def record_question(self, record: QuestionRecord) -> None:
        self.gate.wait(10)
        super().record_question(record)


async def test_a_stuck_store_never_delays_an_answer(
    standin: DiscordStandIn, shipped_index: CorpusIndex, tmp_path: Path
) -> None:
    gate = threading.Event()
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    recorder = Recorder(SlowStore(open_store(settings), gate))
    try:
        async with running_bot(standin, shipped_index, recorder=recorder):
            started = time.perf_counter()
            first = await ask_over_gateway(standin, mention(standin, QUESTION))
            second = await ask_over_gateway(standin, mention(standin, "Kursk"))
            took = time.perf_counter() - started
            report = recorder.report(Window(0.0))
            assert not report.done()  # queued behind the stuck writes
            gate.set()
            assert (await asyncio.wrap_future(report)).asked == 2
    finally:
        gate.set()
        await asyncio.to_thread(recorder.close)
    assert "Kirillov" in first.json["content"] and "Kursk" in second.json["content"]
    assert took < 10  # well under the gate's wait: the answers did not queue behind the store


async def test_a_not_covered_answer_is_not_edited_when_its_view_expires(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    async with running_bot(standin, shipped_index, button_timeout=0.1):
        answer = await ask_over_gateway(standin, mention(standin, "What is the weather in Paris?"))
        covered = await ask_over_gateway(standin, mention(standin, QUESTION))
        await standin.wait_for_request("PATCH", rf"/channels/\d+/messages/{covered.response['id']}")
        await asyncio.sleep(0.3)
    edits = standin.requests_matching("PATCH", rf"/channels/\d+/messages/{answer.response['id']}")
    assert edits == []  # its only buttons, the votes, stay as they are


async def test_a_user_mentioned_in_a_question_is_not_stored_in_clear(
    standin: DiscordStandIn, shipped_index: CorpusIndex, tmp_path: Path
) -> None:
    someone = standin.make_user("someone")
    question = f"Did <@{someone['id']}> say who was killed in Moscow?"
    async with running_bot(standin, shipped_index, data_dir=tmp_path) as bot:
        await ask_over_gateway(standin, mention(standin, question))
        assert bot.recorder is not None
        report = await asyncio.wrap_future(bot.recorder.report(Window(0.0)))
    assert report.asked == 1
    stored = b"".join(
        p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("verbatim.db")
    )
    assert b"say who was killed in Moscow?" in stored
    assert someone["id"].encode() not in stored and standin.user["id"].encode() not in stored
