"""A ``verbatim`` process ends without the shutdown's garbage collections over what it made."""

from __future__ import annotations

import subprocess
import sys

import pytest

import bot.cli.collector
from bot.cli.collector import skip_collections_at_exit


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
