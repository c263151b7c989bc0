"""Benchmarks of the product's own pipeline (``python -m benchmarks quality`` and ``speed``)."""
