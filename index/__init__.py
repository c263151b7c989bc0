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

This module is the facade: the front ends (``bot/``) import only the names listed here.
"""

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
from index.storage.opener import OpenedIndex, default_index_dir, open_index
from index.summaries.articles import match_article_titles, match_articles
from index.summaries.corpus_analysis import analysis_of, prepare
from index.summaries.summarizer import DEFAULT_LENGTH as SUMMARY_DEFAULT_LENGTH
from index.summaries.summarizer import (
    MAX_LENGTH as SUMMARY_MAX_LENGTH,
)
from index.summaries.summarizer import (
    MIN_LENGTH as SUMMARY_MIN_LENGTH,
)
from index.summaries.summarizer import Summary, SummaryMode, SummaryStatus, summarize
from index.summaries.topics import DEFAULT_TOPICS, MAX_TOPICS, Topic, complete_topic, corpus_topics
from index.text.analyzer import Analyzer

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
    "shared_embedder",
    "summarize",
    "without_chat_markup",
]
