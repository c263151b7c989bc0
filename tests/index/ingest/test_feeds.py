"""Feeds end to end over loopback: pull saves exactly the good items, names the bad ones, a second
pull saves nothing, and ``ask`` quotes the saved items with the item's link and date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.feed_site import ATOM_STORIES, STORIES, feed_site, page_html
from bot.cli.main import main
from index.ingest.dates import display_date
from index.ingest.feeds import pull_feeds
from index.ingest.fetch import Fetcher, FetchError
from index.ingest.ledger import NAME
from index.ingest.loader import load_corpus


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VERBATIM_FEEDS", "VERBATIM_CORPUS_DIR", "VERBATIM_INDEX_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VERBATIM_FETCH_TIMEOUT", "1")
    monkeypatch.setenv("VERBATIM_FETCH_DELAY", "0")


def _fetcher() -> Fetcher:
    return Fetcher(timeout=1.0, host_delay=0.0)


def test_pull_saves_the_good_items_names_the_bad_and_never_saves_twice(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    with feed_site(slow_seconds=2.5) as site:
        feeds = [f"{site.base}/rss.xml", f"{site.base}/atom.xml"]
        rss, atom = pull_feeds(corpus, feeds, _fetcher())
        assert (len(rss.new), len(atom.new), rss.had, atom.had) == (2, 1, 0, 0)
        reasons = dict(line.split(": ", 1) for line in rss.failed)
        assert reasons == {
            f"{site.base}/news/missing.html": "HTTP 404",
            f"{site.base}/news/huge.html": "too large (over the 5,242,880 byte limit)",
            f"{site.base}/news/slow.html": "timed out after 1 s",
            f"{site.base}/private/secret.html": "robots.txt disallows it",
        }
        assert "2 new, 0 already had, 4 failed (" in rss.line() and "HTTP 404" in rss.line()
        assert site.hits("/private/secret.html") == 0
        assert all(agent.startswith("Verbatim/") for _, agent in site.requests)

        again = pull_feeds(corpus, feeds, _fetcher())
        assert [len(r.new) for r in again] == [0, 0]
        assert again[0].had == 2 and again[1].unchanged
        assert "unchanged since the last pull (HTTP 304)" in again[1].line()
    saved = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.md"))
    assert saved == [
        "feeds/127-0-0-1/glacier-survey.md",
        "feeds/127-0-0-1/harbour-cranes.md",
        "feeds/127-0-0-1/tram-line.md",
    ]
    assert (corpus / NAME).is_file()
    documents = {d.title: d for d in load_corpus(corpus).documents}
    for story in (*STORIES, *ATOM_STORIES):
        document = documents[story.title]
        assert document.url == f"{site.base}/news/{story.slug}.html"
        assert document.published == story.date_iso
        assert story.sentences[0] in document.text and "Terms of Service" not in document.text
        assert "never run" not in document.text


def test_one_failing_feed_does_not_stop_the_others(tmp_path: Path) -> None:
    with feed_site() as site:
        reports = pull_feeds(
            tmp_path / "c",
            [
                f"{site.base}/nope.xml",
                f"{site.base}/news/harbour-cranes.html",
                f"{site.base}/atom.xml",
            ],
            _fetcher(),
        )
    assert reports[0].line().endswith("failed: HTTP 404")
    assert "failed: not a feed (text/html)" in reports[1].line()
    assert len(reports[2].new) == 1


def test_fetcher_refuses_what_is_not_http(tmp_path: Path) -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)"):
        with pytest.raises(FetchError, match="only http"):
            _fetcher().page(url)


def test_fetcher_bounds_redirects_checks_types_and_waits_between_requests_to_a_host() -> None:
    waits: list[float] = []
    with feed_site() as site:
        fetcher = Fetcher(timeout=1.0, host_delay=0.5, clock=lambda: 100.0, sleep=waits.append)
        assert fetcher.page(f"{site.base}/moved").url == f"{site.base}/news/harbour-cranes.html"
        with pytest.raises(FetchError, match="over 5 redirects"):
            fetcher.page(f"{site.base}/hop/0")
        assert site.hits("/hop/5") == 1 and site.hits("/hop/6") == 0
        with pytest.raises(FetchError, match="redirected to a URL that is not http"):
            fetcher.page(f"{site.base}/to-file")
        with pytest.raises(FetchError, match=r"not a page \(image/png\)"):
            fetcher.page(f"{site.base}/image.png")
        first = fetcher.feed(f"{site.base}/atom.xml")
        second = fetcher.feed(f"{site.base}/atom.xml", first.etag, first.last_modified)
    assert first.etag and not first.not_modified and second.not_modified and not second.body
    # The clock stands still, so each request to the host waits 0.5 s more than the one before.
    assert waits[:3] == pytest.approx([0.5, 1.0, 1.5])


def test_cli_pull_then_ask_quotes_the_item_with_its_link_and_date(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    with feed_site(slow_seconds=2.5) as site:
        args = ["feeds", "pull", "--corpus", str(corpus), "--feed", f"{site.base}/rss.xml"]
        assert main(args) == 0
        first = capsys.readouterr().out.splitlines()
        assert main(args) == 0
        second = capsys.readouterr().out.splitlines()
    assert len(first) == 1 and first[0].startswith(f"{site.base}/rss.xml: 2 new, 0 already had")
    assert second == [
        f"{site.base}/rss.xml: 0 new, 2 already had, 4 failed ("
        + second[0].split(" failed (", 1)[1]
    ]
    assert (
        main(
            [
                "ask",
                "--json",
                "--corpus",
                str(corpus),
                "How much of a pay rise did dock workers accept?",
            ]
        )
        == 0
    )
    answer = json.loads(capsys.readouterr().out)
    quote = answer["quotes"][0]
    assert quote["text"] == STORIES[0].sentences[1]
    assert quote["url"] == f"{site.base}/news/harbour-cranes.html"
    assert quote["published"] == STORIES[0].date_iso
    on_disk = Path(quote["path"]).read_text(encoding="utf-8")
    assert on_disk[quote["start"] : quote["end"]] == quote["text"]
    assert main(["ask", "--corpus", str(corpus), "What did the glacier survey find?"]) == 0
    assert f"· {display_date(STORIES[1].date_iso)} · {site.base}/news/glacier-survey.html" in (
        capsys.readouterr().out
    )


def test_cli_pull_without_feeds_or_with_a_bad_one_exits_2(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["feeds", "pull", "--corpus", str(tmp_path)]) == 2
    assert "no feeds" in capsys.readouterr().err
    assert main(["feeds", "pull", "--corpus", str(tmp_path), "--feed", "ftp://x/feed"]) == 2
    assert "not an http" in capsys.readouterr().err


def test_import_a_url_and_a_saved_page_once_each(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    saved = tmp_path / "saved.html"
    with feed_site() as site:
        url = f"{site.base}/news/tram-line.html"
        saved.write_bytes(page_html(STORIES[1]))
        targets = [url, str(saved), f"{site.base}/news/missing.html"]
        assert main(["import", "--corpus", str(corpus), *targets]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert main(["import", "--corpus", str(corpus), url, str(saved)]) == 0
        again = capsys.readouterr().out.splitlines()
        tram = corpus / "imported" / "127-0-0-1" / "tram-line.md"
        tram.unlink()  # the user deleted the article: asking for the page again saves it anew
        assert main(["import", "--corpus", str(corpus), url]) == 0
        anew = capsys.readouterr().out
    assert lines[0] == f"{url}: saved “New tram line opens in Kessing” ({tram})"
    assert lines[1].startswith(f"{saved}: saved “Glacier survey finds faster melt”")
    assert lines[2] == f"{site.base}/news/missing.html: failed: HTTP 404"
    assert again[0] == f"{url}: already had “New tram line opens in Kessing” ({tram})"
    assert again[1].startswith(f"{saved}: already had “Glacier survey finds faster melt”")
    assert anew.startswith(f"{url}: saved “New tram line opens in Kessing”") and tram.is_file()
    assert len(list(corpus.rglob("*.md"))) == 2


def test_pull_never_overwrites_a_file_already_there(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    mine = corpus / "feeds" / "127-0-0-1" / "tram-line.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("My own notes, not from any feed.\n")
    with feed_site() as site:
        (report,) = pull_feeds(corpus, [f"{site.base}/atom.xml"], _fetcher())
    assert report.new == (mine.with_name("tram-line-2.md"),)
    assert mine.read_text() == "My own notes, not from any feed.\n"
    assert not [p for p in mine.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_report_lines_carry_no_control_characters() -> None:
    from index.ingest.feeds import FeedReport, ImportReport

    feed = FeedReport("http://x/feed\x1b[31m", failed=("http://y/\x1b]0;pwned\x07a: HTTP 404",))
    page = ImportReport("http://z/\x1b[2J", title="Title\r\nverbatim: fake log line")
    for line in (feed.line(), page.line()):
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in line), repr(line)
    assert "http://y/]0;pwneda: HTTP 404" in feed.line()


def test_an_unwritable_corpus_is_one_clear_error(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with feed_site() as site:
        code = main(
            ["feeds", "pull", "--corpus", str(blocker / "c"), "--feed", f"{site.base}/atom.xml"]
        )
    err = capsys.readouterr().err
    assert code == 2 and f"cannot save articles into {blocker / 'c'}" in err
    assert "Traceback" not in err


def test_the_two_real_feeds_parse_into_items_with_keys_links_and_dates() -> None:
    from index.ingest.feeds import FeedItem, feed_items
    from tests.index.ingest.test_html import DATA

    atom = feed_items((DATA / "feed1.atom").read_bytes(), "http://example.org/feed")
    rss = feed_items((DATA / "feed2.rss").read_bytes(), "http://www.example.com/rss")
    assert atom is not None and rss is not None
    assert [(i.key, i.title, i.published) for i in atom] == [
        (
            "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
            "Atom-Powered Robots Run Amok",
            "2003-12-13T18:30:02+00:00",
        ),
        (
            "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa60",
            "Self-referenced link",
            "2003-12-13T18:30:02+00:00",
        ),
    ]
    assert atom[0].link == "http://example.org/2003/12/13/atom03"
    assert rss == [
        FeedItem(
            "7bd204c6-1655-4c27-aeee-53f933c5395f",
            "http://www.example.com/blog/post/1",
            "Example entry",
            "2009-09-06T16:20:00+00:00",
        )
    ]
    assert feed_items(b"<html><body>not a feed</body></html>", "http://x/") is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.1.2.3/",
        "http://169.254.169.254/",
        "http://[::1]/",
    ],
)
def test_public_only_fetchers_refuse_this_machine_and_private_networks(url: str) -> None:
    with pytest.raises(FetchError, match="not a public address"):
        Fetcher(public_only=True).page(url)


def test_public_only_applies_to_every_redirect_hop() -> None:
    from index.ingest.fetch import check_public

    check_public("http://93.184.215.14/")  # a public literal passes (no DNS, no request)
    with feed_site() as site, pytest.raises(FetchError, match="not a public address"):
        Fetcher(public_only=True, timeout=1.0).page(f"{site.base}/moved")


def test_items_of_a_public_feed_must_link_to_public_pages() -> None:
    from index.ingest.feeds import is_public

    assert is_public("http://93.184.215.14/rss.xml")  # a public literal: its items are checked
    assert not is_public("http://127.0.0.1:8080/rss.xml")  # a local feed may link locally
    with feed_site() as site, pytest.raises(FetchError, match="not a public address"):
        _fetcher().page(f"{site.base}/news/harbour-cranes.html", public_only=True)
    assert site.requests == []


def test_pull_checks_the_items_of_a_public_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.ingest import feeds

    monkeypatch.setattr(feeds, "is_public", lambda url: True)  # as if the feed were on the web
    with feed_site() as site:
        (report,) = pull_feeds(tmp_path / "c", [f"{site.base}/atom.xml"], _fetcher())
    assert report.new == () and report.failed == (
        f"{site.base}/news/tram-line.html: not a public address: this machine or a private network",
    )


def test_a_name_that_resolves_to_this_machine_at_connect_time_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # DNS rebinding: the name answers a public address when checked, then this machine's when
    # the connection resolves it again. Here the check is made to pass, as such a DNS answer
    # would; the address the connection reaches must still be refused, before any request.
    from index.ingest import fetch

    monkeypatch.setattr(fetch, "check_public", lambda url: None)
    with feed_site() as site:
        with pytest.raises(FetchError, match="not a public address"):
            Fetcher(public_only=True, timeout=1.0).page(f"{site.base}/news/harbour-cranes.html")
        with pytest.raises(FetchError, match="not a public address"):
            _fetcher().page(f"{site.base}/news/harbour-cranes.html", public_only=True)
        assert site.requests == []  # neither the page nor robots.txt was asked for
        # the same fetcher without the address check reads the page
        assert _fetcher().page(f"{site.base}/news/harbour-cranes.html").body
