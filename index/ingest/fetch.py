"""Polite, bounded HTTP GETs for feeds and pages (stdlib ``urllib``: blocking, no new dependency).

Users run feed pulls unattended, so every request is bounded and announces itself: a fixed
User-Agent naming Verbatim and its version, a timeout, a size cap (5 MB), a content-type check,
at most 5 redirects and only to http(s), conditional GET (ETag / Last-Modified) so an unchanged
feed costs a 304, robots.txt honoured for pages, and a delay between requests to one host
(``public_only``: no host on this machine or a private network, for URLs strangers choose). Bodies
are bytes handed to a parser; nothing downloaded is ever executed or rendered.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPMessage
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from index.errors import FetchError

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 15.0
MAX_REDIRECTS = 5
HOST_DELAY = 1.0
PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("xml", "rss", "atom")  # application/rss+xml, text/xml, application/atom+xml, ...
_CHUNK = 64 * 1024
_NOT_HTTP = "redirected to a URL that is not http(s)"
_NOT_PUBLIC = "not a public address: this machine or a private network"


def user_agent() -> str:
    """``Verbatim/0.1.0 (news quoting bot)``: who is asking, and which build."""
    try:
        release = version("verbatim")
    except PackageNotFoundError:
        release = "dev"
    return f"Verbatim/{release} (news quoting bot; python-urllib)"


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched body (``not_modified``: a 304, no body) with the validators for next time."""

    url: str
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class _PrivatePeer(OSError):
    """The connection reached a non-public address although the name looked public."""


