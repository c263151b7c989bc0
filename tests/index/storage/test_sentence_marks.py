"""The sentence marks a persistent index keeps: the same after a partial rebuild as after a
full one, and an index of the format before them is rebuilt, not misread."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from index.answering.answer import answer_question
from index.retrieval.params import BM25Params
from index.retrieval.sentence_marks import BRACKET, REFERS_BACK, SentenceMarks
from index.storage.builder import build_data
from index.storage.format import IndexData
from index.storage.opener import fingerprint, open_index
from index.storage.store import load
from index.text.analyzer import Analyzer
from tests.support.builders import reopened_as_older_format, write_article


def _corpus(folder: Path) -> Path:
    write_article(
        folder, "fleet.txt", "Fleet", ["The fleet sailed north in 1805. It reached port."]
    )
    write_article(folder, "treaty.txt", "Treaty", ["Ministers signed the treaty. This ended it."])
    write_article(folder, "storm.txt", "Storm", ["A STORM BROKE THE DAM.", "Fields flooded."])
    return folder


def _marks(directory: Path, corpus: Path) -> SentenceMarks:
    data = load(directory, corpus, fingerprint(), BM25Params())
    assert data.marks is not None
    return data.marks


def _assert_same(one: SentenceMarks, other: SentenceMarks) -> None:
    for column in ("sequence", "flags", "titles", "title_ptr"):
        assert np.array_equal(getattr(one, column), getattr(other, column)), column


def test_a_partial_rebuild_keeps_the_marks_a_full_build_makes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    open_index(corpus, tmp_path / "idx")
    write_article(corpus, "treaty.txt", "Treaty", ["Generals signed the armistice. It held."])
    write_article(
        corpus, "comet.txt", "Comet over Café Zoë", ["A comet (C/2020) lit the sky over Paris."]
    )
    assert open_index(corpus, tmp_path / "idx").rebuilt
    open_index(corpus, tmp_path / "full", force=True)
    _assert_same(_marks(tmp_path / "idx", corpus), _marks(tmp_path / "full", corpus))
    flags = _marks(tmp_path / "idx", corpus).flags
    assert int((flags & REFERS_BACK).sum()) == 2  # the two "It ..." openings
    assert int(np.count_nonzero(flags & BRACKET)) == 1  # "A comet (C/2020) lit ..."


def test_reused_articles_are_marked_from_their_text_when_the_previous_index_kept_none(
    tmp_path: Path,
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    open_index(corpus, tmp_path / "idx")
    previous = _marks_less(tmp_path / "idx", corpus)
    rebuilt = build_data(corpus, Analyzer(), BM25Params(), previous)
    fresh = build_data(corpus, Analyzer(), BM25Params())
    assert rebuilt.marks is not None and fresh.marks is not None
    _assert_same(rebuilt.marks, fresh.marks)


def _marks_less(directory: Path, corpus: Path) -> IndexData:
    data = load(directory, corpus, fingerprint(), BM25Params())
    return dataclasses.replace(data, marks=None)


def test_an_index_of_the_previous_format_is_rebuilt_not_misread(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    directory = tmp_path / "idx"
    open_index(corpus, directory)
    # What a format-2 index looks like: no marks files, version 2 in the manifest.
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    for name in [n for n in manifest["checksums"] if n.startswith("marks.")]:
        (directory / name).unlink()
        del manifest["checksums"][name]
    reopened = reopened_as_older_format(corpus, directory, manifest, 2)
    assert any(directory.glob("marks.*.npy"))
    assert answer_question(reopened.index, "When did the fleet sail north?").covered
