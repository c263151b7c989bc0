"""Which files of an index folder must have their CRC-32 read again on open, and which need not.

Reading the CRC-32 of every array on every open costs a pass over the whole index (386 MB at a
million sentences) before the first answer. Instead, after a file's CRC-32 has matched the
manifest, its *stamp* (size, mtime, ctime, inode, device) is kept in ``verified.json`` in the
index folder. On the next open a file whose stamp is unchanged is not read again: any write
to it through the file system (truncating, appending, flipping a byte, copying another file over
it, even with its mtime set back) changes its ctime, which no program can set, so the file is
read and checked again. Sizes are compared on every open regardless.

A stamp is recorded only for a file whose ctime is older than a probe file created just before
the check (as git treats "racily clean" files, and on the file system's own clock): a write
landing within the same tick of that clock as the check could otherwise leave an unchanged stamp
on changed bytes.

The record is a cache, never trusted for more than it says: it names the manifest it was made
for (a digest of its bytes), a missing or unreadable record just means a full check, and a
folder that cannot be written (a read-only index) is fully checked on every open.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from pathlib import Path

RECORD = "verified.json"
Stamp = list[int]


def stamp(info: os.stat_result) -> Stamp:
    """What must stay the same for a checked file to be trusted unread."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def manifest_digest(manifest: bytes) -> str:
    return hashlib.sha256(manifest).hexdigest()


def trusted(directory: Path, digest: str) -> dict[str, Stamp]:
    """The stamps recorded for this manifest (empty when there is no usable record)."""
    try:
        record = json.loads((directory / RECORD).read_text(encoding="utf-8"))
        if isinstance(record, dict) and record.get("manifest") == digest:
            stamps = record.get("stamps")
            if isinstance(stamps, dict):
                return {str(name): list(value) for name, value in stamps.items()}
    except (OSError, ValueError, TypeError):
        pass
    return {}


def file_system_now(probe: Path) -> int | None:
    """The file system's clock now: the ctime of ``probe``, created empty (None if it cannot be)."""
    try:
        probe.write_bytes(b"")
        return probe.stat().st_ctime_ns
    except OSError:
        return None


class Recorder:
    """Notes the stamps of files checked after it was made, then writes them as the record.

    Made *before* any file is read (when an index is saved: after its files are written, before
    they are read back for their checksums): its probe file's ctime is the file system's "now",
    and only files changed before it are recorded. Best effort throughout: a folder that cannot
    be written is simply checked in full again next time.
    """

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._probe = directory / f".{RECORD}.{uuid.uuid4().hex[:8]}"
        self.stamps: dict[str, Stamp] = {}
        self._since = file_system_now(self._probe)

    def checked(self, name: str, path: Path) -> None:
        """``path`` was just read whole and matched: note its stamp if it had settled."""
        if self._since is None:
            return
        with contextlib.suppress(OSError):
            current = stamp(path.stat())
            if current[2] < self._since:
                self.stamps[name] = current

    def keep(self, digest: str, unchanged: dict[str, Stamp]) -> None:
        """Write the record for the manifest of ``digest``: ``unchanged`` (still trusted) plus
        the files noted as checked."""
        try:
            if self._since is not None and self.stamps:
                record = {"manifest": digest, "stamps": {**unchanged, **self.stamps}}
                self._probe.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
                os.replace(self._probe, self._directory / RECORD)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                self._probe.unlink(missing_ok=True)  # whether or not it was made
