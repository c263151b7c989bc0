"""Verbatim's retrieval core: articles in, verbatim quoted sentences out.

Pure Python with no Discord (and no asyncio) import, so every step is testable in-process. The
subpackages are the pipeline's stages, each importing only the stages below it:

    ingest     article files → Documents (loader, front matter, segmentation); web pages, dates,
               polite fetching, feeds and imports saved as articles
    text       one analyzer for corpus and questions; stopwords, demonyms, WordNet lexicon
    retrieval  BM25 parameters and engines, forward index, the CorpusIndex over passages
    answering  question terms → re-ranked quotes, or an abstention
    summaries  corpus analysis, topics and quoted summaries
    storage    the persistent memory-mapped index (format, builder, store, opener)
    live       an index reloaded while it serves, and the folder watcher

This module is the facade: the front ends (``bot/``) import only the names listed here. Each name
is imported from its module when first used (PEP 562), so a one-shot ``verbatim ask`` does not
pay for the summaries, the feeds and the watcher it never touches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.answering.answer import MAX_TOP, AnswerPolicy, answer_question
    from index.answering.followup import answer_followup
    from index.answering.key_terms import key_terms
    from index.answering.question import without_chat_markup
    from index.errors import (
        ArticleError,
        CorpusError,
        ExtractionError,
        FetchError,
        IndexCorrupt,
        IndexFolderError,
        IndexUnavailable,
        SettingsError,
        UsageError,
        VerbatimError,
    )
    from index.ingest.dates import display_date, parse_since
    from index.ingest.feeds import FeedReport, ImportReport, import_pages, pull_feeds
    from index.ingest.fetch import Fetcher, check_url
    from index.ingest.loader import SkippedFile, load_corpus
    from index.ingest.poller import FeedPoller
    from index.live.live_index import LiveIndex, ReloadResult
    from index.live.prepared import open_prepared, prepare_opened
    from index.live.watcher import CorpusWatcher
    from index.model import Answer, AnswerStatus, Document, Paragraph, Passage, Quote
    from index.retrieval.corpus_index import CorpusIndex
    from index.retrieval.semantic import Embedder, shared_embedder
    from index.retrieval.semantic import check_install as check_semantic
    from index.retrieval.sources import SourceInfo, list_sources
    from index.storage.opener import OpenedIndex, default_index_dir, open_index, verify_index
    from index.summaries.articles import match_article_titles, match_articles
    from index.summaries.corpus_analysis import analysis_of, prepare
    from index.summaries.records import DEFAULT_LENGTH as SUMMARY_DEFAULT_LENGTH
    from index.summaries.records import (
        DEFAULT_TOPICS,
        MAX_TOPICS,
        Summary,
        SummaryMode,
        SummaryStatus,
    )
    from index.summaries.records import MAX_LENGTH as SUMMARY_MAX_LENGTH
    from index.summaries.records import MIN_LENGTH as SUMMARY_MIN_LENGTH
    from index.summaries.summarizer import summarize
    from index.summaries.topics import (
        Topic,
        complete_topic,
        corpus_topics,
    )
    from index.text.analyzer import Analyzer
    from index.text.lexicon import read_ahead as read_word_tables_ahead

_LAZY: dict[str, tuple[str, str]] = {
    "Analyzer": ("index.text.analyzer", "Analyzer"),
    "Answer": ("index.model", "Answer"),
    "AnswerPolicy": ("index.answering.answer", "AnswerPolicy"),
    "AnswerStatus": ("index.model", "AnswerStatus"),
    "ArticleError": ("index.errors", "ArticleError"),
    "CorpusError": ("index.errors", "CorpusError"),
    "CorpusIndex": ("index.retrieval.corpus_index", "CorpusIndex"),
    "CorpusWatcher": ("index.live.watcher", "CorpusWatcher"),
    "DEFAULT_TOPICS": ("index.summaries.records", "DEFAULT_TOPICS"),
    "Document": ("index.model", "Document"),
    "Embedder": ("index.retrieval.semantic", "Embedder"),
    "ExtractionError": ("index.errors", "ExtractionError"),
    "FeedPoller": ("index.ingest.poller", "FeedPoller"),
    "FeedReport": ("index.ingest.feeds", "FeedReport"),
    "FetchError": ("index.errors", "FetchError"),
    "Fetcher": ("index.ingest.fetch", "Fetcher"),
    "ImportReport": ("index.ingest.feeds", "ImportReport"),
    "IndexCorrupt": ("index.errors", "IndexCorrupt"),
    "IndexFolderError": ("index.errors", "IndexFolderError"),
    "IndexUnavailable": ("index.errors", "IndexUnavailable"),
    "LiveIndex": ("index.live.live_index", "LiveIndex"),
    "MAX_TOP": ("index.answering.answer", "MAX_TOP"),
    "MAX_TOPICS": ("index.summaries.records", "MAX_TOPICS"),
    "OpenedIndex": ("index.storage.opener", "OpenedIndex"),
    "Paragraph": ("index.model", "Paragraph"),
    "Passage": ("index.model", "Passage"),
    "Quote": ("index.model", "Quote"),
    "ReloadResult": ("index.live.live_index", "ReloadResult"),
    "SUMMARY_DEFAULT_LENGTH": ("index.summaries.records", "DEFAULT_LENGTH"),
    "SUMMARY_MAX_LENGTH": ("index.summaries.records", "MAX_LENGTH"),
    "SUMMARY_MIN_LENGTH": ("index.summaries.records", "MIN_LENGTH"),
    "SettingsError": ("index.errors", "SettingsError"),
    "SkippedFile": ("index.ingest.loader", "SkippedFile"),
    "SourceInfo": ("index.retrieval.sources", "SourceInfo"),
    "Summary": ("index.summaries.records", "Summary"),
    "SummaryMode": ("index.summaries.records", "SummaryMode"),
    "SummaryStatus": ("index.summaries.records", "SummaryStatus"),
    "Topic": ("index.summaries.topics", "Topic"),
    "UsageError": ("index.errors", "UsageError"),
    "VerbatimError": ("index.errors", "VerbatimError"),
    "analysis_of": ("index.summaries.corpus_analysis", "analysis_of"),
    "answer_followup": ("index.answering.followup", "answer_followup"),
    "answer_question": ("index.answering.answer", "answer_question"),
    "check_semantic": ("index.retrieval.semantic", "check_install"),
    "check_url": ("index.ingest.fetch", "check_url"),
    "complete_topic": ("index.summaries.topics", "complete_topic"),
    "corpus_topics": ("index.summaries.topics", "corpus_topics"),
    "default_index_dir": ("index.storage.opener", "default_index_dir"),
    "display_date": ("index.ingest.dates", "display_date"),
    "import_pages": ("index.ingest.feeds", "import_pages"),
    "key_terms": ("index.answering.key_terms", "key_terms"),
    "list_sources": ("index.retrieval.sources", "list_sources"),
    "load_corpus": ("index.ingest.loader", "load_corpus"),
    "match_article_titles": ("index.summaries.articles", "match_article_titles"),
    "match_articles": ("index.summaries.articles", "match_articles"),
    "open_index": ("index.storage.opener", "open_index"),
    "verify_index": ("index.storage.opener", "verify_index"),
    "open_prepared": ("index.live.prepared", "open_prepared"),
    "parse_since": ("index.ingest.dates", "parse_since"),
    "prepare": ("index.summaries.corpus_analysis", "prepare"),
    "prepare_opened": ("index.live.prepared", "prepare_opened"),
    "pull_feeds": ("index.ingest.feeds", "pull_feeds"),
    "read_word_tables_ahead": ("index.text.lexicon", "read_ahead"),
    "shared_embedder": ("index.retrieval.semantic", "shared_embedder"),
    "summarize": ("index.summaries.summarizer", "summarize"),
    "without_chat_markup": ("index.answering.question", "without_chat_markup"),
}


def __getattr__(name: str) -> object:
    """Import ``name``'s module on first use and keep the value (later uses are plain lookups)."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'index' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "DEFAULT_TOPICS",
    "MAX_TOP",
    "MAX_TOPICS",
    "SUMMARY_DEFAULT_LENGTH",
    "SUMMARY_MAX_LENGTH",
    "SUMMARY_MIN_LENGTH",
    "Analyzer",
    "Answer",
    "AnswerPolicy",
    "AnswerStatus",
    "ArticleError",
    "CorpusError",
    "CorpusIndex",
    "CorpusWatcher",
    "Document",
    "Embedder",
    "ExtractionError",
    "FeedPoller",
    "FeedReport",
    "FetchError",
    "Fetcher",
    "ImportReport",
    "IndexCorrupt",
    "IndexFolderError",
    "IndexUnavailable",
    "LiveIndex",
    "OpenedIndex",
    "Paragraph",
    "Passage",
    "Quote",
    "ReloadResult",
    "SettingsError",
    "SkippedFile",
    "SourceInfo",
    "Summary",
    "SummaryMode",
    "SummaryStatus",
    "Topic",
    "UsageError",
    "VerbatimError",
    "analysis_of",
    "answer_followup",
    "answer_question",
    "check_semantic",
    "check_url",
    "complete_topic",
    "corpus_topics",
    "default_index_dir",
    "display_date",
    "import_pages",
    "key_terms",
    "list_sources",
    "load_corpus",
    "match_article_titles",
    "match_articles",
    "open_index",
    "open_prepared",
    "parse_since",
    "prepare",
    "prepare_opened",
    "pull_feeds",
    "read_word_tables_ahead",
    "shared_embedder",
    "summarize",
    "verify_index",
    "without_chat_markup",
]
