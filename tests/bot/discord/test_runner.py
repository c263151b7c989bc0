"""``RedactToken``: no log line carries the token, whether in the message, its arguments or a
traceback (the process test checks a real token-bearing gateway log line too)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.discord.runner import REDACTED, RedactToken
from tests.conftest import TOKEN


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose one handler (with the filter, as ``configure_logging`` sets it) writes to
    a string, formatted as the bot formats its log."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(TOKEN))
    logger = logging.getLogger("tests.redact")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_the_token_in_a_message_is_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.warning(f"sending Authorization: Bot {TOKEN} now")
    assert TOKEN not in stream.getvalue()
    assert f"Authorization: Bot {REDACTED} now" in stream.getvalue()


def test_the_token_in_arguments_is_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.debug("payload %s for %r", {"token": TOKEN}, TOKEN)
    assert TOKEN not in stream.getvalue()
    assert stream.getvalue().count(REDACTED) == 2


def test_the_token_in_a_traceback_is_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    try:
        raise ValueError(f"login with {TOKEN} failed")
    except ValueError:
        logger.exception("login failed")
    text = stream.getvalue()
    assert "Traceback" in text and "ValueError: login with" in text
    assert TOKEN not in text and REDACTED in text


def test_lines_without_the_token_are_untouched(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logged
    logger.info("%d articles", 3)
    assert stream.getvalue() == "INFO tests.redact: 3 articles\n"
