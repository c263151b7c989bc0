"""VERBATIM_SEMANTIC: on with the extra installed it answers; on without it, one line, exit 2."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from index.retrieval import semantic
from tests.bot.cli.test_broken_settings import COMMANDS, prepare
from tests.support.cli_run import verbatim


def test_every_command_names_the_missing_extra_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    prepare(tmp_path, {"VERBATIM_SEMANTIC": "true"}, monkeypatch)
    real = importlib.util.find_spec

    def without_torch(name: str, *args: Any) -> Any:
        return None if name == "torch" else real(name, *args)

    monkeypatch.setattr(semantic.importlib.util, "find_spec", without_torch)
    for name, args in COMMANDS.items():
        result = verbatim(capsysbinary, *args, stdin=b"", monkeypatch=monkeypatch)
        assert result.code == 2, f"{name}: {result}"
        assert result.stderr.count("\n") == 1, f"{name}: {result}"
        assert "VERBATIM_SEMANTIC" in result.stderr and "torch is not installed" in result.stderr


def test_a_bad_value_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    prepare(tmp_path, {"VERBATIM_SEMANTIC": "maybe"}, monkeypatch)
    result = verbatim(capsysbinary, "ask", "Who was killed?", monkeypatch=monkeypatch)
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert "VERBATIM_SEMANTIC" in result.stderr


def test_on_it_answers_from_vectors_kept_in_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    prepare(tmp_path, {"VERBATIM_SEMANTIC": "true"}, monkeypatch)
    monkeypatch.delenv("DISCORD_TOKEN")
    monkeypatch.setenv("VERBATIM_INDEX_DIR", str(tmp_path / "index"))
    result = verbatim(capsysbinary, "ask", "Who was killed?", monkeypatch=monkeypatch)
    assert result.code == 0, result
    assert "Igor Kirillov was killed in Moscow." in result.stdout
    assert (tmp_path / "index" / "vectors.codes.npy").is_file()
