"""Published dates: read once from whatever a page, feed or front matter says, kept as ISO 8601.

Accepted: ISO 8601 (``2024-03-12``, ``2024-03-12T09:30:00+01:00``) and RFC 2822 (RSS's
``Tue, 12 Mar 2024 09:30:00 GMT``). Anything else counts as no date, never as a wrong one.
A date without a time sorts as the start of that day, UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_RELATIVE = re.compile(r"^\s*(\d{1,5})\s*([dwh])\s*$", re.IGNORECASE)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def normalize_date(value: object) -> str | None:
    """``value`` (a string, ``date`` or ``datetime``) as ISO 8601, or None when it is no date."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    parsed = _parse(text)
    if parsed is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    return parsed.isoformat()


def moment(published: str | None) -> datetime | None:
    """An ISO 8601 date as an aware ``datetime`` for comparisons (None stays None)."""
    return None if published is None else _parse(published)


def display_date(published: str | None) -> str | None:
    """``12 Mar 2024``, the form attributions show."""
    when = moment(published)
    return None if when is None else f"{when.day} {when:%b %Y}"


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """``7d``, ``12h``, ``2w`` (ago) or a date such as ``2024-03-01``; raises ``ValueError``."""
    now = now or datetime.now(UTC)
    relative = _RELATIVE.match(value)
    if relative:
        return now - int(relative.group(1)) * _UNITS[relative.group(2).lower()]
    when = _parse(value.strip())
    if when is None:
        raise ValueError(f"{value!r} is not a date: use e.g. 7d, 12h, 2w or 2024-03-01")
    return when


def _parse(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        # RFC 2822 dates (feeds) only: ``email.utils`` costs every start-up ~10 ms otherwise.
        from email.utils import parsedate_to_datetime

        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
