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


def dated_corpus(folder: Path) -> Path:
    """Three Markdown articles about one story, published out of file order, and one undated."""
    texts = {
        "a.md": ("2021-09-18", "Rebuilding", "Craftsmen began rebuilding the Notre-Dame spire."),
        "b.md": ("2019-04-15", "Fire", "Fire broke out in the roof of Notre-Dame cathedral."),
        "c.md": (None, "Notes", "Tourists still photograph Notre-Dame from the river banks."),
        "d.md": ("2024-12-07", "Reopening", "Notre-Dame reopened to the public with a mass."),
    }
    folder.mkdir()
    for name, (published, title, sentence) in texts.items():
        front = f"---\ntitle: {title}\npublished: '{published}'\n---\n" if published else ""
        body = f"{front}# {title}\n\n{sentence} It was a day to remember in Paris.\n"
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def test_summary_timeline_orders_by_published_date_and_shows_it(tmp_path: Path) -> None:
    corpus = str(dated_corpus(tmp_path / "c"))
    result = run([*VERBATIM, "summary", "--corpus", corpus, "--json", "--timeline", "Notre-Dame"])
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["mode"] == "timeline"
    dates = [item["published"] for item in payload["items"]]
    assert dates == ["2019-04-15", "2021-09-18", "2024-12-07", None]
    shown = run([*VERBATIM, "summary", "--corpus", corpus, "--timeline", "Notre-Dame"]).stdout
    assert "over time" in shown and shown.index("2019-04-15") < shown.index("2024-12-07")


def test_summary_compare_quotes_one_sentence_per_article(tmp_path: Path) -> None:
    corpus = str(dated_corpus(tmp_path / "c"))
    result = run([*VERBATIM, "summary", "--corpus", corpus, "--json", "--compare", "Notre-Dame"])
    items = json.loads(result.stdout)["items"]
    assert sorted(Path(item["path"]).name for item in items) == ["a.md", "b.md", "c.md", "d.md"]
    for item in items:
        text = Path(item["path"]).read_bytes().decode("utf-8")
        assert text[item["start"] : item["end"]] == item["text"]


def test_timeline_and_compare_need_a_topic_and_exclude_each_other(tmp_path: Path) -> None:
    corpus = str(dated_corpus(tmp_path / "c"))
    result = run([*VERBATIM, "summary", "--corpus", corpus, "--timeline"])
    assert result.returncode == 2 and "--timeline needs a TOPIC" in result.stderr
    both = run([*VERBATIM, "summary", "--corpus", corpus, "--timeline", "--compare", "x"])
    assert both.returncode == 2 and "not allowed with" in both.stderr
