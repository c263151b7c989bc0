"""``verbatim-bench``: one console script dispatching to each benchmark's ``main(argv)``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

BENCHMARKS = ("speed",)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in BENCHMARKS:
        print(f"usage: verbatim-bench {{{','.join(BENCHMARKS)}}} [options]", file=sys.stderr)
        return 2
    if args[0] == "speed":
        from benchmarks import speed

        return speed.main(args[1:])
    return 2


if __name__ == "__main__":
    sys.exit(main())
