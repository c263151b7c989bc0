"""Extract a news page's article: main text, headline, canonical URL, published date and author.

trafilatura (the reference open-source extractor, lxml underneath) finds the main text and drops
navigation, cookie banners, footers, "related" lists, captions and ads; nothing in the page is ever
executed or rendered. Whitespace and entities are normalised here, once: the plain-text copy this
produces is what quotes are cut from, so they stay verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.errors import ExtractionError

HTML_SUFFIXES = frozenset({".html", ".htm"})
MIN_TEXT = 40  # characters: less is a menu or a "Home" link, not an article
# Call-to-action boxes trafilatura keeps on some sites ("Get the ... by email", "Write to us").
_PRUNE = [
    "//*[contains(@class,'newsletter')]",
    "//*[contains(@class,'-cta')]",
    "//*[contains(@class,'signup')]",
    "//*[contains(@class,'subscribe')]",
]
_HEADLINES = ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Page:
    """An article as extracted from a page: metadata when the page has it, and its paragraphs."""

    title: str | None
    url: str | None
    published: str | None
    author: str | None
    paragraphs: tuple[str, ...]

    def text(self, fallback_title: str) -> str:
        """The plain-text article (title line, blank-line separated paragraphs) quotes cut from."""
        title = self.title or fallback_title
        return title + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


def extract_page(raw: bytes, url: str | None = None) -> Page:
    """The article in ``raw`` (a page's bytes); raises ``ExtractionError`` when there is none."""
    if not raw.strip():
        raise ExtractionError("empty file")
    if b"\x00" in raw[:8192]:
        raise ExtractionError("binary file, not a web page")
    from trafilatura import bare_extraction  # imported lazily: 0.3 s, only pages need it
    from trafilatura.settings import Document as Extracted
    from trafilatura.utils import load_html

    tree = load_html(raw)
    if tree is None:
        raise ExtractionError("not a readable HTML page")
    headline = _og_title(tree)
    found = bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        prune_xpath=_PRUNE,
    )
    if not isinstance(found, Extracted):
        raise ExtractionError("no article text found in the page")
    paragraphs = tuple(
        p for p in (clean_text(line) for line in (found.text or "").split("\n")) if p
    )
    if sum(len(p) for p in paragraphs) < MIN_TEXT:
        raise ExtractionError("no article text found in the page")
    return Page(
        title=headline or clean_text(found.title or "") or None,
        url=clean_text(found.url or "") or url,
        published=found.date or None,
        author=clean_text(found.author or "") or None,
        paragraphs=paragraphs,
    )


def _og_title(tree: object) -> str | None:
    """The page's headline as it announces it to link previews: Open Graph, then Twitter card."""
    for query in (
        '//meta[@property="og:title"]/@content',
        '//meta[@name="twitter:title"]/@content',
    ):
        values = tree.xpath(query)  # type: ignore[attr-defined]
        if values and clean_text(str(values[0])):
            return clean_text(str(values[0]))
    return None


def clean_text(text: str) -> str:
    """One paragraph on one line: control characters dropped, runs of whitespace made one space."""
    return " ".join(_CONTROL.sub("", text).split())
