"""The build's rows in C (``kernels.rows``) are the Python path's: the same term ids in the same
first-seen order, counts, lengths, row offsets, places, dropped words and raw-word cache."""

from __future__ import annotations

import itertools
import pickle
import random
import subprocess
from pathlib import Path

import numpy as np
import pytest

import hatch_build
from index.ingest.loader import load_corpus
from index.ingest.segment import passage_rows
from index.retrieval.forward import ForwardBuilder
from index.retrieval.kernels import compiled, rows, source_digest
from index.retrieval.kernels.rows import ROWS, RowKernel, one_byte_each
from index.text.analyzer import Analyzer
from tests.conftest import SEEDS

# Words and marks the token pattern treats specially, shouting, digits, other scripts, curly
# quotes, an accent, a word longer than a table entry holds, and one longer than a buffer.
PIECES = [
    "the", "The", "THE", "U.S.", "u.s.", "e.g.", "Russia's", "Russia’s", "rock'n'roll",
    "`quoted`", "10,000", "3.5", "30th", "1,000.5", "well-known", "x_y", "café", "Zelenskyy",
    "Київ", "東京", "US", "IT", "WHO", "a", "I", "0", "ABC.", "...", ",", ".", "'", "—", "“",
    "extraordinarily-long-hyphenated", "Antidisestablishmentarianism", "z" * 40,
    "Q" * 17, "9" * 300, "a.b.c.d.e.f", "don't", "O'Neill's", "ß", "ﬁne", "\t", "\n",
]  # fmt: skip


def builders(
    texts: list[tuple[str, np.ndarray]], kernel: RowKernel | None
) -> tuple[ForwardBuilder, list[list[int]]]:
    """A builder given every (text, spans), and the places taken after each text."""
    analyzer, builder, places = Analyzer(), ForwardBuilder(places=True), []
    for text, spans in texts:
        builder.add_texts(text, spans, analyzer, kernel)
        places.append(builder.take_places().tolist())
    return builder, places


def state(builder: ForwardBuilder) -> tuple[object, ...]:
    return (
        list(builder.ids.items()),
        sorted(builder.dropped),
        list(builder._raw_ids.items()),
        builder._terms.tolist(),
        builder._counts.tolist(),
        builder._lengths.tolist(),
        builder._row_ptr.tolist(),
    )


def kernel() -> RowKernel:
    assert ROWS is not None  # the install compiled it (hatch_build.py)
    return ROWS


def assert_same(texts: list[tuple[str, np.ndarray]]) -> None:
    fast, fast_places = builders(texts, kernel())
    slow, slow_places = builders(texts, None)
    assert state(fast) == state(slow)
    assert fast_places == slow_places
    # A builder recording no places counts alike.
    analyzer, plain = Analyzer(), ForwardBuilder()
    for text, spans in texts:
        plain.add_texts(text, spans, analyzer, kernel())
    assert state(plain) == state(slow)


def sentences(text: str, cuts: list[int]) -> tuple[str, np.ndarray]:
    """``text`` cut into consecutive sentences at ``cuts``."""
    edges = [0, *sorted(cuts), len(text)]
    return text, np.asarray(list(itertools.pairwise(edges)), dtype=np.int32)


def test_the_install_built_and_loaded_the_rows() -> None:
    assert rows.load_rows() is not None


def test_the_seeds_give_the_same_rows() -> None:
    documents = load_corpus(SEEDS).documents
    texts = [
        (d.text, np.asarray(passage_rows(d, i), dtype=np.int32).reshape(-1, 5)[:, 3:5])
        for i, d in enumerate(documents)
    ]
    assert sum(len(spans) for _, spans in texts) > 10
    assert_same(texts)


