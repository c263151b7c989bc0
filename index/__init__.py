"""Verbatim's retrieval core: articles in, verbatim quoted sentences out.

Pure Python with no Discord (and no asyncio) import, so every step is testable in-process.
The pipeline is load → segment → analyze → index → rank → select, one module per step.
"""
