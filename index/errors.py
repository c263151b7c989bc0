"""The core's small exception tree, described once here.

- ``VerbatimError``: base of everything the core raises on purpose.
  - ``CorpusError``: the corpus as a whole cannot be served (missing folder, no usable article).
  - ``ArticleError``: one article file is unusable; the loader names it, skips it and goes on.
  - ``IndexFolderError``: the index path holds something Verbatim did not make; nothing is written.

Adapters map these to user text in one place; each message says how to fix the problem.
"""

from __future__ import annotations

from pathlib import Path


class VerbatimError(Exception):
    """Base class for errors the core raises deliberately."""


class CorpusError(VerbatimError):
    """The corpus folder cannot be served at all."""


class ArticleError(VerbatimError):
    """One article file is broken; ``reason`` says why in words a user can act on."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexFolderError(VerbatimError):
    """The index path is not Verbatim's to replace (a user folder, a file, the corpus)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"index folder {path} {reason}")
        self.path = path
