"""Topics and summaries on real news: ``news/`` (40 articles, 4 story groups) and its archive.

    make bench-summary      # python -m benchmarks summary --data ../shared/benchmarks --archive
    python -m benchmarks summary --data ../shared/benchmarks --big 50   # a 50 MB corpus

What a newsroom user sees, measured (issue 17):

- **groups found**: the share of the README's 4 story groups whose main entity is a top-15 topic;
- **generic topics**: top-15 topics that are months, weekdays, numbers, bare years or one of the
  1,000 most common English words (``wordfreq``) shown in lowercase (topics show a name
  capitalized only when the corpus writes it so mid-sentence: "US", "London") — target 0;
- **stories in the gist**: distinct stories among the untargeted 6-sentence summary's quotes
  (articles of a group are one story, any other article its own) and the groups among them —
  target 6 of 6 with all 4 groups;
- on the archive (``articles/`` + ``archive/``, 2,209 articles, copied into a temporary folder):
  generic words in the top 20, topics found in more than a quarter of the articles (too broad to
  tell a reader anything), and the time of one ``verbatim topics`` / ``verbatim summary`` call
  once the index exists (a fresh process each, as a user runs them).

The data is read in place; the only files written are the temporary corpus copy and indexes.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index import CorpusIndex, Topic, corpus_topics, open_index, prepare, summarize

# Story groups of news/README.md: article numbers, and the words naming the group's main entity
# (a top topic holding any of them counts).
GROUPS: dict[str, tuple[frozenset[int], tuple[str, ...]]] = {
    "Glazer / Manchester United": (frozenset({3, 4, 5}), ("glazer", "manchester united")),
    "Asian tsunami": (frozenset({8, 18, 35}), ("tsunami",)),
    "Blair–Brown rift": (frozenset({20, 21, 22}), ("brown", "peston")),
    "2005 Grammys": (frozenset({10, 11, 12}), ("grammy", "grammys", "ray charles")),
}
_MONTHS = "january february march april may june july august september october november december"
MONTHS = frozenset(f"{_MONTHS} jan feb mar apr jun jul aug sep sept oct nov dec".split())
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())  # noqa: SIM905
COMMON_WORDS = 1_000
_NUMBER = re.compile(r"[\d.,%£$€]+(?:bn|m|k|th|st|nd|rd|s)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NewsFigures:
    groups_found: int
    generic: tuple[str, ...]
    stories: int
    groups_in_gist: int
    sentences: int


def common_words(count: int = COMMON_WORDS) -> frozenset[str]:
    """The ``count`` most frequent English words (wordfreq's list, the benchmark's yardstick)."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", count))


def is_generic(phrase: str, common: frozenset[str]) -> bool:
    """A month, weekday, number, bare year or common word: nothing a reader can follow up."""
    words = phrase.split()
    folded = [word.casefold().strip(".,'’") for word in words]
    if all(word in MONTHS or word in WEEKDAYS or _NUMBER.fullmatch(word) for word in folded):
        return True
    # A capitalized word is shown so because the corpus writes it as a name ("US", "London",
    # "Brown"), not the common word ("us", "brown"); a lowercase one is the word itself.
    return len(words) == 1 and words[0].islower() and folded[0] in common


def story_of(path: str) -> str:
    """The story an article of ``news/articles`` belongs to: its group, or itself."""
    number = int(Path(path).name[:2])
    for name, (members, _) in GROUPS.items():
        if number in members:
            return name
    return Path(path).name


def groups_found(phrases: Sequence[str]) -> int:
    folded = [f" {p.casefold()} " for p in phrases]
    return sum(
        any(f" {word} " in phrase for phrase in folded for word in words)
        for _, words in GROUPS.values()
    )


def news_figures(index: CorpusIndex, common: frozenset[str]) -> NewsFigures:
    phrases = [topic.phrase for topic in corpus_topics(index, 15)]
    gist = summarize(index, length=6)
    stories = [story_of(item.quote.passage.document.path) for item in gist.items]
    return NewsFigures(
        groups_found(phrases),
        tuple(p for p in phrases if is_generic(p, common)),
        len(set(stories)),
        len(set(stories) & set(GROUPS)),
        len(stories),
    )


def run_news(data: Path, work: Path) -> None:
    articles = data / "news" / "articles"
    index = open_index(articles, work / "news-index").index
    prepare(index)
    common = common_words()
    topics = corpus_topics(index, 15)
    figures = news_figures(index, common)
    print(f"news/: {len(index.documents)} articles")
    print("  top 15 topics: " + "; ".join(_counted(topics)))
    print(f"  story groups whose main entity is a top-15 topic: {figures.groups_found}/4")
    print(f"  generic topics in the top 15: {len(figures.generic)} {list(figures.generic)}")
    print(
        f"  untargeted 6-sentence summary: {figures.stories}/{figures.sentences} distinct stories,"
        f" {figures.groups_in_gist}/4 groups"
    )
    for item in summarize(index, length=6).items:
        passage = item.quote.passage
        print(f"    [{story_of(passage.document.path)}] {passage.text[:90]}")


