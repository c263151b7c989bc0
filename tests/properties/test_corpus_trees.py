"""Any corpus folder: odd names, links in and out, loops, unreadable folders, an index inside.

Invariants, for ``index build``, ``sources`` and ``ask --json`` run in-process as a user would:
no exception escapes, the exit code is 0 or 2, stdout is valid UTF-8 (every ``--json`` line
parses), every quote is ``file_text[start:end]`` of the file it names, nothing is read from
outside the corpus, and no file outside the index folder changes (paths and hashes before and
after). The tests run as root, so an unreadable folder is made by refusing ``os.scandir`` on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.properties.strategies import NAME_BYTES, article_bytes
from tests.support.cli_run import clean_environment, verbatim

EXAMPLES = 25
SECRET = "not-for-quoting"
ENTRY = st.tuples(
    st.sampled_from(["file", "file", "dir", "link-in", "link-out", "dangling", "loop", "locked"]),
    NAME_BYTES,
    article_bytes(),
    st.integers(0, 10),
)


def snapshot(root: bytes, skip: bytes) -> dict[bytes, str]:
    """Every path below ``root`` (links not followed) with its hash, link target or kind."""
    seen: dict[bytes, str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) != skip]
        for name in dirs + files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                seen[path] = "-> " + os.fsdecode(os.readlink(path))
            elif os.path.isfile(path):
                with open(path, "rb") as stream:
                    seen[path] = hashlib.sha256(stream.read()).hexdigest()
            else:
                seen[path] = "dir"
    return seen


def build_tree(base: bytes, entries: list[tuple[str, bytes, bytes, int]]) -> list[bytes]:
    """Lay ``entries`` out below ``base/corpus``; return the folders to make unreadable."""
    corpus = os.path.join(base, b"corpus")
    outside = os.path.join(base, b"outside")
    os.makedirs(os.path.join(outside, b"folder"))
    with open(os.path.join(outside, b".env"), "wb") as stream:
        stream.write(f"DISCORD_TOKEN={SECRET}\n".encode())
    with open(os.path.join(outside, b"folder", b"leak.txt"), "wb") as stream:
        stream.write(f"Leak\nThe token is {SECRET} here.\n".encode())
    os.makedirs(os.path.join(corpus, b"sub"))
    with open(os.path.join(corpus, b"fleet.txt"), "wb") as stream:
        stream.write(b"Fleet\nThe fleet sailed north. It reached port at dawn.\n")
    folders, locked = [corpus, os.path.join(corpus, b"sub")], []
    made: list[bytes] = [os.path.join(corpus, b"fleet.txt")]
    for kind, name, content, pick in entries:
        parent = folders[pick % len(folders)]
        path = os.path.join(parent, name)
        if os.path.lexists(path):
            continue
        if kind == "file":
            with open(path, "wb") as stream:
                stream.write(content)
        elif kind in ("dir", "locked"):
            os.mkdir(path)
            folders.append(path)
            (locked if kind == "locked" else made).append(path)
            continue
        elif kind == "link-in":
            os.symlink(made[pick % len(made)], path)
        elif kind == "link-out":
            os.symlink(os.path.join(outside, b".env" if pick % 2 else b"folder"), path)
        elif kind == "dangling":
            os.symlink(os.path.join(base, b"missing"), path)
        else:  # a link to itself, or to a folder above it
            os.symlink(path if pick % 2 else parent, path)
        made.append(path)
    return locked


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=st.lists(ENTRY, max_size=8), index_inside=st.booleans())
def test_any_corpus_tree_keeps_every_invariant(
    entries: list[tuple[str, bytes, bytes, int]],
    index_inside: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    with tempfile.TemporaryDirectory() as temporary, monkeypatch.context() as patch:
        base = os.fsencode(temporary)
        locked = build_tree(base, entries)
        corpus = os.path.join(base, b"corpus")
        index = os.path.join(corpus if index_inside else base, b"idx-verbatim")
        real_scandir = os.scandir

        def scandir(path: object) -> object:
            if isinstance(path, str | bytes | os.PathLike) and os.fsencode(path) in locked:
                raise PermissionError(13, "Permission denied", path)
            return real_scandir(path)  # type: ignore[call-overload]

        patch.setattr(os, "scandir", scandir)
        clean_environment(patch, Path(temporary))
        patch.setenv("VERBATIM_INDEX_DIR", os.fsdecode(index))
        before = snapshot(base, index)
        folder = os.fsdecode(corpus)
        for args in (["index", "build"], ["sources"], ["sources", "--json"]):
            result = verbatim(capsysbinary, *args, "--corpus", folder)
            assert result.code in (0, 2) and "Traceback" not in result.stderr, result
            assert SECRET not in result.stdout + result.stderr
        stdin = b"Where did the fleet sail?\n\nWhat is the token?\n"
        result = verbatim(
            capsysbinary, "ask", "--json", "--corpus", folder, stdin=stdin, monkeypatch=patch
        )
        assert result.code == 0, result  # fleet.txt is always there: answers always come
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(lines) == 3 and lines[0]["covered"]
        for quote in (quote for line in lines for quote in line["quotes"]):
            assert SECRET not in quote["text"]
            real = os.path.realpath(os.fsencode(quote["path"]))
            assert real.startswith(os.path.realpath(corpus) + b"/")
            with open(os.fsencode(quote["path"]), "rb") as stream:
                text = stream.read().decode("utf-8")
            assert text[quote["start"] : quote["end"]] == quote["text"]
        assert snapshot(base, index) == before
