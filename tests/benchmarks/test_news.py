from __future__ import annotations

import json
from pathlib import Path

from benchmarks.news import breakdown, read_news
from benchmarks.quality import main, run_news


def _data(tmp_path: Path) -> Path:
    news = tmp_path / "news"
    (news / "articles").mkdir(parents=True)
    (news / "archive").mkdir()
    (news / "articles" / "01-glazer.txt").write_text(
        "Glazer bid\n\nShares rose after an offer from tycoon Malcolm Glazer.\n\n"
        "The 76-year-old owner wants the club.\n",
        encoding="utf-8",
    )
    (news / "articles" / "02-lifts.txt").write_text(
        "Fast lifts\n\nThe lifts in Taipei climb at 1,010 metres a minute.\n", encoding="utf-8"
    )
    (news / "archive" / "sport-001.txt").write_text(
        "Cup final\n\nThe final was played in Cardiff on Saturday.\n", encoding="utf-8"
    )
    questions = [
        {"q": "how old is malcolm glazer", "article": "01-glazer.txt", "gold": ["76-year-old"]},
        {"q": "how fast are the taipei lifts", "article": "02-lifts.txt", "gold": ["1,010"]},
        {"q": "what did glazer's wife say", "abstain": True, "near": "01-glazer.txt"},
        {"q": "how tall is mount everest", "abstain": True, "off_topic": True},
    ]
    (news / "questions.json").write_text(json.dumps({"questions": questions}), encoding="utf-8")
    return tmp_path


def test_halves_follow_the_article_number(tmp_path: Path) -> None:
    halves = [q.half for q in read_news(_data(tmp_path))]
    assert halves == ["odd", "even", "odd", None]


def test_news_is_scored_as_score_py_does(tmp_path: Path) -> None:
    data = _data(tmp_path)
    before = sorted(p.name for p in data.rglob("*"))
    for archive in (False, True):
        verbatim, plain = run_news(data, archive)
        figures = breakdown(verbatim)
        assert figures["all"]["n"] == 2 and figures["all"]["top1"] == 2
        assert figures["all"]["off_declined"] == 1
        assert figures["odd"]["n"] == 1 and figures["even"]["n"] == 1
        assert breakdown(plain)["all"]["n"] == 2  # rank-bm25 answers the same questions
    assert sorted(p.name for p in data.rglob("*")) == before  # nothing written under DATA


def test_the_news_sets_print_a_table_and_per_question_rows(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = _data(tmp_path / "data")
    rows = tmp_path / "rows.jsonl"
    assert main(["--data", str(data), "--sets", "news", "--questions", str(rows)]) == 0
    out = capsys.readouterr().out
    assert "| verbatim | all |" in out and "| rank-bm25 | all |" in out
    lines = [json.loads(line) for line in rows.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 8 and {line["system"] for line in lines} == {"verbatim", "rank-bm25"}
    assert main(["--data", str(data), "--sets", "nope"]) == 2
