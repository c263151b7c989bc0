"""Paths the user gave stay the user's: the index folder never replaces what it did not make,
and every odd entry in a corpus (bad names, links, loops, unreadable folders) is named, never
a crash or a silent loss (issue 18, defects 1, 2, 5 and 6; issue 13's links out of the corpus)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.ingest.loader import load_corpus
from index.storage.opener import open_index
from tests.support.builders import write_article
from tests.support.cli_run import clean_environment, verbatim

FLEET = ["The fleet sailed north. It reached port at dawn."]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clean_environment(monkeypatch, tmp_path)
    folder = tmp_path / "corpus"
    write_article(folder, "fleet.txt", "Fleet", FLEET)
    return folder


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path below ``root`` with its bytes (None for folders): a before/after snapshot."""
    return {
        str(path.relative_to(root)): None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
    }


def test_index_build_into_a_user_folder_exits_2_and_keeps_every_file(
    corpus: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "thesis.txt").write_text("keep\n", encoding="utf-8")
    before = tree(mine)
    result = verbatim(capsysbinary, "index", "build", "--corpus", str(corpus), "--out", str(mine))
    assert result.code == 2 and tree(mine) == before
    assert result.stderr.count("\n") == 1 and str(mine) in result.stderr
    assert "not a Verbatim index" in result.stderr


