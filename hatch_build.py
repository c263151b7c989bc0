"""Build the ranking's compiled kernel (``index/retrieval/kernels/postings.c``) at install time.

Plain C loaded through ``ctypes``, so only a C compiler is needed (no Python headers, no
extension ABI). When none is found or the compile fails, the install goes on and the engine
uses its numpy path (same results, slower at a million sentences). The library carries the
digest of the source it was built from, so an edited source is never served by an old build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # imported outside a build (the tests compile with the same flags)
    BuildHookInterface = object

SOURCES = [
    Path("index/retrieval/kernels/postings.c"),
    Path("index/retrieval/kernels/words.c"),
    Path("index/retrieval/kernels/files.c"),
    Path("index/retrieval/kernels/reads.c"),
]
LIBRARY = Path("index/retrieval/kernels/_postings.so")
# -ffp-contract=off: a product and a sum are never fused into one rounding, so the kernel's
# sums are the numpy path's bit for bit.
FLAGS = ["-O2", "-ffp-contract=off", "-shared", "-fPIC", "-std=c99"]


def compiler() -> str | None:
    """The C compiler: $CC, Python's own, then cc/gcc/clang on the PATH."""
    candidates = [os.environ.get("CC"), (sysconfig.get_config_var("CC") or "").split(" ")[0]]
    for name in [*candidates, "cc", "gcc", "clang"]:
        if name and shutil.which(name):
            return name
    return None


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        cc = compiler()
        if cc is None:
            self.app.display_warning("no C compiler found: the ranking uses its numpy path")
            return
        sources, library = [root / source for source in SOURCES], root / LIBRARY
        digest = hashlib.sha256(b"".join(source.read_bytes() for source in sources)).hexdigest()
        command = [cc, *FLAGS, f'-DVERBATIM_SOURCE_DIGEST="{digest}"', *map(str, sources)]
        done = subprocess.run([*command, "-o", str(library)], capture_output=True, text=True)
        if done.returncode != 0:
            self.app.display_warning(
                "the ranking's C kernel did not compile (numpy path used): " + done.stderr[-500:]
            )
            return
        build_data["artifacts"].append(LIBRARY.as_posix())
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
