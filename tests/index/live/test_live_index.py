"""Live reload: answers keep coming during a rebuild, the swap is atomic, bad files are skipped."""

from __future__ import annotations

import gc
import logging
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from index.answering.answer import answer_question
from index.errors import CorpusError
from index.live.live_index import LiveIndex
from index.live.watcher import CorpusWatcher, is_article_change
from index.retrieval.corpus_index import CorpusIndex
from index.storage.opener import OpenedIndex, open_index
from index.summaries.corpus_analysis import analysis_of, prepare
from tests.support.builders import write_article

OLD = "Where did the fleet sail?"
NEW = "What did the comet light?"


def corpus_with_fleet(folder: Path) -> Path:
    write_article(folder, "fleet.txt", "Fleet", ["The fleet sailed north. It reached port."])
    return folder


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (bounded; no timing assert)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_reload_swaps_atomically_while_readers_keep_answering(tmp_path: Path) -> None:
    corpus = corpus_with_fleet(tmp_path / "corpus")
    gate = threading.Event()

    def slow_open(*args: object) -> OpenedIndex:
        gate.wait(10)  # hold the rebuild until readers have answered from the old index
        return open_index(*args)  # type: ignore[arg-type]

    live = LiveIndex(corpus, tmp_path / "idx", opener=open_index)
    live._opener = slow_open
    stop = threading.Event()
    asked = [0] * 4
    logs: list[list[tuple[bool, bool]]] = [[] for _ in asked]

    def reader(slot: int) -> None:
        while not stop.is_set():
            index = live.current
            old = answer_question(index, OLD)
            new = answer_question(index, NEW)
            logs[slot].append((old.covered, new.covered))
            asked[slot] += 1

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(len(asked))]
    for thread in threads:
        thread.start()
    write_article(corpus, "comet.txt", "Comet", ["A comet lit the northern sky."])
    future = live.reload()
    assert wait_for(lambda: all(asked))
    assert not future.done() and live.generation == 0
    gate.set()
    result = future.result(timeout=30)
    assert wait_for(lambda: all(entries[-1][1] for entries in logs if entries))
    stop.set()
    for thread in threads:
        thread.join(10)
    assert result.generation == 1 and result.documents == 2
    for entries in logs:
        assert len(entries) > 0 and all(old for old, _ in entries)  # never an answer lost
        seen = [new for _, new in entries]
        # Atomic swap: once a reader sees the new index it never sees the old one again.
        assert seen == sorted(seen) and seen[-1]
    live.close()


def test_a_broken_new_file_is_named_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = corpus_with_fleet(tmp_path / "corpus")
    live = LiveIndex(corpus, tmp_path / "idx")
    (corpus / "bad.txt").write_bytes(b"\x00\x01binary")
    write_article(corpus, "comet.txt", "Comet", ["A comet lit the northern sky."])
    with caplog.at_level(logging.WARNING, logger="index.live.live_index"):
        result = live.reload().result(timeout=30)
    assert "bad.txt" in caplog.text and "binary" in caplog.text
    assert [s.path.name for s in result.skipped] == ["bad.txt"]
    assert answer_question(live.current, NEW).covered
    live.close()


def test_a_failed_reload_keeps_serving_the_previous_index(tmp_path: Path) -> None:
    corpus = corpus_with_fleet(tmp_path / "corpus")
    live = LiveIndex(corpus, tmp_path / "idx")
    before = live.current
    (corpus / "fleet.txt").unlink()
    with pytest.raises(CorpusError):
        live.reload().result(timeout=30)
    assert live.current is before and answer_question(live.current, OLD).covered
    live.close()


@pytest.mark.parametrize(
    "name",
    [".fleet.txt.swp", "fleet.txt~", "#fleet.txt#", ".#fleet.txt", "4913", "x.swx", "a.tmp"],
)
def test_editor_temp_files_are_not_article_changes(tmp_path: Path, name: str) -> None:
    assert not is_article_change(tmp_path / name, tmp_path)
    assert not is_article_change(tmp_path / ".git" / "fleet.txt", tmp_path)


@pytest.mark.parametrize("name", ["fleet.txt", "sub/notes.md", "x.markdown", "newfolder"])
def test_articles_and_folders_are_changes(tmp_path: Path, name: str) -> None:
    assert is_article_change(tmp_path / name, tmp_path)


