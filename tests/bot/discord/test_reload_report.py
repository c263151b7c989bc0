"""The ``/reload`` follow-up text, without Discord: counts with changes, skipped files, failures."""

from __future__ import annotations

from pathlib import Path

from bot.discord.cogs.reloads import MAX_SKIPPED_SHOWN, reload_failure, reload_report
from index.errors import CorpusError
from index.ingest.loader import SkippedFile
from index.live.live_index import ReloadResult


def result(documents: int, passages: int, skipped: int = 0) -> ReloadResult:
    files = tuple(SkippedFile(Path(f"bad_{i}.txt"), "not UTF-8 text") for i in range(skipped))
    return ReloadResult(1, documents, passages, files, rebuilt=True, seconds=0.25)


def test_counts_say_what_changed() -> None:
    report = reload_report(3, 1200, result(2, 1200))
    assert report == "Reloaded in 0.2 s: 2 (-1) article(s), 1,200 (unchanged) sentences."


def test_skipped_files_are_named_with_reasons_and_the_list_is_bounded() -> None:
    report = reload_report(1, 10, result(1, 10, skipped=MAX_SKIPPED_SHOWN + 3))
    lines = report.splitlines()
    assert lines[1] == f"Skipped {MAX_SKIPPED_SHOWN + 3} file(s) I could not read:"
    assert lines[2] == "- `bad\\_0.txt`: not UTF-8 text"
    assert lines[-1] == "- … and 3 more (see the log)" and len(report) < 2000


def test_failures_explain_our_errors_and_hide_unexpected_ones() -> None:
    ours = reload_failure(CorpusError("no article left in /srv/corpus"))
    assert ours.startswith("The reload failed: no article left in /srv/corpus\n")
    assert "still answering from the articles I had" in ours
    theirs = reload_failure(MemoryError("arena 0x7f"))
    assert "0x7f" not in theirs and "log" in theirs
