"""The report's pure parts: grouping what readers missed, and days with no question."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store import AskedRow, Window, build_report
from bot.store.report import group_gaps


def test_questions_sharing_key_terms_are_one_line_in_the_most_asked_phrasing() -> None:
    gaps = group_gaps(
        [
            "election winner?",
            "Who won the election?",
            "who won the election",
            "What is the weather in Berlin?",
            "Which hotels are in Rome?",
        ]
    )
    assert [(gap.question, gap.count) for gap in gaps] == [
        ("Who won the election?", 3),
        ("What is the weather in Berlin?", 1),
        ("Which hotels are in Rome?", 1),
    ]


def test_every_day_of_the_window_is_in_the_report_even_without_questions() -> None:
    day = 86_400.0
    start = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
    rows = [
        AskedRow(start + 10, "q", "covered"),
        AskedRow(start + 2 * day + 5, "r", "not_covered"),
        AskedRow(start + 2 * day + 6, "s", "unrecognized"),
    ]
    report = build_report(Window(start), rows, (0, 0), start + 3 * day)
    assert [(d.day.day, d.answered, d.not_answered) for d in report.days] == [
        (1, 1, 0),
        (2, 0, 0),
        (3, 0, 2),
        (4, 0, 0),
    ]
    assert (report.asked, report.covered, report.not_covered, report.other) == (3, 1, 1, 1)
