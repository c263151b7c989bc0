"""The summaries' analysis kept beside the persistent index, so a new process reads it back.

Sentence vectors, centrality, postings, stories and topics take a minute to compute on a 50 MB
corpus and milliseconds to read: ``save`` writes them into a ``summaries`` folder inside the
index folder (``.npy`` arrays, memory-mapped when read, plus JSON), under the *identity* of the
index they were computed from (a digest of its manifest) and of the code that computed them.
``load`` gives them back only when both still match; anything else (another index, other code,
a missing or damaged file) is "not kept", and the caller computes afresh and saves again.

The index folder is replaced as a whole when the corpus changes, so a stale analysis never sits
beside a new index; the identity check covers the rest (a copy served from memory, a race with
another process swapping a new index in).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.summaries.keyphrases import Topic
from index.summaries.similarity import SentenceVectors
from index.summaries.stories import Story, StoryMap

log = logging.getLogger(__name__)

FOLDER = "summaries"
FORMAT = "verbatim-summaries"
_ARRAYS = ("centrality", "corpus_centrality", "_posting_rows", "_posting_offsets")
_CODE = ("*.py", "../pacing.py")


@dataclass(frozen=True, slots=True)
class Keeping:
    """Where an index is stored (its folder) and which index that is (its identity)."""

    directory: Path
    identity: str

    @property
    def folder(self) -> Path:
        return self.directory / FOLDER


def code_fingerprint() -> str:
    """A digest of the summaries code (and of the word frequencies it reads)."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("wordfreq").encode())
    here = Path(__file__).resolve().parent
    for path in sorted({p.resolve() for pattern in _CODE for p in here.glob(pattern)}):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def save(values: dict[str, object], keeping: Keeping) -> None:
    """Write the computed ``values`` of an analysis (only those ``load`` knows) atomically."""
    staging = keeping.directory / f".{FOLDER}.tmp-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        _write(values, staging)
        manifest = {"format": FORMAT, "identity": keeping.identity, "code": code_fingerprint()}
        (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        retired = keeping.directory / f".{FOLDER}.old-{uuid.uuid4().hex[:8]}"
        if keeping.folder.exists():
            os.replace(keeping.folder, retired)
        os.replace(staging, keeping.folder)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def load(keeping: Keeping) -> dict[str, object] | None:
    """The kept values for exactly this index and code, or None (logged when damaged)."""
    folder = keeping.folder
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("kept summaries in %s unreadable (%s); recomputing", folder, exc)
        return None
    wanted = {"format": FORMAT, "identity": keeping.identity, "code": code_fingerprint()}
    if not isinstance(manifest, dict) or any(manifest.get(k) != v for k, v in wanted.items()):
        return None
    try:
        return _read(folder)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.warning("kept summaries in %s damaged (%s); recomputing", folder, exc)
        return None


def _write(values: dict[str, Any], folder: Path) -> None:
    vectors: SentenceVectors = values["vectors"]
    for name in ("offsets", "term_ids", "weights"):
        np.save(folder / f"vectors.{name}.npy", getattr(vectors, name))
    terms = sorted(vectors.vocabulary, key=vectors.vocabulary.__getitem__)
    (folder / "vocabulary.txt").write_text("\n".join(terms), encoding="utf-8")
    for name in _ARRAYS:
        np.save(folder / f"{name}.npy", np.asarray(values[name]))
    spans = values["documents"]
    ids = sorted(spans)
    np.save(folder / "documents.npy", np.asarray([[d, *spans[d]] for d in ids], dtype=np.int64))
    stories: StoryMap = values["stories"]
    np.save(folder / "similar.pairs.npy", stories.pairs)
    np.save(folder / "similar.cosines.npy", stories.cosines)
    records = {
        "topics": [
            [t.phrase, t.terms, t.sentences, t.articles, t.score, t.match] for t in values["topics"]
        ],
        "stories": [[s.documents, s.connected] for s in stories.stories],
        "width": stories.width,
    }
    (folder / "records.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")


def _read(folder: Path) -> dict[str, object]:
    def array(name: str) -> Any:
        return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

    words = (folder / "vocabulary.txt").read_text(encoding="utf-8")
    vocabulary = {term: i for i, term in enumerate(words.split("\n") if words else ())}
    vectors = SentenceVectors(
        array("vectors.offsets"), array("vectors.term_ids"), array("vectors.weights"), vocabulary
    )
    if not int(vectors.offsets[-1]) == vectors.term_ids.size == vectors.weights.size:
        raise ValueError("vector arrays disagree")
    values: dict[str, object] = {"vectors": vectors}
    values.update({name: array(name) for name in _ARRAYS})
    values["documents"] = {int(d): (int(a), int(b)) for d, a, b in np.asarray(array("documents"))}
    records = json.loads((folder / "records.json").read_text(encoding="utf-8"))
    values["topics"] = tuple(
        Topic(phrase, tuple(terms), sentences, articles, score, tuple(match))
        for phrase, terms, sentences, articles, score, match in records["topics"]
    )
    stories = tuple(Story(tuple(docs), connected) for docs, connected in records["stories"])
    pairs, cosines = array("similar.pairs"), array("similar.cosines")
    values["stories"] = StoryMap(stories, pairs, cosines, int(records["width"]))
    return values