def test_the_watcher_reloads_on_an_article_and_ignores_temp_files(tmp_path: Path) -> None:
    corpus = corpus_with_fleet(tmp_path / "corpus")
    live = LiveIndex(corpus, tmp_path / "idx")
    watcher = CorpusWatcher(live, debounce_ms=50).start()
    try:
        (corpus / ".comet.txt.swp").write_text("swap", encoding="utf-8")
        (corpus / "4913").write_text("", encoding="utf-8")
        (corpus / "comet.txt~").write_text("backup", encoding="utf-8")
        time.sleep(0.5)  # a bounded grace period for a (wrong) reload to happen
        assert watcher.batches == 0 and live.generation == 0
        write_article(corpus, "comet.txt", "Comet", ["A comet lit the northern sky."])
        assert wait_for(lambda: live.generation >= 1)
        assert watcher.batches >= 1 and answer_question(live.current, NEW).covered
    finally:
        watcher.stop()
        live.close()


def test_on_built_sees_each_new_index_before_it_is_served(tmp_path: Path) -> None:
    corpus = corpus_with_fleet(tmp_path / "corpus")
    built: list[tuple[CorpusIndex, bool]] = []
    holder: list[LiveIndex] = []

    def on_built(index: CorpusIndex) -> None:
        served = bool(holder) and holder[0].current is index
        built.append((index, served))

    live = LiveIndex(corpus, tmp_path / "idx", on_built=on_built)
    holder.append(live)
    write_article(corpus, "comet.txt", "Comet", ["A comet lit the northern sky."])
    live.reload().result(timeout=30)
    assert [index for index, _ in built] == [built[0][0], live.current]
    assert built[0][0] is not live.current
    assert not any(served for _, served in built)  # prepared before the swap, never after
    live.close()


def test_a_failing_on_built_fails_the_reload_and_keeps_the_old_index(tmp_path: Path) -> None:
    corpus = corpus_with_fleet(tmp_path / "corpus")
    calls: list[CorpusIndex] = []

    def on_built(index: CorpusIndex) -> None:
        calls.append(index)
        if len(calls) > 1:
            raise RuntimeError("analysis ran out of memory")

    live = LiveIndex(corpus, tmp_path / "idx", on_built=on_built)
    before = live.current
    write_article(corpus, "comet.txt", "Comet", ["A comet lit the northern sky."])
    with pytest.raises(RuntimeError, match="out of memory"):
        live.reload().result(timeout=30)
    assert live.current is before and live.generation == 0 and len(calls) == 2
    live.close()


def test_a_replaced_prepared_index_is_freed_once_nothing_uses_it(tmp_path: Path) -> None:
    """Each reload must not keep the previous index (and its analysis) alive for good."""
    corpus = corpus_with_fleet(tmp_path / "corpus")
    live = LiveIndex(corpus, tmp_path / "idx", on_built=prepare)
    assert analysis_of(live.current).topics is not None  # the analysis exists and is cached
    old = weakref.ref(live.current)
    write_article(corpus, "comet.txt", "Comet", ["A comet lit the northern sky."])
    live.reload().result(timeout=30)
    gc.collect()
    assert old() is None and answer_question(live.current, NEW).covered
    live.close()


def test_a_reload_with_nothing_changed_does_no_work(tmp_path: Path) -> None:
    """No file changed: the served index stays, and neither the opener nor ``on_built`` runs."""
    corpus = corpus_with_fleet(tmp_path / "corpus")
    built: list[CorpusIndex] = []
    opened: list[Path] = []

    def counting_open(corpus: Path, *args: object) -> OpenedIndex:
        opened.append(corpus)
        return open_index(corpus, *args)  # type: ignore[arg-type]

    live = LiveIndex(corpus, tmp_path / "idx", opener=counting_open, on_built=built.append)
    before = live.current
    result = live.reload().result(timeout=30)
    assert not result.changed and live.current is before and live.generation == 0
    assert result.documents == 1 and len(opened) == len(built) == 1  # start-up only
    write_article(corpus, "comet.txt", "Comet", ["A comet lit the northern sky."])
    changed = live.reload().result(timeout=30)
    assert changed.changed and changed.documents == 2 and len(opened) == len(built) == 2
    live.close()
