"""The summaries' analysis kept beside the persistent index: read back, never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import open_index, open_prepared, summarize
from index.summaries import corpus_analysis
from index.summaries.corpus_analysis import analysis_of
from index.summaries.kept import FOLDER, Keeping, load
from index.summaries.summarizer import SummaryMode
from index.summaries.topics import corpus_topics
from tests.support.builders import write_article

ARTICLES = {
    "glazer.txt": (
        "Glazer raises stake",
        [
            "Malcolm Glazer raised his stake in Manchester United. Mr Glazer wants the club.",
            "The board of Manchester United met on Monday to discuss the takeover bid.",
        ],
    ),
    "books.txt": (
        "United opens its books",
        [
            "Manchester United will open its books to Malcolm Glazer before any takeover bid.",
            "Glazer owns the Tampa Bay Buccaneers. Fans oppose the takeover bid.",
        ],
    ),
    "volcano.txt": (
        "Volcano erupts",
        ["A volcano in Iceland erupted, sending ash across the Atlantic. Flights were cancelled."],
    ),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    for name, (title, paragraphs) in ARTICLES.items():
        write_article(folder, name, title, paragraphs)
    return folder


def snapshot(corpus: Path, directory: Path) -> tuple[object, ...]:
    index = open_prepared(corpus, directory).index
    gist = [item.quote.passage.text for item in summarize(index).items]
    side = summarize(index, "Malcolm Glazer", mode=SummaryMode.COMPARE).items
    return tuple(corpus_topics(index, 50)), tuple(gist), tuple(i.quote.passage.text for i in side)


def test_a_new_process_reads_the_kept_analysis_instead_of_recomputing_it(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "idx"
    first = snapshot(corpus, directory)
    assert (directory / FOLDER / "manifest.json").is_file()

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("recomputed what was kept")

    monkeypatch.setattr(corpus_analysis, "extract_topics", never)
    monkeypatch.setattr(corpus_analysis, "find_stories", never)
    assert snapshot(corpus, directory) == first  # a fresh index object: only the folder is shared


def test_a_changed_corpus_is_analysed_afresh(corpus: Path, tmp_path: Path) -> None:
    directory = tmp_path / "idx"
    before = {t.phrase for t in corpus_topics(open_prepared(corpus, directory).index, 50)}
    write_article(
        corpus,
        "comet.txt",
        "Comet seen",
        ["Astronomers saw the comet Hale-Bopp again. The comet Hale-Bopp glowed."],
    )
    after = {t.phrase for t in corpus_topics(open_prepared(corpus, directory).index, 50)}
    assert not any("Hale-Bopp" in phrase for phrase in before)
    assert any("Hale-Bopp" in phrase for phrase in after)


def test_another_identity_or_a_damaged_file_is_not_trusted(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "idx"
    opened = open_prepared(corpus, directory)
    assert opened.identity is not None
    assert load(Keeping(directory, opened.identity)) is not None
    assert load(Keeping(directory, "0" * 16)) is None
    (directory / FOLDER / "records.json").write_text("{not json", encoding="utf-8")
    assert load(Keeping(directory, opened.identity)) is None
    assert "damaged" in caplog.text
    # Serving still works, and the damaged folder is replaced by a good one.
    index = open_prepared(corpus, directory).index
    assert corpus_topics(index) and load(Keeping(directory, opened.identity)) is not None


def test_an_index_served_from_memory_is_prepared_without_keeping(
    corpus: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    opened = open_index(corpus, blocked / "idx")  # cannot be saved: served from memory
    assert opened.directory is None and opened.identity is None
    index = open_prepared(corpus, blocked / "idx").index
    assert corpus_topics(index) == corpus_topics(opened.index)
    assert analysis_of(index).topics
