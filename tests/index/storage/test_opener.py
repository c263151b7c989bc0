"""The persistent index: round trip, partial rebuild of changed files, corruption never trusted."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import index.storage.builder
import index.storage.store
import index.storage.verified
from index.answering.answer import answer_question
from index.errors import CorpusError, IndexCorrupt
from index.ingest.loader import load_corpus
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.params import BM25Params
from index.storage.opener import fingerprint, open_index, verify_index
from index.storage.store import load
from tests.support.builders import write_article
from tests.test_invariants import assert_verbatim

QUESTIONS = ["Where did the fleet sail?", "Who signed the treaty?", "What did the storm break?"]


def make_corpus(folder: Path) -> Path:
    write_article(folder, "fleet.txt", "Fleet", ["The fleet sailed north. It reached port."])
    write_article(folder, "treaty.txt", "Treaty", ["Ministers signed the treaty. Nobody objected."])
    write_article(folder, "sub/storm.txt", "Storm", ["A storm broke the dam. Fields flooded."])
    (folder / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    return folder


def answers(index: CorpusIndex) -> list[list[tuple[str, float]]]:
    return [
        [(q.passage.text, q.score) for q in answer_question(index, question).quotes]
        for question in QUESTIONS
    ]


def count_segmentations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the path of every document the builder segments."""
    seen: list[str] = []
    real = index.storage.builder.passage_rows

    def counting(document: index.storage.builder.Document, position: int) -> list[tuple[int, ...]]:
        seen.append(Path(document.path).name)
        return real(document, position)  # type: ignore[return-value]

    monkeypatch.setattr(index.storage.builder, "passage_rows", counting)
    return seen


