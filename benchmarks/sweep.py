"""Measure ranking levers one at a time: ``python -m benchmarks.sweep --data DIR [NAME ...]``.

Each named variant is the default ``Config`` with one thing changed; the output is one line per
variant with the figures the levers are judged on (tune on Super_Bowl_50 and WikiQA; the five
v2.0 articles are held out). Kept so every number in the README can be re-measured.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from benchmarks.metrics import mean
from benchmarks.quality import TUNING_ARTICLES, Report, run
from benchmarks.systems import Config
from index.answering.rerank import LEVERS, NO_EVIDENCE, RerankWeights
from index.retrieval.params import BM25Params
from index.text.analyzer import Analyzer
from index.text.stopwords import ENGLISH_STOPWORDS

BASE = Config()


def _params(**changes: object) -> Config:
    return replace(BASE, params=replace(BASE.params, **changes))  # type: ignore[arg-type]


def _policy(**changes: object) -> Config:
    return replace(BASE, policy=replace(BASE.policy, **changes))  # type: ignore[arg-type]


def _rerank(**changes: object) -> Config:
    weights = replace(BASE.policy.rerank, **changes)  # type: ignore[arg-type]
    return replace(BASE, policy=replace(BASE.policy, rerank=weights))


VARIANTS: dict[str, Callable[[], Config]] = {
    "default": lambda: BASE,
    "no-rerank": lambda: replace(BASE, policy=replace(BASE.policy, rerank=NO_EVIDENCE)),
    **{f"no-{lever}": partial(_rerank, **{lever: 0.0}) for lever in LEVERS},
    # quality3: the title words' weight (kept at 0.6); the dropped levers are in commit 1a5c931
    **{f"title_damp={w}": partial(_rerank, title_damp=w) for w in (0.0, 0.25, 0.5, 0.75, 1.0)},
    "old-paragraph-weights": partial(_rerank, paragraph=1.0, paragraph_bm25=0.0),
    "no-strip-asking": lambda: _policy(strip_asking=False),
    "no-strip-naming": lambda: _policy(strip_naming=False),
    "no-strip-unit": lambda: _policy(strip_unit=False),
    "no-strip-light-verbs": lambda: _policy(strip_light_verbs=False),
    "no-demonyms": lambda: replace(BASE, analyzer=partial(Analyzer, demonyms=False)),
    "no-stopwords": lambda: replace(BASE, analyzer=partial(Analyzer, frozenset())),
    "won-stopword": lambda: replace(BASE, analyzer=partial(Analyzer, ENGLISH_STOPWORDS | {"won"})),
    "no-stemming": lambda: replace(BASE, analyzer=partial(Analyzer, stemming=False)),
    "no-unseen-names": lambda: _policy(abstain_on_unseen_names=False),
    "no-negation": lambda: _policy(abstain_on_negation=False),
    "no-continue-quotes": lambda: _policy(continue_quotes=False),
    "no-place-ages": lambda: _policy(place_ages=False),
    **{f"min_coverage={c}": partial(_policy, min_coverage=c) for c in (0.2, 0.25, 0.35, 0.5)},
    **{f"variant={v}": partial(_params, variant=v) for v in ("okapi", "plus", "l")},
    **{
        f"k1={k1},b={b}": partial(_params, k1=k1, b=b)
        for k1 in (0.2, 0.4, 0.6, 0.9, 1.2)
        for b in (0.3, 0.5, 0.75)
    },
}


def parse_spec(spec: str) -> Config:
    """A variant written inline: ``k1=0.9,b=0.4,context=0.2`` (BM25, re-rank or policy fields)."""
    params, weights, policy = {}, {}, {}
    for item in filter(None, spec.split(",")):
        key, _, raw = item.partition("=")
        value: object = raw == "true" if raw in ("true", "false") else _number(raw)
        if key in BM25Params.__dataclass_fields__:
            params[key] = value
        elif key in RerankWeights.__dataclass_fields__:
            weights[key] = value
        else:
            policy[key] = value
    rerank = replace(BASE.policy.rerank, **weights)  # type: ignore[arg-type]
    return replace(
        BASE,
        name=spec,
        params=replace(BASE.params, **params),  # type: ignore[arg-type]
        policy=replace(BASE.policy, rerank=rerank, **policy),  # type: ignore[arg-type]
    )


def _number(raw: str) -> object:
    try:
        return int(raw)
    except ValueError:
        try:
            return float(raw)
        except ValueError:
            return raw


def figures(report: Report, system: str = "verbatim") -> dict[str, float]:
    """The figures a lever is judged on, from one run."""
    answerable = report.select(system, kind="answerable")
    tune = [r for r in answerable if r["article"] in TUNING_ARTICLES]
    held = [r for r in answerable if r["article"] not in TUNING_ARTICLES]
    wikiqa = report.select(system, kind="wikiqa")

    def share(kind: str) -> float:
        return mean(float(r["abstained"]) for r in report.select(system, kind=kind))

    return {
        "SB50 P@1": mean(r["p1"] for r in tune),
        "SB50 MRR": mean(r["rr"] for r in tune),
        "held P@1": mean(r["p1"] for r in held),
        "held MRR": mean(r["rr"] for r in held),
        "all P@1": mean(r["p1"] for r in answerable),
        "all MRR": mean(r["rr"] for r in answerable),
        "WQ MAP": mean(r["ap"] for r in wikiqa),
        "WQ MRR": mean(r["rr"] for r in wikiqa),
        "abst v2": share("unanswerable"),
        "abst other": share("other_article"),
        "abst wrong": share("answerable"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sweep", description=__doc__)
    parser.add_argument("--data", type=Path, required=True, metavar="DIR")
    parser.add_argument("--wikiqa-idf", default="question", choices=("question", "all"))
    parser.add_argument(
        "names", nargs="*", help=f"variants or inline specs (default all): {', '.join(VARIANTS)}"
    )
    args = parser.parse_args(argv)
    names = args.names or list(VARIANTS)
    header = None
    for name in names:
        config = VARIANTS[name]() if name in VARIANTS else parse_spec(name)
        values = figures(run(args.data, config, args.wikiqa_idf))
        if header is None:
            header = f"{'variant':<22}" + "".join(f"{key:>11}" for key in values)
            print(header)
        print(
            f"{name[:22]:<22}" + "".join(f"{value:>11.3f}" for value in values.values()), flush=True
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
