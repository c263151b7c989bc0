"""Load a folder of articles into ``Document`` records, naming and skipping broken files.

Two formats, both kept byte-for-byte as read so quotes stay verbatim:

- ``.txt``: first non-empty line is the title; the rest is the body. Without blank lines each line
  is a paragraph; with blank lines, blank-line-separated blocks are paragraphs (wrapped lines ok).
  A last line ``Original Source: X`` or ``Source: X`` gives the URL and is not indexed.
- ``.md``/``.markdown``: optional YAML front matter (title, url, published, author), a ``# Title``
  heading, paragraphs separated by blank lines; other headings and code fences are not indexed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import ArticleError, CorpusError
from index.model import Document, Paragraph

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
_SOURCE_LINE = re.compile(r"^\s*(?:original\s+)?source\s*:\s*(\S.*?)\s*$", re.IGNORECASE)
_BARE_HOST = re.compile(r"^[\w.-]+\.[a-z]{2,}(?:[/?#]\S*)?$", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """An article file the loader could not use, with the reason in plain words."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class LoadedCorpus:
    """The usable documents of a folder, plus every file that was skipped and why."""

    root: Path
    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


def load_corpus(root: Path) -> LoadedCorpus:
    """Read every article below ``root`` (recursive, sorted) and skip the broken ones.

    Raises ``CorpusError`` when the folder is missing or holds no usable article, because a bot
    with nothing to quote should fail at start-up, not answer "not covered" to everything.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus folder {root} does not exist or is not a folder")
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    for path in article_paths(root):
        try:
            documents.append(read_article(path, doc_id=len(documents)))
        except ArticleError as exc:
            # Reported by the caller (stderr for the CLI, the log for the bot), not here.
            skipped.append(SkippedFile(exc.path, exc.reason))
    if not documents:
        raise CorpusError(
            f"no usable article in {root}: add .txt or .md articles"
            + (f" ({len(skipped)} file(s) skipped)" if skipped else "")
        )
    return LoadedCorpus(root, tuple(documents), tuple(skipped))


def article_paths(root: Path) -> list[Path]:
    """Article files below ``root`` in a deterministic order, ignoring hidden and editor files."""
    return sorted(path for path in root.rglob("*") if _is_article(path, root))


def _is_article(path: Path, root: Path) -> bool:
    relative = path.relative_to(root)
    if any(part.startswith((".", "#")) for part in relative.parts) or path.name.endswith("~"):
        return False
    return path.suffix.lower() in ARTICLE_SUFFIXES and path.is_file()


def read_article(path: Path, doc_id: int = 0) -> Document:
    """Decode and parse one article file; raise ``ArticleError`` saying why it is unusable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(path, f"unreadable ({exc.strerror or exc})") from exc
    return parse_article_bytes(raw, path, doc_id)


def parse_article_bytes(raw: bytes, path: Path, doc_id: int = 0) -> Document:
    """Decode and parse the bytes of an article file already read (and hashed) by the caller."""
    if b"\x00" in raw[:8192]:
        raise ArticleError(path, "binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(path, f"not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not text.strip():
        raise ArticleError(path, "empty file")
    if path.suffix.lower() == ".txt":
        return parse_text_article(text, str(path), doc_id)
    return parse_markdown_article(text, str(path), doc_id)


def parse_text_article(text: str, path: str, doc_id: int = 0) -> Document:
    """Parse the plain-text format described in the module docstring."""
    lines = _lines(text, 0, len(text))
    content = [line for line in lines if line.text.strip()]
    if not content:
        raise ArticleError(Path(path), "empty file")
    title, body = content[0], lines[lines.index(content[0]) + 1 :]
    body, url = _split_source_line(body)
    paragraphs = _paragraphs(body)
    if not paragraphs:
        raise ArticleError(Path(path), "no body text after the title")
    return Document(doc_id, path, title.text.strip(), url, text, paragraphs)


def parse_markdown_article(text: str, path: str, doc_id: int = 0) -> Document:
    """Parse the Markdown format described in the module docstring."""
    meta, body_start = _front_matter(text, path)
    blocks = _blocks(_lines(text, body_start, len(text)))
    title = _text_or_none(meta.get("title"))
    kept: list[list[_Line]] = []
    in_fence = False
    for block in blocks:
        first = block[0].text.lstrip()
        if first.startswith(("```", "~~~")) or in_fence:
            fences = sum(line.text.lstrip().startswith(("```", "~~~")) for line in block)
            in_fence = in_fence != (fences % 2 == 1)
            continue
        if first.startswith("#"):
            if title is None and first.startswith("# "):
                title = first[2:].strip()
            continue
        kept.append(block)
    flat = [line for block in kept for line in [*block, _Line(0, 0, "")]]
    flat, url = _split_source_line(flat)
    url = _normalize_url(_text_or_none(meta.get("url"))) or url
    paragraphs = _paragraphs(flat, force_blocks=True)
    if not paragraphs:
        raise ArticleError(Path(path), "no body text after the title")
    return Document(
        doc_id,
        path,
        title or Path(path).stem.replace("-", " ").replace("_", " "),
        url,
        text,
        paragraphs,
        published=_text_or_none(meta.get("published")),
        author=_text_or_none(meta.get("author")),
    )


def _front_matter(text: str, path: str) -> tuple[dict[str, Any], int]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, 0
    import yaml  # imported lazily: only Markdown articles with front matter need it

    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ArticleError(Path(path), f"front matter is not valid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise ArticleError(Path(path), "front matter must be a YAML mapping of key: value")
    return meta, match.end()


def _text_or_none(value: object) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _lines(text: str, start: int, end: int) -> list[_Line]:
    lines = []
    for line in text[start:end].splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        lines.append(_Line(start, start + len(stripped), stripped))
        start += len(line)
    return lines


def _split_source_line(lines: list[_Line]) -> tuple[list[_Line], str | None]:
    """Drop a trailing ``Source: X`` line and return its URL."""
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index].text.strip():
            continue
        match = _SOURCE_LINE.match(lines[index].text)
        if match is None:
            return lines, None
        return lines[:index], _normalize_url(match.group(1))
    return lines, None


def _normalize_url(value: str | None) -> str | None:
    if value is None:
        return None
    if _BARE_HOST.match(value) and "://" not in value:
        return f"https://{value}"
    return value


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    blocks: list[list[_Line]] = [[]]
    for line in lines:
        if line.text.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _paragraphs(lines: list[_Line], force_blocks: bool = False) -> tuple[Paragraph, ...]:
    """Group body lines into paragraphs: one per line, or one per blank-line block."""
    content = [line for line in lines if line.text.strip()]
    if not content:
        return ()
    first, last = lines.index(content[0]), lines.index(content[-1])
    has_blank = any(not line.text.strip() for line in lines[first:last])
    groups = _blocks(lines) if force_blocks or has_blank else [[line] for line in content]
    return tuple(
        _paragraph(number, group) for number, group in enumerate(_nonempty(groups), start=1)
    )


def _nonempty(groups: list[list[_Line]]) -> Iterator[list[_Line]]:
    return (group for group in groups if any(line.text.strip() for line in group))


def _paragraph(number: int, group: list[_Line]) -> Paragraph:
    first, last = group[0], group[-1]
    start = first.start + (len(first.text) - len(first.text.lstrip()))
    end = last.start + len(last.text.rstrip())
    return Paragraph(number, start, end)
