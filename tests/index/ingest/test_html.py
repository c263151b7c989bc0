"""HTML articles: the 11 real news pages of the shared benchmark, read in place, and broken pages.

The pages are never copied into the project: they are read from ``../shared/benchmarks/html``
beside the clone (or ``$VERBATIM_BENCH_DATA/html``), and the test fails, not skips, without them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from index.ingest.loader import load_corpus
from index.model import Document
from index.retrieval.corpus_index import CorpusIndex
from tests.conftest import ROOT
from tests.test_invariants import assert_verbatim

DATA = Path(os.environ.get("VERBATIM_BENCH_DATA", ROOT.parent / "shared" / "benchmarks")) / "html"
# The headline and published date each page states (og:title, its metadata / URL).
HEADLINES = {
    "bbc.com.52241221.html": ("New York ramps up mass burials amid virus outbreak", "2020-04-10"),
    "economist.com.thinking.html": (
        "Why collaborative thinking beats individual smarts",
        "2018-06-18",
    ),
    "edition.cnn.com-royal.html": (
        "What we learned from Harry and Meghan's explosive interview",
        "2021-03-08",
    ),
    "independent.co.uk.penalty.html": (
        "Falsely reporting a coronavirus contact to force them to self-isolate will receive "
        "£1,000 fine",
        "2020-09-28",
    ),
    "latimes.com.bloomberg.html": (
        "As his first debate nears, Bloomberg is having to answer about his past",
        "2020-02-19",
    ),
    "nytimes.com.blackouts.html": (
        "Rolling Blackouts in California Have Power Experts Stumped",
        "2020-08-16",
    ),
    "politico.com.retirement.html": (
        "Mark Meadows accused of timing retirement to help elect wife’s friend",
        "2019-12-30",
    ),
    "telegraph.co.uk.plumber.html": (
        "Plumber jailed after boiler killed millionaire's daughter",
        "2012-04-17",
    ),
    "theatlantic.com.disasters.html": (
        "How Can We Plan for the Future in California?",
        "2020-08-23",
    ),
    "timesofisrael.com.washington.html": (
        "State of Washington swears in first Native American-Jewish Supreme Court justice",
        "2020-01-08",
    ),
    "wired.com.burn.html": ("AI Can Do Great Things—if It Doesn't Burn the Planet", "2020-01-21"),
}


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, object]]:
    if not (DATA / "expected.json").is_file():
        pytest.fail(
            f"benchmark pages missing: expected {DATA}/expected.json (set VERBATIM_BENCH_DATA)"
        )
    pages: dict[str, dict[str, object]] = json.loads((DATA / "expected.json").read_text())["pages"]
    return pages


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    if not (DATA / "pages").is_dir():
        pytest.fail(f"benchmark pages missing: expected {DATA}/pages (set VERBATIM_BENCH_DATA)")
    copies = tmp_path_factory.mktemp("copies")
    loaded = load_corpus(DATA / "pages", pages=copies)
    assert loaded.skipped == ()
    return {Path(d.source or "").name: d for d in loaded.documents}


def test_every_page_keeps_its_main_text_and_drops_its_boilerplate(
    expected: dict[str, dict[str, list[str]]], extracted: dict[str, Document]
) -> None:
    assert set(extracted) == set(expected) and len(expected) == 11
    for name, wanted in expected.items():
        text = extracted[name].text
        missing = [s for s in wanted["with"] if s not in text]
        kept = [s for s in wanted["without"] if s in text]
        assert not missing and not kept, f"{name}: missing {missing}, boilerplate kept {kept}"


def test_titles_dates_and_canonical_urls(
    expected: dict[str, dict[str, str]], extracted: dict[str, Document]
) -> None:
    for name, (title, published) in HEADLINES.items():
        document = extracted[name]
        assert (document.title, document.published) == (title, published), name
        if document.url is not None:  # the canonical URL: same article path as the saved one
            assert urlparse(document.url).path == urlparse(expected[name]["url"]).path, name
    assert sum(d.url is not None for d in extracted.values()) >= 10


def test_quotes_are_slices_of_the_copy_on_disk_and_paragraphs_are_kept(
    extracted: dict[str, Document],
) -> None:
    index = CorpusIndex(list(extracted.values()))
    assert_verbatim(index)
    for document in extracted.values():
        assert Path(document.path).read_text(encoding="utf-8") == document.text
        assert document.source is not None and Path(document.source).parent == DATA / "pages"
        assert len(document.paragraphs) >= 8  # a news article, not one blob of text
    for passage in index.iter_passages():
        on_disk = Path(passage.document.path).read_text(encoding="utf-8")
        assert on_disk[passage.start : passage.end] == passage.text


def test_broken_pages_are_named_and_skipped_and_nothing_is_written_in_the_corpus(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.html").write_bytes(b"")
    (corpus / "binary.htm").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (corpus / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (corpus / "ok.html").write_text(
        "<html><head><title>Port strike ends</title>"
        "<meta property='article:published_time' content='2024-03-12T09:00:00Z'></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Port strike ends</h1>"
        + "".join(
            f"<p>Paragraph {n} of the story says the dock workers went back to work on "
            f"Tuesday &amp; the union called it a fair deal for everyone involved.</p>"
            for n in range(1, 5)
        )
        + "</article><footer>© News Ltd — Terms of Service</footer></body></html>"
    )
    before = sorted(p.name for p in corpus.iterdir())
    loaded = load_corpus(corpus, pages=tmp_path / "copies")
    reasons = {p.name: r for p, r in ((s.path, s.reason) for s in loaded.skipped)}
    assert reasons == {
        "empty.html": "empty file",
        "binary.htm": "binary file, not a web page",
        "menu.html": "no article text found in the page",
    }
    (document,) = loaded.documents
    assert document.title == "Port strike ends" and document.published == "2024-03-12"
    assert "Tuesday & the union" in document.text and "Terms of Service" not in document.text
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_the_persistent_index_keeps_copy_and_source_and_tidies_removed_pages(
    tmp_path: Path,
) -> None:
    from index.storage.opener import open_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("Note\n\nA short note stays in the corpus.\n")
    page = DATA / "pages" / "bbc.com.52241221.html"
    (corpus / "bbc.html").write_bytes(page.read_bytes())
    built = open_index(corpus, tmp_path / "idx")
    reopened = open_index(corpus, tmp_path / "idx")
    assert built.rebuilt and not reopened.rebuilt
    (document,) = [d for d in reopened.index.documents if d.source is not None]
    assert document.source == str(corpus / "bbc.html")
    assert Path(document.path).parent == tmp_path / "idx.pages"
    assert document.published == "2020-04-10" and document.url is not None
    assert Path(document.path).read_text(encoding="utf-8") == document.text
    (corpus / "bbc.html").unlink()
    after = open_index(corpus, tmp_path / "idx")
    assert [d.source for d in after.index.documents] == [None]
    assert not Path(document.path).exists()
    assert (tmp_path / "idx.pages" / "MADE-BY-VERBATIM.txt").is_file()


def test_a_folder_of_someone_else_where_copies_would_go_is_never_used(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bbc.html").write_bytes((DATA / "pages" / "bbc.com.52241221.html").read_bytes())
    (corpus / "note.txt").write_text("Note\n\nA short note stays in the corpus.\n")
    theirs = tmp_path / "copies"
    theirs.mkdir()
    (theirs / "thesis.txt").write_text("mine")
    loaded = load_corpus(corpus, pages=theirs)
    ((path, reason),) = [(s.path, s.reason) for s in loaded.skipped]
    assert path == corpus / "bbc.html" and "exists and is not Verbatim's" in reason
    assert sorted(p.name for p in theirs.iterdir()) == ["thesis.txt"]


def test_a_folder_of_copies_inside_the_corpus_is_not_read_as_articles(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bbc.html").write_bytes((DATA / "pages" / "bbc.com.52241221.html").read_bytes())
    first = load_corpus(corpus, pages=corpus / "copies")
    again = load_corpus(corpus, pages=corpus / "copies")
    assert len(first.documents) == len(again.documents) == 1
