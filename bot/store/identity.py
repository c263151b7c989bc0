"""Who asked, without keeping who asked: user ids become keyed hashes (HMAC-SHA256).

A plain hash of a Discord id is no protection (ids are sequential-ish snowflakes: anyone can
hash them all), so the hash is keyed with a secret that never leaves this machine: the setting
``VERBATIM_HASH_KEY``, or a random key generated once into the data folder, readable only by its
owner (0600). The same key gives the same hash, so one person's votes are still one vote.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.store.errors import StoreError

KEY_FILE = "hash.key"
KEY_BYTES = 32


class Hasher:
    """Turns a user id into the hex HMAC-SHA256 the store keeps instead."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "Hasher(key=[hidden])"

    def __call__(self, user_id: int) -> str:
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()


def load_key(data_dir: Path, configured: str | None) -> bytes:
    """The configured key, else the data folder's key file, created (0600) on first use."""
    if configured is not None:
        return configured.encode()
    path = data_dir / KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError as exc:
        raise StoreError(f"cannot create the hash key {path}: {exc.strerror or exc}") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise StoreError(f"cannot read the hash key {path}: {exc.strerror or exc}") from None
    if len(key) < KEY_BYTES:
        raise StoreError(
            f"{path} is not a Verbatim hash key (too short); move it away or set VERBATIM_HASH_KEY"
        )
    return key
