"""A one-shot ``verbatim ask`` runs on one thread: numpy's BLAS starts no pool of workers."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tests.support.builders import write_article
from tests.support.cli_run import script_in_a_fresh_process

# The process's threads (Linux) after the answer, and the variable as the process has it then.
ASK = (
    "import os, sys\n"
    "from bot.cli.main import main\n"
    "code = main(['ask', '--corpus', sys.argv[1], 'Who signed the treaty?'])\n"
    "print(code, len(os.listdir('/proc/self/task')), os.environ.get('OPENBLAS_NUM_THREADS'))\n"
)


def _ask(corpus: Path, index_dir: Path, **extra: str) -> str:
    return script_in_a_fresh_process(ASK, corpus, index_dir, ROOT, **extra)[-1]


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
