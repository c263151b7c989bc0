"""Whether a corpus is as last indexed without walking it: the folders' stamps, then each file.

Seeing that an index is current walks the corpus (``index.ingest.scan``): a listing of every
folder, a check of every entry, two sorts. At 25,000 articles that costs more than the ``stat``
of each file it exists to make. But what a walk finds follows from the folders' listings when it
met no link, no unreadable folder and no index or pages folder (``CorpusScan.plain``), and a
folder's listing cannot change without changing its ctime: adding, removing or renaming an entry
writes the folder, and no program can set a ctime back. So after a walk that found the index
current, each folder's stamp (device, inode, ctime, mtime, taken before it was listed) is kept in
``listing.json`` in the index folder; on the next open, if every folder still has its stamp, the
walk would find exactly the indexed files, and only their size and mtime are checked, one
``stat`` each, as the walk checks them (an article edited in place changes no folder, and the
rebuild after such an edit takes the files from the record too: ``vouched_scan``).

A stamp is kept only for a folder whose ctime is older than the walk by ``SETTLE_NS`` (as git
treats "racily clean" files): a change landing within the same tick of the file system's clock
as the listing could otherwise leave its folder's stamp unchanged. The record names the manifest
it was made for; missing, unreadable or made for another index, it is ignored (the corpus is
walked), and a folder that cannot be written just walks on every open.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import uuid
from collections.abc import Sequence
from pathlib import Path

from index.ingest.ownership import MANIFEST
from index.ingest.scan import CorpusScan, SkippedFile, path_prefix
from index.retrieval.kernels import FILES
from index.storage.format import FileRecord
from index.storage.verified import manifest_digest

RECORD = "listing.json"
# Two seconds: coarser than any local file system's clock tick (FAT's mtime is the coarsest).
SETTLE_NS = 2 * 10**9
Stamp = list[int]


def folder_stamp(info: os.stat_result) -> Stamp:
    """What must stay the same for a folder's listing to be as it was."""
    return [info.st_dev, info.st_ino, info.st_ctime_ns, info.st_mtime_ns]


def manifest_of(directory: Path) -> str | None:
    """The digest of the manifest now in ``directory`` (taken before a walk, so a record names
    the index the walk was compared with, not one swapped in meanwhile)."""
    try:
        return manifest_digest((directory / MANIFEST).read_bytes())
    except OSError:
        return None


def record(directory: Path, scan: CorpusScan, manifest: str | None) -> None:
    """Keep the folders' stamps of ``scan``, a walk that found the index of ``manifest`` in
    ``directory`` current; nothing when the walk was not plain or a folder had changed just
    before it."""
    if manifest is None or not scan.plain or not scan.folders:
        return
    settled = scan.started_ns - SETTLE_NS
    if any(info.st_ctime_ns >= settled for _, info in scan.folders):
        return
    cut = len(scan.prefix)
    folders = [[path[cut:], *folder_stamp(info)] for path, info in scan.folders]
    probe = directory / f".{RECORD}.{uuid.uuid4().hex[:8]}"
    try:
        probe.write_text(json.dumps({"manifest": manifest, "folders": folders}), encoding="utf-8")
        os.replace(probe, directory / RECORD)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)


def unchanged(directory: Path, files: Sequence[FileRecord], corpus: Path) -> bool:
    """True when the record vouches for every folder's listing and each indexed file has its
    size and mtime: a walk would find the index current. False means walk and see."""
    prefix = _vouched_prefix(directory, corpus)
    return prefix is not None and _files_unchanged(files, prefix)


def vouched_scan(directory: Path, files: Sequence[FileRecord], corpus: Path) -> CorpusScan | None:
    """What a walk would find when the record vouches for every folder's listing, without the
    walk: the indexed files, each ``stat``-ed afresh, and the same skipped entries. None when a
    folder changed or an indexed file is gone or no regular file (walk and see).

    An article edited in place changes no folder, so the rebuild after it needs no walk (at
    25,000 articles the walk was a tenth of that rebuild). The scan keeps no folders' stamps:
    only a real walk may have its stamps kept.
    """
    prefix = _vouched_prefix(directory, corpus)
    if prefix is None:
        return None
    paths, stats = [], []
    for record in files:
        if record.walk_skip:
            continue
        try:
            info = os.stat(prefix + record.path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        paths.append(prefix + record.path)
        stats.append(info)
    skipped = tuple(SkippedFile(Path(prefix + r.path), r.reason) for r in files if r.walk_skip)
    return CorpusScan(tuple(paths), tuple(stats), skipped, prefix)


def _vouched_prefix(directory: Path, corpus: Path) -> str | None:
    """The corpus's path prefix when the record vouches for every folder's listing, else None."""
    folders = _recorded(directory)
    prefix = path_prefix(corpus)
    if folders and all(_same_folder(prefix + relative, kept) for relative, kept in folders):
        return prefix
    return None


def _same_folder(path: str, kept: Stamp) -> bool:
    try:
        return folder_stamp(os.stat(path)) == kept
    except OSError:
        return False


def _files_unchanged(files: Sequence[FileRecord], prefix: str) -> bool:
    """Each indexed file still a regular file of its size and mtime: checked in C when the
    install compiled it (``kernels.FILES``: 25,000 ``os.stat`` results cost as long to make as
    the system calls), else here, with the same answer."""
    if FILES is not None:
        listed = [record for record in files if not record.walk_skip]
        return FILES.unchanged(
            prefix,
            [record.path for record in listed],
            [record.size for record in listed],
            [record.mtime_ns for record in listed],
        )
    return _files_unchanged_here(files, prefix)


def _files_unchanged_here(files: Sequence[FileRecord], prefix: str) -> bool:
    for record in files:
        if record.walk_skip:
            continue
        try:
            info = os.stat(prefix + record.path)
        except OSError:
            return False
        if (
            info.st_size != record.size
            or info.st_mtime_ns != record.mtime_ns
            or not stat.S_ISREG(info.st_mode)
        ):
            return False
    return True


def _recorded(directory: Path) -> list[tuple[str, Stamp]]:
    """The folders of the record made for the index now in ``directory`` (empty if none)."""
    try:
        kept = json.loads((directory / RECORD).read_text(encoding="utf-8"))
        if isinstance(kept, dict) and kept.get("manifest") == manifest_of(directory):
            folders = kept.get("folders")
            if isinstance(folders, list) and all(_well_formed(f) for f in folders):
                return [(folder[0], folder[1:]) for folder in folders]
    except (OSError, ValueError):
        pass
    return []


def _well_formed(folder: object) -> bool:
    return (
        isinstance(folder, list)
        and len(folder) == 5
        and isinstance(folder[0], str)
        and all(type(value) is int for value in folder[1:])
    )
