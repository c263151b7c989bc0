from __future__ import annotations

import random
from pathlib import Path

import pytest

from index.errors import ArticleError, CorpusError
from index.ingest.loader import (
    _blocks,
    _Line,
    _lines,
    _paragraph,
    _paragraphs,
    load_corpus,
    read_article,
)
from index.model import Paragraph
from tests.support.builders import write_article


def test_text_article_title_paragraphs_and_source(tmp_path: Path) -> None:
    path = write_article(
        tmp_path, "a.txt", "A Title", ["First para.", "Second para."], "www.example.org"
    )
    doc = read_article(path)
    assert doc.title == "A Title"
    assert doc.url == "https://www.example.org"
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == ["First para.", "Second para."]
    assert [p.number for p in doc.paragraphs] == [1, 2]


def test_source_line_variants(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("T\nBody here.\nSource: https://news.example/x?id=1\n", encoding="utf-8")
    assert read_article(path).url == "https://news.example/x?id=1"
    path.write_text("T\nBody here.\n", encoding="utf-8")
    assert read_article(path).url is None


def test_blank_line_paragraphs_may_wrap(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "Title\n\nFirst line of para one\ncontinues here.\n\nPara two.\n\nSource: x.com\n",
        encoding="utf-8",
    )
    doc = read_article(path)
    texts = [doc.text[p.start : p.end] for p in doc.paragraphs]
    assert texts == ["First line of para one\ncontinues here.", "Para two."]
    assert doc.url == "https://x.com"


def test_crlf_offsets_stay_exact(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("Title\r\nOne “two”.\r\nThree.\r\n".encode())
    doc = read_article(path)
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == ["One “two”.", "Three."]


def test_markdown_front_matter_title_and_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text(
        "---\ntitle: Front Title\nurl: https://example.org/b\npublished: 2024-12-18\n"
        "author: A. Writer\n---\n# Heading Title\n\nPara *one* here.\n\n## Sub\n\n"
        "```\ncode block.\n```\n\nPara two\nwrapped.\n",
        encoding="utf-8",
    )
    doc = read_article(path)
    assert doc.title == "Front Title"
    assert doc.url == "https://example.org/b"
    assert doc.published == "2024-12-18" and doc.author == "A. Writer"
    texts = [doc.text[p.start : p.end] for p in doc.paragraphs]
    assert texts == ["Para *one* here.", "Para two\nwrapped."]


def test_markdown_without_front_matter_uses_heading(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text("# The Heading\n\nOnly paragraph.\n", encoding="utf-8")
    doc = read_article(path)
    assert doc.title == "The Heading" and doc.url is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("caf\u00e9".encode("latin-1") + b" text\n", "not UTF-8"),
        (b"Only a title\n", "no body"),
        (b"---\ntitle: [unclosed\n---\n# T\n\nBody.\n", "YAML"),
    ],
)
def test_each_broken_kind_is_named(tmp_path: Path, content: bytes, reason: str) -> None:
    suffix = ".md" if b"---" in content else ".txt"
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    assert reason in caught.value.reason
    assert caught.value.path == path


def test_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_article(tmp_path, "locked.txt", "T", ["Body."])
    original = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(ArticleError, match="unreadable"):
        read_article(path)


def test_folder_skips_broken_files_and_serves_the_rest(tmp_path: Path) -> None:
    write_article(tmp_path, "b/good.txt", "Good", ["Useful sentence."])
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "c-binary.txt").write_bytes(b"\x00\x01")
    (tmp_path / ".hidden.txt").write_text("T\nHidden.\n", encoding="utf-8")
    (tmp_path / "notes.txt~").write_text("T\nBackup.\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x00")
    loaded = load_corpus(tmp_path)
    assert [d.title for d in loaded.documents] == ["Good"]
    assert sorted(s.path.name for s in loaded.skipped) == ["a-empty.txt", "c-binary.txt"]


def test_order_is_sorted_and_recursive(tmp_path: Path) -> None:
    write_article(tmp_path, "z.txt", "Z", ["Zed."])
    write_article(tmp_path, "a/m.txt", "M", ["Em."])
    write_article(tmp_path, "b.txt", "B", ["Bee."])
    documents = load_corpus(tmp_path).documents
    assert [d.title for d in documents] == ["M", "B", "Z"]
    assert [d.doc_id for d in documents] == [0, 1, 2]


def test_empty_or_missing_folder_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no usable article"):
        load_corpus(tmp_path)
    (tmp_path / "broken.txt").write_bytes(b"")
    with pytest.raises(CorpusError, match="1 file"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "missing")


def paragraphs_by_search(lines: list[_Line], force_blocks: bool = False) -> list[Paragraph]:
    """``_paragraphs`` as first written: the content lines found again by equality, and every
    group checked for text."""
    content = [line for line in lines if line.text.strip()]
    if not content:
        return []
    first, last = lines.index(content[0]), lines.index(content[-1])
    has_blank = any(not line.text.strip() for line in lines[first:last])
    groups = _blocks(lines) if force_blocks or has_blank else [[line] for line in content]
    kept = [group for group in groups if any(line.text.strip() for line in group)]
    return [_paragraph(number, group) for number, group in enumerate(kept, start=1)]


def test_paragraphs_are_found_as_a_search_of_the_lines_would() -> None:
    rng = random.Random(12)
    pieces = ["Storm hits.", "  Wrapped line ", "", " ", "\t", "Title", "x"]
    for _ in range(3000):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        lines = _lines(text, 0, len(text))
        for force in (False, True):
            assert list(_paragraphs(lines, force)) == paragraphs_by_search(lines, force), text
