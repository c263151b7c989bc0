"""The ``verbatim import`` and ``verbatim feeds pull`` commands (wired into ``bot.cli.main``).

They save articles into the corpus folder (that is their job) and print one line per page or
feed; the index picks the new files up the next time it is opened (or, in the bot, by the live
reload). Exit 0 even when some items failed (each is named); 2 for bad settings or arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings

COMMANDS = ("import", "feeds")
EXIT_USAGE = 2


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    add_corpus: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``import`` and ``feeds pull`` to the ``verbatim`` parser."""
    page = commands.add_parser("import", help="save web pages (URL or saved .html) as articles")
    page.add_argument("targets", nargs="+", metavar="URL|FILE", help="pages to import")
    add_corpus(page)
    feeds = commands.add_parser("feeds", help="follow RSS/Atom feeds")
    actions = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    pull = actions.add_parser("pull", help="save each feed's new items as articles")
    pull.add_argument(
        "--feed", action="append", metavar="URL", help="a feed (repeatable; default VERBATIM_FEEDS)"
    )
    add_corpus(pull)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``import`` or ``feeds pull``; returns the exit code."""
    from bot import service
    from index import import_pages, pull_feeds

    if args.command == "import":
        for report in import_pages(settings.corpus_dir, args.targets, service.fetcher(settings)):
            print(report.line(), flush=True)
        return 0
    from bot.settings import check_feed_url

    feeds = tuple(args.feed) if args.feed else settings.feeds
    if not feeds:
        print("verbatim: error: no feeds: pass --feed URL or set VERBATIM_FEEDS", file=sys.stderr)
        return EXIT_USAGE
    try:
        for url in feeds:
            check_feed_url(url)
    except ValueError as exc:
        print(f"verbatim: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for pulled in pull_feeds(settings.corpus_dir, feeds, service.fetcher(settings)):
        print(pulled.line(), flush=True)
    return 0
