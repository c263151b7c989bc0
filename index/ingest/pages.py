"""Plain-text copies of extracted pages: the files quotes from HTML articles are cut from.

An HTML page is not quotable as it is (its text is buried in markup), so the loader extracts it
once and writes the article as plain text into a folder Verbatim creates and owns, beside the
index (``.verbatim-index/<corpus>.pages/``), never into the user's corpus. A document read from a
page names the copy as its ``path`` and the page as its ``source``, so
``open(path).read()[start:end] == quote`` holds for HTML articles as for any other.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import uuid
from pathlib import Path

from index.errors import ArticleError
from index.model import Document
from index.tables import DocumentTable

MARKER = "MADE-BY-VERBATIM.txt"
_MARKER_TEXT = (
    "Verbatim made this folder: plain-text copies of the web pages of a corpus, extracted once.\n"
    "Quotes point into these files. Verbatim rewrites them as the pages change; do not edit.\n"
)


def pages_dir(index_dir: Path) -> Path:
    """The copies of the pages indexed in ``index_dir``: a sibling folder, kept across rebuilds."""
    return index_dir.with_name(f"{index_dir.name}.pages")


def default_pages_dir(corpus: Path) -> Path:
    """Where copies go when no index folder is given (beside the default index folder)."""
    corpus = corpus.resolve()
    return corpus.parent / ".verbatim-index" / f"{corpus.name}.pages"


def copy_path(pages: Path, source: Path) -> Path:
    """The copy of ``source``: named after the page, unique per page path."""
    key = hashlib.sha256(str(source.resolve()).encode("utf-8")).hexdigest()[:12]
    return pages.resolve() / f"{source.stem[:60]}-{key}.txt"


def html_article(raw: bytes, path: Path, doc_id: int, pages: Path) -> Document:
    """Extract the page in ``raw``, keep its text as a copy, and parse the copy as an article."""
    from index.ingest.dates import normalize_date
    from index.ingest.html import ExtractionError, extract_page
    from index.loader import parse_text_article

    try:
        page = extract_page(raw)
    except ExtractionError as exc:
        raise ArticleError(path, exc.reason) from exc
    text = page.text(fallback_title=path.stem.replace("-", " ").replace("_", " "))
    target = copy_path(pages, path)
    try:
        write_copy(target, text)
    except OSError as exc:
        raise ArticleError(
            path, f"cannot keep its text in {pages} ({exc.strerror or exc})"
        ) from exc
    document = parse_text_article(text, str(target), doc_id)
    return dataclasses.replace(
        document,
        url=page.url,
        published=normalize_date(page.published),
        author=page.author,
        source=str(path),
    )


def write_copy(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` atomically, unless it already holds exactly that."""
    data = text.encode("utf-8")
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    _own(target.parent)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}")
    staging.write_bytes(data)
    os.replace(staging, target)


def restore_copies(table: DocumentTable) -> int:
    """Rewrite any missing copy from the index's text (someone cleaned the folder); count them."""
    restored = 0
    for doc_id, meta in enumerate(table.meta):
        if meta.source is not None and not os.path.exists(meta.path):
            write_copy(Path(meta.path), table.document(doc_id).text)
            restored += 1
    return restored


def _own(folder: Path) -> None:
    """Create ``folder`` (marked as Verbatim's) if needed."""
    if (folder / MARKER).exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