def _public_connection(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
    """``socket.create_connection`` that refuses a non-public peer before a byte is sent.

    ``check_public`` reads DNS before the request; the connection resolves the name again, and
    a name can answer a public address first and a private one next (DNS rebinding). Checking
    the address actually connected to closes that gap."""
    sock = socket.create_connection(address, *args, **kwargs)  # type: ignore[arg-type]
    peer = str(sock.getpeername()[0])
    if not _is_public(peer):
        sock.close()
        raise _PrivatePeer(_NOT_PUBLIC)
    return sock


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPSConnection, req)


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def __init__(self, public_only: bool) -> None:
        self.public_only = public_only

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        target = urljoin(req.full_url, newurl)
        if urlsplit(target).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, _NOT_HTTP, headers, fp)
        if self.public_only:
            check_public(target)  # every hop, not only the first URL
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Fetcher:
    """Blocking GETs with the limits above; one per pull (it remembers hosts and robots.txt)."""

    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    host_delay: float = HOST_DELAY
    agent: str = field(default_factory=user_agent)
    # For URLs strangers choose (Discord's /import): refuse hosts on this machine or its private
    # networks, so the bot cannot be made to read (and then quote) what only it can reach.
    public_only: bool = False
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        # The strict opener checks the address each connection reaches, not only the DNS
        # answer read before it (``_public_connection``).
        self._openers = {
            False: urllib.request.build_opener(_Redirects(False)),
            True: urllib.request.build_opener(
                _Redirects(True), _PublicHTTPHandler(), _PublicHTTPSHandler()
            ),
        }

    def page(self, url: str, public_only: bool = False) -> Response:
        """An HTML page, if robots.txt lets Verbatim have it (``public_only``: for this page too,
        whatever the fetcher's own setting)."""
        check_url(url)
        strict = self.public_only or public_only
        if strict:
            check_public(url)  # before robots.txt: not even that is asked of such a host
        if not self.allowed(url, public_only=strict):
            raise FetchError(url, "robots.txt disallows it")
        return self.get(url, PAGE_TYPES, public_only=strict)

    def feed(self, url: str, etag: str | None = None, modified: str | None = None) -> Response:
        """A feed, conditionally: a ``not_modified`` response when it has not changed."""
        return self.get(url, FEED_TYPES, etag, modified)

    def get(
        self,
        url: str,
        accept: tuple[str, ...],
        etag: str | None = None,
        modified: str | None = None,
        public_only: bool = False,
    ) -> Response:
        """GET ``url`` within the limits; raises ``FetchError`` naming the reason."""
        check_url(url)
        strict = self.public_only or public_only
        if strict:
            check_public(url)
        headers = {"User-Agent": self.agent, "Accept": ", ".join(accept) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        self._wait_for(url)
        request = urllib.request.Request(url, headers=headers)
        try:
            with self._openers[strict].open(request, timeout=self.timeout) as reply:
                return self._read(url, reply, accept)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(url, b"", "", etag, modified, not_modified=True)
            if 300 <= exc.code < 400:
                # urllib refuses file:/data: targets itself ("... is not allowed"); we refuse ftp:.
                refused = exc.msg == _NOT_HTTP or "not allowed" in str(exc.msg)
                reason = _NOT_HTTP if refused else f"over {MAX_REDIRECTS} redirects"
                raise FetchError(url, reason) from exc
            raise FetchError(url, f"HTTP {exc.code}") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, _PrivatePeer):
                raise FetchError(url, _NOT_PUBLIC) from exc
            raise FetchError(url, _reason(exc.reason, self.timeout)) from exc
        except TimeoutError as exc:
            raise FetchError(url, f"timed out after {self.timeout:g} s") from exc
        except (OSError, ValueError) as exc:
            raise FetchError(url, str(exc) or type(exc).__name__) from exc

    def allowed(self, url: str, public_only: bool = False) -> bool:
        """robots.txt's verdict for our User-Agent (missing or 4xx: allowed; unreachable: not);
        ``public_only``: robots.txt is read under the page's own address check."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            known = origin in self._robots
        if not known:
            self._robots[origin] = self._read_robots(origin, public_only)
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(self.agent, url)

    def _read_robots(
        self, origin: str, public_only: bool = False
    ) -> urllib.robotparser.RobotFileParser | None:
        rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            body = self.get(origin + "/robots.txt", ("text/plain",), public_only=public_only).body
        except FetchError as exc:
            if exc.reason == _NOT_PUBLIC:
                raise  # the page's host refused as such, not as "robots.txt disallows it"
            if exc.reason.startswith("HTTP 4"):
                return None  # no robots.txt: everything is allowed
            rules.parse(["User-agent: *", "Disallow: /"])  # unreachable: assume nothing is
            return rules
        rules.parse(body.decode("utf-8", "replace").splitlines())
        return rules

    def _read(
        self, url: str, reply: urllib.response.addinfourl, accept: tuple[str, ...]
    ) -> Response:
        final = reply.geturl()
        kind = reply.headers.get_content_type()
        if accept != ("text/plain",) and not any(a in kind for a in accept):
            raise FetchError(url, f"not a {'page' if accept == PAGE_TYPES else 'feed'} ({kind})")
        length = reply.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(url, f"too large ({int(length):,} bytes, limit {self.max_bytes:,})")
        deadline = self.clock() + self.timeout
        chunks: list[bytes] = []
        size = 0
        while chunk := reply.read(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"too large (over the {self.max_bytes:,} byte limit)")
            if self.clock() > deadline:
                raise FetchError(url, f"timed out after {self.timeout:g} s")
            chunks.append(chunk)
        return Response(
            final,
            b"".join(chunks),
            kind,
            reply.headers.get("ETag"),
            reply.headers.get("Last-Modified"),
        )

    def _wait_for(self, url: str) -> None:
        """Keep ``host_delay`` seconds between two requests to one host."""
        host = urlsplit(url).netloc
        with self._lock:
            last = self._last.get(host)
            now = self.clock()
            wait = 0.0 if last is None else max(0.0, last + self.host_delay - now)
            self._last[host] = now + wait
        if wait:
            self.sleep(wait)


def check_url(url: str) -> None:
    """Only absolute http(s) URLs are fetched (no file:, ftp:, data: ...)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http:// and https:// URLs can be fetched")


def check_public(url: str) -> None:
    """Refuse a host that is, or resolves to, a loopback, private, link-local or reserved
    address (``FetchError``). Checked before connecting (so not even robots.txt is asked of such
    a host), and again on the address each connection reaches (``_public_connection``), so a DNS
    answer that changes between the two is caught too."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise FetchError(url, "unknown host") from exc
    for info in infos:
        if not _is_public(str(info[4][0])):
            raise FetchError(url, _NOT_PUBLIC)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # "::ffff:127.0.0.1" is loopback
    return ip.is_global and not ip.is_multicast


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return str(getattr(reason, "strerror", None) or reason)
