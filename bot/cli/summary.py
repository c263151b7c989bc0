"""The ``verbatim summary`` and ``verbatim topics`` commands (wired into ``bot.cli.main``).

Kept out of ``bot/cli.py`` so that file only routes; the output comes from the same renderer as
Discord's ``/summary`` and ``/topics`` (``bot.render``, terminal serializer).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings
    from index import CorpusIndex

COMMANDS = ("summary", "topics")
EXIT_USAGE = 2


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    add_corpus: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``summary`` and ``topics`` to the ``verbatim`` parser."""
    summary = commands.add_parser(
        "summary", help="the gist of the articles, or of one topic, in quoted sentences"
    )
    summary.add_argument("topic", nargs="*", help="what to summarize (default: everything)")
    summary.add_argument("--article", metavar="TITLE", help="only this article (title or part)")
    summary.add_argument(
        "--length", type=int, metavar="N", help="sentences, 3-6 (default VERBATIM_SUMMARY_LENGTH)"
    )
    summary.add_argument(
        "--since", metavar="DATE", help="only articles published since: 7d, 12h, 2w or 2024-03-01"
    )
    layout = summary.add_mutually_exclusive_group()
    layout.add_argument(
        "--timeline", action="store_true", help="TOPIC by article, oldest published first"
    )
    layout.add_argument(
        "--compare", action="store_true", help="TOPIC: one sentence from each covering article"
    )
    summary.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_corpus(summary)

    topics = commands.add_parser("topics", help="the main topics, with how often each comes up")
    topics.add_argument("--limit", type=int, metavar="N", help="topics (default 15, at most 100)")
    topics.add_argument("--json", action="store_true", help="print the topics as JSON")
    add_corpus(topics)


def run(args: argparse.Namespace, settings: Settings, index: CorpusIndex) -> int:
    """Run ``summary`` or ``topics``; returns the exit code."""
    if args.command == "topics":
        return _topics(index, args.limit, as_json=args.json)
    topic = " ".join(args.topic) or None
    if (args.timeline or args.compare) and topic is None:
        flag = "--timeline" if args.timeline else "--compare"
        print(f"verbatim: error: {flag} needs a TOPIC", file=sys.stderr)
        return EXIT_USAGE
    mode = "timeline" if args.timeline else "compare" if args.compare else "gist"
    return _summary(index, settings, topic, args.article, args.length, args.since, mode, args.json)


def _summary(
    index: CorpusIndex,
    settings: Settings,
    topic: str | None,
    article: str | None,
    length: int | None,
    since: str | None,
    mode: str,
    as_json: bool,
) -> int:
    from bot import service
    from bot.render import render_summary, summary_to_json, to_terminal
    from index import SummaryMode

    summary = service.summary(index, settings, topic, article, length, since, SummaryMode(mode))
    if as_json:
        print(json.dumps(summary_to_json(summary), ensure_ascii=False, indent=2))
    else:
        print(to_terminal(render_summary(summary), ansi=_ansi()))
    return 0


def _topics(index: CorpusIndex, limit: int | None, as_json: bool) -> int:
    from bot import service
    from bot.render import render_topics, to_terminal, topics_to_json

    topics = service.topics(index, limit)
    if as_json:
        print(json.dumps(topics_to_json(topics), ensure_ascii=False, indent=2))
    else:
        print(to_terminal(render_topics(topics, len(index.documents))))
    return 0


def _ansi() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ
