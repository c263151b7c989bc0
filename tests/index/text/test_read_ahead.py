"""The related-words table read ahead on a thread is the table read where it is used."""

from __future__ import annotations

import pytest

from index.text import lexicon
from index.text.analyzer import Analyzer

TERMS = ("invent", "buy", "win", "treati", "zzzz")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """No table built or pending in this process (the module keeps them for the process)."""
    monkeypatch.setattr(lexicon, "_BUILT", {})
    monkeypatch.setattr(lexicon, "_AHEAD", [])


def _related() -> dict[str, frozenset[str]]:
    table = lexicon.related_terms(Analyzer())
    return {term: table.of(term) for term in TERMS}


@pytest.mark.usefixtures("fresh")
def test_a_table_read_ahead_is_used_and_gives_the_same_related_terms() -> None:
    read_now = _related()
    lexicon._BUILT.clear()
    lexicon.read_ahead()
    assert len(lexicon._AHEAD) == 1
    thread, landed = lexicon._AHEAD[0]
    thread.join()
    assert len(landed) == 1
    assert _related() == read_now and read_now["invent"]
    assert lexicon._AHEAD == []  # taken, not read again


@pytest.mark.usefixtures("fresh")
def test_reading_ahead_once_built_or_pending_starts_nothing() -> None:
    lexicon.read_ahead()
    lexicon.read_ahead()
    assert len(lexicon._AHEAD) == 1
    lexicon.related_terms(Analyzer())
    lexicon.read_ahead()
    assert lexicon._AHEAD == []


@pytest.mark.usefixtures("fresh")
def test_a_read_ahead_that_failed_is_read_again_where_used_and_fails_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(name: str) -> bytes:
        raise OSError(f"cannot read {name}")

    monkeypatch.setattr(lexicon, "_read_bytes", broken)
    lexicon.read_ahead()
    lexicon._AHEAD[0][0].join()
    with pytest.raises(OSError, match="cannot read"):
        lexicon.related_terms(Analyzer())
