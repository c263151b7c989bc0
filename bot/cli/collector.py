"""The cyclic garbage collector at the end of a ``verbatim`` process: skipped, not paid for.

As the interpreter shuts down it runs the collector over every object still alive, each time a
batch of modules is cleared: pydantic's schemas, numpy, the index's catalog. That is 0.1-0.2 s
of a one-shot ``verbatim ask`` (a third of it) spent finding garbage the operating system is
about to reclaim anyway. Frozen first (``gc.freeze``: moved where the collector never looks),
they are simply left; ``atexit`` handlers, flushes and ``weakref.finalize`` callbacks (which
close the index's files) still run first, as before.
"""

from __future__ import annotations

import atexit
import gc

_registered: list[bool] = []


def skip_collections_at_exit() -> None:
    """Freeze every object at interpreter exit, before the shutdown collections (once a
    process, however often ``main`` runs in it: the test suite calls it in-process)."""
    if not _registered:
        _registered.append(True)
        atexit.register(gc.freeze)
