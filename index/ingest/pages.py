"""Plain-text copies of extracted pages: the files quotes from HTML articles are cut from.

An HTML page is not quotable as it is (its text is buried in markup), so the loader extracts it
once and writes the article as plain text into a folder Verbatim creates and owns, beside the
index (``.verbatim-index/<corpus>.pages/``), never into the user's corpus. A document read from a
page names the copy as its ``path`` and the page as its ``source``, so
``open(path).read()[start:end] == quote`` holds for HTML articles as for any other.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from index.errors import ArticleError, ExtractionError
from index.ingest.html import Page, extract_page

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


@dataclass(frozen=True, slots=True)
class PageCopy:
    """An extracted page and the plain-text copy of it on disk (``text`` is the copy's content)."""

    path: Path
    text: str
    page: Page


def keep_copy(raw: bytes, source: Path, pages: Path) -> PageCopy:
    """Extract the page in ``raw`` and keep its article as a copy; raise ``ArticleError`` (naming
    ``source``) when the page holds none or the copy cannot be written."""
    try:
        page = extract_page(raw)
    except ExtractionError as exc:
        raise ArticleError(source, exc.reason) from exc
    text = page.text(fallback_title=source.stem.replace("-", " ").replace("_", " "))
    target = copy_path(pages, source)
    try:
        write_copy(target, text)
    except OSError as exc:
        reason = f"cannot keep its text in {pages} ({exc.strerror or exc})"
        raise ArticleError(source, reason) from exc
    return PageCopy(target, text, page)


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


def prune_copies(pages: Path, keep: set[str]) -> int:
    """Delete the copies in ``pages`` no document uses any more (their page was removed or
    renamed); only in a folder Verbatim marked as its own, and only its ``.txt`` copies."""
    if not (pages / MARKER).is_file():
        return 0
    pruned = 0
    for path in pages.glob("*.txt"):
        if path.name != MARKER and str(path) not in keep:
            path.unlink(missing_ok=True)
            pruned += 1
    return pruned


def is_pages_folder(folder: Path) -> bool:
    """True for a folder of copies Verbatim made (it holds the marker)."""
    return (folder / MARKER).is_file()


def _own(folder: Path) -> None:
    """Create ``folder`` (or take an empty one) and mark it as Verbatim's; never adopt a folder
    that holds someone else's files."""
    if is_pages_folder(folder):
        return
    try:
        folder.mkdir(parents=True)
    except FileExistsError as exc:
        if not folder.is_dir() or any(folder.iterdir()):
            raise FileExistsError(
                f"{folder} exists and is not Verbatim's (no {MARKER}); move it or choose "
                "another index folder"
            ) from exc
    (folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
