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
import time
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
    """The article files below a corpus folder (sorted as paths) and the entries skipped.

    ``paths`` are the files as strings (``prefix`` + their path below the corpus folder) and
    ``stats`` their ``stat`` results, taken during the walk: whether an index is current is
    decided from these without a second ``stat`` or a ``Path`` per file.
    """

    paths: tuple[str, ...]
    stats: tuple[os.stat_result, ...]
    skipped: tuple[SkippedFile, ...]
    prefix: str = ""
    # Each folder read (``prefix`` + its path, ending in ``/``; the root as ``prefix``) with its
    # ``stat`` taken before it was listed; ``plain``: the walk met no link, no unreadable folder
    # and no index or pages folder, so what it found follows from the folders' listings alone
    # (``index.storage.listing`` may then vouch for a later walk); ``started_ns`` when it began.
    folders: tuple[tuple[str, os.stat_result], ...] = ()
    plain: bool = False
    started_ns: int = 0

    @property
    def articles(self) -> tuple[Path, ...]:
        return tuple(Path(path) for path in self.paths)

    def relative(self) -> list[str]:
        """Each article's path below the corpus folder, ``/``-separated."""
        cut = len(self.prefix)
        return [path[cut:] for path in self.paths]


def scan_corpus(root: Path) -> CorpusScan:
    """Walk ``root`` once; see the module docstring for what is followed, skipped and named."""
    started = time.time_ns()
    walk = _Walk(root.resolve())
    info = root.stat()
    top = _identity(info)
    walk.visited.add(top)
    prefix = path_prefix(root)
    walk.folders.append((prefix, info))
    walk.folder(prefix, frozenset({top}), via_link=False)
    while walk.linked:  # folder links last, so a folder is read under its own path if it can be
        path, key, ancestors = walk.linked.pop(0)
        if key not in walk.visited:
            walk.visited.add(key)
            walk.folder(path, ancestors | {key}, via_link=True)
    # Sorted as ``Path`` objects sort (part by part), which is the documents' order.
    found = sorted(walk.files.values(), key=lambda item: item[0].split("/"))
    return CorpusScan(
        tuple(path for path, _, _ in found),
        tuple(info for _, _, info in found),
        tuple(sorted(walk.skipped, key=lambda s: s.path)),
        prefix,
        tuple(walk.folders),
        walk.plain,
        started,
    )


def path_prefix(root: Path) -> str:
    """What paths below ``root`` start with: ``path_prefix(root) + name == str(root / name)``."""
    text = str(root)
    return "" if text == "." else os.path.join(text, "")


def _suffix(name: str) -> str:
    """``Path(name).suffix``, without a ``Path``."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


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
    """The walk's state; folders are prefixes ending in ``/`` (or ``""`` for ``.``), files are
    path strings: a ``Path`` and a second ``stat`` per file cost more than the walk itself."""

    real_root: Path
    # Real file identity -> (path shown, reached through a link, stat): each file is read once.
    files: dict[tuple[int, int], tuple[str, bool, os.stat_result]] = field(default_factory=dict)
    skipped: list[SkippedFile] = field(default_factory=list)
    visited: set[tuple[int, int]] = field(default_factory=set)
    linked: list[tuple[str, tuple[int, int], frozenset[tuple[int, int]]]] = field(
        default_factory=list
    )
    folders: list[tuple[str, os.stat_result]] = field(default_factory=list)
    plain: bool = True

    def folder(self, folder: str, ancestors: frozenset[tuple[int, int]], via_link: bool) -> None:
        try:
            with os.scandir(folder or ".") as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            self.plain = False
            self.skip(folder or ".", f"unreadable folder ({exc.strerror or exc})")
            return
        suffixes = ARTICLE_SUFFIXES
        for entry in entries:
            name = entry.name
            if is_hidden(name):
                continue
            # The common case inline (a plain article file with an ASCII name): a corpus of
            # 25,000 files pays this loop on every open to see that the index is current.
            if name.isascii() and not entry.is_symlink() and _suffix(name).lower() in suffixes:
                try:
                    info = entry.stat()
                except OSError:
                    info = None
                if info is not None and stat.S_ISREG(info.st_mode):
                    self.file(folder + name, info, via_link)
                    continue
            self.entry(folder, entry, ancestors, via_link)

    def entry(
        self,
        folder: str,
        entry: os.DirEntry[str],
        ancestors: frozenset[tuple[int, int]],
        via_link: bool,
    ) -> None:
        name = entry.name
        path = folder + name
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            self.skip(path, "its name is not valid UTF-8; rename the file")
            return
        try:
            is_link = entry.is_symlink()
            self.plain = self.plain and not is_link
            info = entry.stat()  # follows a link; one system call, none for the link test
        except OSError as exc:
            self.plain = False
            if might_be_article(name):
                self.skip(path, _link_problem(exc))
            return
        if is_link and not self.inside(path):
            if stat.S_ISDIR(info.st_mode) or might_be_article(name):
                self.skip(path, "a link to outside the corpus folder (not followed)")
            return
        if stat.S_ISDIR(info.st_mode):
            self.subfolder(path, info, ancestors, is_link)
        elif stat.S_ISREG(info.st_mode) and _suffix(name).lower() in ARTICLE_SUFFIXES:
            self.file(path, info, via_link or is_link)

    def subfolder(
        self, path: str, info: os.stat_result, ancestors: frozenset[tuple[int, int]], link: bool
    ) -> None:
        key = _identity(info)
        if key in ancestors:
            self.skip(path, "a link loop (a folder linked inside itself; not followed)")
        elif is_index_folder(Path(path)) or is_pages_folder(Path(path)):
            self.plain = False  # told apart by a file inside, which its parent's listing hides
        elif link:
            self.linked.append((path + "/", key, ancestors))
        elif key not in self.visited:
            self.visited.add(key)
            self.folders.append((path + "/", info))
            self.folder(path + "/", ancestors | {key}, False)

    def file(self, path: str, info: os.stat_result, via_link: bool) -> None:
        key = _identity(info)
        known = self.files.get(key)
        # Prefer the file's own path over a linked one, then the first path in sorted order.
        if known is None or (via_link, path) < (known[1], known[0]):
            self.files[key] = (path, via_link, info)

    def inside(self, path: str) -> bool:
        try:
            return Path(path).resolve(strict=True).is_relative_to(self.real_root)
        except (OSError, RuntimeError):
            return False

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append(SkippedFile(Path(path), reason))


def _link_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a link loop (the link points back to itself; not followed)"
    if exc.errno == errno.ENOENT:
        return "a dangling link (its target is missing)"
    return f"unreadable ({exc.strerror or exc})"
