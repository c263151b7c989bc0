"""A one-shot ``verbatim ask`` runs on one thread: numpy's BLAS starts no pool of workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.support.builders import write_article

# The process's threads (Linux) after the answer, and the variable as the process has it then.
ASK = (
    "import os, sys\n"
    "from bot.cli.main import main\n"
    "code = main(['ask', '--corpus', sys.argv[1], 'Who signed the treaty?'])\n"
    "print(code, len(os.listdir('/proc/self/task')), os.environ.get('OPENBLAS_NUM_THREADS'))\n"
)


def _ask(corpus: Path, index_dir: Path, **extra: str) -> str:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VERBATIM_", "DISCORD_", "OPENBLAS_", "OMP_"))
    }
    environment.update(VERBATIM_INDEX_DIR=str(index_dir), **extra)
    done = subprocess.run(
        [sys.executable, "-c", ASK, str(corpus)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
        check=True,
    )
    return done.stdout.splitlines()[-1]


def test_ask_loads_numpy_with_one_blas_thread_and_restores_the_environment(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "treaty.txt", "Treaty", ["Ministers signed the treaty in Vienna."])
    _ask(corpus, tmp_path / "idx")  # builds the index
    assert _ask(corpus, tmp_path / "idx") == "0 1 None"


def test_a_users_own_choice_of_blas_threads_is_kept(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "treaty.txt", "Treaty", ["Ministers signed the treaty in Vienna."])
    _ask(corpus, tmp_path / "idx")
    assert _ask(corpus, tmp_path / "idx", OPENBLAS_NUM_THREADS="2") == "0 2 2"
