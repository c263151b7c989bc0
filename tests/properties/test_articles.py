"""Any bytes in an article file: either a named skip or quotes that are exact slices of the file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index.errors import ArticleError
from index.ingest.loader import parse_article_bytes
from index.retrieval.corpus_index import CorpusIndex
from tests.properties.strategies import article_bytes

EXAMPLES = 100


@settings(max_examples=EXAMPLES, deadline=None)
@given(raw=article_bytes(), suffix=st.sampled_from([".txt", ".md"]))
def test_article_bytes_load_verbatim_or_are_named(raw: bytes, suffix: str) -> None:
    path = Path(f"article{suffix}")
    try:
        document = parse_article_bytes(raw, path)
    except ArticleError as exc:
        assert exc.path == path and exc.reason and "\n" not in exc.reason
        return
    file_text = raw.decode("utf-8")
    assert document.text == file_text and "\ufeff" not in document.title
    assert "\n" not in document.title.strip("\r")
    if document.url is not None:
        assert document.url.startswith(("http://", "https://")) and " " not in document.url
    for paragraph in document.paragraphs:
        assert 0 <= paragraph.start < paragraph.end <= len(file_text)
    index = CorpusIndex([document])
    for passage in index.iter_passages():
        assert file_text[passage.start : passage.end] == passage.text
