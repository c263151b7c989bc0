"""The benchmark end to end on tiny inline data sets (never the shared benchmark data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.cli import main
from benchmarks.quality import run, summarize
from benchmarks.systems import Config
from tests.benchmarks.test_datasets import SQUAD, WIKIQA


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "squad").mkdir()
    (tmp_path / "wikiqa").mkdir()
    other = {"title": "Other", "paragraphs": [SQUAD["data"][0]["paragraphs"][1]]}  # type: ignore[index]
    (tmp_path / "squad" / "a.json").write_text(json.dumps(SQUAD), encoding="utf-8")
    (tmp_path / "squad" / "b.json").write_text(json.dumps({"data": [other]}), encoding="utf-8")
    (tmp_path / "wikiqa" / "WikiQA-test.tsv").write_text(WIKIQA, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("scope", ["question", "all"])
def test_run_scores_both_systems_on_every_data_set(data_dir: Path, scope: str) -> None:
    report = run(data_dir, Config(), scope)
    table = {line["measure"]: line for line in summarize(report, ["Tiny_Article", "Other"])}
    assert table["SQuAD overall P@1"]["verbatim"] == 1.0
    assert table["WikiQA MAP (243 q)"]["verbatim"] == 1.0
    for line in table.values():
        assert 0.0 <= line["verbatim"] <= 1.0 and 0.0 <= line["baseline"] <= 1.0
    kinds = {row["kind"] for row in report.rows}
    assert kinds == {"answerable", "unanswerable", "other_article", "wikiqa"}


def test_cli_prints_json_and_per_question_rows(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = tmp_path / "rows.jsonl"
    assert main(["quality", "--data", str(data_dir), "--json", "--questions", str(rows)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {"seconds", "table"} <= printed.keys()
    assert all("system" in json.loads(line) for line in rows.read_text().splitlines())


def test_cli_names_a_missing_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quality", "--data", str(tmp_path / "nope")]) == 2
    assert "squad" in capsys.readouterr().err
