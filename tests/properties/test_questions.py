"""Any question (any unicode, 10k characters, NUL, markup) and any bytes on stdin: an answer or
a helpful reply, quotes verbatim, and output that is valid UTF-8 JSON, one line per input line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import answer_to_json, render_answer, to_terminal
from bot.render.terminal import is_printable, printable
from index.answering.answer import AnswerPolicy, answer_question
from index.retrieval.corpus_index import CorpusIndex
from tests.properties.strategies import QUESTIONS
from tests.support.builders import write_article
from tests.support.cli_run import clean_environment, verbatim

CORE_EXAMPLES = 200
CLI_EXAMPLES = 30


@settings(max_examples=CORE_EXAMPLES, deadline=None)
@given(question=QUESTIONS)
def test_any_question_is_answered_verbatim_and_prints_safely(
    shipped_index: CorpusIndex, question: str
) -> None:
    answer = answer_question(shipped_index, question, AnswerPolicy())
    for quote in answer.quotes:
        passage = quote.passage
        assert passage.document.text[passage.start : passage.end] == passage.text
    line = printable(json.dumps(answer_to_json(answer), ensure_ascii=False))
    assert (
        json.loads(line.encode("utf-8"))["quotes"]
        == json.loads(json.dumps(answer_to_json(answer)))["quotes"]
    )
    shown = printable(to_terminal(render_answer(answer), ansi=True))
    shown = shown.replace("\x1b[1m", "").replace("\x1b[0m", "")
    assert all(is_printable(char) for char in shown)


@pytest.fixture
def tiny_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clean_environment(monkeypatch, tmp_path)
    folder = tmp_path / "corpus"
    write_article(folder, "fleet.txt", "Fleet", ["The fleet sailed north. It reached port."])
    monkeypatch.setenv("VERBATIM_INDEX_DIR", str(tmp_path / "idx"))
    return folder


@settings(
    max_examples=CLI_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(lines=st.lists(st.binary(max_size=300).map(lambda b: b.replace(b"\n", b" ")), max_size=6))
def test_batch_json_is_one_valid_line_per_input_line(
    tiny_corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
    lines: list[bytes],
) -> None:
    stdin = b"".join(line + b"\n" for line in lines)
    result = verbatim(
        capsysbinary,
        "ask",
        "--json",
        "--corpus",
        str(tiny_corpus),
        stdin=stdin,
        monkeypatch=monkeypatch,
    )
    assert result.code == 0 and "Traceback" not in result.stderr
    answers = [json.loads(line) for line in result.stdout.split("\n")[:-1]]
    assert len(answers) == len(lines)
    for answer in answers:
        for quote in answer["quotes"]:
            text = Path(quote["path"]).read_text(encoding="utf-8")
            assert text[quote["start"] : quote["end"]] == quote["text"]
