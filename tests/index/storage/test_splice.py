"""A partial rebuild spliced into the previous index answers exactly like a fresh full build."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

import index.storage.builder
import index.storage.opener
import index.storage.splice
from index.answering.answer import answer_question
from index.errors import IndexFolderError
from index.retrieval import delta
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.params import BM25Params
from index.storage.opener import OpenedIndex, fingerprint, open_index
from index.storage.store import COLUMNS, load
from index.text.analyzer import Analyzer
from tests.support.builders import write_article

SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "vak", "dor", "pel", "tru", "zan", "bex", "qui"]
IDENTICAL = [
    *(f"{group}.{column}.npy" for group in ("documents", "passages") for column in COLUMNS[group]),
    *(f"marks.{column}.npy" for column in ("sequence", "flags", "titles", "title_ptr")),
    "forward.row_ptr.npy",
    "forward.lengths.npy",
    "catalog.json",
]
QUESTIONS = ["Where did the kalo harbour close?", "Who is Mirenda?", "What did storvak sign?"]


def words(rng: random.Random, count: int) -> list[str]:
    pool = [a + b for a in SYLLABLES for b in SYLLABLES]
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    return rng.choices(pool, weights, k=count)


def paragraphs(rng: random.Random) -> list[str]:
    out = []
    for _ in range(rng.randint(1, 4)):
        sentences = [" ".join(words(rng, rng.randint(3, 12))).capitalize() + "." for _ in range(3)]
        out.append(" ".join(sentences))
    return out


def make_corpus(folder: Path, rng: random.Random, articles: int = 40) -> list[Path]:
    return [
        write_article(folder, f"{i:03d}.txt", f"Article {i}", paragraphs(rng))
        for i in range(articles)
    ]


def random_edit(folder: Path, rng: random.Random) -> None:
    """Change, add (anywhere in the order), remove or break an article."""
    paths = sorted(folder.glob("*.txt"))
    roll = rng.random()
    if roll < 0.45 or len(paths) < 5:
        victim = rng.choice(paths)
        write_article(folder, victim.name, "Changed", paragraphs(rng))
    elif roll < 0.7:
        name = f"{rng.randint(0, 999):03d}b.txt"  # sorts among the others
        write_article(folder, name, "Added", paragraphs(rng))
    elif roll < 0.9:
        rng.choice(paths).unlink()
    else:
        rng.choice(paths).write_bytes(b"\xff\xfe not utf-8")


def ranked(opened: OpenedIndex, rng: random.Random) -> list[list[tuple[int, str, int, float]]]:
    index = opened.index
    vocabulary = sorted(index.vocabulary())
    results = []
    for _ in range(60):
        terms = [*rng.choices(vocabulary, k=rng.randint(1, 6)), "absentword"]
        for k in (1, 3, 10):
            results.append(
                [
                    (i, index.passage(i).document.path, index.passage(i).sentence, score)
                    for i, score in index.engine.top_k(terms, k)
                ]
            )
    return results


def answers(index: CorpusIndex) -> list[list[tuple[str, str, float]]]:
    return [
        [
            (q.passage.document.path, q.passage.text, q.score)
            for q in answer_question(index, q).quotes
        ]
        for q in QUESTIONS
    ]


def no_full_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every full build the opener falls back to."""
    builds: list[str] = []
    real = index.storage.builder.build_data

    def counting(*args: object, **kwargs: object) -> object:
        builds.append(str(args[0]))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index.storage.builder, "build_data", counting)
    return builds


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("most", [2.0, delta.MOST])
def test_random_edits_spliced_in_rank_like_a_fresh_build(
    seed: int, most: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small corpus: every edit moves the statistics, so with the default share most terms are
    # due for re-quantizing and every posting is weighed afresh (still no re-analysis); with 2.0
    # the stale weights are kept and only the bounds widen.
    monkeypatch.setattr(delta, "MOST", most)
    rng = random.Random(seed)
    corpus = tmp_path / "corpus"
    make_corpus(corpus, rng)
    open_index(corpus, tmp_path / "index")
    builds = no_full_builds(monkeypatch)
    for step in range(6):
        for _ in range(rng.randint(1, 3)):
            random_edit(corpus, rng)
        spliced = open_index(corpus, tmp_path / "index")
        assert spliced.rebuilt and builds == []
        fresh = open_index(corpus, tmp_path / f"fresh{step}")
        assert builds == [str(corpus)]
        builds.clear()
        probe = random.Random(step)
        assert ranked(spliced, probe) == ranked(fresh, random.Random(step))
        assert answers(spliced.index) == answers(fresh.index)
        assert spliced.skipped == fresh.skipped
        # The same documents, passages and forward rows, byte for byte, as a fresh build's
        # (the term ids and the postings' quantized weights may differ; their rankings do not).
        for name in IDENTICAL:
            spliced_bytes = (tmp_path / "index" / name).read_bytes()
            assert spliced_bytes == (tmp_path / f"fresh{step}" / name).read_bytes(), name


def test_an_interrupted_splice_leaves_the_previous_index_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(9)
    corpus = tmp_path / "corpus"
    paths = make_corpus(corpus, rng)
    before = open_index(corpus, tmp_path / "index")
    manifest = (tmp_path / "index" / "manifest.json").read_bytes()
    write_article(corpus, paths[3].name, "Changed", paragraphs(rng))

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # as if the process were stopped mid-write

    monkeypatch.setattr(index.storage.splice._Writer, "_postings", killed)
    with pytest.raises(KeyboardInterrupt):
        open_index(corpus, tmp_path / "index")
    assert (tmp_path / "index" / "manifest.json").read_bytes() == manifest
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    data = load(tmp_path / "index", corpus, fingerprint(), BM25Params())
    assert len(data.passages) == len(before.index)
    monkeypatch.undo()
    assert open_index(corpus, tmp_path / "index").rebuilt


def test_a_splice_never_replaces_a_folder_verbatim_did_not_make(tmp_path: Path) -> None:
    rng = random.Random(4)
    corpus = tmp_path / "corpus"
    paths = make_corpus(corpus, rng, articles=8)
    previous = open_index(corpus, tmp_path / "index")
    data = load(tmp_path / "index", corpus, fingerprint(), BM25Params())
    write_article(corpus, paths[0].name, "Changed", paragraphs(rng))
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(IndexFolderError):
        index.storage.splice.splice_rebuild(
            data,
            tmp_path / "index",
            theirs,
            corpus,
            previous.index.analyzer,
            BM25Params(),
            fingerprint(),
            tmp_path / "pages",
        )
    assert [p.name for p in theirs.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("variant", ["okapi", "plus"])
def test_other_variants_rank_like_a_fresh_build(
    variant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Okapi's idf floor is a mean over the whole vocabulary: it is rebuilt in full, not spliced.
    monkeypatch.setattr(delta, "MOST", 2.0)
    params = BM25Params(variant=variant)  # type: ignore[arg-type]
    rng = random.Random(5)
    corpus = tmp_path / "corpus"
    make_corpus(corpus, rng)
    open_index(corpus, tmp_path / "index", params=params)
    builds = no_full_builds(monkeypatch)
    random_edit(corpus, rng)
    random_edit(corpus, rng)
    spliced = open_index(corpus, tmp_path / "index", params=params)
    assert builds == ([str(corpus)] if variant == "okapi" else [])
    fresh = open_index(corpus, tmp_path / "fresh", params=params)
    assert ranked(spliced, random.Random(1)) == ranked(fresh, random.Random(1))


def test_a_vocabulary_past_16_bits_is_spliced_like_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 66,000 distinct words: the forward index's term ids need their high bits (``SplitIds``).
    analyzer, seen, rare = Analyzer(), set(), []
    for word in map("".join, itertools.product(SYLLABLES, repeat=5)):
        term = analyzer.term(word)
        if term is not None and term not in seen:
            seen.add(term)
            rare.append(word)
        if len(rare) > 2**16 + 400:
            break
    corpus = tmp_path / "corpus"
    rng = random.Random(9)
    make_corpus(corpus, rng, articles=6)
    chunks = [rare[i : i + 12] for i in range(0, 2**16 + 400, 12)]
    sentences = [" ".join(chunk).capitalize() + "." for chunk in chunks]
    write_article(
        corpus,
        "999.txt",
        "Lexicon",
        [" ".join(sentences[i : i + 50]) for i in range(0, len(sentences), 50)],
    )
    open_index(corpus, tmp_path / "index")
    entries = np.load(tmp_path / "index" / "forward.entries.npy", mmap_mode="r")
    assert entries.dtype.names == ("low", "high", "count") and entries.size > 10_000
    builds = no_full_builds(monkeypatch)
    write_article(corpus, "001.txt", "Changed", paragraphs(rng))
    spliced = open_index(corpus, tmp_path / "index")
    assert spliced.rebuilt and builds == []
    fresh = open_index(corpus, tmp_path / "fresh")
    assert ranked(spliced, random.Random(1)) == ranked(fresh, random.Random(1))
    assert answers(spliced.index) == answers(fresh.index)
    for name in IDENTICAL:
        assert (tmp_path / "index" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
    built = index.storage.builder.build_data(corpus, Analyzer(), BM25Params())
    stored = load(tmp_path / "fresh", corpus, fingerprint(), BM25Params()).forward.terms
    assert int(np.asarray(built.forward.terms).max()) > 0xFFFF
    assert np.array_equal(np.asarray(stored), np.asarray(built.forward.terms))
