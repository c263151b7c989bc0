"""Ingest: article files in, ``Document``s out (loading, front matter, sentence segmentation),
and news as it comes: web pages extracted into plain-text copies (``html``, ``pages``), dates
(``dates``), polite fetching, feeds and imports saved as articles (``fetch``, ``feeds``,
``articles``, ``ledger``, ``poller``). Plain blocking code; the bot runs it in worker threads."""
