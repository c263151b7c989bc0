"""``verbatim report``: the editors' report from the question store, as ``/stats`` shows it.

Reads the store the settings name (``VERBATIM_DATA_DIR``); when the bot has recorded nothing
yet there is no database, and the report is all zeros (nothing is created to say so). ``--png``
writes the chart to a new file only: a path that exists is the user's, and is never replaced.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings

EXIT_USAGE = 2
_SPAN = re.compile(r"(\d{1,5})([mhdw])")
_SECONDS = {"m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400}


def since(value: str) -> float:
    """``7d``, ``24h``, ``90m``, ``2w`` as seconds (argparse type)."""
    match = _SPAN.fullmatch(value.strip().lower())
    if match is None or int(match[1]) == 0:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a time span; write a number and m, h, d or w, e.g. 7d"
        )
    return int(match[1]) * _SECONDS[match[2]]


def guild(value: str) -> int:
    if not value.isdigit() or int(value) <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a server id (a positive number)")
    return int(value)


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report", help="what readers asked: answered, not covered, feedback (from the bot's store)"
    )
    report.add_argument(
        "--since", type=since, default=since("7d"), metavar="SPAN", help="e.g. 24h, 7d (default)"
    )
    report.add_argument("--guild", type=guild, metavar="ID", help="one server only")
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    report.add_argument("--png", type=Path, metavar="FILE", help="write the per-day chart here")
    report.set_defaults(corpus=None)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.render.report import render_report
    from bot.render.terminal import printable
    from bot.store import Window, build_report, open_existing_store, report_of

    window = Window(time.time() - args.since, args.guild)
    png: Path | None = args.png
    if png is not None and (png.exists() or png.is_symlink()):
        print(f"verbatim: {png} exists; give --png a new file name", file=sys.stderr)
        return EXIT_USAGE
    store = open_existing_store(settings)
    if store is None:
        report = build_report(window, [], (0, 0), time.time())
    else:
        try:
            report = report_of(store, window)
        finally:
            store.close()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(render_report(report, printable))
    if png is not None:
        from bot.render.chart import questions_per_day_png

        with png.open("xb") as out:
            out.write(questions_per_day_png(report.days))
    return 0
