"""Ingest: article files in, ``Document``s out (loading, front matter, sentence segmentation)."""
