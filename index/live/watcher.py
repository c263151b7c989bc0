"""Reload the corpus when its files change: watchfiles in a thread, debounced, temp files ignored.

watchfiles (Rust ``notify`` underneath: inotify on Linux, polling as a fallback) groups the
events of a burst (an editor's save, a ``git pull``) into one batch after ``debounce_ms`` of
quiet, so a burst triggers one reload. Editor temp and backup files never trigger one, nor do
changes inside an index folder placed in the corpus (the reload's own writes would otherwise
trigger the next reload), nor changes seen through a link that leads out of the corpus: the
loader does not read those (``index.scan``), so they cannot change what is served.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from watchfiles import Change, watch

from index.ingest.scan import ARTICLE_SUFFIXES
from index.live.live_index import LiveIndex
from index.storage.opener import default_index_dir

log = logging.getLogger(__name__)
# Vim writes "4913" to test a folder; swap files; Emacs "#x#" and ".#x"; backups "x~".
_TEMP_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload")


def is_article_change(path: Path, root: Path, index_dir: Path | None = None) -> bool:
    """True for a change that can alter the corpus: an article file, or a folder of them.

    ``root`` and ``index_dir`` are resolved paths; so is ``path`` except its last part (which
    may be gone), so a path that leaves the corpus through a link is not inside ``root``.
    """
    path = path.parent.resolve() / path.name
    try:
        relative = path.relative_to(root)
    except ValueError:
        return False
    if index_dir is not None and path.is_relative_to(index_dir):
        return False
    name = path.name
    if any(part.startswith((".", "#")) for part in relative.parts):
        return False
    if name.endswith(("~", "#")) or name.lower().endswith(_TEMP_SUFFIXES) or name == "4913":
        return False
    suffix = path.suffix.lower()
    return suffix in ARTICLE_SUFFIXES or (suffix == "" and not name.isdigit())


class ArticleFilter:
    """A watchfiles filter keeping only article changes below ``root``."""

    def __init__(self, root: Path, index_dir: Path | None = None) -> None:
        self.root = root.resolve()
        self.index_dir = (index_dir or default_index_dir(root)).resolve()

    def __call__(self, change: Change, path: str) -> bool:
        return is_article_change(Path(path), self.root, self.index_dir)


class CorpusWatcher:
    """Calls ``live.reload()`` after each debounced batch of article changes."""

    def __init__(self, live: LiveIndex, debounce_ms: int = 1000) -> None:
        self.live = live
        self.debounce_ms = debounce_ms
        self.batches = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def start(self) -> CorpusWatcher:
        """Start watching in a daemon thread; returns once the watch is set up."""
        self._thread = threading.Thread(target=self._loop, name="verbatim-watch", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=5)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        root = self.live.corpus.resolve()
        changes = watch(
            root,
            watch_filter=ArticleFilter(root, self.live.directory),
            debounce=self.debounce_ms,
            step=min(50, self.debounce_ms),
            stop_event=self._stop,
            rust_timeout=500,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        for batch in changes:
            self._ready.set()  # the first (timeout) batch says the watcher is running
            if not batch:
                continue
            self.batches += 1
            names = sorted(Path(path).name for _, path in batch)
            log.info("corpus changed (%s); reloading", ", ".join(names[:5]))
            self.live.reload()
        self._ready.set()
