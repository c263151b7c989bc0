"""The shell's line history, kept across sessions in ``~/.verbatim_history`` (readline's file).

Only the interactive shell uses it. The file is Verbatim's own (created by it, readable by the
user alone, since questions can be private); reading or writing it never stops the shell.
"""

from __future__ import annotations

import atexit
import logging
import os
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)
HISTORY_FILE = Path("~/.verbatim_history")
LENGTH = 1000


def keep_history(readline: ModuleType, path: Path = HISTORY_FILE) -> None:
    """Load the history now and save it when the process ends."""
    path = path.expanduser()
    try:
        readline.read_history_file(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.info("shell history %s not read: %s", path, exc.strerror or exc)
    readline.set_history_length(LENGTH)
    atexit.register(save_history, readline, path)


def save_history(readline: ModuleType, path: Path) -> None:
    try:
        readline.write_history_file(path)
        os.chmod(path, 0o600)
    except OSError as exc:
        log.info("shell history %s not saved: %s", path, exc.strerror or exc)
