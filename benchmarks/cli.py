"""The ``python -m benchmarks`` command: one subcommand per benchmark, from a small table.

Each entry names a module exposing ``add_arguments(parser)`` and ``main_<name>(args) -> int``;
adding a benchmark is one line here.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from typing import cast

# subcommand -> (module, help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "quality": ("benchmarks.quality", "answer quality on SQuAD and WikiQA vs plain rank-bm25"),
    "summary": ("benchmarks.summary", "/summary and /topics on a synthetic 1,000-article corpus"),
    "feeds": ("benchmarks.feeds", "pull and index N items from a loopback RSS feed"),
    "speed": ("benchmarks.speed", "build, load, memory and query latency vs rank-bm25 and bm25s"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of the Verbatim pipeline on public data.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="BENCHMARK")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=help_text)
        module = importlib.import_module(module_name)
        module.add_arguments(sub)
        sub.set_defaults(handler=getattr(module, f"main_{name}"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``python -m benchmarks`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    handler = cast(Callable[[argparse.Namespace], int], args.handler)
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
