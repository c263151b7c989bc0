"""Web pages and dates through the real CLI: ``--json`` quotes from an HTML article name its
plain-text copy (a slice of it) and the page as ``source``; dates in attributions, ``sources``
and ``summary --since``; nothing is written into the corpus."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bot.cli.test_main import VERBATIM, run

PAGE = (
    "<html><head><title>Site | Bridge</title>"
    "<meta property='og:title' content='River bridge reopens'>"
    "<link rel='canonical' href='https://news.example/bridge'>"
    "<meta property='article:published_time' content='2024-03-12T08:00:00Z'>"
    "</head><body><nav>Home · World · Sport · Subscribe</nav><article><h1>River bridge reopens</h1>"
    "<p>The Elder river bridge reopened on Monday after two years of repairs.</p>"
    "<p>Engineers replaced 40 steel cables &amp; the deck, the council said.</p>"
    "<p>Traffic  returned\nto the old route by the evening rush hour.</p>"
    "</article><footer>© Example News · Terms · Privacy</footer></body></html>"
)
OLD = (
    "---\ntitle: Harbour dredging\npublished: 2023-01-05\n---\n\n"
    "The harbour was dredged in winter.\n"
)


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bridge.html").write_text(PAGE, encoding="utf-8")
    (corpus / "harbour.md").write_text(OLD, encoding="utf-8")
    (corpus / "broken.html").write_bytes(b"\x00\x01\x02")
    return corpus


def test_html_quote_path_is_the_copy_and_source_the_page(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    question = "How many steel cables did engineers replace?"
    result = run([*VERBATIM, "ask", "--json", "--corpus", str(corpus), question])
    assert result.returncode == 0, result.stderr
    assert f"skipped {corpus / 'broken.html'}: binary file, not a web page" in result.stderr
    quote = json.loads(result.stdout)["quotes"][0]
    assert quote["text"] == "Engineers replaced 40 steel cables & the deck, the council said."
    assert quote["source"] == str(corpus / "bridge.html")
    assert quote["url"] == "https://news.example/bridge"
    assert quote["published"] == "2024-03-12" and quote["title"] == "River bridge reopens"
    copy = Path(quote["path"])
    assert copy.parent == tmp_path / ".verbatim-index" / "corpus.pages"
    assert copy.read_text(encoding="utf-8")[quote["start"] : quote["end"]] == quote["text"]
    assert "Traffic returned to the old route" in copy.read_text(encoding="utf-8")
    assert sorted(p.name for p in corpus.iterdir()) == ["bridge.html", "broken.html", "harbour.md"]

    copy.unlink()  # someone cleans the folder: the next run restores the copy from the index
    again = json.loads(run([*VERBATIM, "ask", "--json", "--corpus", str(corpus), question]).stdout)
    assert again["quotes"][0]["path"] == str(copy) and copy.is_file()


def test_dates_in_attributions_sources_and_summary_since(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    plain = run([*VERBATIM, "ask", "--corpus", str(corpus), "When did the river bridge reopen?"])
    assert "River bridge reopens ¶1 s1 · 12 Mar 2024 · https://news.example/bridge" in plain.stdout
    listed = run([*VERBATIM, "sources", "--corpus", str(corpus)]).stdout
    assert f"https://news.example/bridge · 12 Mar 2024 · {corpus / 'bridge.html'} · " in listed
    sources = json.loads(run([*VERBATIM, "sources", "--json", "--corpus", str(corpus)]).stdout)
    assert {s["title"]: s["published"] for s in sources} == {
        "River bridge reopens": "2024-03-12",
        "Harbour dredging": "2023-01-05",
    }
    recent = run(
        [
            *VERBATIM,
            "summary",
            "--json",
            "--length",
            "3",
            "--since",
            "2024-01-01",
            "--corpus",
            str(corpus),
        ]
    )
    payload = json.loads(recent.stdout)
    assert payload["status"] == "covered" and payload["since"] == "2024-01-01T00:00:00+00:00"
    assert {item["title"] for item in payload["items"]} == {"River bridge reopens"}
    none = run([*VERBATIM, "summary", "--since", "2030-01-01", "--corpus", str(corpus)])
    assert none.returncode == 0 and "No article was published since 1 Jan 2030" in none.stdout
    bad = run([*VERBATIM, "summary", "--since", "someday", "--corpus", str(corpus)])
    assert bad.returncode == 2 and "since: 'someday' is not a date" in bad.stderr
    shell = run([*VERBATIM, "shell", "--corpus", str(corpus)], stdin="/summary since:7d\n")
    assert "No article was published since" in shell.stdout
