"""``feeds pull`` and ``import``: new feed items and single pages saved as articles of a corpus.

For each feed (RSS 2.0, Atom; parsed by feedparser): a conditional GET (a 304 costs nothing),
then each item not in the ledger (``index.ingest.ledger``) has its page fetched politely
(``index.ingest.fetch``), extracted (``index.ingest.html``) and saved as Markdown with front
matter (``index.ingest.articles``): URL = the item's link, date = the item's date (else the
page's). One failing item or feed never stops the others; each feed yields one report line.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from index.errors import ArticleError, ExtractionError, FetchError
from index.ingest.articles import save_article
from index.ingest.dates import normalize_date
from index.ingest.fetch import Fetcher, check_public
from index.ingest.html import HTML_SUFFIXES, clean_text, extract_page
from index.ingest.ledger import Ledger, open_ledger
from index.ingest.loader import read_article

# Links, titles and reasons come from other people's feeds and pages: no control character
# (a terminal escape sequence, a fake log line) survives into a report line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FEEDS_FOLDER = "feeds"
IMPORTED_FOLDER = "imported"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeedReport:
    """What one pull of one feed did: saved files, items already had, items that failed."""

    feed: str
    new: tuple[Path, ...] = ()
    had: int = 0
    failed: tuple[str, ...] = ()
    error: str | None = None
    unchanged: bool = False

    def line(self) -> str:
        """``<feed>: 3 new, 5 already had, 1 failed (<link>: HTTP 404)``."""
        if self.error is not None:
            return _plain(f"{self.feed}: failed: {self.error}")
        if self.unchanged:
            return _plain(f"{self.feed}: unchanged since the last pull (HTTP 304), 0 new")
        parts = [f"{len(self.new)} new", f"{self.had} already had"]
        if self.failed:
            parts.append(f"{len(self.failed)} failed ({'; '.join(self.failed)})")
        return _plain(f"{self.feed}: " + ", ".join(parts))


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What importing one URL or file did: the saved article, one already had, or why not."""

    target: str
    title: str | None = None
    path: Path | None = None
    had: bool = False
    error: str | None = None

    def line(self) -> str:
        if self.error is not None:
            return _plain(f"{self.target}: failed: {self.error}")
        state = "already had" if self.had else "saved"
        return _plain(f"{self.target}: {state} “{self.title}” ({self.path})")


def _plain(line: str) -> str:
    return _CONTROL.sub("", line)


def pull_feeds(corpus: Path, feeds: Sequence[str], fetcher: Fetcher) -> list[FeedReport]:
    """Pull every feed into ``corpus``; one report per feed, in order."""
    reports = []
    with open_ledger(corpus) as ledger:
        for feed in feeds:
            try:
                reports.append(_pull(corpus, feed, fetcher, ledger))
            except FetchError as exc:
                reports.append(FeedReport(feed, error=exc.reason))
            except Exception as exc:  # one broken feed must not stop the others
                log.exception("pulling %s failed", feed)
                reports.append(FeedReport(feed, error=f"unexpected error ({type(exc).__name__})"))
            ledger.save()
    return reports


