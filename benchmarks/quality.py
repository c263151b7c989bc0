"""Answer-quality benchmark: the news questions, SQuAD sentence retrieval, WikiQA selection.

Runs the product's loader-free pipeline (the product's ``Document``, segmenter, analyzer, engine,
re-ranking and abstention) next to plain rank-bm25 in the same run, and prints one table with the
ratio of each figure to the baseline. ``python -m benchmarks.quality --data DIR [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.datasets import (
    WIKIQA_TEST,
    SquadArticle,
    WikiQAQuestion,
    gold_passage,
    read_squad_dir,
    read_wikiqa,
    wikiqa_document,
)
from benchmarks.embeddings import DEFAULT_CACHE, EmbeddingCache
from benchmarks.metrics import (
    average_precision,
    full_order,
    mean,
    precision_at_1,
    recall_at_k,
    reciprocal_rank,
)
from benchmarks.news import (
    NEWS_DIR,
    NewsRun,
    breakdown,
    evaluate,
    evaluate_plain,
    format_news,
    news_index,
    read_news,
)
from benchmarks.systems import Config, Searcher, searchers
from index.model import Document
from index.retrieval.corpus_index import CorpusIndex

SYSTEMS = ("verbatim", "baseline")
DEFAULT_CONFIG = Config()
NEWS_SETS = ("news", "archive")
SETS = ("news", "archive", "squad")  # "squad" runs SQuAD and WikiQA
TUNING_ARTICLES = frozenset({"Super_Bowl_50"})
WIKIQA_SCOPES = ("question", "all")
DEFAULT_WIKIQA_SCOPE = "question"
Row = dict[str, Any]


@dataclass(slots=True)
class Report:
    """Per-question rows for every system, and the summary figures built from them."""

    rows: list[Row] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, **row: Any) -> None:
        self.rows.append(row)

    def select(self, system: str, **where: Any) -> list[Row]:
        return [
            r
            for r in self.rows
            if r["system"] == system and all(r.get(k) == v for k, v in where.items())
        ]


def evaluate_squad(articles: Sequence[SquadArticle], config: Config, report: Report) -> None:
    """Rank every question against its own article, and each article's against the next one."""
    for number, article in enumerate(articles):
        index = config.build([article.document])
        passages = list(index.iter_passages())
        foreign = articles[(number + 1) % len(articles)]
        for system, searcher in searchers(config, index).items():
            for question in article.questions:
                result = searcher.search(question.text, 10)
                common = {"system": system, "article": article.title, "qid": question.qid}
                if question.answer_start is None:
                    report.add(
                        kind="unanswerable",
                        question=question.text,
                        abstained=result.abstained,
                        reason=result.reason,
                        top_text=index.passage(result.ranked[0]).text if result.ranked else "",
                        **common,
                    )
                    continue
                gold = gold_passage(passages, question.answer_start).passage_id
                report.add(
                    kind="answerable",
                    question=question.text,
                    gold=gold,
                    top=result.ranked[0] if result.ranked else None,
                    p1=precision_at_1(result.ranked, {gold}),
                    rr=reciprocal_rank(result.ranked, {gold}, 10),
                    r3=recall_at_k(result.ranked, {gold}, 3),
                    abstained=result.abstained,
                    reason=result.reason,
                    gold_text=index.passage(gold).text,
                    top_text=index.passage(result.ranked[0]).text if result.ranked else "",
                    **common,
                )
            if len(articles) > 1:
                for question in foreign.questions:
                    if question.answerable:
                        result = searcher.search(question.text, 1)
                        report.add(
                            kind="other_article",
                            system=system,
                            article=article.title,
                            qid=question.qid,
                            abstained=result.abstained,
                        )


def evaluate_wikiqa(
    questions: Sequence[WikiQAQuestion], config: Config, report: Report, scope: str
) -> None:
    """Rank each question's candidates; idf from its own candidates or from every test sentence.

    Questions sharing a WikiQA document share its candidates, so ``question`` scope is also
    per-document idf. ``all`` indexes one document per WikiQA document (no duplicate sentences).
    """
    wanted = [q for q in questions if q.has_correct]
    if scope == "all":
        documents: dict[str, Document] = {}
        for question in questions:
            if question.document_id not in documents:
                documents[question.document_id] = wikiqa_document(question, len(documents))
        index = config.build(list(documents.values()))
        shared = searchers(config, index)
        for question in wanted:
            _wikiqa_question(question, index, shared, report, documents[question.document_id])
        return
    for question in wanted:
        document = wikiqa_document(question)
        index = config.build([document])
        _wikiqa_question(question, index, searchers(config, index), report, None)


