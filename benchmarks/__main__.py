"""``python -m benchmarks``: the benchmarks' command line, run from a checkout."""

from benchmarks.cli import main

raise SystemExit(main())
