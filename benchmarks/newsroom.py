"""Topics and summaries on real news: ``news/`` (40 articles, 4 story groups) and its archive.

    make bench-summary          # or: verbatim-bench summary --data ../shared/benchmarks [--archive]

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
    for command in (["topics"], ["summary"], ["summary", topics[0].phrase]):
        _time_cli(command, corpus, index_dir)


def _time_cli(command: list[str], corpus: Path, index_dir: Path, repeat: int = 3) -> None:
    """Median wall time of ``verbatim COMMAND`` in a fresh process over an existing index."""
    verbatim = Path(sys.executable).with_name("verbatim")
    env = {"VERBATIM_INDEX_DIR": str(index_dir), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [str(verbatim), *command, "--corpus", str(corpus)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    print(f"  verbatim {' '.join(command)}: {sorted(times)[len(times) // 2]:.2f} s per call")


def main_newsroom(data: Path, archive: bool) -> int:
    if not (data / "news" / "articles").is_dir():
        print(f"verbatim-bench: no news/articles under {data}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="verbatim-bench-") as tmp:
        run_news(data, Path(tmp))
        if archive:
            run_archive(data, Path(tmp))
    return 0


def _counted(topics: Iterable[Topic]) -> list[str]:
    return [f"{t.phrase} ({t.articles}a/{t.sentences}s)" for t in topics]