def _wikiqa_question(
    question: WikiQAQuestion,
    index: CorpusIndex,
    systems: dict[str, Searcher],
    report: Report,
    within: Document | None,
) -> None:
    relevant = {i for i, c in enumerate(question.candidates) if c.correct}
    every = list(range(len(question.candidates)))
    for system, searcher in systems.items():
        result = searcher.search(question.text, len(index), within)
        # Each candidate is one paragraph: its passages' best rank is the candidate's rank.
        ranked = list(dict.fromkeys(index.passage(i).paragraph - 1 for i in result.ranked))
        order = full_order(ranked, every)
        report.add(
            kind="wikiqa",
            system=system,
            qid=question.qid,
            question=question.text,
            paper=not question.all_correct,
            ap=average_precision(order, relevant),
            rr=reciprocal_rank(order, relevant, len(order)),
            abstained=result.abstained,
            top_text=question.candidates[order[0]].text,
        )


def summarize(report: Report, articles: Sequence[str]) -> list[Row]:
    """The table: one row per figure, each system's value and ours over the baseline's."""
    lines: list[Row] = []

    def figure(name: str, pick: Callable[[str], float], higher: bool = True) -> None:
        values = {system: pick(system) for system in SYSTEMS}
        base = values["baseline"]
        ratio = values["verbatim"] / base if base else None
        lines.append({"measure": name, **values, "ratio": ratio, "higher": higher})

    squad_keys = (("p1", "P@1"), ("rr", "MRR@10"), ("r3", "Recall@3"))
    for title in [*articles, None]:
        label = "overall" if title is None else title
        if title is not None and title not in TUNING_ARTICLES:
            label += " (held out)"
        where = {} if title is None else {"article": title}
        for key, name in squad_keys:
            figure(f"SQuAD {label} {name}", partial(_squad, report, key, where))
    for key, name in (("ap", "MAP"), ("rr", "MRR")):
        for paper_only, count in ((False, 243), (True, 237)):
            figure(f"WikiQA {name} ({count} q)", partial(_wikiqa, report, key, paper_only))
    figure("SQuAD overall P@1, declined = miss", partial(_user_p1, report))
    figure("abstained: SQuAD v2.0 unanswerable", partial(_abstained, report, "unanswerable"))
    figure("abstained: other-article questions", partial(_abstained, report, "other_article"))
    figure("abstained wrongly: answerable", partial(_abstained, report, "answerable"), higher=False)
    return lines


def _squad(report: Report, key: str, where: dict[str, Any], system: str) -> float:
    return mean(r[key] for r in report.select(system, kind="answerable", **where))


def _wikiqa(report: Report, key: str, paper_only: bool, system: str) -> float:
    rows = report.select(system, kind="wikiqa")
    return mean(r[key] for r in rows if r["paper"] or not paper_only)


def _abstained(report: Report, kind: str, system: str) -> float:
    return mean(float(r["abstained"]) for r in report.select(system, kind=kind))


def _user_p1(report: Report, system: str) -> float:
    """SQuAD P@1 as a user sees it: a wrongly declined question is a miss."""
    rows = report.select(system, kind="answerable")
    return mean(r["p1"] * (not r["abstained"]) for r in rows)


def format_table(lines: Sequence[Row]) -> str:
    """A Markdown table, readable in a terminal and pasteable into the README."""
    out = ["| measure | verbatim | plain rank-bm25 | ratio |", "| --- | ---: | ---: | ---: |"]
    for line in lines:
        ratio = "—" if line["ratio"] is None else f"{line['ratio']:.2f}×"
        out.append(
            f"| {line['measure']} | {line['verbatim']:.3f} | {line['baseline']:.3f} | {ratio} |"
        )
    return "\n".join(out)


def run_news(data_dir: Path, archive: bool, config: Config = DEFAULT_CONFIG) -> list[NewsRun]:
    """The news questions over the 40 articles (or inside the archive): verbatim with the CLI's
    ``--top 3`` policy, and plain rank-bm25 over the same sentences."""
    questions = read_news(data_dir)
    policy = replace(config.policy, top=3, pool=max(config.policy.pool, 3))
    with news_index(data_dir, archive, config.embeddings) as index:
        return [evaluate(index, questions, policy), evaluate_plain(index, questions)]


def _news_json(news_runs: dict[str, list[NewsRun]]) -> dict[str, Any]:
    return {
        f"news-{name}": {run.name: breakdown(run) for run in runs}
        for name, runs in news_runs.items()
    }


