from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.datasets import (
    gold_passage,
    read_squad,
    read_squad_dir,
    read_wikiqa,
    wikiqa_document,
)
from index.retrieval.corpus_index import CorpusIndex

SQUAD = {
    "version": "v2.0",
    "data": [
        {
            "title": "Tiny_Article",
            "paragraphs": [
                {
                    "context": "The cat sat. The dog ran home.",
                    "qas": [
                        {
                            "id": "q1",
                            "question": "Where did the dog run?",
                            "answers": [{"text": "home", "answer_start": 25}],
                            "is_impossible": False,
                        }
                    ],
                },
                {
                    "context": "Birds fly south in winter.",
                    "qas": [
                        {
                            "id": "q2",
                            "question": "When do birds fly south?",
                            "answers": [{"text": "in winter", "answer_start": 16}],
                        },
                        {
                            "id": "q3",
                            "question": "When do fish fly?",
                            "answers": [],
                            "is_impossible": True,
                        },
                    ],
                },
            ],
        }
    ],
}

WIKIQA = (
    "QuestionID\tQuestion\tDocumentID\tDocumentTitle\tSentenceID\tSentence\tLabel\n"
    "Q1\twhat is a cat\tD1\tCat\tD1-0\tA cat is a small animal .\t1\n"
    'Q1\twhat is a cat\tD1\tCat\tD1-1\tCats purr "loudly" .\t0\n'
    "Q2\twho owns cats\tD1\tCat\tD1-0\tA cat is a small animal .\t0\n"
    'Q2\twho owns cats\tD1\tCat\tD1-1\tCats purr "loudly" .\t0\n'
)


@pytest.fixture
def squad_file(tmp_path: Path) -> Path:
    path = tmp_path / "squad" / "tiny.json"
    path.parent.mkdir()
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    return path


def test_squad_answer_offsets_point_into_the_joined_document(squad_file: Path) -> None:
    (article,) = read_squad(squad_file)
    text = article.document.text
    q1, q2, q3 = article.questions
    assert q1.answer_start is not None and text[q1.answer_start :].startswith("home")
    assert q2.answer_start is not None and text[q2.answer_start :].startswith("in winter")
    assert not q3.answerable
    assert article.document.title == "Tiny Article"
    assert [text[p.start : p.end] for p in article.document.paragraphs] == [
        "The cat sat. The dog ran home.",
        "Birds fly south in winter.",
    ]


def test_gold_is_the_sentence_holding_the_answer(squad_file: Path) -> None:
    (article,) = read_squad(squad_file)
    passages = list(CorpusIndex([article.document]).iter_passages())
    start = article.questions[0].answer_start
    assert start is not None
    assert gold_passage(passages, start).text == "The dog ran home."
    second = article.questions[1].answer_start
    assert second is not None
    assert gold_passage(passages, second).text == "Birds fly south in winter."


def test_squad_dir_reads_every_file(squad_file: Path) -> None:
    assert [a.title for a in read_squad_dir(squad_file.parent.parent)] == ["Tiny_Article"]


def test_wikiqa_groups_candidates_in_order_and_keeps_quotes(tmp_path: Path) -> None:
    path = tmp_path / "wikiqa.tsv"
    path.write_text(WIKIQA, encoding="utf-8")
    q1, q2 = read_wikiqa(path)
    assert q1.text == "what is a cat" and q1.has_correct and not q1.all_correct
    assert [c.correct for c in q1.candidates] == [True, False]
    assert q1.candidates[1].text == 'Cats purr "loudly" .'
    assert not q2.has_correct


def test_wikiqa_document_has_one_paragraph_per_candidate(tmp_path: Path) -> None:
    path = tmp_path / "wikiqa.tsv"
    path.write_text(WIKIQA, encoding="utf-8")
    document = wikiqa_document(read_wikiqa(path)[0])
    passages = list(CorpusIndex([document]).iter_passages())
    assert [(p.paragraph, p.text) for p in passages] == [
        (1, "A cat is a small animal ."),
        (2, 'Cats purr "loudly" .'),
    ]
