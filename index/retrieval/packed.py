"""Article texts as the index stores them: in pieces, each deflated alone with a preset dictionary.

An article's text is cut into pieces at paragraph starts, a piece taking paragraphs until it
holds ``PIECE`` characters (the first piece holds what comes before the first paragraph too: the
title line, front matter), and each piece is compressed on its own (raw DEFLATE, level 9, no
header or checksum: the index's files have their own CRC-32). A sentence lies in one piece, so
re-ranking a sentence inflates about a kilobyte of text, not the whole article: at a million
sentences the re-ranker reads some 35 candidates' sentences a question, and inflating their
whole articles (5 KB each, ~30 µs) would add a millisecond to it.

Pieces that small compress less well alone, so they share a preset dictionary (``zdict``): the most
common English words (``wordfreq``'s 2,000, the most common last, where DEFLATE reaches them with
the shortest distances), shipped as ``data/packing_dictionary.txt``: importing ``wordfreq`` to list
them took 0.2-0.3 s of every build and partial rebuild. Measured on the 1M benchmark corpus (a
sample of 1,000 articles): whole articles alone 0.54 of their size, 30 µs to inflate one; pieces of
1,000 characters 0.60, or 0.53 with an 8 KB dictionary (9 µs a piece, 4.7 pieces an article); a 32
KB dictionary saves 3% more and costs twice the build time (DEFLATE hashes the whole dictionary for
every piece). The dictionary is stored in the index beside the texts, so reading never depends on
the shipped file; a build with another one writes its own (and a partial rebuild over an index
packed with another dictionary builds in full). ``words_dictionary`` makes the file from
``wordfreq``.

The same text always packs to the same bytes, so a two-core build is byte-identical to a
one-core one, and a partial rebuild copies an unchanged article's bytes as they are.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

_WBITS = -15  # raw DEFLATE
_LEVEL = 9
# Memory level 8, not 9: a hash table half the size, so copying the primed compressor for each
# piece (``_primed``) moves ~100 KB less; the same bytes on the 1M benchmark corpus (a piece's
# matches lie within its few kilobytes and the dictionary), a build ~5-10% faster.
_MEMORY = 8
_DICTIONARY_WORDS = 2000
_DICTIONARY_BYTES = 8192
DICTIONARY_FILE = "packing_dictionary.txt"
PIECE = 1000  # characters: a piece takes paragraphs until it holds this many


@lru_cache(maxsize=1)
def dictionary() -> bytes:
    """The preset dictionary a build packs texts with (the most common words last)."""
    return resources.files("index.retrieval").joinpath("data", DICTIONARY_FILE).read_bytes()


def words_dictionary() -> bytes:
    """The dictionary made from ``wordfreq``'s most common English words: what the shipped file
    holds (a test compares them)."""
    from wordfreq import top_n_list  # ~0.2 s to import

    words = top_n_list("en", _DICTIONARY_WORDS)
    return (" " + " ".join(reversed(words)) + " ").encode("utf-8")[-_DICTIONARY_BYTES:]


def cuts(text: str, paragraph_starts: Sequence[int]) -> list[int]:
    """Where the pieces of ``text`` start (the first at 0), cut at paragraph starts."""
    starts = [0]
    for start in paragraph_starts:
        if start - starts[-1] >= PIECE:
            starts.append(start)
    return starts


def pack(
    text: str, paragraph_starts: Sequence[int], zdict: bytes
) -> tuple[bytes, list[int], list[int]]:
    """``text`` packed in pieces: the packed bytes, where each piece starts in ``text`` and
    where its bytes end in the packed bytes."""
    packed, ends = bytearray(), []
    starts = cuts(text, paragraph_starts)
    for start, end in itertools.pairwise([*starts, len(text)]):
        packer = _primed(zdict).copy()
        packed += packer.compress(text[start:end].encode("utf-8")) + packer.flush()
        ends.append(len(packed))
    return bytes(packed), starts, ends


@lru_cache(maxsize=2)
def _primed(zdict: bytes) -> zlib._Compress:
    """A compressor holding ``zdict`` and nothing else, for ``pack`` to copy for each piece:
    the same state as a new one given the dictionary (so the same bytes), without hashing the
    dictionary again (~10 of the ~55 µs a piece takes)."""
    return zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEMORY, zlib.Z_DEFAULT_STRATEGY, zdict)


def unpack(packed: bytes, ends: Sequence[int], zdict: bytes) -> str:
    """The text of consecutive pieces ``packed``, whose bytes end at ``ends`` (relative to
    ``packed``)."""
    raw = []
    start = 0
    for end in ends:
        unpacker = zlib.decompressobj(_WBITS, zdict=zdict)
        raw.append(unpacker.decompress(packed[start:end]) + unpacker.flush())
        start = end
    return b"".join(raw).decode("utf-8")
