"""The store's one error: its message says which path or setting to fix."""

from __future__ import annotations

from index import VerbatimError


class StoreError(VerbatimError):
    """The question store cannot be opened or written (not ours, unreadable, too new)."""
