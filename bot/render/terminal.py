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
from typing import TextIO

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
