"""What makes a folder Verbatim's own index, the only kind of folder Verbatim ever replaces.

A path the user gave is the user's: Verbatim writes its index there only when nothing is there
yet or when the folder already holds the marker file Verbatim writes into every index folder
(``VERBATIM-INDEX``, kept apart from the manifest so a corrupt manifest does not disown the
folder) or, for folders built before the marker, a ``manifest.json`` whose ``format`` is
``verbatim-index``. Anything else, a folder of theses, the corpus itself, a file, ``/dev/null``,
is refused with one line naming the path. The loader uses the same test to never read an index
folder placed inside the corpus as articles.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

from index.errors import IndexFolderError

FORMAT = "verbatim-index"
MANIFEST = "manifest.json"
MARKER = "VERBATIM-INDEX"
MARKER_TEXT = f"{FORMAT}\nMade by Verbatim: replaced whenever the index is rebuilt.\n"
_LIMIT = 1 << 20  # a manifest lists ~20 files; anything larger is not ours


def write_marker(folder: Path) -> None:
    """Mark ``folder`` (a staging folder Verbatim just created) as Verbatim's own."""
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def is_index_folder(path: Path) -> bool:
    """True when ``path`` is a real folder holding Verbatim's marker (or its old manifest)."""
    try:
        if not stat.S_ISDIR(path.lstat().st_mode):
            return False
        marker = _small_file(path / MARKER)
        if marker is not None:
            return marker.startswith(FORMAT.encode() + b"\n")
        manifest = _small_file(path / MANIFEST)
        content = json.loads(manifest) if manifest is not None else None
    except (OSError, ValueError):
        return False
    return isinstance(content, dict) and content.get("format") == FORMAT


def _small_file(path: Path) -> bytes | None:
    """The bytes of a regular file of at most 1 MiB (not a link), else None."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > _LIMIT:
        return None
    return path.read_bytes()


def check_index_folder(directory: Path, corpus: Path) -> Path:
    """The absolute index folder to write, or ``IndexFolderError`` if it is not Verbatim's to write.

    ``directory`` is resolved first (``.`` has no name to stage beside; a link to an index folder
    is followed so the folder it points to is the one updated).
    """
    target = directory.resolve()
    if target.parent == target:
        raise IndexFolderError(target, "is the root of the file system")
    if corpus.resolve().is_relative_to(target):
        raise IndexFolderError(target, "is (or holds) the corpus folder; choose another path")
    if (target.exists() or target.is_symlink()) and not is_index_folder(target):
        kind = "folder" if target.is_dir() else "file"
        raise IndexFolderError(
            target,
            f"is an existing {kind} that is not a Verbatim index; choose a new path "
            "(Verbatim only replaces folders it made)",
        )
    return target
