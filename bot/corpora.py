"""Which articles each server is served from: its own folder, or the default corpus.

``VERBATIM_GUILDS_DIR`` holds one subfolder per server, named by the server's id; a server with
a subfolder is served from it (its own persistent index beside it, and live reload), every other
server and every DM from ``VERBATIM_CORPUS_DIR``. A server's index is opened on first use, in
this registry's own thread (never on the event loop; two questions arriving together share one
load), and the least recently used are closed beyond ``VERBATIM_MAX_LOADED_CORPORA``. A folder
that cannot be served (empty, unreadable, all articles broken) fails only that server's
requests, with a reply saying so, and is tried again ``retry_after`` seconds later.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from index import Analyzer, CorpusWatcher, Embedder, LiveIndex, VerbatimError, open_index, prepare

log = logging.getLogger(__name__)
RETRY_AFTER = 30.0
Loader = Callable[[Path], LiveIndex]


class CorpusUnavailable(VerbatimError):
    """A server's own articles cannot be served now; the message is for that server."""


@dataclass(slots=True)
class Loaded:
    live: LiveIndex
    watcher: CorpusWatcher | None

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        self.live.close()


@dataclass(frozen=True, slots=True)
class Failure:
    reason: str
    at: float


class Corpora:
    """The default corpus and the servers' own, loaded on demand, least recently used unloaded."""

    def __init__(
        self,
        default: LiveIndex,
        guilds_dir: Path | None,
        max_loaded: int,
        load: Loader,
        watch_debounce_ms: int | None = None,
        retry_after: float = RETRY_AFTER,
    ) -> None:
        self.default = default
        self.guilds_dir = guilds_dir
        self.max_loaded = max_loaded
        self._load = load
        self._debounce = watch_debounce_ms
        self._retry_after = retry_after
        self._loaded: OrderedDict[int, Loaded] = OrderedDict()
        self._loading: dict[int, asyncio.Task[LiveIndex]] = {}
        self._failures: dict[int, Failure] = {}
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="verbatim-corpora")

    def folder_of(self, guild_id: int | None) -> Path | None:
        """The server's own folder, or ``None`` when it is served the default corpus."""
        if guild_id is None or self.guilds_dir is None:
            return None
        folder = self.guilds_dir / str(guild_id)
        return folder if folder.is_dir() else None

    @property
    def loaded(self) -> list[int]:
        """The servers whose own index is loaded, least recently used first."""
        return list(self._loaded)

    def forget_failure(self, guild_id: int) -> None:
        """Try the server's folder again at its next use (``/reload`` after a fix)."""
        self._failures.pop(guild_id, None)

    def loaded_live(self, guild_id: int) -> LiveIndex | None:
        found = self._loaded.get(guild_id)
        return None if found is None else found.live

    async def live_for(self, guild_id: int | None) -> LiveIndex:
        """The live index serving ``guild_id`` (loaded now if need be), or ``CorpusUnavailable``."""
        folder = self.folder_of(guild_id)
        if folder is None or guild_id is None:
            return self.default
        loaded = self._loaded.get(guild_id)
        if loaded is not None:
            self._loaded.move_to_end(guild_id)
            return loaded.live
        failure = self._failures.get(guild_id)
        if failure is not None and time.monotonic() - failure.at < self._retry_after:
            raise CorpusUnavailable(failure.reason)
        task = self._loading.get(guild_id)
        if task is None:
            task = asyncio.ensure_future(self._open(guild_id, folder))
            self._loading[guild_id] = task
        return await asyncio.shield(task)

    async def _open(self, guild_id: int, folder: Path) -> LiveIndex:
        loop = asyncio.get_running_loop()
        try:
            loaded = await loop.run_in_executor(self._executor, self._open_now, folder)
        except Exception as exc:
            reason = describe(exc, folder)
            log.error("server %s: cannot serve %s: %s", guild_id, folder, exc)
            self._failures[guild_id] = Failure(reason, time.monotonic())
            raise CorpusUnavailable(reason) from exc
        finally:
            self._loading.pop(guild_id, None)
        self._failures.pop(guild_id, None)
        self._loaded[guild_id] = loaded
        log.info("server %s: serving %s", guild_id, folder)
        while len(self._loaded) > self.max_loaded:
            unloaded, old = self._loaded.popitem(last=False)
            log.info("server %s: its index is unloaded (least recently used)", unloaded)
            await loop.run_in_executor(self._executor, old.close)
        return loaded.live

    def _open_now(self, folder: Path) -> Loaded:
        live = self._load(folder)
        watcher = None
        if self._debounce is not None:
            watcher = CorpusWatcher(live, self._debounce).start()
        return Loaded(live, watcher)

    async def close(self) -> None:
        """Close every server's index (off the loop: each waits for its reload thread)."""
        loop = asyncio.get_running_loop()
        while self._loaded:
            _, loaded = self._loaded.popitem()
            await loop.run_in_executor(self._executor, loaded.close)
        self._executor.shutdown(wait=False)


def live_loader(analyzer: Analyzer, embedder: Embedder | None = None) -> Loader:
    """How a server's folder is opened: its own persistent index beside the folder, prepared for
    summaries like the default corpus, sharing one analyzer (one word cache for every corpus)
    and, with the semantic extra, one embedder."""
    opener = partial(open_index, embedder=embedder)

    def load(folder: Path) -> LiveIndex:
        return LiveIndex(folder, None, analyzer=analyzer, opener=opener, on_built=prepare)

    return load


def describe(error: BaseException, folder: Path) -> str:
    """Why the folder cannot be served, without the host's paths (a server sees this)."""
    if not isinstance(error, VerbatimError):
        return "an unexpected error (the details are in the bot's log)"
    return str(error).replace(str(folder), "this server's articles folder")
