"""Verbatim against the file itself: every quote the CLI, ``/ask`` and ``/summary`` give is the
file's decoded bytes at the quote's span (or, in Discord, those characters on one line).

Comparing a passage with ``document.text[start:end]`` proves nothing: a passage's text *is* that
slice. These tests read the file again, from an article with a BOM, CRLF line ends and curly
quotes, so a loader that dropped the BOM, a store that normalized line ends or a renderer that
straightened quotes would fail them.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from index.live.live_index import LiveIndex
from tests.bot.cli.test_main import VERBATIM, run
from tests.support.bot_runner import running_bot, slash
from tests.support.builders import TRICKY_BYTES, write_tricky_article
from tests.support.discord_standin import DiscordStandIn

CRANE = "How many tonnes did the crane lift in its first hour?"
UNESCAPE = re.compile(r"\\(.)")


def decoded(path: str | Path) -> str:
    """The file as UTF-8 text, BOM and CRLF kept: what a span indexes into."""
    return Path(path).read_bytes().decode("utf-8")


def one_line(text: str) -> str:
    return " ".join(text.split())


def quoted_lines(content: str) -> list[str]:
    """The block-quoted sentences of a Discord reply, with escapes, bold and ZWSPs undone."""
    return [
        UNESCAPE.sub(r"\1", line[2:].replace("**", "")).replace("\u200b", "")
        for line in content.splitlines()
        if line.startswith("> ")
    ]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    write_tricky_article(tmp_path / "corpus")
    return tmp_path / "corpus"


def test_the_fixture_holds_what_it_claims() -> None:
    assert TRICKY_BYTES.startswith(b"\xef\xbb\xbf") and b"\r\n" in TRICKY_BYTES
    assert all(char in TRICKY_BYTES.decode() for char in "“”’‘")


def test_cli_ask_quotes_are_the_files_decoded_bytes(corpus: Path, tmp_path: Path) -> None:
    args = [*VERBATIM, "ask", "--json", "--corpus", str(corpus), CRANE]
    result = run(args, VERBATIM_INDEX_DIR=str(tmp_path / "idx"))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["covered"] and payload["quotes"]
    for quote in payload["quotes"]:
        assert decoded(quote["path"])[quote["start"] : quote["end"]] == quote["text"]
    top = payload["quotes"][0]["text"]
    assert "40 tonnes\r\nin its first hour" in top  # the asked fact, line end and all


def test_cli_summary_quotes_are_the_files_decoded_bytes(corpus: Path, tmp_path: Path) -> None:
    args = [*VERBATIM, "summary", "--json", "--corpus", str(corpus), "--length", "3"]
    result = run(args, VERBATIM_INDEX_DIR=str(tmp_path / "idx"))
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    assert len(items) == 3
    for item in items:
        assert decoded(item["path"])[item["start"] : item["end"]] == item["text"]
    assert any("’" in item["text"] or "“" in item["text"] for item in items)


@pytest.fixture
async def live(corpus: Path, tmp_path: Path) -> AsyncIterator[LiveIndex]:
    """Served as ``verbatim bot`` serves it: through the persistent, memory-mapped index."""
    served = await asyncio.to_thread(LiveIndex, corpus, tmp_path / "idx")
    yield served
    await asyncio.to_thread(served.close)


async def test_ask_quotes_are_the_files_characters(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    async with running_bot(standin, live, defer_after=30.0):
        callback = await slash(standin, "ask", {"question": CRANE})
    lines = quoted_lines(callback.json["data"]["content"])
    assert lines and "40 tonnes in its first hour" in lines[0]
    text = one_line(decoded(corpus / "harbour.txt"))
    assert all(line in text for line in lines), lines


async def test_summary_quotes_are_the_files_characters(
    standin: DiscordStandIn, live: LiveIndex, corpus: Path
) -> None:
    async with running_bot(standin, live, defer_after=30.0, summary_length=3):
        callback = await slash(standin, "summary")
    lines = quoted_lines(callback.json["data"]["content"])
    assert len(lines) == 3
    text = one_line(decoded(corpus / "harbour.txt"))
    assert all(line in text for line in lines), lines
    assert any("’" in line or "“" in line for line in lines)
