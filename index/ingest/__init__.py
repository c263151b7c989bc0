"""Ingestion: turning web pages and feeds into article files the loader reads (``html``, ``pages``,
``dates``, ``fetch``, ``feeds``). Plain blocking code; the bot runs it in a worker thread."""
