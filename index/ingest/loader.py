"""Load a folder of articles into ``Document`` records, naming and skipping broken files.

Three formats; the first two are kept byte-for-byte as read so quotes stay verbatim:

- ``.txt``: first non-empty line is the title; the rest is the body. Without blank lines each line
  is a paragraph; with blank lines, blank-line-separated blocks are paragraphs (wrapped lines ok).
  A last line ``Original Source: X`` or ``Source: X`` gives the URL and is not indexed.
- ``.md``/``.markdown``: optional YAML front matter (title, url, published, author), a ``# Title``
  heading, paragraphs separated by blank lines; other headings and code fences are not indexed.
  ``published`` (or ``date``) is kept as ISO 8601.
- ``.html``/``.htm``: a saved web page; its article is extracted and kept as a plain-text copy
  outside the corpus, which the document then reads from (``index.ingest.pages``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from index.errors import ArticleError, CorpusError
from index.ingest.dates import normalize_date
from index.ingest.front_matter import split_front_matter
from index.ingest.html import HTML_SUFFIXES
from index.ingest.scan import ARTICLE_SUFFIXES, SkippedFile, scan_corpus
from index.ingest.urls import article_url
from index.model import Document, Paragraph

__all__ = ["ARTICLE_SUFFIXES", "LoadedCorpus", "SkippedFile", "article_paths", "load_corpus"]
# A bare "Source:" (no URL after it) is a source line too: metadata, never a quoted sentence.
_SOURCE_LINE = re.compile(r"^\s*(?:original\s+)?source\s*:\s*(\S.*?)?\s*$", re.IGNORECASE)
_BOM = "\ufeff"
MAX_ARTICLE_BYTES = 32 << 20


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


def load_corpus(root: Path, pages: Path | None = None) -> LoadedCorpus:
    """Read every article below ``root`` (recursive, sorted) and skip the broken ones.

    Copies of HTML pages go to ``pages`` (default: beside the default index folder).

    Raises ``CorpusError`` when the folder is missing or holds no usable article, because a bot
    with nothing to quote should fail at start-up, not answer "not covered" to everything.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus folder {root} does not exist or is not a folder")
    documents: list[Document] = []
    scan = scan_corpus(root)
    skipped = list(scan.skipped)
    if pages is None:
        from index.ingest.pages import default_pages_dir

        pages = default_pages_dir(root)
    for path in scan.articles:
        try:
            documents.append(read_article(path, doc_id=len(documents), pages=pages))
        except ArticleError as exc:
            # Reported by the caller (stderr for the CLI, the log for the bot), not here.
            skipped.append(SkippedFile(exc.path, exc.reason))
    if not documents:
        raise CorpusError(
            f"no usable article in {root}: add .txt, .md or .html articles"
            + (f" ({len(skipped)} file(s) skipped)" if skipped else "")
        )
    return LoadedCorpus(root, tuple(documents), tuple(skipped))


def article_paths(root: Path) -> list[Path]:
    """Article files below ``root`` in a deterministic order (see ``index.ingest.scan``)."""
    return list(scan_corpus(root).articles)


def read_article(path: Path, doc_id: int = 0, pages: Path | None = None) -> Document:
    """Decode and parse one article file; raise ``ArticleError`` saying why it is unusable."""
    try:
        check_size(path.stat().st_size, path)
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(path, f"unreadable ({exc.strerror or exc})") from exc
    return parse_article_bytes(raw, path, doc_id, pages)


def check_size(size: int, path: Path) -> None:
    """Refuse, before reading it, a file too large to be a news article (a log, a dump)."""
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(path, f"larger than {MAX_ARTICLE_BYTES >> 20} MiB; not an article")


def parse_article_bytes(
    raw: bytes, path: Path, doc_id: int = 0, pages: Path | None = None
) -> Document:
    """Decode and parse the bytes of an article file already read (and hashed) by the caller.

    An HTML page needs ``pages``, the folder its plain-text copy is kept in.
    """
    if path.suffix.lower() in HTML_SUFFIXES:
        if pages is None:  # never guess: a guess could land inside the user's corpus
            raise ArticleError(path, "a web page needs a folder for its text (load its corpus)")
        return _page_article(raw, path, doc_id, pages)
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


