"""The README's promise: errors reach the user as one short line, for every command and every
kind of broken setting; never a traceback (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.builders import write_article
from tests.support.cli_run import clean_environment, verbatim

COMMANDS = {
    "ask": ["ask", "Who was killed?"],
    "ask-batch": ["ask", "--json"],
    "shell": ["shell"],
    "sources": ["sources"],
    "summary": ["summary"],
    "topics": ["topics"],
    "run": ["run"],
    "bot": ["bot"],
    "index-build": ["index", "build"],
}
# Each broken setting, and a word its one line must contain.
BROKEN: dict[str, tuple[dict[str, str], str]] = {
    "top_k": ({"VERBATIM_TOP_K": "three"}, "VERBATIM_TOP_K"),
    "log level": ({"VERBATIM_LOG_LEVEL": "LOUD"}, "VERBATIM_LOG_LEVEL"),
    "missing corpus": ({"VERBATIM_CORPUS_DIR": "/nonexistent/articles"}, "does not exist"),
    "corpus is a file": ({"VERBATIM_CORPUS_DIR": "{tmp}/notes.txt"}, "not a folder"),
    "index dir is a user folder": ({"VERBATIM_INDEX_DIR": "{tmp}/mine"}, "not a Verbatim index"),
    "index dir is a file": ({"VERBATIM_INDEX_DIR": "{tmp}/notes.txt"}, "not a Verbatim index"),
    "index dir is dot": ({"VERBATIM_INDEX_DIR": "."}, "holds) the corpus folder"),
    "utf-16 .env": ({".env": "VERBATIM_TOP_K=2"}, "UTF-16"),
    "bad token": ({"DISCORD_TOKEN": "Bot abc"}, "DISCORD_TOKEN"),
}


def prepare(tmp: Path, values: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    clean_environment(monkeypatch, tmp)
    corpus = tmp / "corpus"
    write_article(corpus, "moscow.txt", "Moscow", ["Igor Kirillov was killed in Moscow."])
    (tmp / "notes.txt").write_text("mine\n", encoding="utf-8")
    (tmp / "mine").mkdir()
    (tmp / "mine" / "thesis.md").write_text("# mine\n", encoding="utf-8")
    for name, value in values.items():
        if name == ".env":
            (tmp / ".env").write_bytes(value.encode("utf-16"))
        else:
            monkeypatch.setenv(name, value.replace("{tmp}", str(tmp)))
    if "VERBATIM_CORPUS_DIR" not in values:
        monkeypatch.setenv("VERBATIM_CORPUS_DIR", str(corpus))
    if "DISCORD_TOKEN" in values:
        return corpus
    # ``run`` without a token is the shell; with a well-shaped token ``bot`` would log in:
    # the other broken settings must stop both before either happens.
    monkeypatch.setenv(
        "DISCORD_TOKEN", "MTAwMDAwMDAwMDAwMDAwMDAx.GsTand.standin-token-not-a-real-0"
    )
    monkeypatch.setenv("VERBATIM_DISCORD_API_URL", "http://127.0.0.1:9/api/v10")
    return corpus


@pytest.mark.parametrize("broken", list(BROKEN), ids=list(BROKEN))
def test_every_command_with_a_broken_setting_prints_one_line_and_exits_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
    broken: str,
) -> None:
    values, needle = BROKEN[broken]
    prepare(tmp_path, values, monkeypatch)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    for name, args in COMMANDS.items():
        result = verbatim(capsysbinary, *args, stdin=b"", monkeypatch=monkeypatch)
        assert result.code == 2, f"{name}: {result}"
        assert result.stderr.count("\n") == 1 and needle in result.stderr, f"{name}: {result}"
        assert "Traceback" not in result.stderr + result.stdout
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before  # nothing written anywhere


def test_as_real_processes_too(tmp_path: Path) -> None:
    """The same through the interpreter's own entry point (nothing escapes ``main``)."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("keep", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VERBATIM_", "DISCORD_"))}
    env.update(PYTHONPATH=str(ROOT), VERBATIM_INDEX_DIR=str(tmp_path / "mine"))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for args in (COMMANDS["ask"], COMMANDS["shell"], COMMANDS["index-build"])
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 2 and stderr.count(b"\n") == 1, stderr
        assert b"Traceback" not in stderr and b"not a Verbatim index" in stderr
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["keep.txt"]
