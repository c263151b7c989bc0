"""A build on two cores writes the very index a build on one core writes."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest

from index.errors import CorpusError
from index.retrieval.params import BM25Params
from index.storage import parallel
from index.storage.builder import Parts, build_data
from index.storage.opener import fingerprint
from index.storage.store import save
from index.text.analyzer import Analyzer
from tests.support.builders import write_article

WORDS = ["harbour", "minister", "treaty", "storm", "comet", "fleet", "Mirenda", "US", "the"]


def make_corpus(folder: Path, articles: int = 30) -> None:
    rng = random.Random(3)
    for i in range(articles):
        paragraphs = [
            " ".join(rng.choices(WORDS, k=rng.randint(3, 9))).capitalize() + "." for _ in range(3)
        ]
        if i % 7 == 3:
            paragraphs.append(f"WORDS ONLY HERE {i} SHOUTED.")  # the shouted-text path
        write_article(folder, f"{i:02d}.txt", f"Article {i}", paragraphs)
    (folder / "broken.txt").write_bytes(b"\xff\xfe not utf-8")


def built_files(corpus: Path, folder: Path) -> dict[str, bytes]:
    data = build_data(corpus, Analyzer(), BM25Params(), indexer=parallel.index_files)
    save(data, folder, fingerprint(), BM25Params())
    skip = {"verified.json"}  # when each file was checked
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name not in skip}


def _answered(monkeypatch: pytest.MonkeyPatch, method: str) -> list[bool]:
    """Whether each call of the worker's ``method`` gave something (appended as it returns)."""
    calls: list[bool] = []
    real = getattr(parallel._Worker, method)

    def spy(self: parallel._Worker) -> object:
        found = real(self)
        calls.append(found is not None)
        return found

    monkeypatch.setattr(parallel._Worker, method, spy)
    return calls


def test_two_cores_build_the_same_bytes_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path / "corpus")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    serial = built_files(tmp_path / "corpus", tmp_path / "serial")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    started = _answered(monkeypatch, "result")
    packed = _answered(monkeypatch, "texts")
    assert built_files(tmp_path / "corpus", tmp_path / "parallel") == serial
    assert started == [True]  # the second half came from the worker process
    assert packed == [True]  # and its texts too, packed after the rest


def test_texts_the_worker_failed_to_send_are_packed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path / "corpus", articles=12)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    serial = built_files(tmp_path / "corpus", tmp_path / "serial")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parallel._Worker, "texts", lambda self: None)
    assert built_files(tmp_path / "corpus", tmp_path / "parallel") == serial


def test_an_article_changed_before_its_texts_are_packed_again_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows came from the worker's reading: texts of another reading would not match."""
    make_corpus(tmp_path / "corpus", articles=12)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    real = parallel._Worker.result

    def result(self: parallel._Worker) -> object:
        found = real(self)
        (tmp_path / "corpus" / "11.txt").write_text("Article 11\nRewritten since.\n")
        return found

    monkeypatch.setattr(parallel._Worker, "result", result)
    monkeypatch.setattr(parallel._Worker, "texts", lambda self: None)
    with pytest.raises(CorpusError, match="changed while the index was built"):
        build_data(tmp_path / "corpus", Analyzer(), BM25Params(), indexer=parallel.index_files)


def test_texts_packed_later_are_the_texts_packed_at_once(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus", articles=9)
    paths = sorted(str(p) for p in (tmp_path / "corpus").glob("0*.txt"))
    job = (paths, str(tmp_path / "corpus"), Analyzer().configuration, str(tmp_path / "pages"))
    at_once = parallel._index_half(*job).parts
    later = parallel._index_half(*job, pack_later=True).parts
    assert later.texts == [] and later.unpacked
    with pytest.raises(ValueError, match="still to pack"):
        Parts(None, Analyzer()).absorb(later)
    packed = later.packed_later()
    assert later.unpacked == []
    assert packed.texts == at_once.texts
    for mine, theirs in ((packed.starts, at_once.piece_starts), (packed.ends, at_once.piece_ends)):
        assert [a.tolist() for a in mine] == [a.tolist() for a in theirs]
        assert all(a.dtype == np.uint32 for a in mine)
    unpacked = parallel._index_half(*job, pack_later=True).parts
    mine, theirs = unpacked.documents(), at_once.documents()  # ``documents`` packs what is left
    assert mine.text.tobytes() == theirs.text.tobytes()
    assert mine.piece_end.tolist() == theirs.piece_end.tolist()


def test_a_failed_worker_leaves_the_work_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path / "corpus", articles=12)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    serial = built_files(tmp_path / "corpus", tmp_path / "serial")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    assert built_files(tmp_path / "corpus", tmp_path / "parallel") == serial


def test_the_files_are_cut_by_their_bytes() -> None:
    assert parallel._cut_by_bytes([10, 10, 10, 10], 0.5) == 2
    assert parallel._cut_by_bytes([10, 10, 10, 10], 0.45) == 2
    assert parallel._cut_by_bytes([10, 10, 10, 10], 0.25) == 1
    assert parallel._cut_by_bytes([100, 1, 1], 0.5) == 1
    assert parallel._cut_by_bytes([1, 1, 100], 0.5) == 2
    assert parallel._cut_by_bytes([5], 0.5) == 1


def test_a_worker_that_dies_is_logged_with_what_it_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    make_corpus(tmp_path / "corpus", articles=12)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    serial = built_files(tmp_path / "corpus", tmp_path / "serial")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    dying = tmp_path / "dying-python"
    dying.write_text("#!/bin/sh\necho 'Traceback: the worker broke' >&2\nexit 3\n")
    dying.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(dying))
    with caplog.at_level("WARNING", logger="index.storage.parallel"):
        assert built_files(tmp_path / "corpus", tmp_path / "parallel") == serial
    assert "the worker broke" in caplog.text
