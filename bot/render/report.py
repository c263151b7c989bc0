"""The editors' report as text: one layout for ``verbatim report`` and ``/stats``.

Readers' questions are user text: the caller passes how to make it safe for where it goes
(``escape_markdown`` for Discord, ``printable`` for a terminal), and each is cut to one line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.render.text import shorten
from bot.store import Report

QUESTION_LIMIT = 120


def render_report(report: Report, escape: Callable[[str], str], heading: str = "") -> str:
    since = datetime.fromtimestamp(report.window.since, UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = "all servers" if report.window.guild_id is None else f"server {report.window.guild_id}"
    lines = [heading or f"Questions since {since} ({where}): {report.asked:,}"]
    if heading:
        lines.append(f"Questions since {since}: {report.asked:,}")
    lines.append(_answered(report))
    lines.append(_feedback(report))
    if report.top_not_covered:
        lines.append("")
        lines.append("Asked but not covered by the articles (what to write about next):")
        for number, gap in enumerate(report.top_not_covered, 1):
            text = escape(shorten(" ".join(gap.question.split()), QUESTION_LIMIT))
            lines.append(f"{number}. {text} ({gap.count}×)")
    return "\n".join(lines)


def _answered(report: Report) -> str:
    share = report.answered_share
    answered = report.covered + report.related
    parts = [f"Answered: {answered:,}" + (f" ({share:.0%})" if share is not None else "")]
    if report.related:
        parts.append(f"of which related: {report.related:,}")
    parts.append(f"not covered: {report.not_covered:,}")
    if report.other:
        parts.append(f"no question found: {report.other:,}")
    return "; ".join(parts)


def _feedback(report: Report) -> str:
    share = report.helpful_share
    ratio = f" ({share:.0%} helpful)" if share is not None else ""
    return f"Feedback: {report.helpful:,} helpful, {report.not_helpful:,} not helpful{ratio}"