def run_archive(data: Path, work: Path) -> None:
    corpus = work / "archive-corpus"
    corpus.mkdir()
    for source in (data / "news" / "articles", data / "news" / "archive"):
        for path in sorted(source.glob("*.txt")):
            shutil.copyfile(path, corpus / path.name)
    index_dir = work / "archive-index"
    start = time.perf_counter()
    index = open_index(corpus, index_dir).index
    built = time.perf_counter() - start
    start = time.perf_counter()
    prepare(index)
    prepared = time.perf_counter() - start
    topics = corpus_topics(index, 20)
    common = common_words()
    quarter = len(index.documents) / 4
    print(f"archive: {len(index.documents)} articles, {len(index)} sentences")
    print(f"  index build {built:.1f} s, summary/topics preparation {prepared:.1f} s (in process)")
    print("  top 20 topics: " + "; ".join(_counted(topics)))
    generic = [t.phrase for t in topics if is_generic(t.phrase, common)]
    broad = [t.phrase for t in topics if t.articles > quarter]
    print(f"  generic words in the top 20: {len(generic)} {generic}")
    print(f"  topics in more than a quarter of the articles: {len(broad)} {broad}")
    _time_calls(corpus, index_dir, topics[0].phrase)


def run_big(data: Path, work: Path, megabytes: int) -> None:
    """Time the calls on a corpus of about ``megabytes`` MB made from the archive's articles."""
    corpus = work / "big-corpus"
    size = write_big_corpus(data / "news", corpus, megabytes * 1_000_000)
    index_dir = work / "big-index"
    start = time.perf_counter()
    index = open_index(corpus, index_dir).index
    print(f"{size / 1e6:.1f} MB corpus: {len(index.documents)} articles, {len(index)} sentences")
    print(f"  index build {time.perf_counter() - start:.1f} s")
    del index
    _time_calls(corpus, index_dir, "Manchester United")


def write_big_corpus(news: Path, folder: Path, size: int) -> int:
    """Articles of ``news`` (articles/ and archive/) written again and again until ``size``
    bytes: copy k of article i keeps its title and first paragraph, then takes each further
    paragraph from the article k·j places on, so the copies are new mixes of real paragraphs."""
    sources = sorted((news / "articles").glob("*.txt")) + sorted((news / "archive").glob("*.txt"))
    articles = []
    for path in sources:
        try:
            articles.append(path.read_text(encoding="utf-8").split("\n\n"))
        except UnicodeDecodeError:
            continue
    folder.mkdir(parents=True)
    written = copy = 0
    while written < size:
        sub = folder / f"copy-{copy:02d}"
        sub.mkdir()
        for i, paragraphs in enumerate(articles):
            if copy:
                paragraphs = [
                    paragraphs[0],
                    *(_paragraph(articles, i + copy * j, j) for j in range(1, len(paragraphs))),
                ]
            text = "\n\n".join(paragraphs)
            (sub / f"{i:05d}.txt").write_text(text, encoding="utf-8")
            written += len(text.encode("utf-8"))
            if written >= size:
                break
        copy += 1
    return written


def _paragraph(articles: list[list[str]], i: int, j: int) -> str:
    other = articles[i % len(articles)]
    return other[min(j, len(other) - 1)]


def _time_calls(corpus: Path, index_dir: Path, topic: str) -> None:
    """``verbatim topics`` and ``summary`` in fresh processes over the existing index: the
    first call (which may prepare the summaries' analysis and keep it), then the median of
    three more; wall time, and CPU time (less dependent on a shared machine's load)."""
    commands = (
        ["topics"],
        ["summary"],
        ["summary", topic],
        ["summary", topic, "--timeline"],
        ["summary", topic, "--compare"],
    )
    wall, cpu = _time_cli(commands[0], corpus, index_dir, 1)
    print(f"  first verbatim topics after the build: {wall:.2f} s (CPU {cpu:.2f} s)")
    for command in commands:
        wall, cpu = _time_cli(command, corpus, index_dir)
        print(f"  verbatim {' '.join(command)}: {wall:.2f} s per call (CPU {cpu:.2f} s)")


def _time_cli(
    command: list[str], corpus: Path, index_dir: Path, repeat: int = 3
) -> tuple[float, float]:
    """Median wall and CPU time of ``verbatim COMMAND`` in a fresh process."""
    verbatim = Path(sys.executable).with_name("verbatim")
    env = {"VERBATIM_INDEX_DIR": str(index_dir), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    times = []
    for _ in range(repeat):
        start, before = time.perf_counter(), _children_cpu()
        subprocess.run(
            [str(verbatim), *command, "--corpus", str(corpus)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        times.append((time.perf_counter() - start, _children_cpu() - before))
    return sorted(times)[len(times) // 2]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main_newsroom(data: Path, archive: bool, big: int = 0) -> int:
    if not (data / "news" / "articles").is_dir():
        print(f"verbatim-bench: no news/articles under {data}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="verbatim-bench-") as tmp:
        run_news(data, Path(tmp))
        if archive:
            run_archive(data, Path(tmp))
        if big:
            run_big(data, Path(tmp), big)
    return 0


def _counted(topics: Iterable[Topic]) -> list[str]:
    return [f"{t.phrase} ({t.articles}a/{t.sentences}s)" for t in topics]
