"""Summaries: topics and quoted-sentence summaries prepared once per index."""
