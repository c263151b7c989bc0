"""Time ``feeds pull`` and indexing of N items from a loopback feed (not a test: prints figures).

    make bench-feeds            # or: python -m benchmarks feeds [--items 50]

A loopback site (``benchmarks.feed_site``) serves one RSS feed of N generated stories, each a
page of six sentences with navigation and a footer. Measured: the pull (feed, robots.txt, N page
downloads, extraction with trafilatura, N Markdown articles written), then building the index of
the corpus. The per-host politeness delay is set to 0 here; with the default 1 s it alone would
take N seconds, which is the point of it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.feed_site import feed_site
from index.ingest.feeds import pull_feeds
from index.ingest.fetch import Fetcher
from index.storage.opener import open_index


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--items", type=int, default=50, help="stories in the feed (default 50)")


def main_feeds(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp, feed_site(bulk=args.items) as site:
        corpus = Path(tmp) / "corpus"
        started = time.perf_counter()
        (report,) = pull_feeds(corpus, [f"{site.base}/bulk.xml"], Fetcher(host_delay=0.0))
        pulled = time.perf_counter()
        opened = open_index(corpus, Path(tmp) / "index")
        indexed = time.perf_counter()
        again = pull_feeds(corpus, [f"{site.base}/bulk.xml"], Fetcher(host_delay=0.0))[0]
    print(report.line().replace(site.base, "http://127.0.0.1"))
    print(f"second pull: {len(again.new)} new, {again.had} already had")
    print(
        f"pull {args.items} items: {pulled - started:.2f} s "
        f"({(pulled - started) / max(args.items, 1) * 1000:.0f} ms/item); "
        f"index {len(opened.index.documents)} articles, {len(opened.index)} sentences: "
        f"{indexed - pulled:.2f} s; total {indexed - started:.2f} s"
    )
    return 0
