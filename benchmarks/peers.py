"""The speed benchmark's outside peers, Tantivy and SQLite FTS5, each run in a process of its own.

Both get the very sentences Verbatim indexed (one document each) and the raw questions, and do
their own analysis, so the figures are theirs end to end:

- **Tantivy** (Rust, the ``tantivy`` package): the ``en_stem`` chain (simple tokenizer, tokens
  over 40 characters dropped, lower case, Snowball English stemmer) with Verbatim's own English
  stopword list inserted before the stemmer, so ranking runs over the same stopwords; term
  frequencies without positions (BM25 needs no more); one writer thread, as Verbatim builds on
  one; an OR query of the question's words (``parse_query``, disjunction by default).
- **SQLite FTS5** (the standard library's ``sqlite3``): ``porter unicode61`` (Porter stemming,
  no stopwords at indexing: FTS5 has none), an OR query of the question's words less Verbatim's
  stopwords, ordered by ``bm25()``.

"Ranking" is the query alone (top 10, like the other engines' column); "answer" adds reading the
stored text of the top 3, the least a peer does to show an answer. A build process writes the
index and exits; a serving process opens it, answers and reports its own peak resident memory,
so neither process's memory counts in the other's.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from index.text.stopwords import ENGLISH_STOPWORDS

_WORD = re.compile(r"\w+")
PEERS = ("tantivy", "fts5")
FTS5_BUDGET_S = 20.0  # FTS5 takes tens of ms a query at 1M: measure the questions that fit


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _words(question: str) -> list[str]:
    """The question's words, lower case, without Verbatim's stopwords, each once."""
    words = (w.lower() for w in _WORD.findall(question))
    return list(dict.fromkeys(w for w in words if w not in ENGLISH_STOPWORDS))


# --- Tantivy ---------------------------------------------------------------------------------


def _tantivy_index(folder: Path, create: bool) -> Any:
    import tantivy

    schema = tantivy.SchemaBuilder()
    schema.add_text_field("body", stored=True, tokenizer_name="verbatim_en", index_option="freq")
    built = schema.build()
    index = tantivy.Index(built, path=str(folder)) if create else tantivy.Index.open(str(folder))
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.custom_stopword(sorted(ENGLISH_STOPWORDS)))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )
    index.register_tokenizer("verbatim_en", analyzer)
    return index


def tantivy_build(sentences: list[str], folder: Path) -> None:
    import tantivy

    folder.mkdir(parents=True, exist_ok=True)
    writer = _tantivy_index(folder, create=True).writer(200_000_000, 1)
    for sentence in sentences:
        writer.add_document(tantivy.Document(body=sentence))
    writer.commit()
    writer.wait_merging_threads()


def tantivy_serve(folder: Path) -> tuple[Callable[[str, int], list[Any]], Callable[[Any], str]]:
    index = _tantivy_index(folder, create=False)
    index.reload()
    searcher = index.searcher()

    def search(question: str, k: int) -> list[Any]:
        query = index.parse_query(" ".join(_WORD.findall(question.lower())), ["body"])
        return [address for _, address in searcher.search(query, k, count=False).hits]

    def text(address: Any) -> str:
        body: str = searcher.doc(address)["body"][0]
        return body

    return search, text


# --- SQLite FTS5 -----------------------------------------------------------------------------


def fts5_build(sentences: list[str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(folder / "fts5.db")
    connection.execute("CREATE VIRTUAL TABLE s USING fts5(body, tokenize='porter unicode61')")
    connection.executemany("INSERT INTO s(body) VALUES (?)", ((s,) for s in sentences))
    connection.commit()
    connection.execute("INSERT INTO s(s) VALUES ('optimize')")
    connection.commit()
    connection.close()


def fts5_serve(folder: Path) -> tuple[Callable[[str, int], list[Any]], Callable[[Any], str]]:
    connection = sqlite3.connect(folder / "fts5.db")
    connection.execute("SELECT count(*) FROM s WHERE s MATCH 'x'").fetchall()  # open the table

    def search(question: str, k: int) -> list[Any]:
        words = _words(question)
        if not words:
            return []
        query = " OR ".join(f'"{w}"' for w in words)
        sql = "SELECT rowid FROM s WHERE s MATCH ? ORDER BY bm25(s) LIMIT ?"
        return [row[0] for row in connection.execute(sql, (query, k))]

    def text(rowid: Any) -> str:
        body: str = connection.execute("SELECT body FROM s WHERE rowid = ?", (rowid,)).fetchone()[0]
        return body

    return search, text


_BUILD = {"tantivy": tantivy_build, "fts5": fts5_build}
_SERVE = {"tantivy": tantivy_serve, "fts5": fts5_serve}
_BUDGET = {"tantivy": None, "fts5": FTS5_BUDGET_S}


def probe(peer: str, step: str, sentences_path: Path, questions_path: Path, folder: Path) -> int:
    """One peer's build or serving figures, printed as JSON (run in a process of its own)."""
    if step == "build":
        sentences = read_lines(sentences_path)
        started = time.perf_counter()
        _BUILD[peer](sentences, folder)
        built = time.perf_counter() - started
        disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        figures: dict[str, Any] = {
            "build_s": round(built, 2),
            "build_sentences_per_s": round(len(sentences) / built),
            "disk_mb": round(disk / 2**20, 1),
            "build_peak_rss_mb": round(peak_rss_mb(), 1),
        }
    else:
        figures = _serve(peer, json.loads(questions_path.read_text(encoding="utf-8")), folder)
    print(json.dumps(figures))
    return 0


def _serve(peer: str, questions: list[str], folder: Path) -> dict[str, Any]:
    started = time.perf_counter()
    search, text = _SERVE[peer](folder)
    opened = time.perf_counter() - started
    budget = _BUDGET[peer]
    deadline = None if budget is None else time.perf_counter() + budget
    for question in questions[:20]:
        search(question, 10)
    passes: list[list[float]] = []
    for _ in range(3):  # best of three passes per question, as for Verbatim
        wall = []
        for question in questions:
            started = time.perf_counter()
            search(question, 10)
            wall.append(time.perf_counter() - started)
            if deadline is not None and time.perf_counter() > deadline and len(wall) >= 5:
                break
        passes.append(wall)
        if deadline is not None and time.perf_counter() > deadline:
            break
    n = min(len(p) for p in passes)
    ranking = np.min(np.asarray([p[:n] for p in passes]), axis=0).tolist()
    answers = []
    for question in questions[:n]:
        started = time.perf_counter()
        [text(hit) for hit in search(question, 3)]
        answers.append(time.perf_counter() - started)
    rank, answer = latency(ranking), latency(answers)
    return {
        "open_s": round(opened, 3),
        "measured_queries": n,
        **rank,
        "answer_p50_ms": answer["p50_ms"],
        "answer_p99_ms": answer["p99_ms"],
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def latency(seconds: list[float]) -> dict[str, Any]:
    ms = np.asarray(seconds) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p99_ms": round(float(np.percentile(ms, 99)), 3),
        "mean_ms": round(float(ms.mean()), 3),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    peer, step, sentences, questions, folder = sys.argv[1:6]
    sys.exit(probe(peer, step, Path(sentences), Path(questions), Path(folder)))
