"""What Verbatim already saved into a corpus, so no feed item or page is ever saved twice.

``<corpus>/.verbatim-ingest.json`` (hidden, so the loader skips it), a file Verbatim creates and
owns: each saved item's key (its feed guid, else its link; a page's URL; a file's SHA-256) and the
article file it became, and each feed's ETag / Last-Modified for the next conditional GET. It is
written atomically; an ``flock`` on a lock file beside it serialises a CLI pull and the bot's.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import CorpusError

NAME = ".verbatim-ingest.json"
_LOCK = ".verbatim-ingest.lock"
log = logging.getLogger(__name__)


@dataclass
class Ledger:
    """Saved item keys -> article paths (relative to the corpus), and feed validators."""

    path: Path
    items: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, dict[str, str]] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.items

    def add(self, key: str, article: str) -> None:
        self.items[key] = article

    def save(self) -> None:
        """Write the ledger atomically; ``CorpusError`` when the corpus folder is not writable."""
        data = {"format": "verbatim-ingest", "version": 1, "items": self.items, "feeds": self.feeds}
        staging = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}")
        try:
            staging.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(staging, self.path)
        except OSError as exc:
            staging.unlink(missing_ok=True)
            raise _unwritable(self.path.parent, exc) from exc


@contextlib.contextmanager
def open_ledger(corpus: Path) -> Iterator[Ledger]:
    """The corpus's ledger, locked against other pulls while in use, saved on the way out.

    Raises ``CorpusError`` when the corpus folder cannot be created or written.
    """
    try:
        corpus.mkdir(parents=True, exist_ok=True)
        lock_file = (corpus / _LOCK).open("a")
    except OSError as exc:
        raise _unwritable(corpus, exc) from exc
    with lock_file as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            ledger = _read(corpus / NAME)
            try:
                yield ledger
            finally:
                ledger.save()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read(path: Path) -> Ledger:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Ledger(path)
    except (OSError, ValueError) as exc:
        # Unreadable: start afresh rather than stop pulling; the slugs' exclusive create still
        # never overwrites an article, at worst an item is saved a second time under a new name.
        log.warning("ingest ledger %s unreadable (%s); starting a new one", path, exc)
        return Ledger(path)
    items = data.get("items") if isinstance(data, dict) else None
    feeds = data.get("feeds") if isinstance(data, dict) else None
    return Ledger(
        path,
        {str(k): str(v) for k, v in items.items()} if isinstance(items, dict) else {},
        {str(k): dict(v) for k, v in feeds.items()} if isinstance(feeds, dict) else {},
    )


def _unwritable(corpus: Path, exc: OSError) -> CorpusError:
    return CorpusError(f"cannot save articles into {corpus} ({exc.strerror or exc})")
