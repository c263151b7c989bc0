"""Benchmark text: statistics and questions from the public data, and a corpus generator.

The generator writes news-like articles of any size, deterministically: words drawn from the
unigram distribution of the SQuAD/WikiQA text (which is Zipfian, like any natural text), plus a
Zipfian tail of rarer synthetic names so the vocabulary keeps growing with the corpus as real
news does; sentence lengths drawn from the real sentences; articles of 20–60 sentences in
paragraphs of 1–5 sentences. The data itself is read from ``BENCH_DATA`` and never copied.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.datasets import WIKIQA_TEST, read_squad_dir, read_wikiqa

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")
_TAIL = 300_000
# Sentences generated at a time by ``generated_sentences``: a million hold about 1 GB of
# temporaries, ten million all at once nine.
CHUNK = 1_000_000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class BenchText:
    """What the generator and the query set take from the public benchmark files."""

    words: list[str]
    frequencies: np.ndarray
    lengths: np.ndarray
    questions: list[str]
    squad: list[tuple[list[str], list[str]]]  # (paragraph contexts, questions) per article
    wikiqa: tuple[list[str], list[str]]  # (candidate sentences, questions)


def read_bench_text(data: Path) -> BenchText:
    """Read SQuAD and WikiQA from ``data`` (the shared benchmarks folder)."""
    squad = _read_squad(data)
    wikiqa = _read_wikiqa(data / WIKIQA_TEST)
    text = [c for contexts, _ in squad for c in contexts] + wikiqa[0]
    sentences = [s for block in text for s in _SENTENCE_END.split(block) if s.strip()]
    counts = Counter(word for s in sentences for word in _WORD.findall(s))
    words = [w for w, _ in counts.most_common()]
    frequencies = np.asarray([counts[w] for w in words], dtype=np.float64)
    lengths = np.asarray([len(_WORD.findall(s)) for s in sentences], dtype=np.int64)
    questions = [q for _, qs in squad for q in qs] + wikiqa[1]
    return BenchText(words, frequencies, lengths[lengths >= 3], questions, squad, wikiqa)


def _read_squad(data: Path) -> list[tuple[list[str], list[str]]]:
    """Each SQuAD article's paragraph texts and answerable questions (``datasets``' reading)."""
    articles = []
    for article in read_squad_dir(data):
        document = article.document
        contexts = [document.text[p.start : p.end] for p in document.paragraphs]
        questions = [q.text for q in article.questions if q.answerable]
        articles.append((contexts, questions))
    return articles


def _read_wikiqa(path: Path) -> tuple[list[str], list[str]]:
    """WikiQA's distinct candidate sentences and distinct questions, in file order."""
    questions = read_wikiqa(path)
    sentences = list(dict.fromkeys(c.text for q in questions for c in q.candidates))
    return sentences, list(dict.fromkeys(q.text for q in questions))


def generate_sentences(text: BenchText, count: int, seed: int = 7) -> list[str]:
    """``count`` sentences with the benchmark text's word and length statistics."""
    rng = np.random.default_rng(seed)
    lengths = rng.choice(text.lengths, size=count)
    total = int(lengths.sum())
    # 8% of tokens come from a Zipfian tail of synthetic names (vocabulary grows with size).
    real = rng.choice(len(text.words), size=total, p=text.frequencies / text.frequencies.sum())
    tail = len(text.words) + np.minimum(rng.zipf(1.3, size=total), _TAIL) - 1
    ids = np.where(rng.random(total) < 0.08, tail, real).tolist()
    vocabulary = text.words + [f"Zq{i}" for i in range(1, _TAIL + 1)]
    sentences = []
    position = 0
    for length in lengths.tolist():
        sentence = " ".join([vocabulary[i] for i in ids[position : position + length]])
        position += length
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
    return sentences


def generated_sentences(text: BenchText, count: int, seed: int = 7) -> Iterator[str]:
    """``generate_sentences`` a million at a time (chunk ``i`` with seed ``seed + i``), so a
    corpus of ten million is never held whole; up to a million it is the very same sentences."""
    for chunk, start in enumerate(range(0, count, CHUNK)):
        yield from generate_sentences(text, min(CHUNK, count - start), seed + chunk)


def write_articles(sentences: Iterable[str], folder: Path, seed: int = 7) -> int:
    """Group sentences into articles of 20–60 sentences (paragraphs of 1–5) under ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    stream = iter(sentences)
    while True:
        size = int(rng.integers(20, 61))
        body = list(itertools.islice(stream, size))
        if not body:
            break
        paragraphs = []
        while body:
            take = int(rng.integers(1, 6))
            paragraphs.append(" ".join(body[:take]))
            body = body[take:]
        subfolder = folder / f"{written // 1000:04d}"
        subfolder.mkdir(exist_ok=True)
        title = f"Generated article {written}"
        (subfolder / f"article-{written:06d}.txt").write_text(
            "\n".join([title, *paragraphs, f"Source: news{written}.example.com"]) + "\n",
            encoding="utf-8",
        )
        written += 1
    return written
