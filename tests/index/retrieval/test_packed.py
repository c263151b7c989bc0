"""Article texts packed in pieces (``index.retrieval.packed``): the same text back, cut where
the paragraphs start, and the same bytes every time."""

from __future__ import annotations

import itertools
import zlib
from pathlib import Path

import pytest

import index.retrieval.packed as packed_module
from index.retrieval.packed import PIECE, cuts, dictionary, pack, unpack, words_dictionary

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
PARAGRAPH = "Ministers signed the treaty in Genève on 3 May — “a new start”, they said. "


def _text(paragraphs: int) -> tuple[str, list[int]]:
    text, starts = "Title of the Café Zoë article\n\n", []
    for i in range(paragraphs):
        starts.append(len(text))
        text += f"{i}: " + PARAGRAPH * (1 + i % 4) + "\n\n"
    return text + "Source: https://example.com\n", starts


@pytest.mark.parametrize("paragraphs", [0, 1, 3, 40])
def test_a_packed_text_unpacks_to_itself_whole_and_piece_by_piece(paragraphs: int) -> None:
    text, starts = _text(paragraphs)
    zdict = dictionary()
    packed, piece_starts, ends = pack(text, starts, zdict)
    assert unpack(packed, ends, zdict) == text
    bounds = [*piece_starts, len(text)]
    for k, end in enumerate(ends):
        start = ends[k - 1] if k else 0
        piece = unpack(packed[start:end], [end - start], zdict)
        assert piece == text[bounds[k] : bounds[k + 1]]
    assert pack(text, starts, zdict) == (packed, piece_starts, ends)  # the same bytes each time
    assert len(packed) < len(text.encode("utf-8")) * 0.8 or paragraphs == 0


def test_pieces_are_cut_only_where_a_paragraph_starts_once_they_hold_enough() -> None:
    text, starts = _text(40)
    pieces = cuts(text, starts)
    assert pieces[0] == 0 and set(pieces[1:]) <= set(starts)
    assert len(pieces) > 3
    assert all(b - a >= PIECE for a, b in itertools.pairwise(pieces))
    assert cuts("", []) == [0]


def test_the_dictionary_helps_small_pieces() -> None:
    text = PARAGRAPH * 3
    assert len(pack(text, [], dictionary())[0]) < len(pack(text, [], b"")[0])


def test_the_shipped_dictionary_is_wordfreqs_most_common_words() -> None:
    # Shipped so that no build imports wordfreq; made from it, and the same bytes.
    shipped = dictionary()
    assert len(shipped) == 8192 and shipped.endswith(b" the ")
    assert shipped == words_dictionary()


def test_the_memory_level_changes_no_byte_of_article_sized_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Packed with a smaller hash table for speed (``packed._MEMORY``): on texts the size of
    # articles the matches, and so the bytes, are those of the largest table.
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    starts = [i + 2 for i in range(len(text) - 1) if text[i : i + 2] == "\n\n"]
    ours = pack(text, starts, dictionary())
    largest = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, dictionary())
    monkeypatch.setattr(packed_module, "_primed", lambda zdict: largest)
    assert pack(text, starts, dictionary()) == ours
