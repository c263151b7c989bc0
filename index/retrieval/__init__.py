"""Retrieval: BM25 over sentence passages (parameters, engines, forward index, the corpus index)."""
