"""Benchmarks of the product's own pipeline on public data (``verbatim-bench``)."""
