"""Write an extracted page into the corpus as a Markdown article with front matter.

``<corpus>/<folder>/<host>/<slug>.md``: front matter (title, url, published, author, and where it
came from), then the paragraphs separated by blank lines, as the loader reads them. A file is
created exclusively and whole: written under a hidden name, then hard-linked into place, which
fails rather than replace an existing file (a clashing slug gets ``-2``), so neither an article
is ever overwritten nor a half-written one seen by the live reload.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from index.ingest.html import Page

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 60


def save_article(
    corpus: Path,
    folder: str,
    page: Page,
    url: str,
    published: str | None,
    extra: dict[str, str],
) -> Path:
    """Save ``page`` (from ``url``) under ``corpus/folder/<host>/``; return the new file."""
    host = _SLUG_CHARS.sub("-", (urlsplit(url).hostname or "local").lower()).strip("-")
    target_dir = corpus / folder / (host or "local")
    target_dir.mkdir(parents=True, exist_ok=True)
    meta = {"title": page.title or _title_from(url), "url": url, "published": published}
    meta |= {"author": page.author} if page.author else {}
    meta |= extra
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    text = f"---\n{front}---\n\n" + "\n\n".join(page.paragraphs) + "\n"
    stem = slug(page.title or "", url)
    staging = target_dir / f".{stem}.{uuid.uuid4().hex[:8]}.part"
    staging.write_text(text, encoding="utf-8")
    try:
        for attempt in range(1, 1000):
            path = target_dir / (f"{stem}.md" if attempt == 1 else f"{stem}-{attempt}.md")
            try:
                os.link(staging, path)
                return path
            except FileExistsError:
                continue
        raise FileExistsError(f"no free file name for {stem} in {target_dir}")
    finally:
        staging.unlink(missing_ok=True)


def slug(title: str, url: str) -> str:
    """A short file name from the URL's last path part, else the title: ``port-strike-ends``."""
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.IGNORECASE)
    for candidate in (last, title):
        ascii_text = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode()
        cleaned = _SLUG_CHARS.sub("-", ascii_text.lower()).strip("-")[:_MAX_SLUG].strip("-")
        if len(cleaned) >= 3 and not cleaned.isdigit():
            return cleaned
    return "article"


def _title_from(url: str) -> str:
    return slug("", url).replace("-", " ").capitalize()
