"""Every exception Verbatim raises on purpose, in one module (httpx's way); the tree:

- ``VerbatimError``: base of everything raised on purpose; its message is for the user.
  - ``CorpusError``: the corpus as a whole cannot be served (missing folder, no usable article).
  - ``ArticleError``: one article file is unusable; the loader names it, skips it and goes on.
  - ``IndexFolderError``: the index path holds something Verbatim did not make; nothing is written.
  - ``IndexUnavailable``: no usable persistent index in a folder (missing, older format, other
    analyzer or parameters); the opener rebuilds it.
    - ``IndexCorrupt``: an index file fails its checksum or shape; ``path`` names it.
  - ``SettingsError``: a setting is invalid; the message names it, never its value (exit 2).
  - ``UsageError``: a command typed wrongly (the shell's slash commands); says how to type it.
  - ``ExtractionError``: a web page holds no usable article (empty, binary, no main text).
  - ``FetchError``: a URL could not be fetched; ``url`` and a short ``reason`` ("HTTP 404").

Front ends map these to user text in one place; each message says how to fix the problem.
"""

from __future__ import annotations

from pathlib import Path


class VerbatimError(Exception):
    """Base class for errors Verbatim raises deliberately."""


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


class IndexUnavailable(VerbatimError):
    """No usable index in the folder (missing, older format, other analyzer or parameters)."""


class IndexCorrupt(IndexUnavailable):
    """An index file does not match its checksum or shape; ``path`` names it."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"index file {path} is corrupt ({reason}); it will be rebuilt")
        self.path = path


class SettingsError(VerbatimError):
    """A setting is invalid; the message names it and says what is wrong, never its value."""


class UsageError(VerbatimError):
    """A command typed wrongly; the message says how to type it."""


class ExtractionError(VerbatimError):
    """The bytes of a page hold no usable article; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchError(VerbatimError):
    """A URL could not be fetched; ``reason`` is short ("HTTP 404", "timed out after 15 s")."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
