"""The editors' report: how many questions, how many the articles answered, what readers missed.

Pure: built from the rows the store returns, so the CLI (``verbatim report``) and ``/stats`` show
the same figures. Questions the articles did not cover are grouped when they share key terms
(the core's ``key_terms``, the terms retrieval matched on): "who won the election?" and "election
winner?" are one line, counted twice, shown in the phrasing asked most.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot.store.records import AskedRow, Window
from index import AnswerStatus, key_terms

TOP_GAPS = 10
ANSWERED = frozenset({AnswerStatus.COVERED.value, "related"})


@dataclass(frozen=True, slots=True)
class Gap:
    """Questions the articles did not cover, one group of them, as editors read it."""

    question: str
    count: int


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    answered: int
    not_answered: int


@dataclass(frozen=True, slots=True)
class Report:
    window: Window
    asked: int
    covered: int
    related: int
    not_covered: int
    other: int
    helpful: int
    not_helpful: int
    top_not_covered: list[Gap] = field(default_factory=list)
    days: list[Day] = field(default_factory=list)

    @property
    def answered_share(self) -> float | None:
        return (self.covered + self.related) / self.asked if self.asked else None

    @property
    def helpful_share(self) -> float | None:
        votes = self.helpful + self.not_helpful
        return self.helpful / votes if votes else None

    def as_json(self) -> dict[str, object]:
        """The stable ``--json`` shape (README, "Reports")."""
        return {
            "asked": self.asked,
            "covered": self.covered,
            "related": self.related,
            "not_covered": self.not_covered,
            "other": self.other,
            "helpful": self.helpful,
            "not_helpful": self.not_helpful,
            "top_not_covered": [
                {"question": g.question, "count": g.count} for g in self.top_not_covered
            ],
            "days": [
                {"day": d.day.isoformat(), "answered": d.answered, "not_answered": d.not_answered}
                for d in self.days
            ],
            "since": datetime.fromtimestamp(self.window.since, UTC).isoformat(),
            "guild": None if self.window.guild_id is None else str(self.window.guild_id),
        }


def build_report(
    window: Window, rows: list[AskedRow], votes: tuple[int, int], now: float
) -> Report:
    statuses = Counter(row.status for row in rows)
    covered = statuses[AnswerStatus.COVERED.value]
    related = statuses["related"]
    not_covered = statuses[AnswerStatus.NOT_COVERED.value]
    missed = [row.question for row in rows if row.status == AnswerStatus.NOT_COVERED.value]
    return Report(
        window=window,
        asked=len(rows),
        covered=covered,
        related=related,
        not_covered=not_covered,
        other=len(rows) - covered - related - not_covered,
        helpful=votes[0],
        not_helpful=votes[1],
        top_not_covered=group_gaps(missed)[:TOP_GAPS],
        days=per_day(rows, window.since, now),
    )


def group_gaps(questions: list[str]) -> list[Gap]:
    """Group ``questions`` sharing at least half the key terms of the shorter; most asked first."""
    phrasings = Counter(_tidy(question) for question in questions)
    shown: dict[str, str] = {}
    for question in questions:
        shown.setdefault(_tidy(question), question.strip())
    groups: list[tuple[frozenset[str], str, int]] = []
    for tidy, count in sorted(phrasings.items(), key=lambda item: -item[1]):
        terms = key_terms(tidy)
        for number, (group_terms, label, total) in enumerate(groups):
            if _related(terms, group_terms):
                groups[number] = (group_terms, label, total + count)
                break
        else:
            groups.append((terms, shown[tidy], count))
    ordered = sorted(enumerate(groups), key=lambda item: (-item[1][2], item[0]))
    return [Gap(label, total) for _, (_, label, total) in ordered]


def _related(terms: frozenset[str], other: frozenset[str]) -> bool:
    if not terms or not other:
        return False
    return 2 * len(terms & other) >= min(len(terms), len(other))


def _tidy(question: str) -> str:
    return " ".join(question.casefold().split()).rstrip(" ?!.")


def per_day(rows: list[AskedRow], since: float, now: float) -> list[Day]:
    """Questions per UTC day from ``since`` to ``now``, answered or not (a day with none is 0)."""
    first = datetime.fromtimestamp(since, UTC).date()
    last = datetime.fromtimestamp(now, UTC).date()
    answered: Counter[date] = Counter()
    missed: Counter[date] = Counter()
    for row in rows:
        day = datetime.fromtimestamp(row.asked_at, UTC).date()
        (answered if row.status in ANSWERED else missed)[day] += 1
    days = [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
    return [Day(day, answered[day], missed[day]) for day in days]