def test_random_odd_text_gives_the_same_rows() -> None:
    rng = random.Random(5)
    texts = []
    for _ in range(400):
        words = [rng.choice(PIECES) for _ in range(rng.randint(0, 60))]
        text = "".join(word + rng.choice([" ", " ", ". ", ", ", "", "-"]) for word in words)
        if rng.random() < 0.2:
            text = text.upper()  # a shouted document: every sentence of it to Python
        cuts = [rng.randint(0, len(text)) for _ in range(rng.randint(0, 8))]
        texts.append(sentences(text, cuts))
    assert_same(texts)


def test_a_document_larger_than_the_buffers_gives_the_same_rows() -> None:
    # 200,000 words in 20 sentences, one of them alone longer than the first buffers.
    rng = random.Random(6)
    text = " ".join(f"w{rng.randint(0, 5000)}" for _ in range(200_000))
    cuts = sorted(rng.sample(range(len(text)), 19))
    assert_same([sentences(text, cuts), sentences(text[:1000], [500])])


def test_repeated_and_empty_sentences_give_the_same_rows() -> None:
    text = "Storm storm STORM storm. The the. . U.S. U.S. us US. "
    spans = np.asarray([(0, 24), (0, 24), (5, 5), (25, 33), (34, 35), (36, 53), (0, 0)])
    assert_same([(text, spans.astype(np.int32))])


def test_a_pickled_builder_goes_on_as_the_same_builder() -> None:
    # The worker's builder is pickled without its C table, which is made again when needed.
    first = sentences("Storm hits the coast. Coast guard rescues storm victims.", [21])
    second = sentences("The coast guard's storm report. Victims thank the guard.", [31])
    analyzer, builder = Analyzer(), ForwardBuilder(places=True)
    builder.add_texts(*first, analyzer, kernel())
    copied = pickle.loads(pickle.dumps(builder))
    assert copied._table is None and copied._raw_ids == builder._raw_ids
    for each in (builder, copied):
        each.add_texts(*second, analyzer, kernel())
    assert state(copied) == state(builder)
    assert copied.take_places().tolist() == builder.take_places().tolist()


def test_the_word_table_keeps_each_words_id() -> None:
    table = kernel().table()
    words = [f"{'x' * (i % 40)}{i}".encode("ascii") for i in range(20_000)]  # short and long
    for i, word in enumerate(words):
        table.put(word, i if i % 3 else -1)
    table.put(words[7], 70)  # a word learned again takes its new id
    assert table.get(words[7]) == 70
    assert [table.get(word) for word in words[8:]] == [i if i % 3 else -1 for i in range(8, 20_000)]
    assert table.get(b"missing") is None and table.get(b"x" * 41) is None
    with pytest.raises(ValueError, match="empty"):
        table.put(b"", 1)


def test_one_byte_each_keeps_character_offsets() -> None:
    text = "Café ‘Київ’ 東京 ok"
    data = one_byte_each(text)
    assert len(data) == len(text)
    for char, byte in zip(text, data, strict=True):
        assert (byte == ord(char)) if char.isascii() else byte >= 0x80


def test_the_rows_are_off_when_asked_or_built_from_another_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert rows.load_rows() is not None
    monkeypatch.setenv("VERBATIM_KERNELS", "off")
    assert rows.load_rows() is None
    monkeypatch.delenv("VERBATIM_KERNELS")
    assert rows.load_rows(tmp_path / "missing.so") is None
    (tmp_path / "junk.so").write_bytes(b"not a library")
    assert rows.load_rows(tmp_path / "junk.so") is None
    # One that says it was built from these sources but holds no rows, and one from others.
    compiler = hatch_build.compiler()
    assert compiler is not None
    for digest, name in ((source_digest(), "no-rows"), ("0" * 64, "other")):
        source = tmp_path / f"{name}.c"
        source.write_text(f'const char *verbatim_source_digest(void) {{ return "{digest}"; }}')
        library = tmp_path / f"{name}.so"
        subprocess.run([compiler, *hatch_build.FLAGS, str(source), "-o", str(library)], check=True)
        assert compiled(library) is not None if name == "no-rows" else compiled(library) is None
        assert rows.load_rows(library) is None
