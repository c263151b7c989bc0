"""The speed benchmark's SQLite FTS5 peer indexes the sentences it is given and ranks by bm25()."""

from __future__ import annotations

from pathlib import Path

from benchmarks.peers import _words, fts5_build, fts5_serve


def test_fts5_peer_finds_the_sentence_that_holds_the_question_words(tmp_path: Path) -> None:
    sentences = [
        "The fleet sailed at dawn.",
        "A storm dispersed the fleet near the coast.",
        "Markets rose on Tuesday.",
    ]
    fts5_build(sentences, tmp_path / "fts5")
    search, text = fts5_serve(tmp_path / "fts5")
    hits = search("What dispersed the fleets?", 3)  # porter stems "fleets" to "fleet"
    assert text(hits[0]) == sentences[1]
    assert sentences[2] not in [text(hit) for hit in hits]
    assert search("What is it?", 3) == []  # only stopwords: no query at all


def test_peer_queries_drop_verbatims_stopwords_and_repeats() -> None:
    assert _words("What did the Fleet do, the fleet?") == ["fleet"]
