"""Verbatim's benchmarks: ``verbatim-bench speed`` (and quality, in its own module)."""
