"""The cyclic garbage collector around a ``verbatim`` process: kept off what start-up makes.

Start-up makes hundreds of thousands of objects that live as long as the process: the modules,
pydantic's schemas, numpy, the index's catalog (a record per article). Each collection of the
young generation while they pile up walks all of them again, and the first one after the
catalog's read walks the whole catalog (~0.1 s of a one-shot ``verbatim ask`` at a million
sentences, spent finding no garbage). So the collector is paused from the first line of ``main``
until the index is open, and what start-up made is then frozen (``gc.freeze``: moved where the
collector never looks) before it runs again: the answers after it collect only their own
objects. Start-up objects that die later are still freed by their reference counts; only a
cycle among them would stay (none is made on purpose). A rebuild of the index runs with the
collector on (``index.storage.opener``).

As the interpreter shuts down it runs the collector over every object still alive, each time a
batch of modules is cleared. That is 0.1-0.2 s of a one-shot ``verbatim ask`` spent finding
garbage the operating system is about to reclaim anyway. Frozen first, they are simply left;
``atexit`` handlers, flushes and ``weakref.finalize`` callbacks (which close the index's files)
still run first, as before.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

_registered: list[bool] = []


def skip_collections_at_exit() -> None:
    """Freeze every object at interpreter exit, before the shutdown collections (once a
    process, however often ``main`` runs in it: the test suite calls it in-process)."""
    if not _registered:
        _registered.append(True)
        atexit.register(gc.freeze)


@contextmanager
def startup_paused() -> Iterator[None]:
    """The collector off while ``main`` starts up (until ``started``); on the way out, what was
    frozen is released and the collector left as it was found (``main`` may run again in the
    same process: the test suite calls it in-process)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def started(freeze: bool = True) -> None:
    """Start-up is over: freeze what it made (an index and the modules that serve it, kept to
    the end) and let the collector run again (inside ``startup_paused`` only, which undoes the
    freeze when ``main`` returns). A command that opens no index just lets it run again."""
    if freeze:
        gc.freeze()
    gc.enable()
