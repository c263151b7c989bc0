"""``verbatim index build`` and the CLI answering from the persistent index, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bot.cli.test_main import VERBATIM, run
from tests.support.builders import write_article


def test_index_build_then_ask_answers_from_the_saved_index(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "idx"
    write_article(corpus, "fleet.txt", "Fleet", ["The fleet sailed north. It reached port."])
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    built = run([*VERBATIM, "index", "build", "--corpus", str(corpus), "--out", str(out)])
    assert built.returncode == 0, built.stderr
    assert "built: 1 article(s), 2 sentences" in built.stdout
    assert "skipped" in built.stderr and "empty.txt" in built.stderr
    assert (out / "manifest.json").is_file()
    again = run([*VERBATIM, "index", "build", "--corpus", str(corpus), "--out", str(out)])
    assert "already up to date" in again.stdout
    answer = run(
        [*VERBATIM, "ask", "--json", "--corpus", str(corpus), "Where did the fleet sail?"],
        VERBATIM_INDEX_DIR=str(out),
    )
    assert answer.returncode == 0, answer.stderr
    quote = json.loads(answer.stdout)["quotes"][0]
    assert quote["text"] == "The fleet sailed north." and quote["path"] == str(corpus / "fleet.txt")


def test_index_build_of_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = run([*VERBATIM, "index", "build", "--corpus", str(tmp_path / "nope")])
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_index_verify_passes_a_whole_index_and_names_a_corrupt_file(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "idx"
    write_article(corpus, "fleet.txt", "Fleet", ["The fleet sailed north. It reached port."])
    run([*VERBATIM, "index", "build", "--corpus", str(corpus), "--out", str(out)])
    verify = [*VERBATIM, "index", "verify", "--corpus", str(corpus), "--out", str(out)]
    whole = run(verify)
    assert whole.returncode == 0 and "every file matches its checksum" in whole.stdout
    path = out / "postings.docs.npy"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))
    corrupt = run(verify)
    assert corrupt.returncode == 2 and "postings.docs.npy" in corrupt.stderr
    assert "Traceback" not in corrupt.stderr