def import_pages(
    corpus: Path, targets: Sequence[str], fetcher: Fetcher, files: bool = True
) -> list[ImportReport]:
    """Import each URL (fetched politely) or, when ``files``, saved ``.html`` file into
    ``corpus/imported``."""
    reports = []
    with open_ledger(corpus) as ledger:
        for target in targets:
            try:
                reports.append(_import(corpus, target, fetcher, ledger, files))
            except (FetchError, ExtractionError, OSError) as exc:
                reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
                reports.append(ImportReport(target, error=str(reason)))
            except Exception as exc:
                log.exception("importing %s failed", target)
                reports.append(
                    ImportReport(target, error=f"unexpected error ({type(exc).__name__})")
                )
    return reports


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a feed: its key (guid, else link), link, title and date (ISO 8601)."""

    key: str
    link: str
    title: str
    published: str | None


def feed_items(body: bytes, url: str, content_type: str = "") -> list[FeedItem] | None:
    """The items of an RSS or Atom feed (feedparser), links resolved against ``url``; None when
    ``body`` is no feed at all."""
    import feedparser  # imported lazily: only pulls need it

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        return None
    items = []
    for entry in parsed.entries:
        link = str(entry.get("link") or "").strip()
        title = clean_text(str(entry.get("title") or ""))
        items.append(
            FeedItem(str(entry.get("id") or link).strip(), link, title, _entry_date(entry))
        )
    return items


def _pull(corpus: Path, feed: str, fetcher: Fetcher, ledger: Ledger) -> FeedReport:
    known = ledger.feeds.get(feed, {})
    response = fetcher.feed(feed, known.get("etag"), known.get("modified"))
    if response.not_modified:
        return FeedReport(feed, unchanged=True)
    items = feed_items(response.body, response.url, response.content_type)
    if items is None:
        return FeedReport(feed, error="not an RSS or Atom feed")
    ledger.feeds[feed] = {
        k: v for k, v in (("etag", response.etag), ("modified", response.last_modified)) if v
    }
    # A public feed's items must link to public pages: a feed someone else publishes must not make
    # Verbatim read (and then quote) a page on this machine or its private network.
    strict = is_public(feed)
    new: list[Path] = []
    had, failed = 0, []
    for item in items:
        if not item.link:
            failed.append(f"item {item.key or '(no id)'}: no link")
        elif ledger.has(item.key) or ledger.has(item.link):
            had += 1
        else:
            try:
                new.append(_save_item(corpus, feed, item, fetcher, ledger, strict))
            except (FetchError, ExtractionError) as exc:
                failed.append(f"{item.link}: {exc.reason}")
            except OSError as exc:
                failed.append(f"{item.link}: cannot save ({exc.strerror or exc})")
    return FeedReport(feed, tuple(new), had, tuple(failed))


def _save_item(
    corpus: Path, feed: str, item: FeedItem, fetcher: Fetcher, ledger: Ledger, strict: bool
) -> Path:
    response = fetcher.page(item.link, public_only=strict)
    page = extract_page(response.body, url=response.url)
    published = item.published or normalize_date(page.published)
    extracted = replace(page, title=item.title or page.title)
    path = save_article(corpus, FEEDS_FOLDER, extracted, item.link, published, {"feed": feed})
    relative = path.relative_to(corpus).as_posix()
    ledger.add(item.key, relative)
    ledger.add(item.link, relative)
    return path


def is_public(url: str) -> bool:
    """True when ``url``'s host is a public address (not this machine, not a private network)."""
    try:
        check_public(url)
    except FetchError:
        return False
    return True


def _import(
    corpus: Path, target: str, fetcher: Fetcher, ledger: Ledger, files: bool
) -> ImportReport:
    if urlsplit(target).scheme in ("http", "https") or not files:
        if (had := _had(corpus, target, ledger, target)) is not None:
            return had
        response = fetcher.page(target)
        page, url, keys = extract_page(response.body, url=response.url), target, [target]
    else:
        raw, key = _read_page_file(corpus, target)
        if (had := _had(corpus, target, ledger, key)) is not None:
            return had
        page = extract_page(raw)
        url, keys = page.url or "", [key]
    path = save_article(corpus, IMPORTED_FOLDER, page, url, normalize_date(page.published), {})
    for key in keys:
        ledger.add(key, path.relative_to(corpus).as_posix())
    return ImportReport(target, page.title or path.stem, path)


def _read_page_file(corpus: Path, target: str) -> tuple[bytes, str]:
    path = Path(target)
    if path.suffix.lower() not in HTML_SUFFIXES:
        raise ExtractionError("not a URL or a saved .html/.htm page")
    if path.resolve().is_relative_to(corpus.resolve()):
        raise ExtractionError("already in the corpus (pages there are read as they are)")
    raw = path.read_bytes()
    return raw, "sha256:" + hashlib.sha256(raw).hexdigest()


def _had(corpus: Path, target: str, ledger: Ledger, key: str) -> ImportReport | None:
    """The article ``key`` was saved as, if it is still there. An import asked for again after
    its article was deleted saves it anew (a feed item, by contrast, never comes back)."""
    if not ledger.has(key):
        return None
    path = corpus / ledger.items[key]
    try:
        title = read_article(path).title
    except ArticleError:
        return None
    return ImportReport(target, title, path, had=True)


def _entry_date(entry: Any) -> str | None:
    """The item's own date (published, else updated), as feedparser read it (UTC)."""
    for name in ("published_parsed", "updated_parsed"):
        value = entry.get(name)
        if isinstance(value, time.struct_time):
            return datetime(*value[:6], tzinfo=UTC).isoformat()
    return None
