"""Front matter is plain data, URLs are checked, metadata lines are never quoted (issue 13 (b),
(c) and issue 18's low items: unclosed front matter, a bare ``Source:``, ``url: not a url``)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from index.errors import ArticleError
from index.ingest import loader
from index.ingest.loader import load_corpus, parse_markdown_article, parse_text_article

BODY = "# Title\n\nThe council met on Monday.\n"


def markdown(front: str) -> str:
    return f"---\n{front}\n---\n{BODY}"


@pytest.mark.parametrize(
    "front",
    [
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        "c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: *a",
        "title: !!python/object/apply:os.system ['echo owned']",
        "title: !custom value",
    ],
    ids=["billion-laughs", "python-tag", "local-tag"],
)
def test_anchors_aliases_and_tags_are_refused_without_expanding(front: str) -> None:
    with pytest.raises(ArticleError, match="anchors, aliases or tags"):
        parse_markdown_article(markdown(front), "a.md")


def test_plain_values_are_read_and_nested_ones_ignored() -> None:
    front = "title: Council\nurl: example.org/council\npublished: 2024-03-01\ntags: [a, b]"
    document = parse_markdown_article(markdown(front), "a.md")
    assert (document.title, document.url, document.published) == (
        "Council",
        "https://example.org/council",
        "2024-03-01",
    )


def test_a_value_over_the_cap_names_the_file() -> None:
    with pytest.raises(ArticleError, match="over 2000 characters"):
        parse_markdown_article(markdown("title: " + "x" * 2001), "a.md")


def test_invalid_yaml_is_one_line() -> None:
    with pytest.raises(ArticleError) as caught:
        parse_markdown_article(markdown("title: [unclosed"), "a.md")
    assert "\n" not in caught.value.reason and "not valid YAML" in caught.value.reason


def test_an_unclosed_front_matter_is_named_not_indexed_as_body() -> None:
    with pytest.raises(ArticleError, match="no '---' line closes it"):
        parse_markdown_article("---\ntitle: Council\n\nThe council met on Monday.\n", "a.md")


@pytest.mark.parametrize(
    "url",
    ["not a url", "javascript:alert(1)", "ftp://example.org/x", "https://exa mple.org", "http://"],
)
def test_a_url_that_is_not_a_web_address_is_dropped_with_a_warning(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    document = parse_markdown_article(markdown(f"url: '{url}'"), "a.md")
    text = parse_text_article(f"Title\nThe council met.\nSource: {url}\n", "a.txt")
    assert document.url is None and text.url is None
    assert "a.md" in caplog.text and "not an http(s) address" in caplog.text


def test_a_bare_source_line_is_not_a_sentence() -> None:
    document = parse_text_article("Title\nThe council met.\nSource:\n", "a.txt")
    quoted = [document.text[p.start : p.end] for p in document.paragraphs]
    assert quoted == ["The council met."] and document.url is None


def test_a_file_too_large_to_be_an_article_is_named_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "MAX_ARTICLE_BYTES", 100)
    (tmp_path / "small.txt").write_text("Small\nThe council met.\n", encoding="utf-8")
    (tmp_path / "dump.txt").write_text("Dump\n" + "The log grew. " * 20, encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert [Path(d.path).name for d in loaded.documents] == ["small.txt"]
    assert [(s.path.name, "not an article" in s.reason) for s in loaded.skipped] == [
        ("dump.txt", True)
    ]
    from index.storage.opener import open_index

    opened = open_index(tmp_path, tmp_path.parent / "idx")
    assert [(s.path.name, "not an article" in s.reason) for s in opened.skipped] == [
        ("dump.txt", True)
    ]
