"""The folders' stamps: an open that trusts them walks nothing, yet misses no edit, addition or
removal of an article, and they are kept only when a walk could not have raced a change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import index.storage.builder
import index.storage.listing
import index.storage.opener
from index.answering.answer import answer_question
from index.ingest.scan import CorpusScan
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.params import BM25Params
from index.storage.format import FileRecord
from index.storage.opener import open_index
from tests.support.builders import write_article


def make_corpus(folder: Path) -> Path:
    write_article(folder, "fleet.txt", "Fleet", ["The fleet sailed north. It reached port."])
    write_article(folder, "sub/storm.txt", "Storm", ["A storm broke the dam. Fields flooded."])
    write_article(folder, "sub/deep/mill.txt", "Mill", ["The mill ground wheat all winter."])
    (folder / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    return folder


def count_walks(monkeypatch: pytest.MonkeyPatch) -> list[CorpusScan]:
    """Every walk the opener makes to see whether an index is current."""
    walks: list[CorpusScan] = []
    real = index.storage.opener.scan_corpus

    def counting(root: Path) -> CorpusScan:
        walks.append(real(root))
        return walks[-1]

    monkeypatch.setattr(index.storage.opener, "scan_corpus", counting)
    return walks


def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every folder counts as settled when walked (as it does a few seconds after a change)."""
    monkeypatch.setattr(index.storage.listing, "SETTLE_NS", -(10**15))


def stamped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A corpus and its index, opened once more so that a walk found it current and kept the
    folders' stamps."""
    corpus, directory = make_corpus(tmp_path / "corpus"), tmp_path / "idx"
    settled(monkeypatch)
    open_index(corpus, directory)
    open_index(corpus, directory)
    assert (directory / index.storage.listing.RECORD).is_file()
    return corpus, directory


def covered(opened: index.storage.opener.OpenedIndex, question: str) -> bool:
    return answer_question(opened.index, question).covered


def test_an_index_vouched_for_by_its_stamps_is_opened_without_a_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    walks = count_walks(monkeypatch)
    opened = open_index(corpus, directory)
    assert walks == [] and not opened.rebuilt
    assert [s.path.name for s in opened.skipped] == ["broken.txt"]
    assert covered(opened, "What did the mill grind?")


def test_an_article_edited_in_place_is_noticed_though_no_folder_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    folder = (corpus / "sub" / "deep").stat()
    write_article(corpus, "sub/deep/mill.txt", "Mill", ["The mill sawed oak beams for ships."])
    assert (corpus / "sub" / "deep").stat().st_ctime_ns == folder.st_ctime_ns
    walks = count_walks(monkeypatch)
    opened = open_index(corpus, directory)
    assert opened.rebuilt and covered(opened, "What did the mill saw?")
    assert walks == []  # no folder changed: the record gives the files to look at


def test_the_scan_vouched_for_by_the_stamps_is_what_a_walk_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    os.close(os.open(bytes(corpus) + b"/bad\xff.txt", os.O_CREAT | os.O_WRONLY))
    directory = tmp_path / "idx"
    settled(monkeypatch)
    open_index(corpus, directory)
    open_index(corpus, directory)  # current: the stamps are kept
    write_article(corpus, "fleet.txt", "Fleet", ["The fleet sailed on to the islands."])
    vouched = index.storage.listing.vouched_scan(directory, opened_files(directory), corpus)
    walked = index.storage.opener.scan_corpus(corpus)
    assert vouched is not None and walked.skipped and vouched.skipped == walked.skipped
    assert vouched.paths == walked.paths and vouched.prefix == walked.prefix
    assert [s.st_mtime_ns for s in vouched.stats] == [s.st_mtime_ns for s in walked.stats]
    (corpus / "sub" / "storm.txt").unlink()  # a folder changed: only a walk can tell
    assert index.storage.listing.vouched_scan(directory, opened_files(directory), corpus) is None


def opened_files(directory: Path) -> tuple[FileRecord, ...]:
    data = index.storage.opener.try_load(directory, directory, BM25Params())
    assert data is not None
    return data.files


def test_an_edit_keeping_the_size_is_noticed_by_its_mtime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    path = corpus / "fleet.txt"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("north", "south"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    assert path.stat().st_size == before.st_size
    opened = open_index(corpus, directory)
    assert opened.rebuilt and covered(opened, "Where did the fleet sail south?")


@pytest.mark.parametrize("where", ["added.txt", "sub/added.txt", "sub/deep/added.txt", "new/a.txt"])
def test_an_added_article_is_noticed_in_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    write_article(corpus, where, "Comet", ["A comet lit the sky over the harbour."])
    opened = open_index(corpus, directory)
    assert opened.rebuilt and covered(opened, "What lit the sky?")


@pytest.mark.parametrize("gone", ["fleet.txt", "sub/deep/mill.txt"])
def test_a_removed_article_is_noticed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gone: str
) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    (corpus / gone).unlink()
    opened = open_index(corpus, directory)
    paths = {Path(d.path).name for d in opened.index.documents}
    assert opened.rebuilt and Path(gone).name not in paths


