"""A scripted session, then ``/stats`` (server managers) and ``verbatim report`` on its store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import texts
from bot.cli.main import main
from index.retrieval.corpus_index import CorpusIndex
from tests.support.bot_runner import ask_over_gateway, mention, press, running_bot
from tests.support.cli_run import clean_environment
from tests.support.discord_standin import EVERYONE_PERMISSIONS, DiscordStandIn, Payload

MANAGE_GUILD = 1 << 5
EPHEMERAL = 1 << 6
SESSION = [  # (asker, question)
    ("a", "Who was killed in Moscow?"),
    ("b", "How many North Korean troops were deployed?"),
    ("a", "Who won the election?"),
    ("c", "election winner?"),
    ("b", "What is the weather in Paris?"),
    ("c", "who won the election"),
]


async def stats(standin: DiscordStandIn, manager: bool) -> tuple[Payload, Payload | None]:
    payload = standin.interaction_payload("stats")
    if manager:
        payload["member"]["permissions"] = str(int(EVERYONE_PERMISSIONS) | MANAGE_GUILD)
    await standin.dispatch("INTERACTION_CREATE", payload)
    callback = await standin.wait_for_request("POST", rf"/interactions/{payload['id']}/.+/callback")
    if callback.json["type"] != 5:
        return callback.json, None
    follow_up = await standin.wait_for_request(
        "POST", rf"/webhooks/\d+/{payload['token']}", timeout=20.0
    )
    return callback.json, {"json": follow_up.json, "files": follow_up.files}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_session_shows_in_stats_and_in_the_report(
    standin: DiscordStandIn,
    shipped_index: CorpusIndex,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
    backend: str,
) -> None:
    users = {name: standin.make_user(name) for name in "abc"}
    store: dict[str, str] = {"data_dir": str(tmp_path)}
    if backend == "postgresql":
        store["database_url"] = request.getfixturevalue("postgres_url")
    async with running_bot(standin, shipped_index, **store) as bot:
        answers = []
        for name, question in SESSION:
            sent = await ask_over_gateway(standin, mention(standin, question, author=users[name]))
            answers.append(sent.response)
        dm = standin.message_create_payload("Kursk", guild=False, author=users["a"])
        await ask_over_gateway(standin, dm)
        await press(standin, answers[0], "Helpful", user=users["b"])
        await press(standin, answers[0], "Not helpful", user=users["c"])
        await press(standin, answers[1], "Helpful", user=users["a"])
        refused, _ = await stats(standin, manager=False)
        deferred, shown = await stats(standin, manager=True)
        assert bot.recorder is not None
    assert refused["data"]["content"] == texts.STATS_REFUSED
    assert refused["data"]["flags"] & EPHEMERAL
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    assert shown is not None
    content = shown["json"]["content"]
    # This server only: the DM question is not in it.
    assert ": 6\n" in content and "Answered: 2 (33%); not covered: 4" in content
    assert "Feedback: 2 helpful, 1 not helpful (67% helpful)" in content
    assert "1. Who won the election? (3×)\n2. What is the weather in Paris? (1×)" in content
    [png] = shown["files"].values()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")

    clean_environment(monkeypatch, tmp_path)
    for name, value in store.items():
        monkeypatch.setenv(f"VERBATIM_{name.upper()}", value)
    chart = tmp_path / "week.png"
    assert main(["report", "--json", "--png", str(chart)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {
        k: report[k] for k in ("asked", "covered", "not_covered", "helpful", "not_helpful")
    } == {
        "asked": 7,
        "covered": 3,
        "not_covered": 4,
        "helpful": 2,
        "not_helpful": 1,
    }
    assert report["top_not_covered"] == [
        {"question": "Who won the election?", "count": 3},
        {"question": "What is the weather in Paris?", "count": 1},
    ]
    assert sum(day["answered"] + day["not_answered"] for day in report["days"]) == 7
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert main(["report", "--guild", standin.guild_id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["asked"] == 6
    # --png never replaces a file: the chart written above stays as it is.
    before = chart.read_bytes()
    assert main(["report", "--png", str(chart)]) == 2
    assert "exists" in capsys.readouterr().err and chart.read_bytes() == before
