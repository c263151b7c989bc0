"""Rendering of summaries and topic lists: terminal, Discord Markdown (escaped, ≤ 2,000), JSON."""

from __future__ import annotations

from bot.render import (
    escape_markdown,
    render_summary,
    render_topics,
    summary_to_json,
    to_markdown,
    to_terminal,
    topics_to_json,
)
from index.retrieval.corpus_index import CorpusIndex
from index.summaries.summarizer import Summary, SummaryMode, SummaryStatus, summarize
from index.summaries.topics import corpus_topics
from tests.support.builders import document, index_of, with_published

SHARED = "The *central* bank raised interest rates by half a point on Tuesday @everyone."
INDEX = index_of(
    document("Bank *raises* rates", [f"{SHARED} Inflation stayed high."], "bank.example", 0),
    document("Markets react", [f"Stocks fell. {SHARED}"], "markets.example", 1),
)


def test_terminal_summary_lists_quotes_sources_and_other_sources() -> None:
    text = to_terminal(render_summary(summarize(INDEX, topic="interest rates", length=3)))
    lines = text.splitlines()
    assert lines[0] == "About “interest rates” in 2 articles: 1 quoted sentence, in article order:"
    assert lines[1] == f"1. “{SHARED}”"
    assert lines[2] == "   — Bank *raises* rates ¶1 s1 · https://bank.example"
    assert lines[3] == "   also in: Markets react ¶1 s2 · https://markets.example"


def test_terminal_bolds_topic_words_only_with_ansi() -> None:
    rendered = render_summary(summarize(INDEX, topic="interest rates", length=3))
    assert "\x1b[1minterest rates\x1b[0m" in to_terminal(rendered, ansi=True)
    assert "\x1b[" not in to_terminal(rendered)


def test_markdown_escapes_links_and_marks_other_sources() -> None:
    markdown = to_markdown(render_summary(summarize(INDEX, topic="interest rates", length=3)))
    assert markdown.startswith("**About “interest rates” in 2 articles")
    assert "> The \\*central\\* bank raised **interest rates**" in markdown
    assert "@everyone" not in markdown
    assert "— [Bank \\*raises\\* rates](<https://bank.example>) ¶1 s1" in markdown
    assert "-# also in: [Markets react](<https://markets.example>) ¶1 s2" in markdown


def test_markdown_stays_within_discord_limit_by_dropping_whole_quotes(
    shipped_index: CorpusIndex,
) -> None:
    summary = summarize(shipped_index, length=6)
    rendered = render_summary(summary)
    full = to_markdown(rendered, limit=100_000)
    short = to_markdown(rendered, limit=900)
    assert len(full) > 900 >= len(short)
    assert short.endswith("… 3 more sentences left out (Discord's length limit)")
    quoted = [line[2:] for line in short.splitlines() if line.startswith("> ")]
    assert quoted == [escape_markdown(i.quote.passage.text) for i in summary.items[:3]]


def test_one_article_is_named_once_when_that_lets_every_quote_fit(
    shipped_index: CorpusIndex,
) -> None:
    rendered = render_summary(summarize(shipped_index, length=6))
    assert len(to_markdown(rendered, limit=100_000)) > 2000
    markdown = to_markdown(rendered)
    assert len(markdown) <= 2000 and "left out" not in markdown
    assert markdown.count("> ") == 6 and markdown.count("(<https://www.independent.co.uk>)") == 1
    assert "\n— ¶1 s3\n" in markdown


def test_one_huge_sentence_is_cut_at_a_word_with_an_ellipsis() -> None:
    index = index_of(document("T", ["word " * 600 + "end."]))
    markdown = to_markdown(render_summary(summarize(index, length=3)))
    assert len(markdown) <= 2000 and markdown.endswith("…")


def test_status_messages() -> None:
    not_covered = Summary(SummaryStatus.NOT_COVERED, "weather", suggestions=("NATO", "Russia"))
    text = to_terminal(render_summary(not_covered))
    assert text == "The articles don't cover “weather”. Topics they do cover: NATO, Russia."
    unknown = to_terminal(render_summary(Summary(SummaryStatus.UNKNOWN_ARTICLE)))
    assert "No article has that title" in unknown
    assert to_markdown(render_summary(not_covered)).startswith("The articles don't cover")


def test_topics_terminal_and_markdown(shipped_index: CorpusIndex) -> None:
    topics = corpus_topics(shipped_index, limit=3)
    rendered = render_topics(topics, 1)
    assert to_terminal(rendered).splitlines()[0] == "Main topics of 1 article:"
    first = topics[0]
    assert f"1. {first.phrase} — {first.sentences} sentences, 1 article" in to_terminal(rendered)
    assert f"1. **{first.phrase}** — {first.sentences} sentences" in to_markdown(rendered)


def test_json_shapes(shipped_index: CorpusIndex) -> None:
    payload = summary_to_json(summarize(INDEX, topic="interest rates", length=3))
    assert payload["status"] == "covered" and payload["covered"] is True
    item = payload["items"][0]
    assert item["text"] == SHARED and item["also_in"][0]["title"] == "Markets react"
    topics = topics_to_json(corpus_topics(shipped_index, 2))
    assert set(topics[0]) == {"phrase", "sentences", "articles", "score"}


def test_autocomplete_choices_fit_discord_and_still_pick_their_article() -> None:
    from bot.render.discord_fit import autocomplete_choices
    from index.summaries.articles import find_article

    long_title = "A very long headline " * 8 + "that ends here"
    other = document("A very long headline but different", ["Other text here."], doc_id=1)
    index = index_of(document(long_title, ["Some text here."], doc_id=0), other)
    choices = autocomplete_choices([d.title for d in index.documents] * 20)
    assert len(choices) == 2 and all(len(choice) <= 100 for choice in choices)
    assert choices[0].endswith("…") and choices[1] == other.title
    assert find_article(index, choices[0]) is index.documents[0]
    assert len(autocomplete_choices([f"topic {n}" for n in range(40)])) == 25


DATED = index_of(
    with_published(
        document("Later", ["The bank cut interest rates again."], None, 0), "2005-03-02"
    ),
    with_published(document("Earlier", ["The bank raised interest rates."], None, 1), "2004-11-20"),
)


def test_a_timeline_shows_each_quote_with_its_date_oldest_first() -> None:
    summary = summarize(DATED, "interest rates", mode=SummaryMode.TIMELINE)
    text = to_terminal(render_summary(summary))
    lines = text.splitlines()
    assert lines[0] == (
        "“interest rates” in 2 articles over time: 2 quoted sentences, oldest article first:"
    )
    assert lines[1] == "1. 2004-11-20: “The bank raised interest rates.”"
    markdown = to_markdown(render_summary(summary))
    assert markdown.index("**2004-11-20**\n> The bank raised") < markdown.index("**2005-03-02**")


def test_compare_names_how_many_articles_tell_the_topic_and_the_gist_shows_no_date() -> None:
    compare = summarize(DATED, "interest rates", mode=SummaryMode.COMPARE)
    heading = to_terminal(render_summary(compare)).splitlines()[0]
    assert heading == "How 2 articles tell “interest rates”: one quoted sentence from each:"
    assert "2004-11-20" not in to_terminal(render_summary(summarize(DATED, "interest rates")))
    assert summary_to_json(compare)["items"][0]["published"] == "2004-11-20"
