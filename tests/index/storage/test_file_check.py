"""The compiled check of the article files' sizes and mtimes says what ``os.stat`` says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.retrieval import kernels
from index.storage import listing
from index.storage.format import FileRecord


def _record(root: Path, relative: str) -> FileRecord:
    info = os.stat(os.path.join(root, relative))
    return FileRecord(relative, info.st_size, info.st_mtime_ns, "")


def _both(files: list[FileRecord], prefix: str) -> tuple[bool, bool]:
    """(the compiled answer, the interpreted one)."""
    assert kernels.FILES is not None  # the install compiled it (hatch_build.py)
    return listing._files_unchanged(files, prefix), listing._files_unchanged_here(files, prefix)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt", "sub/c.md"):
        (root / name).write_text(f"text of {name}\n", encoding="utf-8")
    return root


def _records(root: Path) -> list[FileRecord]:
    return [_record(root, name) for name in ("a.txt", "sub/b.txt", "sub/c.md")]


def test_unchanged_files_pass_both_checks(corpus: Path) -> None:
    assert _both(_records(corpus), os.path.join(str(corpus), "")) == (True, True)


@pytest.mark.parametrize("change", ["size", "mtime", "removed", "folder", "appended"])
def test_every_kind_of_change_fails_both_checks(corpus: Path, change: str) -> None:
    files = _records(corpus)
    target = corpus / "sub" / "b.txt"
    info = target.stat()
    if change == "size":
        target.write_text("other text, longer than before\n", encoding="utf-8")
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # same mtime, other size
    elif change == "mtime":
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    elif change == "removed":
        target.unlink()
    elif change == "folder":
        target.unlink()
        target.mkdir()  # the name is now a folder
    else:
        with target.open("a", encoding="utf-8") as stream:
            stream.write("more\n")
    assert _both(files, os.path.join(str(corpus), "")) == (False, False)


def test_a_link_is_followed_and_a_skipped_record_is_not_checked(corpus: Path) -> None:
    (corpus / "link.txt").symlink_to(corpus / "a.txt")
    files = [*_records(corpus), _record(corpus, "link.txt")]
    assert _both(files, os.path.join(str(corpus), "")) == (True, True)
    gone = FileRecord("missing.txt", 1, 1, "", walk_skip=True)
    assert _both([*files, gone], os.path.join(str(corpus), "")) == (True, True)
    (corpus / "a.txt").unlink()  # the link now points nowhere
    assert _both(files, os.path.join(str(corpus), "")) == (False, False)


def test_a_name_that_is_not_utf8_and_a_corpus_given_as_the_current_folder(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = os.fsdecode(b"caf\xe9.txt")  # Latin-1 bytes: a surrogate escape in the name
    (corpus / raw).write_bytes(b"text\n")
    files = [*_records(corpus), _record(corpus, raw)]
    assert _both(files, os.path.join(str(corpus), "")) == (True, True)
    monkeypatch.chdir(corpus)
    assert _both(files, "") == (True, True)
    assert _both(files, os.path.join(str(corpus / "nowhere"), "")) == (False, False)
