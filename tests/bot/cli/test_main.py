"""The CLI end to end, as a user runs it: real subprocesses, real files, real exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.builders import write_article

VERBATIM = [sys.executable, "-m", "bot.cli.main"]


def run(args: list[str], stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("VERBATIM_", "DISCORD_"))
    }
    environment.update(env)
    return subprocess.run(
        args,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
        check=False,
    )


def test_ask_json_quotes_are_verbatim_slices_of_the_file() -> None:
    result = run([*VERBATIM, "ask", "--json", "How many North Korean troops were deployed?"])
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["covered"] is True and 1 <= len(payload["quotes"]) <= 3
    for quote in payload["quotes"]:
        text = Path(quote["path"]).read_bytes().decode("utf-8")
        assert text[quote["start"] : quote["end"]] == quote["text"]
        assert quote["url"] == "https://www.independent.co.uk"
    assert "12,000" in payload["quotes"][0]["text"]


def test_batch_json_reads_one_question_per_line() -> None:
    questions = "Who was killed in Moscow?\n\nWhat is the weather in Paris?\n???\n"
    result = run([*VERBATIM, "ask", "--json", "--top", "1"], stdin=questions)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["covered"] for line in lines] == [True, False, False, False]
    assert lines[1]["status"] == "empty_question" and lines[1]["quotes"] == []
    assert len(lines[0]["quotes"]) == 1 and lines[2]["quotes"] == []


def test_plain_answer_and_not_covered_text() -> None:
    result = run([*VERBATIM, "ask", "What is the weather in Paris?"])
    assert result.returncode == 0 and result.stdout.strip() == "The articles don't cover that."


@pytest.mark.parametrize("question", ["", "?!?", "zzkq wxqv"])
def test_strange_questions_exit_zero_with_help(question: str) -> None:
    result = run([*VERBATIM, "ask", question])
    assert result.returncode == 0
    assert result.stdout.strip() and "Traceback" not in result.stderr


def test_custom_corpus_and_skipped_file_named(tmp_path: Path) -> None:
    write_article(tmp_path, "one.txt", "Ports", ["The harbour froze in January."], "port.example")
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe\x00bad")
    result = run(
        [*VERBATIM, "ask", "--json", "--corpus", str(tmp_path), "When did the harbour freeze?"]
    )
    assert result.returncode == 0
    assert "broken.txt" in result.stderr and "binary" in result.stderr
    assert json.loads(result.stdout)["quotes"][0]["title"] == "Ports"


def test_corpus_setting_from_environment(tmp_path: Path) -> None:
    write_article(tmp_path, "one.txt", "Ports", ["The harbour froze in January."])
    result = run([*VERBATIM, "sources"], VERBATIM_CORPUS_DIR=str(tmp_path))
    assert (
        result.returncode == 0
        and "Ports" in result.stdout
        and "1 paragraph, 1 sentence\n" in result.stdout
    )


def test_unusable_corpus_exits_2(tmp_path: Path) -> None:
    result = run([*VERBATIM, "ask", "x", "--corpus", str(tmp_path / "missing")])
    assert result.returncode == 2 and "does not exist" in result.stderr
    result = run([*VERBATIM, "ask", "x", "--corpus", str(tmp_path)])
    assert result.returncode == 2 and "no usable article" in result.stderr


def test_bad_setting_is_one_clear_line() -> None:
    result = run([*VERBATIM, "ask", "x"], VERBATIM_TOP_K="many")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "VERBATIM_TOP_K" in result.stderr


def test_sources_lists_the_shipped_article() -> None:
    result = run([*VERBATIM, "sources", "--json"])
    sources = json.loads(result.stdout)
    assert sources[0]["url"] == "https://www.independent.co.uk"
    assert sources[0]["paragraphs"] == 5 and sources[0]["sentences"] > 10


def test_console_script_is_installed() -> None:
    script = shutil.which("verbatim", path=str(Path(sys.executable).parent))
    assert script is not None
    result = run([script, "ask", "--json", "Who was killed in Moscow?"])
    assert json.loads(result.stdout)["covered"] is True


def test_piped_make_run_answers_each_line_and_exits() -> None:
    result = run(
        ["make", "--no-print-directory", "run"],
        stdin="Who was killed in Moscow?\nWhat is the weather in Paris?\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Kirillov" in result.stdout and "The articles don't cover that." in result.stdout


def test_output_cut_short_by_the_reader_ends_without_a_traceback() -> None:
    questions = "Who was killed in Moscow?\n" * 1500  # far more output than a pipe buffers
    command = f"{sys.executable} -m bot.cli.main ask --json | head -c 100 > /dev/null"
    result = run(["bash", "-o", "pipefail", "-c", command], stdin=questions)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
    assert result.returncode == 141