def _page_article(raw: bytes, path: Path, doc_id: int, pages: Path) -> Document:
    """A web page as an article: read from its plain-text copy, named by the page as ``source``."""
    from index.ingest.pages import keep_copy  # extraction (trafilatura) only when pages exist

    copy = keep_copy(raw, path, pages)
    document = parse_text_article(copy.text, str(copy.path), doc_id)
    return dataclasses.replace(
        document,
        url=article_url(copy.page.url, str(path)),
        published=normalize_date(copy.page.published),
        author=copy.page.author,
        source=str(path),
    )


def parse_text_article(text: str, path: str, doc_id: int = 0) -> Document:
    """Parse the plain-text format described in the module docstring.

    What ``_lines``, ``_split_source_line`` and ``_paragraphs`` do for Markdown, on plain lists
    of the lines' starts and texts: a build parses every article, and an object per line was
    a tenth of its time."""
    begin = 1 if text.startswith(_BOM) else 0  # a byte-order mark is not text
    pieces = text[begin:].splitlines(keepends=True)
    lines = [piece.rstrip("\r\n") for piece in pieces]
    filled = [i for i, line in enumerate(lines) if line and not line.isspace()]
    if not filled:
        raise ArticleError(Path(path), "empty file")
    at, last = filled[0], filled[-1]
    url, body = None, filled[1:]
    if body and (match := _SOURCE_LINE.match(lines[last])) is not None:
        url, body = article_url(match.group(1), path), body[:-1]
    if not body:
        raise ArticleError(Path(path), "no body text after the title")
    starts = list(itertools.accumulate(map(len, pieces), initial=begin))
    # Blocks between blank lines are paragraphs when there is a blank line between the body's
    # first and last lines with text; else each line is.
    spaced = len(body) < body[-1] - body[0] + 1
    groups: list[tuple[int, int]] = []
    for i in body:
        if spaced and groups and groups[-1][1] == i - 1:
            groups[-1] = (groups[-1][0], i)
        else:
            groups.append((i, i))
    paragraphs = tuple(
        Paragraph(
            number,
            starts[first] + len(lines[first]) - len(lines[first].lstrip()),
            starts[end] + len(lines[end].rstrip()),
        )
        for number, (first, end) in enumerate(groups, start=1)
    )
    return Document(doc_id, path, lines[at].strip(), url, text, paragraphs)


def parse_markdown_article(text: str, path: str, doc_id: int = 0) -> Document:
    """Parse the Markdown format described in the module docstring."""
    meta, body_start = split_front_matter(text, Path(path))
    blocks = _blocks(_lines(text, body_start, len(text)))
    title = meta.get("title")
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
    flat, url = _split_source_line(flat, path)
    url = article_url(meta.get("url"), path) or url
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
        published=normalize_date(meta.get("published", meta.get("date"))),
        author=meta.get("author"),
    )


def _lines(text: str, start: int, end: int) -> list[_Line]:
    lines = []
    if start == 0 and text.startswith(_BOM):
        start = 1  # a byte-order mark is not text: not in the title, not in a quote
    for line in text[start:end].splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        lines.append(_Line(start, start + len(stripped), stripped))
        start += len(line)
    return lines


def _split_source_line(lines: list[_Line], path: str) -> tuple[list[_Line], str | None]:
    """Drop a trailing ``Source: X`` line and return its URL (None if it is not one)."""
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index].text.strip():
            continue
        match = _SOURCE_LINE.match(lines[index].text)
        if match is None:
            return lines, None
        return lines[:index], article_url(match.group(1), path)
    return lines, None


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
    content = [i for i, line in enumerate(lines) if line.text.strip()]
    if not content:
        return ()
    # A blank line between the first and last lines with text: the content lines there are
    # fewer than the lines.
    has_blank = len(content) < content[-1] - content[0] + 1
    # Blocks hold lines with text only, none is empty: each group is a paragraph.
    groups = _blocks(lines) if force_blocks or has_blank else [[lines[i]] for i in content]
    return tuple(_paragraph(number, group) for number, group in enumerate(groups, start=1))


def _paragraph(number: int, group: list[_Line]) -> Paragraph:
    first, last = group[0], group[-1]
    start = first.start + (len(first.text) - len(first.text.lstrip()))
    end = last.start + len(last.text.rstrip())
    return Paragraph(number, start, end)
