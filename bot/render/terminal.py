"""What the CLI prints is text, never terminal commands: control characters are shown escaped.

Article text, titles, file names and questions can hold escape sequences (``\\x1b[2J`` clears
the screen, ``\\x1b]0;...\\a`` retitles the window) and lone surrogates (a file name that is not
UTF-8). ``SafeStream`` wraps ``sys.stdout`` and ``sys.stderr`` for the CLI's whole run, so every
line printed passes through one filter: newlines and tabs stay, the renderer's own bold on and
off stay, everything else that is not printable is written as a ``\\uXXXX`` escape. Inside a
JSON string that escape decodes to the very same character, so ``--json`` output keeps its
data exactly (quotes stay verbatim) and is always valid UTF-8. ``one_line`` also escapes line
breaks, for fields that must stay on their line (a file name in "skipped ...").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from bot.render.blocks import (
    RELATED_LABEL,
    RenderedAnswer,
    RenderedSource,
    RenderedSummary,
    RenderedTopics,
    Run,
)

# The renderer's bold on/off: the only escape sequences the CLI itself writes.
_OWN_SEQUENCES = ("\x1b[1m", "\x1b[0m")
_UNSAFE = re.compile(
    "|".join(re.escape(s) for s in _OWN_SEQUENCES)
    + r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]"
)
_LINE_BREAKS = re.compile(r"[\n\r\t\x0b\x0c\x85\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNDECODED_BYTE = re.compile(r"[\udc80-\udcff]")  # a byte of a name that was not UTF-8


def _escape(match: re.Match[str]) -> str:
    text = match.group()
    return text if text in _OWN_SEQUENCES else f"\\u{ord(text):04x}"


def printable(text: str) -> str:
    """``text`` with every control character and lone surrogate escaped, newlines kept."""
    return _UNSAFE.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` escaped for one terminal line: line breaks and tabs escaped too, and each byte
    of a file name that was not UTF-8 shown as ``\\xNN``."""
    text = _UNDECODED_BYTE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    return printable(_LINE_BREAKS.sub(_escape_break, text))


def _escape_break(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def is_printable(char: str) -> bool:
    """For tests: a character a terminal shows as itself (newline and tab allowed)."""
    return char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs")


class SafeStream:
    """A text stream writing through ``printable``; everything else goes to the wrapped one."""

    def __init__(self, stream: TextIO) -> None:
        self.unfiltered = stream

    def write(self, text: str) -> int:
        self.unfiltered.write(printable(text))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:
        return getattr(self.unfiltered, name)


class OneLineRecords(logging.Filter):
    """Log records stay one line each: a file name with a newline or an escape sequence in a
    message cannot forge a log line or drive the terminal (tracebacks keep their lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        safe = one_line(message)
        if safe != message:
            record.msg, record.args = safe, None
        return True


# Characters of one quote shown in a terminal; longer ones end in "…".
TERMINAL_QUOTE_LIMIT = 1000


def to_terminal(
    rendered: RenderedAnswer | RenderedSummary | RenderedTopics,
    ansi: bool = False,
    limit: int = TERMINAL_QUOTE_LIMIT,
) -> str:
    """Any rendered block as terminal text: curly-quoted sentences, bold via ANSI only on a
    real terminal. A quote longer than ``limit`` characters (a 1 MB "sentence" with no full
    stop) is cut at a word with "…" here only: ``--json`` and Discord keep their own rules."""
    if isinstance(rendered, RenderedAnswer):
        return _answer_terminal(rendered, ansi, limit)
    return _summary_terminal(rendered, ansi, limit)


def quote_text(runs: Sequence[Run], ansi: bool, limit: int = TERMINAL_QUOTE_LIMIT) -> str:
    """One quote's text for a terminal (answers and summaries alike): bold only with ANSI."""
    return "".join(
        f"\x1b[1m{run.text}\x1b[0m" if ansi and run.bold else run.text
        for run in clip_runs(runs, limit)
    )


def source_line(source: RenderedSource) -> str:
    """``Title ¶2 s1 · https://…``: where a quote comes from."""
    return f"{source.title} {source.location}" + (f" · {source.url}" if source.url else "")


def _answer_terminal(rendered: RenderedAnswer, ansi: bool, limit: int) -> str:
    if rendered.message is not None and not rendered.related:
        return rendered.message
    lines = []
    if rendered.related and rendered.message is not None:
        lines.append(f"{rendered.message}\n{RELATED_LABEL}")
    for quote in rendered.quotes:
        body = quote_text(quote.runs, ansi, limit)
        lines.append(f"{quote.number}. “{body}”\n   — {source_line(quote)}")
    return "\n".join(lines)


def _summary_terminal(rendered: RenderedSummary | RenderedTopics, ansi: bool, limit: int) -> str:
    if isinstance(rendered, RenderedTopics):
        width = len(str(len(rendered.topics)))
        lines = [f"{t.number:>{width}}. {t.phrase} — {t.counts}" for t in rendered.topics]
        return "\n".join([rendered.heading, *lines])
    if rendered.message is not None:
        return rendered.message
    lines = [rendered.heading]
    for item in rendered.items:
        quote = item.quote
        date = f"{item.date}: " if item.date else ""
        body = quote_text(quote.runs, ansi, limit)
        lines.append(f"{quote.number}. {date}“{body}”\n   — {source_line(quote)}")
        if item.also_in:
            lines.append("   also in: " + "; ".join(map(source_line, item.also_in)))
    return "\n".join(lines)


def clip_runs(runs: Sequence[Run], limit: int) -> list[Run]:
    """``runs`` holding at most ``limit`` characters, the last cut at a word and ended by "…"."""
    kept: list[Run] = []
    room = limit
    for run in runs:
        if len(run.text) <= room:
            kept.append(run)
            room -= len(run.text)
            continue
        cut = run.text[:room]
        space = cut.rfind(" ")
        text = (cut[:space] if space > room // 2 else cut).rstrip()
        kept.append(Run(text + "…", run.bold))
        break
    return kept