def test_a_removed_folder_is_noticed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    (corpus / "sub" / "deep" / "mill.txt").unlink()
    (corpus / "sub" / "deep").rmdir()
    opened = open_index(corpus, directory)
    assert opened.rebuilt and not covered(opened, "What did the mill grind?")


def test_a_new_empty_folder_is_walked_and_the_stamps_kept_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    (corpus / "sub" / "empty").mkdir()
    walks = count_walks(monkeypatch)
    assert not open_index(corpus, directory).rebuilt and len(walks) == 1  # a listing changed
    assert not open_index(corpus, directory).rebuilt and len(walks) == 1  # stamps kept again


def test_a_folder_changed_just_before_the_walk_is_not_stamped(tmp_path: Path) -> None:
    corpus, directory = make_corpus(tmp_path / "corpus"), tmp_path / "idx"
    open_index(corpus, directory)
    open_index(corpus, directory)  # current, but its folders changed within SETTLE_NS
    assert not (directory / index.storage.listing.RECORD).exists()


def test_a_corpus_with_a_link_is_always_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A link's target may change without any folder of the corpus changing.
    corpus, directory = make_corpus(tmp_path / "corpus"), tmp_path / "idx"
    os.symlink(corpus / "fleet.txt", corpus / "sub" / "fleet-link.txt")
    settled(monkeypatch)
    open_index(corpus, directory)
    walks = count_walks(monkeypatch)
    open_index(corpus, directory)
    open_index(corpus, directory)
    assert len(walks) == 2 and not walks[0].plain
    assert not (directory / index.storage.listing.RECORD).exists()


def test_an_index_folder_inside_the_corpus_is_always_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Told apart by a marker file inside it, which no listing of the corpus's folders shows.
    corpus = make_corpus(tmp_path / "corpus")
    settled(monkeypatch)
    open_index(corpus, corpus / "sub" / "idx")
    walks = count_walks(monkeypatch)
    open_index(corpus, corpus / "sub" / "idx")
    assert len(walks) == 1 and not walks[0].plain


def test_a_record_made_for_another_manifest_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    path = directory / index.storage.listing.RECORD
    record = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**record, "manifest": "0" * 64}), encoding="utf-8")
    walks = count_walks(monkeypatch)
    open_index(corpus, directory)
    assert len(walks) == 1


@pytest.mark.parametrize("text", ["", "not json", '{"manifest": 1}', '{"folders": [[1]]}'])
def test_an_unreadable_record_means_a_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    corpus, directory = stamped(tmp_path, monkeypatch)
    (directory / index.storage.listing.RECORD).write_text(text, encoding="utf-8")
    walks = count_walks(monkeypatch)
    assert not open_index(corpus, directory).rebuilt and len(walks) == 1


def test_answers_are_those_of_an_index_built_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.ingest.loader import load_corpus

    corpus, directory = stamped(tmp_path, monkeypatch)
    opened = open_index(corpus, directory)
    fresh = CorpusIndex(load_corpus(corpus).documents)
    for question in ("What did the storm break?", "Where did the fleet sail?"):
        ours = [q.passage.text for q in answer_question(opened.index, question).quotes]
        assert ours == [q.passage.text for q in answer_question(fresh, question).quotes]


def test_an_edit_after_the_stamps_were_kept_is_spliced_not_built_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The record is the index's own file: a partial rebuild must not take it for a stranger's
    # and fall back to a full build (seven seconds instead of two at a million sentences).
    corpus, directory = stamped(tmp_path, monkeypatch)
    full_builds: list[Path] = []
    real = index.storage.builder.build_data

    def counting(root: Path, *args: object, **kwargs: object) -> object:
        full_builds.append(root)
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index.storage.builder, "build_data", counting)
    write_article(corpus, "fleet.txt", "Fleet", ["The fleet sailed south. It reached a reef."])
    opened = open_index(corpus, directory)
    assert opened.rebuilt and full_builds == []
    quotes = answer_question(opened.index, "Where did the fleet sail?").quotes
    assert quotes and quotes[0].passage.text == "The fleet sailed south."