@pytest.mark.parametrize("command", [["ask", "fleet"], ["sources"], ["index", "build"]])
def test_an_index_dir_setting_naming_a_user_folder_is_refused_by_every_command(
    corpus: Path,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("# mine\n", encoding="utf-8")
    monkeypatch.setenv("VERBATIM_INDEX_DIR", str(mine))
    result = verbatim(capsysbinary, *command, "--corpus", str(corpus))
    assert result.code == 2 and "not a Verbatim index" in result.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["notes.md"]


def test_out_equal_to_the_corpus_never_touches_the_articles(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    before = tree(corpus)
    result = verbatim(capsysbinary, "index", "build", "--corpus", str(corpus), "--out", str(corpus))
    assert result.code == 2 and "corpus" in result.stderr and tree(corpus) == before


def test_out_naming_a_file_or_a_device_leaves_it_where_it_is(
    corpus: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    # A FIFO stands in for /dev/null: a regression must not move the machine's real device.
    file, device = tmp_path / "report.pdf", tmp_path / "device"
    file.write_bytes(b"%PDF")
    os.mkfifo(device)
    for target in (file, device):
        result = verbatim(
            capsysbinary, "index", "build", "--corpus", str(corpus), "--out", str(target)
        )
        assert result.code == 2 and "existing file" in result.stderr
    assert file.read_bytes() == b"%PDF" and device.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "device", "report.pdf"]


def test_an_index_verbatim_made_is_still_replaced_even_with_a_corrupt_manifest(
    corpus: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "idx"
    open_index(corpus, directory)
    (directory / "manifest.json").write_bytes(b"\xff garbage")
    assert open_index(corpus, directory).rebuilt


def test_a_folder_appearing_at_the_index_path_is_refused_when_saving(
    corpus: Path, tmp_path: Path
) -> None:
    from index.errors import IndexFolderError
    from index.retrieval.engine import BM25Params
    from index.storage.builder import build_data
    from index.storage.store import save
    from index.text.analyzer import Analyzer

    data = build_data(corpus, Analyzer(), BM25Params())
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(IndexFolderError):
        save(data, mine, "fingerprint", BM25Params())
    assert [p.name for p in mine.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "mine"]


def test_index_dir_dot_is_one_line_not_a_traceback(
    corpus: Path,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VERBATIM_INDEX_DIR", ".")
    result = verbatim(capsysbinary, "sources", "--corpus", str(corpus))
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert str(tmp_path) in result.stderr and "Traceback" not in result.stderr
    empty = tmp_path / "fresh"
    empty.mkdir()
    monkeypatch.chdir(empty)
    (empty / "idx").mkdir()  # ``.`` resolves to a folder that is not an index: refused too
    assert verbatim(capsysbinary, "sources", "--corpus", str(corpus)).code == 2


def test_an_index_folder_inside_the_corpus_is_never_read_as_articles(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    inside = corpus / "idx"
    first = verbatim(capsysbinary, "index", "build", "--corpus", str(corpus), "--out", str(inside))
    assert first.code == 0, first.stderr
    assert "1 article(s)" in first.stdout and (inside / "vocabulary.txt").is_file()
    again = verbatim(capsysbinary, "index", "build", "--corpus", str(corpus), "--out", str(inside))
    assert "already up to date: 1 article(s)" in again.stdout, again
    assert [d.path for d in load_corpus(corpus).documents] == [str(corpus / "fleet.txt")]


def test_a_file_name_that_is_not_utf8_is_named_escaped_and_skipped(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    bad = os.fsencode(corpus) + b"/caf\xe9\nnews.txt"
    with open(bad, "wb") as stream:
        stream.write(b"Cafe\nThe cafe opened in May.\n")
    for command in (["sources"], ["ask", "--json", "fleet"], ["index", "build"]):
        result = verbatim(capsysbinary, *command, "--corpus", str(corpus))
        assert result.code == 0, result.stderr
        lines = [line for line in result.stderr.splitlines() if "caf" in line]
        assert len(lines) == 1 and "not valid UTF-8" in lines[0], result.stderr
        assert "\\xe9" in lines[0] and "\\n" in lines[0]
    assert verbatim(capsysbinary, "sources", "--corpus", str(corpus)).stdout.count("Fleet") == 1


def _link_corpus(corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / ".env").write_text("DISCORD_TOKEN=not-for-quoting\n", encoding="utf-8")
    write_article(secret, "leak.txt", "Leak", ["The token is not-for-quoting here."])
    os.symlink(secret / ".env", corpus / "env.txt")
    os.symlink(secret, corpus / "linked")
    os.symlink(corpus / "gone.txt", corpus / "dangling.txt")
    os.symlink(corpus / "loop.txt", corpus / "loop.txt")
    write_article(corpus / "world", "treaty.txt", "Treaty", ["The treaty was signed in June."])
    os.symlink(corpus, corpus / "world" / "up")  # a folder loop
    os.symlink(corpus / "world", corpus / "also-world")  # inside: followed, read once
    os.symlink(corpus / "fleet.txt", corpus / "fleet-copy.txt")


def test_links_out_of_the_corpus_are_named_and_never_read(corpus: Path, tmp_path: Path) -> None:
    _link_corpus(corpus, tmp_path)
    loaded = load_corpus(corpus)
    assert sorted(Path(d.path).name for d in loaded.documents) == ["fleet.txt", "treaty.txt"]
    assert not any("not-for-quoting" in d.text for d in loaded.documents)
    reasons = {s.path.name: s.reason for s in loaded.skipped}
    assert "outside the corpus" in reasons["env.txt"] and "outside" in reasons["linked"]
    assert "dangling" in reasons["dangling.txt"] and "loop" in reasons["loop.txt"]
    assert "loop" in reasons["up"]


def test_the_persistent_index_reports_the_same_skips_and_stays_fresh(
    corpus: Path, tmp_path: Path
) -> None:
    _link_corpus(corpus, tmp_path)
    first = open_index(corpus, tmp_path / "idx")
    names = sorted(s.path.name for s in first.skipped)
    assert names == ["dangling.txt", "env.txt", "linked", "loop.txt", "up"]
    again = open_index(corpus, tmp_path / "idx")
    assert not again.rebuilt and sorted(s.path.name for s in again.skipped) == names


def test_an_unreadable_folder_is_named(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests run as root, for whom chmod 000 does not stop reading: make scandir refuse.
    private = corpus / "private"
    write_article(private, "memo.txt", "Memo", ["The memo is private."])
    real_scandir = os.scandir

    def scandir(path: os.PathLike[str]) -> object:
        if Path(path) == private:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    loaded = load_corpus(corpus)
    assert [(s.path, s.reason) for s in loaded.skipped] == [
        (private, "unreadable folder (Permission denied)")
    ]
