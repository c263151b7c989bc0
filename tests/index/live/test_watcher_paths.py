"""The watcher ignores what the loader never reads: an index folder inside the corpus (its own
writes would trigger the next reload) and changes seen through a link out of the corpus."""

from __future__ import annotations

import os
import time
from pathlib import Path

from index.live.live_index import LiveIndex
from index.live.watcher import CorpusWatcher, is_article_change
from tests.support.builders import write_article


def test_changes_in_an_index_folder_or_through_a_link_out_are_not_article_changes(
    tmp_path: Path,
) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    os.symlink(outside, corpus / "linked")
    index = corpus / "idx"
    assert not is_article_change(index / "vocabulary.txt", corpus, index)
    assert not is_article_change(corpus / "linked" / "secret.txt", corpus, index)
    assert is_article_change(corpus / "notes.txt", corpus, index)


def test_a_reload_writing_an_index_inside_the_corpus_does_not_trigger_another(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "fleet.txt", "Fleet", ["The fleet sailed north."])
    live = LiveIndex(corpus, corpus / "idx")
    watcher = CorpusWatcher(live, debounce_ms=50).start()
    try:
        write_article(corpus, "comet.txt", "Comet", ["The comet lit the sky."])
        deadline = time.monotonic() + 10
        while live.generation < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.6)  # long enough for a reload triggered by the index's own writes
    finally:
        watcher.stop()
        live.close()
    assert live.generation == 1 and watcher.batches == 1
    assert len(live.current.documents) == 2
