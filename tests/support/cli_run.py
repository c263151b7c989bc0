"""Run ``verbatim`` in-process as a user would, with a clean environment and working folder."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli.main import main


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str


def clean_environment(monkeypatch: pytest.MonkeyPatch, cwd: Path) -> None:
    """No VERBATIM_/DISCORD_ variables from the caller's shell; ``cwd`` holds no ``.env``."""
    for name in list(os.environ):
        if name.startswith(("VERBATIM_", "DISCORD_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(cwd)


def verbatim(
    capsysbinary: pytest.CaptureFixture[bytes],
    *args: str,
    stdin: bytes = b"",
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> Result:
    """``verbatim ARGS`` with ``stdin`` as bytes; stdout and stderr decoded strictly as UTF-8."""
    if monkeypatch is not None:
        stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="surrogateescape")
        monkeypatch.setattr(sys, "stdin", stream)
    code = main(list(args))
    out, err = capsysbinary.readouterr()
    return Result(code, out.decode("utf-8"), err.decode("utf-8"))


def script_in_a_fresh_process(
    script: str, corpus: Path, index_dir: Path, root: Path, **extra: str
) -> list[str]:
    """The lines ``script`` prints, run by a new interpreter with the corpus as its argument,
    the index in ``index_dir`` and ``extra`` set (none of the caller's VERBATIM_, DISCORD_ or
    thread-count variables: start-up is what is tested)."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VERBATIM_", "DISCORD_", "OPENBLAS_", "OMP_"))
    }
    environment.update(VERBATIM_INDEX_DIR=str(index_dir), **extra)
    done = subprocess.run(
        [sys.executable, "-c", script, str(corpus)],
        capture_output=True,
        text=True,
        cwd=root,
        env=environment,
        timeout=60,
        check=True,
    )
    return done.stdout.splitlines()
