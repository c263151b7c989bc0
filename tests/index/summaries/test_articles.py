"""Title matching reads a folded title list kept per index, never the articles themselves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from index.model import Document
from index.retrieval.tables import LazyDocuments
from index.storage.opener import open_index
from index.summaries.articles import find_article, match_article_titles, titles_of
from index.summaries.corpus_analysis import prepare
from tests.support.builders import write_article


def test_keystrokes_decode_no_article_of_a_stored_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    for n in range(30):
        write_article(corpus, f"a{n}.txt", f"Harbour report {n}", [f"The crane lifted {n} t."])
    index = open_index(corpus, tmp_path / "idx").index
    assert isinstance(index.documents, LazyDocuments)
    prepare(index)  # as the bot does before serving an index
    assert titles_of(index) is titles_of(index)  # built once, kept with the index
    built: list[int] = []
    getitem = LazyDocuments.__getitem__

    def counting(self: LazyDocuments, key: int | slice) -> Document | Sequence[Document]:
        built.append(1)
        return getitem(self, key)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(LazyDocuments, "__getitem__", counting)
    for typed in ("", "h", "ha", "harb", "report 2", "REPORT 29", "zzz"):
        match_article_titles(index, typed)
    assert built == []
    assert match_article_titles(index, "report 2")[:2] == ["Harbour report 2", "Harbour report 20"]
    found = find_article(index, "harbour report 29")
    assert found is not None and found.title == "Harbour report 29" and len(built) == 1