def test_round_trip_answers_like_an_index_built_in_memory(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    built = open_index(corpus, tmp_path / "idx")
    loaded = open_index(corpus, tmp_path / "idx")
    assert built.rebuilt and not loaded.rebuilt
    in_memory = CorpusIndex(load_corpus(corpus).documents)
    assert answers(loaded.index) == answers(in_memory) == answers(built.index)
    assert all(answers(loaded.index))
    assert_verbatim(loaded.index)
    assert [p.text for p in loaded.index.iter_passages()] == [
        p.text for p in in_memory.iter_passages()
    ]
    assert [s.path.name for s in loaded.skipped] == ["broken.txt"]
    assert "not UTF-8" in loaded.skipped[0].reason


def test_loaded_arrays_are_memory_mapped(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    open_index(corpus, tmp_path / "idx")
    opened = open_index(corpus, tmp_path / "idx")
    assert isinstance(opened.index.table.doc, np.memmap)


def test_a_changed_file_is_the_only_one_segmented_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    open_index(corpus, tmp_path / "idx")
    segmented = count_segmentations(monkeypatch)
    write_article(corpus, "treaty.txt", "Treaty", ["Generals signed the armistice at dawn."])
    write_article(corpus, "new.txt", "New", ["A comet lit the sky."])
    reopened = open_index(corpus, tmp_path / "idx")
    assert reopened.rebuilt and sorted(segmented) == ["new.txt", "treaty.txt"]
    fresh = CorpusIndex(load_corpus(corpus).documents)
    assert answers(reopened.index) == answers(fresh)
    for question in ("Who signed the armistice?", "What lit the sky?"):
        assert answer_question(reopened.index, question).covered


def test_unchanged_corpus_is_not_segmented_even_when_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    open_index(corpus, tmp_path / "idx")
    segmented = count_segmentations(monkeypatch)
    stat = (corpus / "fleet.txt").stat()
    os.utime(corpus / "fleet.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    (corpus / "treaty.txt").unlink()
    reopened = open_index(corpus, tmp_path / "idx")
    assert reopened.rebuilt and segmented == []
    assert answers(reopened.index) == answers(CorpusIndex(load_corpus(corpus).documents))


@pytest.mark.parametrize("victim", ["postings.weights.npy", "catalog.json", "manifest.json"])
def test_a_corrupt_file_is_detected_and_rebuilt(tmp_path: Path, victim: str) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    directory = tmp_path / "idx"
    expected = answers(open_index(corpus, directory).index)
    path = directory / victim
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt):
        load(directory, corpus, fingerprint(), BM25Params())
    reopened = open_index(corpus, directory)
    assert reopened.rebuilt and answers(reopened.index) == expected


def test_a_truncated_array_is_detected(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    directory = tmp_path / "idx"
    open_index(corpus, directory)
    path = directory / "passages.start.npy"
    path.write_bytes(path.read_bytes()[:-4])
    assert open_index(corpus, directory).rebuilt


def test_other_parameters_rebuild_instead_of_reusing(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    open_index(corpus, tmp_path / "idx")
    plus = open_index(corpus, tmp_path / "idx", params=BM25Params(variant="plus"))
    assert plus.rebuilt and plus.index.params.variant == "plus"
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["variant"] == "plus"


def test_a_folder_without_articles_is_a_corpus_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no usable article"):
        open_index(tmp_path / "empty", tmp_path / "idx")
    with pytest.raises(CorpusError, match="does not exist"):
        open_index(tmp_path / "missing", tmp_path / "idx")


def test_fingerprint_covers_every_index_module_the_builder_imports() -> None:
    """A module that shapes the arrays but is left out would let a stale index be trusted."""
    import ast

    from index.storage import opener

    package = Path(opener.__file__).resolve().parent.parent
    covered = {
        path.relative_to(package).as_posix()
        for pattern in opener._FINGERPRINTED
        for path in package.glob(pattern)
    }
    todo, seen = ["storage/builder.py"], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("index."):
                module = node.module.removeprefix("index.").replace(".", "/") + ".py"
                if module != "errors.py" and (package / module).exists():
                    assert module in covered, f"{name} imports {module}, not fingerprinted"
                    todo.append(module)
    assert len(seen) > 5


def test_adding_or_moving_a_module_changes_the_fingerprint(tmp_path: Path) -> None:
    import shutil

    from index.storage import opener

    package = tmp_path / "index"
    shutil.copytree(Path(opener.__file__).resolve().parent.parent, package)
    before = opener.fingerprint_of(package)
    assert before == opener.fingerprint()
    (package / "retrieval" / "new_stage.py").write_text("X = 1\n", encoding="utf-8")
    added = opener.fingerprint_of(package)
    (package / "retrieval" / "new_stage.py").rename(package / "text" / "new_stage.py")
    moved = opener.fingerprint_of(package)
    assert len({before, added, moved}) == 3


def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as settled when checked (as it does once a clock tick has passed)."""
    real = index.storage.verified.file_system_now

    def later(probe: Path) -> int | None:
        now = real(probe)
        return None if now is None else now + 10**12

    monkeypatch.setattr(index.storage.verified, "file_system_now", later)


def checked_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A corpus and its index, opened twice with every file settled: the record holds them all."""
    corpus, directory = make_corpus(tmp_path / "corpus"), tmp_path / "idx"
    settled(monkeypatch)
    open_index(corpus, directory)
    open_index(corpus, directory)
    return corpus, directory


def edit_record(directory: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Rewrite the index's ``verified.json`` record with ``change`` applied."""
    path = directory / "verified.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(json.dumps(record), encoding="utf-8")


def count_checksums(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the name of every file whose CRC-32 is read."""
    seen: list[str] = []
    real = index.storage.store._verify

    def counting(path: Path, crc: int, size: int) -> None:
        seen.append(path.name)
        real(path, crc, size)

    monkeypatch.setattr(index.storage.store, "_verify", counting)
    return seen


def test_an_index_checked_once_is_not_read_again_until_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, directory = make_corpus(tmp_path / "corpus"), tmp_path / "idx"
    settled(monkeypatch)
    read = count_checksums(monkeypatch)
    open_index(corpus, directory)  # saving reads every file back for its checksum, and records it
    assert sorted(read) == [
        "catalog.json",
        "marks.dropped.txt",
        "vocabulary.txt",
    ]  # so reopening it reads no array
    read.clear()
    again = open_index(corpus, directory)
    assert not again.rebuilt and sorted(read) == [
        "catalog.json",
        "marks.dropped.txt",
        "vocabulary.txt",
    ]
    assert answers(again.index) == answers(CorpusIndex(load_corpus(corpus).documents))
    (directory / "verified.json").unlink()  # no record: every file is read, and recorded again
    read.clear()
    open_index(corpus, directory)
    assert {p.name for p in directory.glob("*.npy")} <= set(read)
    read.clear()
    open_index(corpus, directory)
    assert sorted(read) == ["catalog.json", "marks.dropped.txt", "vocabulary.txt"]


@pytest.mark.parametrize("keep_mtime", [False, True])
def test_a_file_changed_after_it_was_checked_is_read_again_and_found_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_mtime: bool
) -> None:
    corpus, directory = make_corpus(tmp_path / "corpus"), tmp_path / "idx"
    settled(monkeypatch)
    expected = answers(open_index(corpus, directory).index)
    open_index(corpus, directory)
    path = directory / "postings.weights.npy"
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))
    if keep_mtime:  # the same size and mtime: only the ctime tells the file was written
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(IndexCorrupt):
        load(directory, corpus, fingerprint(), BM25Params())
    reopened = open_index(corpus, directory)
    assert reopened.rebuilt and answers(reopened.index) == expected


def test_verify_reads_every_file_whatever_the_record_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, directory = checked_index(tmp_path, monkeypatch)
    verify_index(directory)  # a whole index passes
    path = directory / "passages.start.npy"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))
    # Forge the record so that the changed file looks already checked: opening trusts it...
    stamp = index.storage.verified.stamp(path.stat())
    edit_record(directory, lambda record: record["stamps"].__setitem__(path.name, stamp))
    load(directory, corpus, fingerprint(), BM25Params())
    with pytest.raises(IndexCorrupt, match="checksum"):  # ...a full verification does not
        verify_index(directory)


def test_a_record_made_for_another_manifest_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, directory = checked_index(tmp_path, monkeypatch)
    edit_record(directory, lambda record: record.__setitem__("manifest", "0" * 64))
    read = count_checksums(monkeypatch)
    open_index(corpus, directory)
    assert {p.name for p in directory.glob("*.npy")} <= set(read)
