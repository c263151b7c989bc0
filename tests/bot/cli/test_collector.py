"""A ``verbatim`` process ends without the shutdown's garbage collections over what it made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import bot.cli.collector
from bot.cli.collector import skip_collections_at_exit
from tests.conftest import ROOT
from tests.support.builders import write_article
from tests.support.cli_run import script_in_a_fresh_process


def test_every_object_is_frozen_before_the_interpreter_shuts_down() -> None:
    # Registered before ``main`` runs, this handler runs after its freeze (atexit is LIFO).
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen' if gc.get_freeze_count() else 'not frozen'))\n"
        "from bot.cli.main import main\n"
        "main(['--version'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == "frozen"


def test_the_freeze_is_registered_once_however_often_main_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registered: list[object] = []
    monkeypatch.setattr(bot.cli.collector, "_registered", [])
    monkeypatch.setattr(bot.cli.collector.atexit, "register", registered.append)
    skip_collections_at_exit()
    skip_collections_at_exit()
    assert registered == [bot.cli.collector.gc.freeze]


# Whether a young-generation collection ran while the index was opened, and whether start-up's
# objects were frozen before the answer (``bot.cli.collector``).
_OPENED = (
    "import gc, sys\n"
    "import index.storage.opener as opener\n"
    "from bot.cli.main import main\n"
    "ran = []\n"
    "gc.callbacks.append(lambda phase, info: ran.append(phase) if phase == 'start' else None)\n"
    "real = opener.open_index\n"
    "def watched(*args, **kwargs):\n"
    "    opened = real(*args, **kwargs)\n"
    "    print('collected' if ran else 'not collected', gc.isenabled())\n"
    "    return opened\n"
    "opener.open_index = watched\n"
    "code = main(['ask', '--corpus', sys.argv[1], 'Who signed the treaty?'])\n"
    "print(code, gc.isenabled(), gc.get_freeze_count())\n"
)


def _ask_in_a_fresh_process(corpus: Path, index_dir: Path) -> list[str]:
    return script_in_a_fresh_process(_OPENED, corpus, index_dir, ROOT)


def test_start_up_runs_no_collection_and_the_answer_runs_with_the_collector_on(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "treaty.txt", "Treaty", ["Ministers signed the treaty in Vienna."])
    _ask_in_a_fresh_process(corpus, tmp_path / "idx")  # builds the index (collector on)
    lines = _ask_in_a_fresh_process(corpus, tmp_path / "idx")
    assert lines[0] == "not collected False"  # imports, settings and the open: paused
    assert "Ministers signed the treaty" in "\n".join(lines[1:-1])
    # After main: the collector on again, and the freeze undone (main may run again).
    assert lines[-1] == "0 True 0"


def test_a_rebuild_runs_with_the_collector_on_even_when_start_up_paused_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import index.storage.builder as builder
    from index.storage.opener import open_index

    corpus = tmp_path / "corpus"
    write_article(corpus, "treaty.txt", "Treaty", ["Ministers signed the treaty in Vienna."])
    during: list[bool] = []
    real = builder.build_data

    def watched(*args: Any, **kwargs: Any) -> Any:
        during.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(builder, "build_data", watched)
    enabled = gc.isenabled()
    gc.disable()
    try:
        open_index(corpus, tmp_path / "idx")
        after = gc.isenabled()
    finally:
        if enabled:
            gc.enable()
    assert during == [True] and after is False  # on for the build, then left as it was


def test_a_command_that_opens_no_index_runs_with_the_collector_on_and_nothing_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import bot.cli.main

    seen: list[tuple[bool, int]] = []

    def build(*_: object) -> int:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return 0

    monkeypatch.setattr(bot.cli.main, "_build_index", build)
    corpus = tmp_path / "corpus"
    write_article(corpus, "treaty.txt", "Treaty", ["Ministers signed the treaty in Vienna."])
    assert bot.cli.main.main(["index", "build", "--corpus", str(corpus)]) == 0
    assert seen == [(True, 0)]
