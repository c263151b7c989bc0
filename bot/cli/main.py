"""The ``verbatim`` command line: the same answers and rendering as the Discord bot, in a terminal.

Heavy imports (discord.py, the index) are deferred into the commands that need them so that a
one-shot ``verbatim ask`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.settings import Settings
    from index import AnswerPolicy, CorpusIndex, SkippedFile

EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in Verbatim, reported in one line (details in the log)
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool cut off by `head`
log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verbatim",
        description="Answer questions about news articles with verbatim quoted sentences.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer one question (or one per line from stdin)")
    ask.add_argument("question", nargs="?", help="the question; omit to read lines from stdin")
    _add_corpus(ask)
    ask.add_argument("--top", type=int, metavar="N", help="quotes to show, best first (1-10)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")

    shell = commands.add_parser("shell", help="interactive prompt (answers piped lines too)")
    _add_corpus(shell)

    sources = commands.add_parser("sources", help="list the articles: title, URL, counts")
    _add_corpus(sources)
    sources.add_argument("--json", action="store_true", help="print the list as JSON")

    run = commands.add_parser("run", help="the Discord bot if a token is set, else the shell")
    _add_corpus(run)

    bot_command = commands.add_parser("bot", help="run the Discord bot (needs DISCORD_TOKEN)")
    _add_corpus(bot_command)
    bot_command.add_argument(
        "--sync", action="store_true", help="sync slash commands globally at start"
    )

    from bot.cli.summary import add_commands

    add_commands(commands, _add_corpus)
    from bot.cli import report

    report.add_command(commands)
    from bot.cli import ingest

    ingest.add_commands(commands, _add_corpus)

    index = commands.add_parser("index", help="manage the persistent index")
    index_commands = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    build = index_commands.add_parser("build", help="build or update the index of a corpus")
    _add_corpus(build)
    build.add_argument("--out", type=_folder, metavar="PATH", help="index folder to write")
    verify = index_commands.add_parser(
        "verify", help="read every file of the index against its checksum"
    )
    _add_corpus(verify)
    verify.add_argument("--out", type=_folder, metavar="PATH", help="index folder to check")
    return parser


def _add_corpus(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        type=_folder,
        metavar="DIR",
        help="folder of articles (default: the shipped seeds/)",
    )


class _Version(argparse.Action):
    """``--version``, worked out only when asked: reading the installed metadata imports
    ``importlib.metadata`` (~10 ms), which every other command would pay at start-up."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(_version())
        parser.exit()


def _version() -> str:
    """``verbatim 0.1.0 (/path/to/.venv/bin/verbatim)``: which one runs, since it may not be on
    ``PATH`` (``make run`` installs it in ``.venv/bin``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("verbatim")
    except PackageNotFoundError:
        number = "(not installed)"
    return f"verbatim {number} ({Path(sys.argv[0]).resolve()})"


def _folder(value: str) -> Path:
    """A folder argument; an empty one would silently mean the current folder."""
    if not value.strip():
        raise argparse.ArgumentTypeError("is empty; give a folder path (or leave the option out)")
    return Path(value)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``verbatim`` console script; returns the process exit code.

    Everything printed while it runs goes through ``bot.render.terminal.SafeStream``: article text,
    file names and questions never reach the terminal as control sequences.
    """
    from bot.cli.collector import skip_collections_at_exit, startup_paused

    skip_collections_at_exit()
    with startup_paused(), _safe_streams():
        return _main(argv)


