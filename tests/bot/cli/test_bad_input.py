"""Bad input a new user meets, each a clear line or a faithful answer, never a traceback
(issue 18, defects 4 and 7-12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.ingest.loader import load_corpus
from tests.support.builders import write_article
from tests.support.cli_run import clean_environment, verbatim

MOSCOW = ["Igor Kirillov was killed in Moscow on Tuesday. The bomb was hidden in a scooter."]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clean_environment(monkeypatch, tmp_path)
    folder = tmp_path / "corpus"
    write_article(folder, "moscow.txt", "Moscow bombing", MOSCOW, "https://example.org/moscow")
    return folder


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("VERBATIM_TOP_K=2\n".encode("utf-16"), ".env is saved as UTF-16"),
        ("VERBATIM_TOP_K=2\n".encode("utf-16-be"), ".env is saved as UTF-16"),
        (b"VERBATIM_TOP_K=2\n# caf\xe9\n", ".env is not UTF-8 text (bad byte at offset 22)"),
    ],
    ids=["utf-16-le-bom", "utf-16-be", "latin-1"],
)
def test_a_dot_env_that_is_not_utf8_is_one_line_naming_it(
    corpus: Path,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    content: bytes,
    needle: str,
) -> None:
    (tmp_path / ".env").write_bytes(content)
    result = verbatim(capsysbinary, "sources", "--corpus", str(corpus))
    assert result.code == 2 and result.stderr.count("\n") == 1 and needle in result.stderr


def test_a_dot_env_with_a_bom_is_read_first_setting_included(
    corpus: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    (tmp_path / ".env").write_bytes(b"\xef\xbb\xbfVERBATIM_TOP_K=1\n")
    result = verbatim(capsysbinary, "ask", "--json", "--corpus", str(corpus), "Who was killed?")
    assert result.code == 0, result.stderr
    assert len(json.loads(result.stdout)["quotes"]) == 1  # TOP_K=1 was read, not ignored


def test_invalid_utf8_in_batch_questions_gives_valid_utf8_json_lines(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = b"Who was killed in \xff\xfe Moscow?\n\xc3\n"
    result = verbatim(
        capsysbinary, "ask", "--json", "--corpus", str(corpus), stdin=stdin, monkeypatch=monkeypatch
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.code == 0 and len(lines) == 2
    assert lines[0]["question"] == "Who was killed in \ufffd\ufffd Moscow?" and lines[0]["covered"]


def test_batch_answers_one_line_per_input_line_blank_ones_included(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = b"Who was killed in Moscow?\n\n   \r\nWhere was the bomb hidden?\n"
    result = verbatim(
        capsysbinary, "ask", "--json", "--corpus", str(corpus), stdin=stdin, monkeypatch=monkeypatch
    )
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["covered", "empty_question", "empty_question", "covered"]


def test_terminal_escapes_in_articles_and_names_never_reach_the_terminal(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    title = "Clear\x1b[2J screen\x1b]0;owned\x07"
    body = ["The zeppelin \x1b[31mlanded\x9b2J in Oslo at noon."]
    write_article(corpus, "esc\nape.txt", title, body)
    for command in (["ask", "Where in Oslo did the zeppelin land?"], ["sources"]):
        result = verbatim(capsysbinary, *command, "--corpus", str(corpus))
        assert result.code == 0, result.stderr
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream
        assert "\\u001b[2J" in result.stdout
    assert "esc\\nape.txt" in result.stdout  # ``sources``: the name stays on its line
    data = verbatim(
        capsysbinary,
        "ask",
        "--json",
        "--corpus",
        str(corpus),
        "Where in Oslo did the zeppelin land?",
    )
    quote = json.loads(data.stdout)["quotes"][0]  # --json is data: the quote stays verbatim
    assert quote["text"] == body[0]
    text = Path(quote["path"]).read_text(encoding="utf-8")
    assert text[quote["start"] : quote["end"]] == quote["text"]


@pytest.mark.parametrize("option", [["--corpus", ""], ["--corpus", "  "]])
def test_an_empty_corpus_option_is_a_usage_error(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes], option: list[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        verbatim(capsysbinary, "ask", *option, "Who was killed?")
    err = capsysbinary.readouterr().err.decode()
    assert stopped.value.code == 2 and "--corpus" in err and "is empty" in err


def test_a_bom_is_not_part_of_the_title_or_any_quote(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfBOM Article\nThe treaty was signed.\n")
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf# Marked Down\n\nThe pact was signed.\n")
    documents = load_corpus(tmp_path).documents
    assert sorted(d.title for d in documents) == ["BOM Article", "Marked Down"]
    for document in documents:
        assert all("\ufeff" not in document.text[p.start : p.end] for p in document.paragraphs)


def test_a_mention_typed_in_the_cli_does_not_make_it_abstain(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    result = verbatim(
        capsysbinary, "ask", "--json", "--corpus", str(corpus), "<@123> who was killed in Moscow?"
    )
    answer = json.loads(result.stdout)
    assert answer["covered"] and "Kirillov" in answer["quotes"][0]["text"]


def test_version_names_the_command_that_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("verbatim 0.1.0 (/")


def test_topics_limit_0_is_a_usage_error(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    result = verbatim(capsysbinary, "topics", "--limit", "0", "--corpus", str(corpus))
    assert result.code == 2 and result.stderr.count("\n") == 1 and "limit" in result.stderr
    assert result.stdout == ""


def test_a_huge_sentence_is_cut_in_the_terminal_but_whole_in_json(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    sentence = "The zeppelin landed " + "and circled " * 20_000 + "in Oslo."
    write_article(corpus, "zeppelin.txt", "Zeppelin", [sentence])
    shown = verbatim(capsysbinary, "ask", "--corpus", str(corpus), "Where did the zeppelin land?")
    assert shown.code == 0 and len(shown.stdout) < 2000 and "…”" in shown.stdout
    data = verbatim(
        capsysbinary, "ask", "--json", "--corpus", str(corpus), "Where did the zeppelin land?"
    )
    assert json.loads(data.stdout)["quotes"][0]["text"] == sentence


def test_ctrl_c_at_the_prompt_drops_the_line_and_the_shell_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main as cli

    undecodable = UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
    typed: list[BaseException | str] = [KeyboardInterrupt(), undecodable, "Kursk", EOFError()]

    def fake_input(prompt: str) -> str:
        item = typed.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    monkeypatch.setattr("builtins.input", fake_input)
    assert list(cli._prompted_lines()) == ["Kursk"] and typed == []


def test_shell_history_is_read_and_saved_privately(tmp_path: Path) -> None:
    import readline

    from bot.cli.history import keep_history, save_history

    path = tmp_path / "history"
    path.write_text("Who was killed in Moscow?\n", encoding="utf-8")
    readline.clear_history()
    keep_history(readline, path)
    assert readline.get_history_item(readline.get_current_history_length()).endswith("Moscow?")
    readline.add_history("Kursk")
    save_history(readline, path)
    assert path.read_text(encoding="utf-8").splitlines()[-1] == "Kursk"
    assert path.stat().st_mode & 0o777 == 0o600
    readline.clear_history()


def test_a_log_line_naming_an_odd_file_stays_one_line(corpus: Path) -> None:
    from tests.bot.cli.test_main import VERBATIM, run

    (corpus / "odd\nverbatim: WARNING: forged.md").write_text(
        "---\nurl: not a url\n---\n# Odd\n\nThe odd file.\n", encoding="utf-8"
    )
    result = run([*VERBATIM, "sources", "--corpus", str(corpus)])
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and "odd\\nverbatim" in warnings[0], result.stderr