def run(data_dir: Path, config: Config, wikiqa_scope: str = DEFAULT_WIKIQA_SCOPE) -> Report:
    """Evaluate both systems on every data set found under ``data_dir``."""
    started = time.perf_counter()
    report = Report()
    evaluate_squad(read_squad_dir(data_dir), config, report)
    evaluate_wikiqa(read_wikiqa(data_dir / WIKIQA_TEST), config, report, wikiqa_scope)
    report.seconds = time.perf_counter() - started
    return report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``quality`` subcommand (shared by ``python -m benchmarks`` and ``-m``)."""
    parser.add_argument("--data", type=Path, required=True, metavar="DIR", help="benchmark data")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument(
        "--wikiqa-idf",
        choices=WIKIQA_SCOPES,
        default=DEFAULT_WIKIQA_SCOPE,
        help="idf from each question's candidates, or from all test sentences",
    )
    parser.add_argument(
        "--questions", type=Path, metavar="FILE", help="write per-question rows (JSON lines)"
    )
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="the semantic extra on (needs pip install '.[semantic]'); its levers below",
    )
    parser.add_argument(
        "--semantic-cache",
        type=Path,
        default=DEFAULT_CACHE,
        metavar="DIR",
        help=f"where sentence vectors are cached (default {DEFAULT_CACHE})",
    )
    parser.add_argument("--dense", type=int, help="sentences nearest in meaning added")
    parser.add_argument("--cosine", type=float, help="re-ranker weight of the cosine")
    parser.add_argument("--min-cosine", type=float, help="decline below this best cosine")
    parser.add_argument("--pass-cosine", type=float, help="pass the coverage test from this")
    parser.add_argument(
        "--sets",
        help=f"comma-separated data sets to run, of {', '.join(SETS)} (default: every one whose"
        " data is under DIR)",
    )


def semantic_config(args: argparse.Namespace) -> Config:
    """The product's configuration, with the semantic extra's levers when ``--semantic``."""
    if not args.semantic:
        return DEFAULT_CONFIG
    policy = DEFAULT_CONFIG.policy
    semantic = replace(
        policy.semantic,
        **{
            name: value
            for name in ("dense", "min_cosine", "pass_cosine")
            if (value := getattr(args, name)) is not None
        },
    )
    rerank = policy.rerank
    if args.cosine is not None:
        rerank = replace(rerank, cosine=args.cosine)
    policy = replace(policy, semantic=semantic, rerank=rerank)
    return replace(DEFAULT_CONFIG, policy=policy, embeddings=EmbeddingCache(args.semantic_cache))


def main_quality(args: argparse.Namespace) -> int:
    """Run the benchmark and print the table (or JSON); returns the exit code."""
    data_dir: Path = args.data
    if args.sets is None:
        has_news = (data_dir / NEWS_DIR / "questions.json").is_file()
        sets = [name for name in SETS if has_news or name not in NEWS_SETS]
    else:
        sets = [name.strip() for name in str(args.sets).split(",") if name.strip()]
    unknown = [name for name in sets if name not in SETS]
    if unknown:
        print(
            f"verbatim-bench: unknown set {unknown[0]!r}; choose from {', '.join(SETS)}",
            file=sys.stderr,
        )
        return 2
    news_sets = [name for name in sets if name in NEWS_SETS]
    if news_sets and not (data_dir / NEWS_DIR / "questions.json").is_file():
        print(f"verbatim-bench: no {NEWS_DIR}/questions.json under {data_dir}", file=sys.stderr)
        return 2
    config = semantic_config(args)
    news_runs = {name: run_news(data_dir, name == "archive", config) for name in news_sets}
    if args.questions is not None:
        with args.questions.open("w", encoding="utf-8") as handle:
            for name, runs in news_runs.items():
                for news_run in runs:
                    for row in news_run.rows:
                        record = {"set": f"news-{name}", "system": news_run.name, **row}
                        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    for name, runs in news_runs.items():
        if not args.json:
            label = "40 articles" if name == "news" else "40 articles inside the archive"
            print(format_news(f"news ({label})", runs) + "\n")
    if "squad" not in sets:
        if args.json:
            print(json.dumps(_news_json(news_runs), indent=1))
        return 0
    if not (data_dir / "squad").is_dir() or not (data_dir / WIKIQA_TEST).is_file():
        print(f"verbatim-bench: no squad/ and {WIKIQA_TEST} under {data_dir}", file=sys.stderr)
        return 2
    report = run(data_dir, config, args.wikiqa_idf)
    articles = list(dict.fromkeys(r["article"] for r in report.rows if "article" in r))
    lines = summarize(report, articles)
    if args.questions is not None:
        with args.questions.open("a", encoding="utf-8") as handle:
            for row in report.rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.json:
        summary = {"seconds": round(report.seconds, 1), "wikiqa_idf": args.wikiqa_idf}
        print(json.dumps({**summary, "table": lines, **_news_json(news_runs)}, indent=1))
    else:
        print(format_table(lines))
        print(f"\nWikiQA idf: {args.wikiqa_idf}; run time {report.seconds:.1f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__)
    add_arguments(parser)
    return main_quality(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
