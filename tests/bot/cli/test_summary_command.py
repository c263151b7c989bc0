"""``verbatim summary`` / ``verbatim topics`` / slash commands in ``verbatim shell``, end to end."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bot.cli.test_main import VERBATIM, run
from tests.support.builders import write_article


def test_summary_json_is_verbatim_and_in_article_order() -> None:
    result = run([*VERBATIM, "summary", "--json"])
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["status"] == "covered" and len(payload["items"]) == 5
    for item in payload["items"]:
        text = Path(item["path"]).read_bytes().decode("utf-8")
        assert text[item["start"] : item["end"]] == item["text"]
    starts = [item["start"] for item in payload["items"]]
    assert starts == sorted(starts)


def test_summary_length_setting_and_option() -> None:
    result = run([*VERBATIM, "summary", "--json"], VERBATIM_SUMMARY_LENGTH="3")
    assert len(json.loads(result.stdout)["items"]) == 3
    result = run([*VERBATIM, "summary", "--json", "--length", "4"], VERBATIM_SUMMARY_LENGTH="3")
    assert len(json.loads(result.stdout)["items"]) == 4
    result = run([*VERBATIM, "summary", "--length", "9"])
    assert result.returncode == 2 and "length must be a whole number from 3 to 6" in result.stderr
    result = run([*VERBATIM, "summary"], VERBATIM_SUMMARY_LENGTH="8")
    assert result.returncode == 2 and "VERBATIM_SUMMARY_LENGTH" in result.stderr


def test_topic_summary_and_not_covered() -> None:
    result = run([*VERBATIM, "summary", "--json", "shadow fleet"])
    items = json.loads(result.stdout)["items"]
    assert items and all("shadow fleet" in item["text"] for item in items)
    unquoted = run([*VERBATIM, "summary", "--json", "shadow", "fleet"])
    assert json.loads(unquoted.stdout) == json.loads(result.stdout)
    result = run([*VERBATIM, "summary", "weather in Paris"])
    assert result.returncode == 0
    assert result.stdout.startswith("The articles don't cover “weather in Paris”.")


def test_summary_of_one_article_with_shared_sentence(tmp_path: Path) -> None:
    shared = "Tankers moved crude oil through the strait despite the embargo on Monday."
    write_article(tmp_path, "a.txt", "Oil route", [f"{shared} Prices rose."], "a.example")
    write_article(tmp_path, "b.txt", "Strait watch", [f"Navies watched. {shared}"], "b.example")
    result = run([*VERBATIM, "summary", "--corpus", str(tmp_path), "--length", "3"])
    assert result.stdout.count(shared) == 1
    assert "also in: Strait watch ¶1 s2 · https://b.example" in result.stdout
    result = run([*VERBATIM, "summary", "--json", "--corpus", str(tmp_path), "--article", "watch"])
    payload = json.loads(result.stdout)
    assert payload["article"] == "Strait watch"
    assert {item["title"] for item in payload["items"]} == {"Strait watch"}


def test_topics_json_has_true_counts() -> None:
    result = run([*VERBATIM, "topics", "--json"])
    assert result.returncode == 0, result.stderr
    topics = {topic["phrase"]: topic for topic in json.loads(result.stdout)}
    assert len(topics) == 15
    assert topics["shadow fleet"]["sentences"] == 4 and topics["shadow fleet"]["articles"] == 1
    assert {"North Korea", "NATO"} <= set(topics)


def test_slash_commands_in_the_shell() -> None:
    result = run([*VERBATIM, "shell"], stdin="/topics\n/summary topic:NATO length:3\n/help\n")
    assert result.returncode == 0, result.stderr
    assert "Main topics of 1 article:" in result.stdout and "shadow fleet" in result.stdout
    assert "About “NATO” in 1 article: 3 quoted sentences" in result.stdout
    assert "/summary [topic:X]" in result.stdout
