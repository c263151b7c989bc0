"""Rendering: the core's dataclasses laid out once, written as Markdown, terminal text, JSON."""
