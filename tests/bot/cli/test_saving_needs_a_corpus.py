"""import and feeds save articles: never into the shipped sample, always into a folder of yours."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.discord.runner import run_bot
from bot.settings import Settings
from tests.bot.cli.test_main import VERBATIM, run
from tests.conftest import SEEDS, TOKEN


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize(
    "command",
    [["import", "page.html"], ["feeds", "pull", "--feed", "http://127.0.0.1:9/rss.xml"]],
    ids=["import", "feeds-pull"],
)
def test_without_a_corpus_setting_nothing_is_saved_into_the_shipped_seeds(
    command: list[str],
) -> None:
    before = tree_digest(SEEDS)
    result = run([*VERBATIM, *command])
    assert result.returncode == 2
    assert "VERBATIM_CORPUS_DIR" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree_digest(SEEDS) == before


def test_the_bot_with_feeds_but_no_corpus_of_its_own_stops_at_start_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, discord_token=TOKEN, feeds=("https://news.example/rss.xml",)
    )
    assert run_bot(settings) == 2
    err = capsys.readouterr().err
    assert "VERBATIM_FEEDS" in err and len(err.strip().splitlines()) == 1


def test_a_corpus_of_your_own_is_not_the_shipped_one(tmp_path: Path) -> None:
    assert Settings(_env_file=None).shipped_corpus  # type: ignore[call-arg]
    assert not Settings(_env_file=None, corpus_dir=tmp_path).shipped_corpus  # type: ignore[call-arg]
