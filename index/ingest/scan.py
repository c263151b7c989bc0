"""Walk a corpus folder: which files are articles, and which entries are skipped and why.

Nothing below the corpus is skipped without a word, except what is hidden on purpose (names
starting with ``.`` or ``#``, editor backups ending in ``~``) and Verbatim's own index folders
(``index.ingest.ownership``) and folders of page copies (``index.ingest.pages``), which are never
read as articles even when placed inside the corpus.

Symbolic links: a link whose target lies inside the corpus folder is followed (a folder link
too), and each real file is read once, under its own path when the tree holds it there. A link
whose target lies outside the corpus folder is skipped and named: a corpus must not be a way to
quote a linked ``.env``. A dangling link, a link loop and an unreadable folder are named too. A
file name that is not valid UTF-8 is named (escaped) and skipped, since it cannot be stored or
shown faithfully.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.html import HTML_SUFFIXES
from index.ingest.ownership import is_index_folder
from index.ingest.pages import is_pages_folder

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown"}) | HTML_SUFFIXES


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """An article file (or folder) the loader could not use, with the reason in plain words."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class CorpusScan:
    """The article files below a corpus folder (sorted) and the entries skipped on the way."""

    articles: tuple[Path, ...]
    skipped: tuple[SkippedFile, ...]


def scan_corpus(root: Path) -> CorpusScan:
    """Walk ``root`` once; see the module docstring for what is followed, skipped and named."""
    walk = _Walk(root.resolve())
    top = _identity(root.stat())
    walk.visited.add(top)
    walk.folder(root, frozenset({top}), via_link=False)
    while walk.linked:  # folder links last, so a folder is read under its own path if it can be
        path, key, ancestors = walk.linked.pop(0)
        if key not in walk.visited:
            walk.visited.add(key)
            walk.folder(path, ancestors | {key}, via_link=True)
    articles = sorted(path for path, _ in walk.files.values())
    return CorpusScan(tuple(articles), tuple(sorted(walk.skipped, key=lambda s: s.path)))


def is_hidden(name: str) -> bool:
    """Names the loader and the watcher both ignore: dotfiles, ``#`` files, ``~`` backups."""
    return name.startswith((".", "#")) or name.endswith("~")


def might_be_article(name: str) -> bool:
    suffix = os.path.splitext(name)[1].lower()
    return suffix in ARTICLE_SUFFIXES or suffix == ""


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


@dataclass
class _Walk:
    real_root: Path
    # Real file identity -> (path shown, reached through a link): each file is read once.
    files: dict[tuple[int, int], tuple[Path, bool]] = field(default_factory=dict)
    skipped: list[SkippedFile] = field(default_factory=list)
    visited: set[tuple[int, int]] = field(default_factory=set)
    linked: list[tuple[Path, tuple[int, int], frozenset[tuple[int, int]]]] = field(
        default_factory=list
    )

    def folder(self, folder: Path, ancestors: frozenset[tuple[int, int]], via_link: bool) -> None:
        try:
            with os.scandir(folder) as listing:
                names = sorted(entry.name for entry in listing)
        except OSError as exc:
            self.skip(folder, f"unreadable folder ({exc.strerror or exc})")
            return
        for name in names:
            if not is_hidden(name):
                self.entry(folder / name, ancestors, via_link)

    def entry(self, path: Path, ancestors: frozenset[tuple[int, int]], via_link: bool) -> None:
        name = path.name
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            self.skip(path, "its name is not valid UTF-8; rename the file")
            return
        try:
            is_link = path.is_symlink()
            info = path.stat()
        except OSError as exc:
            if might_be_article(name):
                self.skip(path, _link_problem(exc))
            return
        if is_link and not self.inside(path):
            if stat.S_ISDIR(info.st_mode) or might_be_article(name):
                self.skip(path, "a link to outside the corpus folder (not followed)")
            return
        if stat.S_ISDIR(info.st_mode):
            self.subfolder(path, info, ancestors, is_link)
        elif stat.S_ISREG(info.st_mode) and path.suffix.lower() in ARTICLE_SUFFIXES:
            self.file(path, info, via_link or is_link)

    def subfolder(
        self, path: Path, info: os.stat_result, ancestors: frozenset[tuple[int, int]], link: bool
    ) -> None:
        key = _identity(info)
        if key in ancestors:
            self.skip(path, "a link loop (a folder linked inside itself; not followed)")
        elif is_index_folder(path) or is_pages_folder(path):
            return
        elif link:
            self.linked.append((path, key, ancestors))
        elif key not in self.visited:
            self.visited.add(key)
            self.folder(path, ancestors | {key}, False)

    def file(self, path: Path, info: os.stat_result, via_link: bool) -> None:
        key = _identity(info)
        known = self.files.get(key)
        # Prefer the file's own path over a linked one, then the first path in sorted order.
        if known is None or (via_link, str(path)) < (known[1], str(known[0])):
            self.files[key] = (path, via_link)

    def inside(self, path: Path) -> bool:
        try:
            return path.resolve(strict=True).is_relative_to(self.real_root)
        except (OSError, RuntimeError):
            return False

    def skip(self, path: Path, reason: str) -> None:
        self.skipped.append(SkippedFile(path, reason))


def _link_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a link loop (the link points back to itself; not followed)"
    if exc.errno == errno.ENOENT:
        return "a dangling link (its target is missing)"
    return f"unreadable ({exc.strerror or exc})"