@contextmanager
def _safe_streams() -> Iterator[None]:
    from bot.render.terminal import SafeStream

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "ask":
        from bot.cli.blas import import_numpy_with_one_blas_thread

        import_numpy_with_one_blas_thread()  # first: numpy reads the variable as it loads
        from index import read_word_tables_ahead

        read_word_tables_ahead()  # on the second core while the settings and the index load
    from bot.cli.collector import started
    from bot.render.terminal import OneLineRecords
    from bot.settings import load_settings
    from index import SettingsError, VerbatimError

    logging.basicConfig(level=logging.WARNING, format="verbatim: %(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(OneLineRecords())
    try:
        overrides = {"corpus_dir": args.corpus} if args.corpus else {}
        settings = load_settings(**overrides)
        logging.getLogger().setLevel(settings.log_level.upper())
        if (done := _without_index(args, settings)) is not None:
            return done
        index = open_index(settings, prepared=args.command in ("summary", "topics"))
        started()
        return _dispatch(args, settings, index)
    except SettingsError as exc:
        _say(f"verbatim: {exc}")
        return EXIT_USAGE
    except VerbatimError as exc:
        _say(f"verbatim: error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`verbatim ... | head`): stop quietly, as shell tools do, and
        # point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a disk full or a folder that cannot be written, said plainly
        log.debug("stopped by an OS error", exc_info=True)
        _say(
            f"verbatim: error: {exc.strerror or exc}"
            + (f": {exc.filename}" if exc.filename else "")
        )
        return EXIT_USAGE
    except Exception as exc:  # a bug: one line for the user, the traceback only in a debug log
        log.debug("internal error", exc_info=True)
        _say(
            f"verbatim: internal error ({type(exc).__name__}); "
            "run with VERBATIM_LOG_LEVEL=DEBUG for details"
        )
        return EXIT_INTERNAL


def _without_index(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run a command that opens no index (the bot, ``index``, ``report``, the saving commands)
    with the collector on; None for the others (they open the index first)."""
    from bot.cli import ingest
    from bot.cli.collector import started

    if args.command == "bot" or (args.command == "run" and settings.discord_token):
        from bot.discord.runner import run_bot

        started(freeze=False)
        return run_bot(settings, sync_global=getattr(args, "sync", False))
    if args.command == "index":
        started(freeze=False)
        if args.index_command == "verify":
            return _verify_index(settings, args.out)
        return _build_index(settings, args.out)
    if args.command == "report":
        from bot.cli import report

        started(freeze=False)
        return report.run(args, settings)
    if args.command in ingest.COMMANDS:
        started(freeze=False)
        return ingest.run(args, settings)
    return None


def _say(line: str) -> None:
    """One line on stderr, escaped so a path or a value cannot break or drive the terminal."""
    from bot.render.terminal import one_line

    print(one_line(line), file=sys.stderr)


def open_index(settings: Settings, prepared: bool = False) -> CorpusIndex:
    """Open the corpus through its persistent index (rebuilt if stale); report skipped files.

    ``prepared``: with the summaries' analysis ready, kept beside the index (``summary`` and
    ``topics`` read it back instead of recomputing it on every call).
    """
    from index import open_index

    embedder = settings.embedder()
    if prepared:
        from index import open_prepared  # the summaries' analysis: only for summary and topics

        opened = open_prepared(
            settings.corpus_dir, settings.index_dir, sources=False, embedder=embedder
        )
    else:
        opened = open_index(settings.corpus_dir, settings.index_dir, embedder=embedder)
    _report_skipped(opened.skipped)
    return opened.index


def _report_skipped(skipped: Iterable[SkippedFile]) -> None:
    for entry in skipped:
        _say(f"verbatim: skipped {entry.path}: {entry.reason}")


def _verify_index(settings: Settings, out: Path | None) -> int:
    """``verbatim index verify``: every file read against its checksum (an open reads only the
    files changed since they were last checked); a corrupt index exits 2 naming the file."""
    from index import default_index_dir, verify_index

    directory = out or settings.index_dir or default_index_dir(settings.corpus_dir)
    verify_index(directory)
    print(f"{directory}: every file matches its checksum")
    return 0


def _build_index(settings: Settings, out: Path | None) -> int:
    """``verbatim index build``: rebuild what changed, with a progress bar on a terminal."""
    import time

    from index import default_index_dir, open_index

    directory = out or settings.index_dir or default_index_dir(settings.corpus_dir)
    started = time.perf_counter()
    with _progress_bar() as progress:
        opened = open_index(
            settings.corpus_dir, directory, progress=progress, embedder=settings.embedder()
        )
    _report_skipped(opened.skipped)
    state = "built" if opened.rebuilt else "already up to date"
    print(
        f"{directory}: {state}: {len(opened.index.documents)} article(s), "
        f"{len(opened.index)} sentences ({time.perf_counter() - started:.1f} s)"
    )
    return 0


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A tqdm bar on stderr when it is a terminal, else nothing (logs and pipes stay clean)."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    # The bar redraws its line with "\r": it writes to the terminal unfiltered (its text is ours).
    stream = getattr(sys.stderr, "unfiltered", sys.stderr)
    with tqdm(unit="file", desc="indexing", file=stream) as bar:

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield update


def _dispatch(args: argparse.Namespace, settings: Settings, index: CorpusIndex) -> int:
    from bot.cli import summary as summary_cli

    if args.command in summary_cli.COMMANDS:
        return summary_cli.run(args, settings, index)
    if args.command == "sources":
        return _sources(index, as_json=args.json)
    if args.command == "ask":
        from bot import service

        policy = service.policy(settings, args.top)
        questions = (
            [args.question] if args.question is not None else _lines(sys.stdin, keep_blank=True)
        )
        return _answer_all(index, policy, questions, as_json=args.json)
    return _shell(index, settings)


def _answer_all(
    index: CorpusIndex, policy: AnswerPolicy, questions: Iterable[str], as_json: bool
) -> int:
    from bot import service
    from bot.render import answer_to_json, render_answer, to_terminal

    ansi = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    for question in questions:
        answer = service.ask(index, question, policy)
        if as_json:
            print(json.dumps(answer_to_json(answer), ensure_ascii=False), flush=True)
        else:
            print(to_terminal(render_answer(answer), ansi=ansi), flush=True)
    return 0


def _shell(index: CorpusIndex, settings: Settings) -> int:
    """Interactive prompt on a terminal; on a pipe, answer each line and stop at end of input.

    Lines go through ``bot.cli.shell``: slash commands as typed in Discord, or a plain question.
    """
    interactive = sys.stdin.isatty()
    if interactive:
        import readline  # importing it gives input() history and line editing

        from bot.cli.history import keep_history
        from bot.cli.shell import install_completion

        install_completion(index)
        keep_history(readline)

        print(
            f"Verbatim: {len(index.documents)} article(s), {len(index)} sentences. "
            "Ask a question or type /help for the commands; Ctrl-C clears the line, Ctrl-D quits."
        )
        lines: Iterable[str] = _prompted_lines()
    else:
        lines = _lines(sys.stdin)
    from bot.cli.shell import Conversation, respond

    ansi = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    conversation = Conversation()
    for line in lines:
        print(respond(line, index, settings, ansi=ansi, conversation=conversation), flush=True)
        if not interactive:
            print()
    return 0


def _prompted_lines() -> Iterable[str]:
    while True:
        try:
            line = input("verbatim> ")
        except KeyboardInterrupt:  # as in a shell: Ctrl-C drops the line, Ctrl-D quits
            print()
            continue
        except UnicodeDecodeError:  # a terminal not set to UTF-8: say so, keep the prompt
            print("verbatim: that line was not UTF-8 text; set your terminal to UTF-8")
            continue
        except EOFError:
            print()
            return
        if line.strip():
            yield line


def _lines(stream: TextIO, keep_blank: bool = False) -> Iterator[str]:
    """Input lines decoded as UTF-8 with replacement, so every output line is valid UTF-8 too.

    ``keep_blank``: batch ``ask`` answers every line (a blank one gets ``empty_question``), so
    output line N always belongs to input line N.
    """
    binary = getattr(stream, "buffer", None)
    raw_lines: Iterable[str | bytes] = stream if binary is None else binary
    for raw in raw_lines:
        line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        line = line.rstrip("\r\n")
        if keep_blank or line.strip():
            yield line


def _sources(index: CorpusIndex, as_json: bool) -> int:
    from dataclasses import asdict

    from bot import service
    from index import display_date

    sources = service.sources(index)
    if as_json:
        print(json.dumps([asdict(s) for s in sources], ensure_ascii=False, indent=2))
        return 0
    from bot.render.terminal import one_line

    for source in sources:
        counts = f"{_count(source.paragraphs, 'paragraph')}, {_count(source.sentences, 'sentence')}"
        print(
            f"{one_line(source.title)}\n   {one_line(source.url or '(no URL)')} · "
            f"{display_date(source.published) or '(no date)'} · "
            f"{one_line(source.source or source.path)} · {counts}"
        )
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


if __name__ == "__main__":
    sys.exit(main())
