"""Quotes are verbatim by construction: every passage is a slice of its document's text."""

from __future__ import annotations

from pathlib import Path

from index.ingest.articles import save_article
from index.ingest.html import extract_page
from index.ingest.loader import load_corpus, parse_text_article
from index.retrieval.corpus_index import CorpusIndex
from tests.conftest import SEEDS
from tests.support.builders import article_text, index_of

TRICKY_PARAGRAPHS = [
    "The U.S. Army’s Lt. Gen. Smith said “no.” Between 10,000 and 12,000 troops… maybe.",
    "Prices rose 2.5% in 2022! Did they? Yes — Zelenskyy’s café, Київ.",
]
TRICKY_TEXT = article_text("Tricky — text", TRICKY_PARAGRAPHS, "example.org")
TRICKY = parse_text_article(TRICKY_TEXT, "tricky.txt")


def assert_verbatim(index: CorpusIndex, written: dict[str, str] | None = None) -> None:
    """Each passage is ``written[path][start:end]``: the article as given (by default, its file's
    bytes as decoded), never the index's own copy of it."""
    assert len(index) > 0
    if written is None:
        paths = {document.path for document in index.documents}
        written = {path: Path(path).read_bytes().decode("utf-8") for path in paths}
    for passage in index.iter_passages():
        assert written[passage.document.path][passage.start : passage.end] == passage.text
        assert passage.text == passage.text.strip() and passage.text
        paragraph = passage.document.paragraphs[passage.paragraph - 1]
        assert paragraph.start <= passage.start < passage.end <= paragraph.end


def test_every_shipped_passage_is_a_slice_of_its_file() -> None:
    assert_verbatim(CorpusIndex(load_corpus(SEEDS).documents))


def test_every_test_article_passage_is_a_slice() -> None:
    assert_verbatim(index_of(TRICKY), {"tricky.txt": TRICKY_TEXT})
    texts = [p.text for p in index_of(TRICKY).iter_passages()]
    assert "The U.S. Army’s Lt. Gen. Smith said “no.”" in texts


def test_sentences_are_numbered_within_paragraphs() -> None:
    index = CorpusIndex(load_corpus(SEEDS).documents)
    for previous, passage in zip(
        list(index.iter_passages()), list(index.iter_passages())[1:], strict=False
    ):
        if passage.paragraph == previous.paragraph:
            assert passage.sentence == previous.sentence + 1
        else:
            assert passage.sentence == 1


def test_every_passage_of_html_and_feed_articles_is_a_slice_of_the_file_named(
    tmp_path: Path,
) -> None:
    """A page in the corpus is quoted from its plain-text copy, a feed item from the Markdown
    file it was saved as: in both, ``path`` names a file whose text holds every quote."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = (
        "<html><head><title>Vote count</title></head><body><nav>Menu</nav><article>"
        "<p>The count ended at 2 a.m. on Friday &mdash; officials said turnout was 61.5%.</p>"
        "<p>“We’re done,” the clerk said.   Observers   agreed. Recounts? None.</p>"
        "<p>Results go to the U.S. Election Assistance Commission next week.</p>"
        "</article></body></html>"
    ).encode()
    (corpus / "vote.html").write_bytes(page)
    extracted = extract_page(page)
    save_article(corpus, "feeds", extracted, "https://feed.example/vote", "2024-03-12", {})
    loaded = load_corpus(corpus, pages=tmp_path / "copies")
    assert loaded.skipped == () and len(loaded.documents) == 2
    index = CorpusIndex(loaded.documents)
    assert_verbatim(index)
    for passage in index.iter_passages():
        raw = Path(passage.document.path).read_bytes().decode("utf-8")
        assert raw[passage.start : passage.end] == passage.text
    texts = {p.text for p in index.iter_passages()}
    assert "“We’re done,” the clerk said." in texts and "Observers agreed." in texts
