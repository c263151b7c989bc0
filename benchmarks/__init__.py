"""Benchmarks of the product's own pipeline (``verbatim-bench quality`` and ``speed``)."""
