"""numpy imported with one BLAS thread for a one-shot ``verbatim ask``.

numpy's OpenBLAS starts a pool of worker threads when it is loaded, one per core, and they spin
while they wait for work: ~0.1 s of processor time in every ``verbatim ask``, on a second core
the machine may need for something else, for linear algebra that answering never does (the
ranking runs in ``index.retrieval.kernels``). So ``ask`` loads numpy with
``OPENBLAS_NUM_THREADS=1`` (unless the user set it), and the variable is removed again once
numpy is loaded, so the processes it starts (a rebuild's worker) see the environment as given.
"""

from __future__ import annotations

import os
import sys

VARIABLE = "OPENBLAS_NUM_THREADS"


def import_numpy_with_one_blas_thread() -> None:
    """Load numpy with a single BLAS thread (a no-op once numpy is loaded or the user chose)."""
    if "numpy" in sys.modules or VARIABLE in os.environ:
        return
    os.environ[VARIABLE] = "1"
    try:
        import numpy  # noqa: F401  (loading it is the point)
    finally:
        del os.environ[VARIABLE]
