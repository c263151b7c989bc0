"""Time summaries and topics on a synthetic 1,000-article corpus (not a test: prints figures).

    make bench-summary          # or: verbatim-bench summary [--articles N]

The articles are generated (deterministically) from a Zipf-distributed vocabulary with recurring
names and some wire copy shared between articles, about 40 sentences each, so the sizes match a
real news corpus of that many articles; the text itself is nonsense, with
about 40% function words as in news prose.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from index.ingest.loader import load_corpus
from index.retrieval.corpus_index import CorpusIndex
from index.summaries.corpus_analysis import prepare
from index.summaries.summarizer import summarize
from index.summaries.topics import complete_topic, corpus_topics

STOPWORDS = "the of to in and a was for on that with as by at from has is it".split()  # noqa: SIM905
SYLLABLES = "ka lo mi ren tas vor pel din sha qu ber lon tri gas mon fel dar sun pra vel".split()  # noqa: SIM905


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def write_corpus(folder: Path, articles: int, rng: random.Random) -> None:
    vocabulary = [word(rng) for _ in range(20_000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    names = [f"{word(rng).title()} {word(rng).title()}" for _ in range(300)]
    wire = []

    def sentence() -> str:
        # About 40% function words, as in news prose, so phrases are as short as in real text.
        words = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(14, 34))
        words = [rng.choice(STOPWORDS) if rng.random() < 0.4 else w for w in words]
        words[rng.randrange(len(words))] = rng.choice(names)
        return " ".join(words).capitalize() + "."

    wire = [sentence() for _ in range(200)]
    for number in range(articles):
        paragraphs = []
        for _ in range(5):
            body = [rng.choice(wire) if rng.random() < 0.05 else sentence() for _ in range(8)]
            paragraphs.append(" ".join(body))
        title = f"{rng.choice(names)} and the {word(rng)} {number}"
        text = "\n".join([title, *paragraphs, f"Original Source: news{number}.example"])
        (folder / f"a{number:04}.txt").write_text(text + "\n", encoding="utf-8")


def timed(label: str, call: Callable[[], object], repeat: int = 5) -> None:
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    wall, busy = statistics.median(times) * 1000, statistics.median(cpu) * 1000
    print(f"{label:<44} median {wall:8.1f} ms (CPU {busy:.1f} ms)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=1000, help="articles to generate")
    parser.add_argument(
        "--data", type=Path, help="shared benchmarks folder: also measure news/ (issue 17)"
    )
    parser.add_argument("--archive", action="store_true", help="with --data: also the archive")
    parser.add_argument(
        "--big", type=int, default=0, metavar="MB", help="with --data: time a corpus of MB MB"
    )


def main_summary(args: argparse.Namespace) -> int:
    if args.data is not None:
        from benchmarks.newsroom import main_newsroom

        status = main_newsroom(args.data, args.archive, args.big)
        if status:
            return status
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), args.articles, random.Random(7))
        start = time.perf_counter()
        documents = load_corpus(Path(tmp)).documents
        index = CorpusIndex(documents)
        built = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        prepare(index)
        prepared, prepared_cpu = time.perf_counter() - start, time.process_time() - cpu
        _report(index, built, prepared, prepared_cpu)
    return 0


def _report(index: CorpusIndex, built: float, prepared: float, prepared_cpu: float) -> None:
    print(f"{len(index.documents)} articles, {len(index)} sentences")
    print(f"{'load + CorpusIndex (not this work)':<44} {built * 1000:15.1f} ms")
    print(f"{'prepare: vectors, centrality, topics (once)':<44} {prepared * 1000:15.1f} ms")
    print(f"{'  of which CPU time (less load-dependent)':<44} {prepared_cpu * 1000:15.1f} ms")
    topics = corpus_topics(index, 5)
    title = index.documents[len(index.documents) // 2].title
    timed("/summary (whole corpus)", lambda: summarize(index))
    timed(f"/summary topic:{topics[0].phrase}", lambda: summarize(index, topics[0].phrase))
    timed(f"/summary topic:{topics[4].phrase}", lambda: summarize(index, topics[4].phrase))
    timed("/summary article:<one title>", lambda: summarize(index, article=title))
    timed("/summary topic:weather in Paris (not covered)", lambda: summarize(index, "zzz qqq"))
    timed("/topics", lambda: corpus_topics(index))
    timed("topic autocomplete 'ka'", lambda: complete_topic(index, "ka"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks summary", description=__doc__)
    add_arguments(parser)
    return main_summary(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
