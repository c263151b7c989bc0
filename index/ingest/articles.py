"""Write an extracted page into the corpus as a Markdown article with front matter.

``<corpus>/<folder>/<host>/<slug>.md``: front matter (title, url, published, author, and where it
came from), then the paragraphs separated by blank lines, as the loader reads them. A file is
created exclusively: an existing article is never overwritten; a clashing slug gets ``-2``.
"""

from __future__ import annotations

import re
import unicodedata
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
    for attempt in range(1, 1000):
        path = target_dir / (f"{stem}.md" if attempt == 1 else f"{stem}-{attempt}.md")
        try:
            with path.open("x", encoding="utf-8") as out:
                out.write(text)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free file name for {stem} in {target_dir}")


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
