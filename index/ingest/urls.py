"""An article's URL, checked at load: an ``http(s)://`` address on one line, or nothing.

The URL is shown with every quote and becomes a link in Discord, so a value that is not an
address (``url: not a url``, a ``javascript:`` link, a value with spaces or control characters)
is dropped with a warning naming the file, rather than shown as if it were the source.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
MAX_LENGTH = 2048
_BARE_HOST = re.compile(r"^[\w.-]+\.[a-z]{2,}(?:[/?#]\S*)?$", re.IGNORECASE)
# An http(s) URL whose host is plain letters, digits, dots and dashes (no user, no port) and the
# rest printable ASCII: ``urlsplit`` finds the scheme and a host in it and no port, so
# ``is_web_url`` accepts it without splitting it (~5 µs of every article's ~30 µs parse).
_PLAIN_WEB_URL = re.compile(r"https?://[a-z0-9.-]+(?:[/?#][!-~]*)?", re.IGNORECASE)


def article_url(value: str | None, path: str) -> str | None:
    """``value`` as an http(s) URL (``example.org/x`` gets ``https://``), or None with a warning."""
    if value is None:
        return None
    url = f"https://{value}" if _BARE_HOST.match(value) and "://" not in value else value
    if is_web_url(url):
        return url
    log.warning("%s: its URL %r is not an http(s) address; shown without one", path, value[:200])
    return None


def is_web_url(url: str) -> bool:
    if len(url) > MAX_LENGTH:
        return False
    return _PLAIN_WEB_URL.fullmatch(url) is not None or split_web_url(url)


def split_web_url(url: str) -> bool:
    """``is_web_url`` by splitting the URL (every URL but the plainest)."""
    if len(url) > MAX_LENGTH or has_blank_or_control(url):
        return False
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(hostname)


def has_blank_or_control(text: str) -> bool:
    """Whether a character of ``text`` is a space or a control character. In ASCII those are
    the space and the characters that are not printable (every article has a URL to check:
    asking each character's category cost ~30 µs an article)."""
    if text.isascii():
        return " " in text or not text.isprintable()
    return any(_is_blank_or_control(char) for char in text)


def _is_blank_or_control(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")
