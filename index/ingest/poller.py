"""Pull feeds every few minutes in a daemon thread, and ask for a reload when items were saved.

Plain threads, no asyncio: the bot starts it with ``asyncio.to_thread`` and stops it the same
way, so neither a slow feed nor the extraction ever runs on its event loop. The first pull
happens at once; a pull that fails is logged and the next one comes at the usual time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from index.ingest.feeds import FeedReport, pull_feeds
from index.ingest.fetch import Fetcher

log = logging.getLogger(__name__)


class FeedPoller:
    """Every ``interval`` seconds: pull ``feeds`` into ``corpus``; ``on_new()`` if any was saved."""

    def __init__(
        self,
        corpus: Path,
        feeds: Sequence[str],
        interval: float,
        make_fetcher: Callable[[], Fetcher],
        on_new: Callable[[], object],
    ) -> None:
        self.corpus = corpus
        self.feeds = tuple(feeds)
        self.interval = interval
        self.rounds = 0
        self._make_fetcher = make_fetcher
        self._on_new = on_new
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> FeedPoller:
        self._thread = threading.Thread(target=self._loop, name="verbatim-feeds", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 20.0) -> None:
        """Stop after the pull under way, if any (its requests are bounded by their timeout)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def poll_once(self) -> list[FeedReport]:
        """One pull of every feed; calls ``on_new`` when something was saved."""
        reports = pull_feeds(self.corpus, self.feeds, self._make_fetcher())
        for report in reports:
            log.info("feed %s", report.line())
        if any(report.new for report in reports):
            self._on_new()
        self.rounds += 1
        return reports

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:  # never let one bad round end the polling
                log.exception("pulling feeds into %s failed", self.corpus)
            self._stop.wait(self.interval)
