"""The ranking's first stage compiled from ``postings.c``, and the word scan of ASCII sentences
from ``words.c``, when the install could build them.

At a million sentences a query touches ~50,000 postings; numpy adds them into a score array the
size of the corpus (``ufunc.at``: random writes, then gathers and a dedupe pass), and those
scattered accesses were most of the ranking's time. The kernel runs MaxScore over blocks of
passages: the postings of the terms that can still lift a passage into the top k are added one
block at a time (each list read in order, the writes inside a window the cache holds), the
other terms are only looked up for the passages collected, and the long lists of common words
stop being read once the k-th best sum is out of their reach.

``hatch_build.py`` compiles it at install time with the machine's C compiler; it is loaded with
``ctypes`` (no Python API, ~1 ms). Without it (no compiler, ``VERBATIM_KERNELS=off``, a build
from another version of the sources) ``load()`` returns ``None`` and the engine runs its numpy
path: the same top k and scores, slower; ``WORDS`` is ``None`` and word spans come from the
analyzer's regular expression (the same spans); ``TERM_MAJOR`` (a build's counting sort of the
postings by term) is ``None`` and numpy sorts them (the same order). A build's forward rows
in C are ``kernels.rows``.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

LIBRARY = Path(__file__).with_name("_postings.so")
SOURCES = tuple(
    Path(__file__).with_name(name) for name in ("postings.c", "words.c", "files.c", "reads.c")
)
# Passages per block: 4,096 float64 sums (32 KiB) stay in a core's L1/L2 cache (at 1M: 0.65 /
# 0.82 / 1.02 ms kernel p50 at 4,096 / 16,384 / 65,536 with a binary search per block; with the
# galloping search, 2,048 to 16,384 within noise of each other).
BLOCK = 1 << 12
_P = ctypes.c_void_p
_I = ctypes.c_int64


@dataclass(frozen=True, slots=True)
class Terms:
    """A query's terms for the kernel, in ascending order of peak: each one's postings range
    (``lo``/``hi`` into the postings arrays), weight scale and peak weight."""

    lo: npt.NDArray[np.int64]
    hi: npt.NDArray[np.int64]
    scale: npt.NDArray[np.float64]
    peak: npt.NDArray[np.float64]


class PostingsKernel:
    """The compiled first stage over one ``Postings`` layout (int32 passages, int16 weights)."""

    def __init__(self, maxscore: Callable[..., int], exact: Callable[..., None]) -> None:
        self._maxscore = maxscore
        self._exact = exact
        self._local = threading.local()

    def candidates(
        self,
        postings: tuple[npt.NDArray[np.int32], npt.NDArray[np.int16]],
        terms: Terms,
        k: int,
        slack: float,
        scratch: tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]],
    ) -> npt.NDArray[np.int32]:
        """The passages that can be in the top ``k`` of an OR query (MaxScore, see
        ``postings.c``). ``postings`` are the passages and int16 weights of every term;
        ``terms`` gives each query term's range, scale and peak, in ascending order of peak;
        every approximate weight and peak is within ``slack`` (summed over the terms) of the
        exact. ``scratch``: zeros and False, one per passage, left as they were found."""
        docs, weights = postings
        values, seen = scratch
        total = int((terms.hi - terms.lo).sum())
        out_docs, out_sums = self._buffers(total)
        n = terms.lo.size
        pos, stop = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        prefix, heap = np.empty(n + 1), np.empty(max(k, 1))
        kept = self._maxscore(
            docs.ctypes.data,
            weights.ctypes.data,
            terms.lo.ctypes.data,
            terms.hi.ctypes.data,
            terms.scale.ctypes.data,
            terms.peak.ctypes.data,
            n,
            k,
            slack,
            BLOCK,
            values.ctypes.data,
            seen.ctypes.data,
            pos.ctypes.data,
            stop.ctypes.data,
            prefix.ctypes.data,
            heap.ctypes.data,
            out_docs.ctypes.data,
            out_sums.ctypes.data,
        )
        return out_docs[:kept].copy()

    def exact(
        self,
        postings: tuple[npt.NDArray[np.int32], npt.NDArray[Any], npt.NDArray[Any]],
        terms: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
        candidates: npt.NDArray[np.int32],
        bm25: tuple[float, float, float],
    ) -> npt.NDArray[np.float64]:
        """The candidates' exact Okapi/Lucene scores for the query terms in query order
        (``terms``: each one's postings range and idf; ``postings``: passages, counts and each
        passage's length; ``bm25``: k1, b, avgdl), bit for bit as ``weights.term_weights``
        summed term by term. Counts and lengths must be uint8 (the caller checks)."""
        docs, tf, lengths = postings
        lo, hi, idf = terms
        k1, b, avgdl = bm25
        out = np.empty(candidates.size)
        self._exact(
            docs.ctypes.data,
            tf.ctypes.data,
            lengths.ctypes.data,
            lo.ctypes.data,
            hi.ctypes.data,
            idf.ctypes.data,
            lo.size,
            candidates.ctypes.data,
            candidates.size,
            k1,
            b,
            avgdl,
            out.ctypes.data,
        )
        return out

    def _buffers(self, size: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        """Per-thread output arrays, grown as needed: fresh ones per query would page-fault."""
        buffers = getattr(self._local, "buffers", None)
        if buffers is None or buffers[0].size < size:
            grown = max(size, 1 << 16)
            buffers = (np.empty(grown, dtype=np.int32), np.empty(grown))
            self._local.buffers = buffers
        return buffers


def source_digest() -> str:
    """The SHA-256 of the sources as one text: what the library must say it was built from."""
    return hashlib.sha256(b"".join(source.read_bytes() for source in SOURCES)).hexdigest()


def compiled(library: Path = LIBRARY) -> ctypes.CDLL | None:
    """The compiled library, or ``None`` (logged) when it is off, missing or built from another
    version of the sources."""
    if os.environ.get("VERBATIM_KERNELS", "").strip().lower() in {"off", "0", "false", "no"}:
        return None
    if not library.is_file():
        log.info("compiled kernels not built (%s); using numpy", library.name)
        return None
    try:
        found = ctypes.CDLL(str(library))
        digest = ctypes.CFUNCTYPE(ctypes.c_char_p)(("verbatim_source_digest", found))()
    except (OSError, AttributeError) as error:
        log.warning("compiled kernels did not load (%s); using numpy", error)
        return None
    if all(source.is_file() for source in SOURCES) and digest != source_digest().encode():
        log.warning("compiled kernels were built from other sources; using numpy (reinstall)")
        return None
    return found


def compiled_with(symbol: str, library: Path = LIBRARY) -> ctypes.CDLL | None:
    """``compiled``, or ``None`` when the library holds no ``symbol`` (one built before that
    function was added: its part of the work falls back to numpy)."""
    found = compiled(library)
    return found if found is not None and hasattr(found, symbol) else None


def load(library: Path = LIBRARY) -> PostingsKernel | None:
    """The compiled first stage, or ``None`` (see ``compiled``)."""
    found = compiled(library)
    if found is None:
        return None
    try:
        function, exact = found.verbatim_maxscore, found.verbatim_exact
    except AttributeError as error:
        log.warning("compiled postings kernel did not load (%s); using numpy", error)
        return None
    function.argtypes = [*[_P] * 6, _I, _I, ctypes.c_double, _I, *[_P] * 8]
    function.restype = _I
    exact.argtypes = [*[_P] * 6, _I, _P, _I, ctypes.c_double, ctypes.c_double, ctypes.c_double, _P]
    exact.restype = None
    return PostingsKernel(function, exact)


@dataclass(frozen=True, slots=True)
class Skipped:
    """Words a scan leaves out, sorted, as the kernel reads them: ``words[at[i]:at[i + 1]]``
    (``address``: where ``at`` is, read once: asking numpy for it costs microseconds)."""

    words: bytes
    at: npt.NDArray[np.int32]
    address: int
    count: int


class WordScanner:
    """The analyzer's word pattern run in C over ASCII text (``words.c``)."""

    def __init__(self, scan: Callable[..., int]) -> None:
        self._scan = scan
        self._local = threading.local()

    @staticmethod
    def skipping(words: Iterable[str]) -> Skipped:
        """``words`` as a scan reads them (those not all ASCII can match no ASCII word)."""
        encoded = sorted(word.encode("ascii") for word in set(words) if word.isascii())
        at = np.zeros(len(encoded) + 1, dtype=np.int32)
        np.cumsum([len(word) for word in encoded], out=at[1:])
        return Skipped(b"".join(encoded), at, at.ctypes.data, len(encoded))

    def spans(self, text: str, skipped: Skipped) -> tuple[list[int], list[int]] | None:
        """Where each word of ``text`` but the ``skipped`` starts and ends (``Analyzer.tokens``'
        spans), or ``None`` for text that is not all ASCII."""
        if not text.isascii():
            return None
        raw = text.encode("ascii")
        starts, ends, at = self._buffers(len(raw) // 2 + 1)
        count = self._scan(raw, len(raw), skipped.words, skipped.address, skipped.count, *at)
        return starts[:count].tolist(), ends[:count].tolist()

    def _buffers(
        self, size: int
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], tuple[int, int]]:
        """Per-thread output arrays (and their addresses), grown as needed."""
        buffers = getattr(self._local, "buffers", None)
        if buffers is None or buffers[0].size < size:
            grown = max(size, 1 << 12)
            starts, ends = np.empty(grown, dtype=np.int32), np.empty(grown, dtype=np.int32)
            buffers = (starts, ends, (starts.ctypes.data, ends.ctypes.data))
            self._local.buffers = buffers
        return buffers


def load_term_major(library: Path = LIBRARY) -> Callable[..., None] | None:
    """The compiled counting sort of postings by term (``verbatim_term_major``), or ``None``
    (see ``compiled``)."""
    found = compiled_with("verbatim_term_major", library)
    if found is None:
        return None
    sort = found.verbatim_term_major
    sort.argtypes = [_P, _P, _I, _P, _P, _P]
    sort.restype = None
    return sort


def load_words(library: Path = LIBRARY) -> WordScanner | None:
    """The compiled word scan, or ``None`` (see ``compiled``)."""
    found = compiled_with("verbatim_ascii_words", library)
    if found is None:
        return None
    scan = found.verbatim_ascii_words
    scan.argtypes = [ctypes.c_char_p, _I, ctypes.c_char_p, _P, _I, _P, _P]
    scan.restype = _I
    return WordScanner(scan)


class FileCheck:
    """The article files' sizes and mtimes checked in C (``files.c``)."""

    def __init__(self, first_changed: Callable[..., int]) -> None:
        self._first_changed = first_changed

    def unchanged(
        self, prefix: str, paths: Sequence[str], sizes: Sequence[int], mtimes: Sequence[int]
    ) -> bool:
        """Whether every file ``prefix + paths[i]`` is a regular file of ``sizes[i]`` bytes
        and mtime ``mtimes[i]`` (nanoseconds), as ``os.stat`` would find it."""
        encoding, errors = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
        joined = "".join(path + "\0" for path in paths).encode(encoding, errors)
        try:
            root = os.open(prefix or ".", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return False
        try:
            lengths = np.array(sizes, dtype=np.int64)
            times = np.array(mtimes, dtype=np.int64)
            count = len(paths)
            return (
                self._first_changed(root, joined, count, lengths.ctypes.data, times.ctypes.data)
                == count
            )
        finally:
            os.close(root)


def load_files(library: Path = LIBRARY) -> FileCheck | None:
    """The compiled file check, or ``None`` (see ``compiled``)."""
    found = compiled_with("verbatim_first_changed", library)
    if found is None:
        return None
    check = found.verbatim_first_changed
    check.argtypes = [_I, ctypes.c_char_p, _I, _P, _P]
    check.restype = _I
    return FileCheck(check)


KERNEL = load()
WORDS = load_words()
FILES = load_files()
TERM_MAJOR = load_term_major()
