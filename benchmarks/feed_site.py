"""A loopback news site for the feed tests and benchmark: RSS and Atom feeds linking to its pages.

Served by ``http.server`` on 127.0.0.1, port 0, in a thread. Besides good pages it has a 404, an
oversize page (no Content-Length, more than 5 MB streamed), a slow page (answers after
``slow_seconds``), a page robots.txt disallows, and an Atom feed that answers 304 to a request
carrying its ETag; ``/bulk.xml`` lists ``bulk`` generated stories (the timing benchmark).
``requests`` records every path asked for, with its User-Agent.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ETAG = '"atom-v1"'


@dataclass(frozen=True, slots=True)
class Story:
    slug: str
    title: str
    date_rss: str
    date_iso: str
    sentences: tuple[str, ...]


STORIES = (
    Story(
        "harbour-cranes",
        "Harbour cranes return after strike",
        "Tue, 12 Mar 2024 09:30:00 GMT",
        "2024-03-12T09:30:00+00:00",
        (
            "The harbour cranes at Port Elling moved again on Tuesday after a nine-day strike.",
            "Dock workers accepted a pay rise of 6 percent, the union said.",
            "Ships that had queued off the coast began unloading by noon.",
        ),
    ),
    Story(
        "glacier-survey",
        "Glacier survey finds faster melt",
        "Wed, 13 Mar 2024 10:00:00 GMT",
        "2024-03-13T10:00:00+00:00",
        (
            "A survey of the Vessel glacier found it lost 40 metres of ice in a decade.",
            "The researchers used drones to measure the ice surface every summer.",
            "Melt water now reaches the valley three weeks earlier than in 1990.",
        ),
    ),
)
ATOM_STORIES = (
    Story(
        "tram-line",
        "New tram line opens in Kessing",
        "",
        "2024-03-14T08:00:00+00:00",
        (
            "The new tram line in Kessing carried 12,000 passengers on its first day.",
            "The line links the central station with the university campus.",
            "Trams run every six minutes during the morning peak.",
        ),
    ),
)


def page_html(story: Story) -> bytes:
    paragraphs = "".join(f"<p>{s} {s}</p>" for s in story.sentences)
    return (
        "<!doctype html><html><head>"
        f"<title>{story.title} | Loopback News</title>"
        f'<meta property="og:title" content="{story.title}">'
        "<script>document.write('never run');</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{story.title}</h1>{paragraphs}</article>"
        "<footer>Copyright Loopback News. Terms of Service.</footer></body></html>"
    ).encode()


def rss(base: str) -> bytes:
    items = [
        f"<item><title>{s.title}</title><link>{base}/news/{s.slug}.html</link>"
        f"<guid>{base}/news/{s.slug}</guid><pubDate>{s.date_rss}</pubDate></item>"
        for s in STORIES
    ]
    items += [
        f"<item><title>Missing</title><link>{base}/news/missing.html</link></item>",
        f"<item><title>Huge</title><link>{base}/news/huge.html</link></item>",
        f"<item><title>Slow</title><link>{base}/news/slow.html</link></item>",
        f"<item><title>Private</title><link>{base}/private/secret.html</link></item>",
    ]
    return _channel(base, items)


def bulk_rss(base: str, count: int) -> bytes:
    """``count`` generated stories, each linking to its page on the site."""
    items = [
        f"<item><title>Bulk story {n}</title><link>{base}/bulk/{n}.html</link>"
        f"<pubDate>Fri, 15 Mar 2024 {n % 24:02d}:00:00 GMT</pubDate></item>"
        for n in range(count)
    ]
    return _channel(base, items)


def _channel(base: str, items: list[str]) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback News</title>'
        f"<link>{base}/</link><description>Test feed</description>{''.join(items)}"
        "</channel></rss>"
    ).encode()


def atom(base: str) -> bytes:
    entries = "".join(
        f'<entry><title>{s.title}</title><link href="{base}/news/{s.slug}.html"/>'
        f"<id>tag:loopback,2024:{s.slug}</id><updated>{s.date_iso}</updated></entry>"
        for s in ATOM_STORIES
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Loopback Atom</title><id>tag:loopback,2024:feed</id>"
        f"<updated>2024-03-14T08:00:00Z</updated>{entries}</feed>"
    ).encode()


def bulk_page(n: int) -> bytes:
    return page_html(
        Story(
            f"bulk-{n}",
            f"Bulk story {n}",
            "",
            "",
            tuple(
                f"Report {n} notes that item {n * 7 + k} of the archive was catalogued "
                f"by volunteers in section {k}."
                for k in range(6)
            ),
        )
    )


@dataclass
class FeedSite:
    """The running site: its base URL and what was asked of it."""

    base: str = ""
    slow_seconds: float = 3.0
    bulk: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)

    def hits(self, path: str) -> int:
        return sum(1 for asked, _ in self.requests if asked == path)


def _handler(site: FeedSite) -> type[BaseHTTPRequestHandler]:
    pages = {f"/news/{s.slug}.html": page_html(s) for s in (*STORIES, *ATOM_STORIES)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            if self.path == "/robots.txt":
                self._send(200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
            elif self.path == "/rss.xml":
                self._send(200, "application/rss+xml", rss(site.base))
            elif self.path == "/bulk.xml":
                self._send(200, "application/rss+xml", bulk_rss(site.base, site.bulk))
            elif self.path == "/atom.xml":
                if self.headers.get("If-None-Match") == ETAG:
                    self._send(304, "application/atom+xml", b"")
                else:
                    self._send(200, "application/atom+xml", atom(site.base), {"ETag": ETAG})
            elif self.path in pages:
                self._send(200, "text/html; charset=utf-8", pages[self.path])
            elif self.path.startswith("/bulk/") and self.path.endswith(".html"):
                self._send(200, "text/html; charset=utf-8", bulk_page(int(self.path[6:-5])))
            elif self.path.startswith("/hop/"):  # /hop/N redirects to /hop/N+1, forever
                self._redirect(f"/hop/{int(self.path[5:]) + 1}")
            elif self.path == "/to-file":
                self._redirect("file:///etc/passwd")
            elif self.path == "/moved":
                self._redirect("/news/harbour-cranes.html")
            elif self.path == "/image.png":
                self._send(200, "image/png", b"\x89PNG\r\n\x1a\n")
            elif self.path == "/news/huge.html":
                self._stream_huge()
            elif self.path == "/news/slow.html":
                time.sleep(site.slow_seconds)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client left
                    self._send(200, "text/html", pages["/news/harbour-cranes.html"])
            else:
                self._send(404, "text/html", b"<h1>Not found</h1>")

        def _send(
            self, status: int, kind: str, body: bytes, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _stream_huge(self) -> None:
            """More than 5 MB with no Content-Length: only counting while reading catches it."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"padding " * 8192 + b"</p>"
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for _ in range(6 * 1024 * 1024 // len(chunk) + 2):
                    self.wfile.write(chunk)
            self.close_connection = True

    return Handler


@contextmanager
def feed_site(slow_seconds: float = 3.0, bulk: int = 0) -> Iterator[FeedSite]:
    """Serve the site on 127.0.0.1 (a free port) for the duration of the block."""
    site = FeedSite(slow_seconds=slow_seconds, bulk=bulk)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
