"""The articles' texts a persistent index keeps packed (``index.retrieval.packed``): read back
verbatim whole and sentence by sentence, copied as they are by a partial rebuild, packed again
when the dictionary changed, and an index of the format before them rebuilt, not misread."""

from __future__ import annotations

import json
import pickle
import zlib
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from index.answering.answer import answer_question
from index.model import Document
from index.retrieval import packed
from index.retrieval.params import BM25Params
from index.storage.builder import build_data
from index.storage.opener import fingerprint, open_index
from index.storage.store import load
from index.text.analyzer import Analyzer
from tests.support.builders import reopened_as_older_format, write_article

LONG = " ".join(f"Sentence {i} of the harbour story, told in Zoë’s words." for i in range(30))


def _corpus(folder: Path) -> Path:
    write_article(folder, "fleet.txt", "Fleet", ["The fleet sailed north in 1805.", LONG, LONG])
    write_article(folder, "treaty.txt", "Treaty", ["Ministers signed the treaty. It held."])
    write_article(folder, "café.txt", "Café", ["A comet lit the sky over Genève — “at last”."])
    return folder


def test_every_text_and_sentence_reads_back_verbatim(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    opened = open_index(corpus, tmp_path / "idx")
    index, table = opened.index, opened.index.documents.table  # type: ignore[attr-defined]
    assert int(np.diff(table.piece_ptr).max()) > 1  # the long article is in several pieces
    for doc_id, meta in enumerate(table.meta):
        assert table.text_of(doc_id) == Path(meta.path).read_text(encoding="utf-8")
    for i in range(len(index)):
        passage = index.passage(i)
        file_text = Path(passage.document.path).read_text(encoding="utf-8")
        assert index.passage_text(i) == passage.text == file_text[passage.start : passage.end]
    passages = load(tmp_path / "idx", corpus, fingerprint(), BM25Params()).passages
    assert [passages.doc.dtype, passages.sentence.dtype, passages.end.dtype] == [
        np.uint8,
        np.uint8,
        np.uint16,  # the long article's offsets pass 255: its column is two bytes
    ]
    stored = (tmp_path / "idx" / "documents.text.npy").stat().st_size
    assert stored < sum(p.stat().st_size for p in corpus.iterdir())


def test_documents_decode_nothing_until_their_text_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer's records carry their article's title and link; the whole text is inflated
    only when read, and a record holds (and is pickled as) the document decoded whole."""
    corpus = _corpus(tmp_path / "corpus")
    index = open_index(corpus, tmp_path / "idx").index
    table = index.documents.table  # type: ignore[attr-defined]
    decoded: list[int] = []
    text_of = type(table).text_of

    def counting(self: object, doc_id: int) -> str:
        decoded.append(doc_id)
        return text_of(self, doc_id)  # type: ignore[arg-type]

    monkeypatch.setattr(type(table), "text_of", counting)
    for i in range(len(index)):
        passage = index.passage(i)
        file_text = Path(passage.document.path).read_text(encoding="utf-8")
        assert passage.text == file_text[passage.start : passage.end]
        assert passage.document.title and passage.document.path
    assert decoded == []  # every sentence read from its piece alone
    for doc_id in range(len(table)):
        document = index.documents[doc_id]
        whole = table.document(doc_id)
        copied = pickle.loads(pickle.dumps(document))
        assert type(copied) is Document
        for record in (document, copied):
            assert [getattr(record, f.name) for f in fields(Document)] == [
                getattr(whole, f.name) for f in fields(Document)
            ]
        assert document.text_between(3, 40) == whole.text[3:40]
    assert sorted(set(decoded)) == list(range(len(table)))
    assert index.documents[0] is index.documents[0]  # one record per article while kept


def test_a_partial_rebuild_copies_the_packed_texts_a_full_build_makes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    open_index(corpus, tmp_path / "idx")
    write_article(corpus, "treaty.txt", "Treaty", ["Generals signed the armistice. It held."])
    assert open_index(corpus, tmp_path / "idx").rebuilt
    open_index(corpus, tmp_path / "full", force=True)
    for name in ("text", "text_ptr", "piece_ptr", "piece_start", "piece_end", "dictionary"):
        file = f"documents.{name}.npy"
        assert (tmp_path / "idx" / file).read_bytes() == (tmp_path / "full" / file).read_bytes()


def test_texts_packed_with_another_dictionary_are_packed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    directory = tmp_path / "idx"
    open_index(corpus, directory)
    previous = load(directory, corpus, fingerprint(), BM25Params())
    monkeypatch.setattr(packed, "dictionary", lambda: b" harbour story sentence of the ")
    monkeypatch.setattr("index.storage.builder.dictionary", packed.dictionary)
    rebuilt = build_data(corpus, Analyzer(), BM25Params(), previous)
    fresh = build_data(corpus, Analyzer(), BM25Params())
    assert (
        rebuilt.documents.dictionary == fresh.documents.dictionary != previous.documents.dictionary
    )
    assert np.array_equal(rebuilt.documents.text, fresh.documents.text)
    # The partial rebuild cannot copy bytes packed with the old dictionary: it builds in full.
    write_article(corpus, "treaty.txt", "Treaty", ["Generals signed the armistice. It held."])
    reopened = open_index(corpus, directory)
    assert reopened.rebuilt
    assert reopened.index.documents.table.dictionary == packed.dictionary()  # type: ignore[attr-defined]
    assert answer_question(reopened.index, "Who signed the armistice?").covered


def test_an_index_of_format_4_is_rebuilt_not_misread(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    directory = tmp_path / "idx"
    open_index(corpus, directory)
    # What a format-4 index looks like: every text's UTF-8 end to end, no pieces or dictionary,
    # the word starts among the marks, version 4 in the manifest.
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    texts = b"".join(Path(p).read_bytes() for p in sorted(str(q) for q in corpus.iterdir()))
    old = {
        "documents.text.npy": np.frombuffer(texts, dtype=np.uint8),
        "marks.starts.npy": np.zeros(8, dtype=np.uint16),
    }
    for name in [n for n in manifest["checksums"] if "piece" in n or "dictionary" in n]:
        (directory / name).unlink()
        del manifest["checksums"][name]
    for name, values in old.items():
        np.save(directory / name, values)
        raw = (directory / name).read_bytes()
        manifest["checksums"][name] = [zlib.crc32(raw), len(raw)]
    reopened = reopened_as_older_format(corpus, directory, manifest, 4)
    assert not (directory / "marks.starts.npy").exists()
    assert (directory / "documents.dictionary.npy").exists()
    answer = answer_question(reopened.index, "When did the fleet sail north?")
    assert answer.covered
    quote = answer.quotes[0].passage
    file_text = Path(quote.document.path).read_text(encoding="utf-8")
    assert quote.text == file_text[quote.start : quote.end] == "The fleet sailed north in 1805."
